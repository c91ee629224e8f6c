package org.operon.actions.publish;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.operon.actions.Action;
import org.operon.actions.ActionOptions;
import org.operon.actions.ActionRoutes;
import org.operon.model.CloudEventJson;
import org.operon.model.Decision;
import org.operon.model.Event;

/**
 * The {@code operon} target ("post_event") against a stand-in for Operon's source intake on
 * {@code direct:operon-intake} that follows its contract (docs/sources/routes.md): it decodes the body with
 * the intake's rules (reserved types refused), answers with an outcome whose {@code rejected()} lists what it
 * refused, and fails the exchange with an {@code EngineOverloadedException} when it cannot accept now.
 */
class OperonEventSinkIT {
    private static final Instant T0 = Instant.parse("2024-03-05T10:15:30Z");

    /** The intake's outcome, shaped like integration's SourceIntake.Outcome. */
    public record Outcome(List<String> accepted, List<String> rejected) {
    }

    /** Named like the engine's overload exception, which the sink sees only by name. */
    static final class EngineOverloadedException extends Exception {
        EngineOverloadedException() {
            super("the engine's queue is full");
        }
    }

    @TempDir
    Path dir;
    private CamelContext camel;
    private final List<Event> accepted = Collections.synchronizedList(new ArrayList<>());
    private final List<String> sources = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger overloadedFor = new AtomicInteger();

    @BeforeEach
    void start() throws Exception {
        ActionOptions options = ActionOptions.defaults().withFileDirectory(dir).withRetries(3, Duration.ofMillis(10))
                .withTargetSettings(PublishOptions.defaults().withMaxHops(2))
                .withDefaultTargets(List.of(OperonEventSink.NAME));
        camel = new DefaultCamelContext();
        camel.addRoutes(new ActionRoutes(options));
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                CloudEventJson rules = new CloudEventJson().rejectingReservedTypes();
                from("direct:operon-intake").errorHandler(noErrorHandler()).process(exchange -> {
                    if (overloadedFor.getAndDecrement() > 0) {
                        throw new EngineOverloadedException();
                    }
                    sources.add(exchange.getIn().getHeader("OperonSource", String.class));
                    String body = new String(exchange.getIn().getBody(byte[].class), StandardCharsets.UTF_8);
                    Event event = rules.fromJson(rules.parseTree(body));
                    accepted.add(event);
                    exchange.getMessage().setBody(new Outcome(List.of(event.getId()), List.of()));
                });
            }
        });
        camel.start();
    }

    @AfterEach
    void stop() {
        camel.stop();
    }

    private Exchange perform(Decision decision) {
        Action action = Action.of(decision, OperonEventSink.NAME);
        return camel.createProducerTemplate().send(ActionRoutes.endpointFor(OperonEventSink.NAME),
                e -> e.getIn().setBody(action));
    }

    @Test
    void postsTheEventToTheIntakeUnderItsOwnSourceName() {
        Decision d = Decision.of("post", "web-1", "cleanup", List.of("e1")).withParam("eventType", "cleanup.requested")
                .stamped(T0.toEpochMilli());

        Exchange done = perform(d);

        assertThat(done.getException()).isNull();
        assertThat(sources).containsExactly("operon:post-event");
        assertThat(accepted).singleElement().satisfies(e -> {
            assertThat(e.getId()).isEqualTo(Action.idFor(d.getId(), "operon"));
            assertThat(e.getType()).isEqualTo("cleanup.requested");
            assertThat(e.getSource()).isEqualTo("operon");
            assertThat(e.getExtensions()).containsEntry("operonhops", 1);
        });
    }

    @Test
    void anIntakeThatCannotAcceptNowIsRetried() {
        overloadedFor.set(2);
        Exchange done = perform(Decision.of("post", "web-1", "cleanup", List.of("e1"))
                .withParam("eventType", "cleanup.requested").stamped(T0.toEpochMilli()));

        assertThat(done.getException()).isNull();
        assertThat(accepted).hasSize(1);
    }

    @Test
    void aLoopStopsAtTheHopLimitAndAReservedTypeNeverReachesTheIntake() {
        Decision second = DecisionEventsTest.decisionBehind(DecisionEventsTest.event("a", 1))
                .withParam("eventType", "cleanup.requested");
        Decision third = DecisionEventsTest.decisionBehind(DecisionEventsTest.event("b", 2))
                .withParam("eventType", "cleanup.requested");
        Decision reserved = Decision.of("post", "web-1", "r", List.of()).withParam("eventType", "operon.incident.resolve")
                .stamped(T0.toEpochMilli());

        assertThat(perform(second).getException()).isNull();
        assertThat(perform(third).getException()).isInstanceOf(DecisionEvents.HopLimitException.class);
        assertThat(perform(reserved).getException()).hasMessageContaining("is reserved");
        assertThat(accepted).singleElement().satisfies(e -> assertThat(e.getExtensions()).containsEntry("operonhops", 2));
    }
}
