package org.operon.integration.source.messaging;

import org.apache.camel.impl.DefaultCamelContext;
import org.operon.engine.EngineOverloadedException;
import org.operon.engine.EventAcceptor;
import org.operon.integration.http.IntakeOptions;
import org.operon.integration.source.SourceIntake;
import org.operon.integration.testing.InMemoryDeadLetters;
import org.operon.integration.testing.RecordingAcceptor;
import org.operon.integration.webhook.WebhookMapping;
import org.operon.model.Event;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The part of Operon a broker source needs, as the app wires it: a CamelContext with
 * {@link BrokerSourceRoutes} into a {@link SourceIntake}, a recording acceptor standing in for the engine (counting every attempt,
 * including the refused ones) and dead letters in memory. Stopping it is Operon stopping.
 */
final class BrokerSourceApp implements AutoCloseable {
    /** A journal that does not confirm within half a second is answered 503, which the routes retry. */
    static final IntakeOptions OPTIONS = new IntakeOptions(4096, 1024, 8192, Duration.ofMillis(500));
    /** Fast retries keep the tests short. */
    static final IntakeRetry RETRY = new IntakeRetry(Duration.ofMillis(50), Duration.ofMillis(200));

    final RecordingAcceptor acceptor = new RecordingAcceptor();
    final InMemoryDeadLetters deadLetters = new InMemoryDeadLetters();
    final SourceIntake intake;
    private final AtomicInteger attempts = new AtomicInteger();
    private final DefaultCamelContext camel = new DefaultCamelContext();

    private BrokerSourceApp(Optional<AmqpSourceOptions> amqp, Optional<MqttSourceOptions> mqtt,
                            RecordingAcceptor.Behaviour behaviour, WebhookMapping mapping) throws Exception {
        acceptor.behave(behaviour);
        EventAcceptor counting = new EventAcceptor() {
            @Override
            public CompletableFuture<List<Event>> accept(List<Event> events) throws EngineOverloadedException {
                attempts.incrementAndGet();
                return acceptor.accept(events);
            }

            @Override
            public boolean isAccepting() {
                return acceptor.isAccepting();
            }
        };
        intake = new SourceIntake(counting, deadLetters,
                Clock.fixed(Instant.parse("2026-01-31T12:00:00Z"), ZoneOffset.UTC), OPTIONS);
        camel.getShutdownStrategy().setTimeout(10);
        camel.addRoutes(new BrokerSourceRoutes(intake, amqp, mqtt, RETRY, mapping, mapping));
        camel.start();
    }

    static BrokerSourceApp amqp(AmqpSourceOptions options, RecordingAcceptor.Behaviour behaviour) throws Exception {
        return new BrokerSourceApp(Optional.of(options), Optional.empty(), behaviour, null);
    }

    /** The AMQP source mapping payloads that are not CloudEvents with {@code mapping}. */
    static BrokerSourceApp amqp(AmqpSourceOptions options, WebhookMapping mapping) throws Exception {
        return new BrokerSourceApp(Optional.of(options), Optional.empty(), RecordingAcceptor.Behaviour.JOURNAL, mapping);
    }

    static BrokerSourceApp mqtt(MqttSourceOptions options, RecordingAcceptor.Behaviour behaviour) throws Exception {
        return new BrokerSourceApp(Optional.empty(), Optional.of(options), behaviour, null);
    }

    /** The MQTT source mapping payloads that are not CloudEvents with {@code mapping}. */
    static BrokerSourceApp mqtt(MqttSourceOptions options, WebhookMapping mapping) throws Exception {
        return new BrokerSourceApp(Optional.empty(), Optional.of(options), RecordingAcceptor.Behaviour.JOURNAL, mapping);
    }

    /** Calls of the acceptor so far, refused ones included. */
    int attempts() {
        return attempts.get();
    }

    /** The accepted (durable) events, in order. */
    List<Event> accepted() {
        return acceptor.accepted();
    }

    /** The ids of the accepted (durable) events, in order. */
    List<String> acceptedIds() {
        return acceptor.accepted().stream().map(Event::getId).toList();
    }

    @Override
    public void close() {
        camel.stop();
    }

    static String event(String id) {
        return """
                {"specversion":"1.0","id":"%s","source":"/broker-test","type":"alert","subject":"db-1",
                 "severity":"critical"}""".formatted(id);
    }
}
