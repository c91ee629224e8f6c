package org.operon.actions.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.operon.actions.Action;
import org.operon.actions.ActionOptions;
import org.operon.actions.ActionRoutes;
import org.operon.model.Decision;
import org.operon.testkit.EmbeddedArtemis;

/**
 * The {@code amqp} and {@code mqtt} targets against a real Artemis broker behind a {@link StallingProxy}: once the
 * broker stops answering (connections stay open, nothing comes back), each attempt ends at the per-attempt timeout
 * ({@code operon.actions.webhook.timeout}, 1 s here) and is retried, so the action fails after its 2 attempts in a
 * few seconds instead of waiting for ever; when the broker answers again, actions go through.
 */
class BrokerStallIT {
    private static final Instant T0 = Instant.parse("2024-03-05T10:15:30Z");
    private static final Duration BOUND = Duration.ofSeconds(20);

    @TempDir
    Path dir;
    private EmbeddedArtemis broker;
    private StallingProxy proxy;
    private CamelContext camel;

    @BeforeEach
    void startBroker() throws Exception {
        broker = EmbeddedArtemis.start(dir.resolve("broker"));
    }

    @AfterEach
    void stop() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        if (camel != null) {
            camel.stop();
        }
        broker.close();
    }

    private void start(PublishOptions publish, String target) throws Exception {
        ActionOptions options = ActionOptions.defaults().withFileDirectory(dir).withRetries(2, Duration.ofMillis(10))
                .withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(1))
                .withTargetSettings(publish).withDefaultTargets(List.of(target));
        camel = new DefaultCamelContext();
        camel.addRoutes(new ActionRoutes(options));
        camel.start();
    }

    private Exchange perform(int second, String target) {
        Decision decision = Decision.of("restart", "web-1", "restart-rule", List.of("e" + second))
                .stamped(T0.plusSeconds(second).toEpochMilli());
        Action action = Action.of(decision, target);
        return camel.createProducerTemplate().send(ActionRoutes.endpointFor(target), e -> e.getIn().setBody(action));
    }

    private static int attempts(Exchange done) {
        return done.getIn().getHeader(Exchange.REDELIVERY_COUNTER, 0, Integer.class) + 1;
    }

    @Test
    void amqpAttemptsEndAtTheTimeoutWhileTheBrokerStallsAndAreRetried() throws Exception {
        proxy = new StallingProxy(broker.amqpUrl());
        start(PublishOptions.defaults().withAmqp(new PublishOptions.Amqp(proxy.url(broker.amqpUrl()),
                "operon.decisions", "", "")), AmqpPublishSink.NAME);
        assertThat(perform(1, AmqpPublishSink.NAME).getException()).isNull();

        proxy.stall();
        Exchange stalled = assertTimeoutPreemptively(BOUND, () -> perform(2, AmqpPublishSink.NAME));

        assertThat(stalled.getException()).isNotNull();
        assertThat(attempts(stalled)).as("a timed-out attempt is retried").isEqualTo(2);
        proxy.resume();
        assertThat(assertTimeoutPreemptively(BOUND, () -> perform(3, AmqpPublishSink.NAME)).getException()).isNull();
    }

    @Test
    void mqttAttemptsEndAtTheTimeoutWhileTheBrokerStallsAndAreRetried() throws Exception {
        proxy = new StallingProxy(broker.mqttUrl());
        start(PublishOptions.defaults().withMqtt(new PublishOptions.Mqtt(proxy.url(broker.mqttUrl()),
                "operon/decisions", "operon-publisher", "", "")), MqttPublishSink.NAME);
        assertThat(perform(1, MqttPublishSink.NAME).getException()).isNull();

        proxy.stall();
        Exchange stalled = assertTimeoutPreemptively(BOUND, () -> perform(2, MqttPublishSink.NAME));

        assertThat(stalled.getException()).isNotNull();
        assertThat(attempts(stalled)).as("a timed-out attempt is retried").isEqualTo(2);
        assertThat(Publisher.isWorthRetrying(stalled.getException())).isTrue();
    }

    @Test
    void theAmqpConnectionFactoryBoundsEveryWait() {
        var factory = AmqpPublishSink.connectionFactory(new PublishOptions.Amqp("amqp://127.0.0.1:5672", "q", "", ""),
                Duration.ofSeconds(7), Duration.ofSeconds(3));

        assertThat(factory.getConnectTimeout()).isEqualTo(7000);
        assertThat(factory.getSendTimeout()).isEqualTo(3000);
        assertThat(factory.getRequestTimeout()).isEqualTo(3000);
        assertThat(factory.getCloseTimeout()).isEqualTo(3000);
    }
}
