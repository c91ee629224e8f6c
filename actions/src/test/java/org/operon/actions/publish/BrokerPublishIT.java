package org.operon.actions.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import jakarta.jms.Connection;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.qpid.jms.JmsConnectionFactory;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
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
 * The {@code amqp} and {@code mqtt} targets against a real Artemis broker in the test JVM: each action arrives
 * once as a structured CloudEvent whose id is the action id; a decision past the hop limit publishes nothing;
 * an unreachable broker fails the action after the retries.
 */
class BrokerPublishIT {
    private static final Instant T0 = Instant.parse("2024-03-05T10:15:30Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private EmbeddedArtemis broker;
    private CamelContext camel;

    @BeforeEach
    void startBroker() throws Exception {
        broker = EmbeddedArtemis.start(dir.resolve("broker"));
    }

    @AfterEach
    void stop() throws Exception {
        if (camel != null) {
            camel.stop();
        }
        broker.close();
    }

    private void start(PublishOptions publish, String target) throws Exception {
        ActionOptions options = ActionOptions.defaults().withFileDirectory(dir).withRetries(2, Duration.ofMillis(10))
                .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(2))
                .withTargetSettings(publish).withDefaultTargets(List.of(target));
        camel = new DefaultCamelContext();
        camel.addRoutes(new ActionRoutes(options));
        camel.start();
    }

    private Exchange perform(Decision decision, String target) {
        Action action = Action.of(decision, target);
        return camel.createProducerTemplate().send(ActionRoutes.endpointFor(target), e -> e.getIn().setBody(action));
    }

    private static Decision restart(Instant at) {
        return Decision.of("restart", "web-1", "restart-rule", List.of("e1")).withParam("unit", "nginx")
                .stamped(at.toEpochMilli());
    }

    private static void assertDecisionEvent(JsonNode event, Decision decision, String target) {
        assertThat(event.path("specversion").asText()).isEqualTo("1.0");
        assertThat(event.path("id").asText()).isEqualTo(Action.idFor(decision.getId(), target));
        assertThat(event.path("type").asText()).isEqualTo("operon.decision.restart");
        assertThat(event.path("subject").asText()).isEqualTo("web-1");
        assertThat(event.path("operonhops").asInt()).isEqualTo(1);
        assertThat(event.path("data").path("params").path("unit").asText()).isEqualTo("nginx");
    }

    @Test
    void amqpSendsTheDecisionEventToTheQueue() throws Exception {
        start(PublishOptions.defaults().withAmqp(new PublishOptions.Amqp(broker.amqpUrl(), "operon.decisions", "u", "p")),
                AmqpPublishSink.NAME);
        Decision decision = restart(T0);
        Decision looping = DecisionEventsTest.decisionBehind(DecisionEventsTest.event("a", 3));

        assertThat(perform(decision, AmqpPublishSink.NAME).getException()).isNull();
        assertThat(perform(looping, AmqpPublishSink.NAME).getException())
                .isInstanceOf(DecisionEvents.HopLimitException.class);

        JmsConnectionFactory factory = new JmsConnectionFactory(broker.amqpUrl());
        try (Connection connection = factory.createConnection()) {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = session.createConsumer(session.createQueue("operon.decisions"));
            TextMessage message = (TextMessage) consumer.receive(5000);
            assertThat(message).isNotNull();
            assertDecisionEvent(JSON.readTree(message.getText()), decision, AmqpPublishSink.NAME);
            assertThat(message.getJMSCorrelationID()).isEqualTo(Action.idFor(decision.getId(), AmqpPublishSink.NAME));
            assertThat(consumer.receive(200)).as("nothing else, the looping decision was not published").isNull();
        }
    }

    @Test
    void mqttPublishesTheDecisionEventWithQos1() throws Exception {
        List<String> received = Collections.synchronizedList(new ArrayList<>());
        MqttClient subscriber = new MqttClient(broker.mqttUrl(), "test-subscriber", new MemoryPersistence());
        subscriber.connect(new MqttConnectionOptions());
        subscriber.subscribe("operon/decisions", 1);
        subscriber.setCallback(new org.eclipse.paho.mqttv5.client.MqttCallback() {
            @Override public void disconnected(org.eclipse.paho.mqttv5.client.MqttDisconnectResponse r) { }
            @Override public void mqttErrorOccurred(org.eclipse.paho.mqttv5.common.MqttException e) { }
            @Override public void messageArrived(String topic, org.eclipse.paho.mqttv5.common.MqttMessage m) {
                received.add(new String(m.getPayload(), StandardCharsets.UTF_8));
            }
            @Override public void deliveryComplete(org.eclipse.paho.mqttv5.client.IMqttToken t) { }
            @Override public void connectComplete(boolean reconnect, String uri) { }
            @Override public void authPacketArrived(int reason, org.eclipse.paho.mqttv5.common.packet.MqttProperties p) { }
        });
        try {
            start(PublishOptions.defaults().withMqtt(new PublishOptions.Mqtt(broker.mqttUrl(), "operon/decisions",
                    "operon-publisher", "", "")), MqttPublishSink.NAME);
            Decision decision = restart(T0);

            assertThat(perform(decision, MqttPublishSink.NAME).getException()).isNull();

            await().atMost(Duration.ofSeconds(5)).until(() -> received.size() == 1);
            assertDecisionEvent(JSON.readTree(received.get(0)), decision, MqttPublishSink.NAME);
        } finally {
            subscriber.disconnect();
            subscriber.close();
        }
    }

    @Test
    void mqttFailsAfterTheRetriesWhenTheBrokerIsGone() throws Exception {
        start(PublishOptions.defaults().withMqtt(new PublishOptions.Mqtt(broker.mqttUrl(), "operon/decisions",
                "operon-publisher", "", "")), MqttPublishSink.NAME);
        assertThat(perform(restart(T0), MqttPublishSink.NAME).getException()).isNull();
        broker.close();

        Exchange done = perform(restart(T0.plusSeconds(1)), MqttPublishSink.NAME);

        assertThat(done.getException()).isNotNull();
        assertThat(done.getIn().getHeader(Exchange.REDELIVERY_COUNTER, 0, Integer.class)).isEqualTo(1);
        broker = EmbeddedArtemis.start(dir.resolve("broker2"));
    }

    @Test
    void anUnreachableBrokerFailsTheActionAfterTheRetries() throws Exception {
        String amqpUrl = broker.amqpUrl();
        broker.close();
        start(PublishOptions.defaults().withAmqp(new PublishOptions.Amqp(amqpUrl, "operon.decisions", "", "")),
                AmqpPublishSink.NAME);

        Exchange done = perform(restart(T0), AmqpPublishSink.NAME);

        assertThat(done.getException()).isNotNull();
        assertThat(done.getIn().getHeader(Exchange.REDELIVERY_COUNTER, 0, Integer.class)).isEqualTo(1);
        broker = EmbeddedArtemis.start(dir.resolve("broker2"));
    }
}
