package org.operon.integration.action;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.operon.engine.EngineOverloadedException;
import org.operon.engine.EventAcceptor;
import org.operon.model.ActionOutcome;
import org.operon.model.Event;
import org.operon.state.DeadLetter;
import org.operon.state.OperonState;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Outcomes journaled through a stand-in engine (overloaded, not yet accepting, accepting) with the dead letters
 * in a real Infinispan store.
 */
class ActionOutcomeIntakeIT {
    private static final Instant T0 = Instant.parse("2026-11-27T20:00:00Z");
    private static final Clock CLOCK = Clock.fixed(T0, ZoneOffset.UTC);
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private OperonState state;
    private final Engine engine = new Engine();
    private ActionOutcomeIntake intake;

    @BeforeEach
    void open() {
        state = OperonState.open(dir, CLOCK);
    }

    @AfterEach
    void close() {
        if (intake != null) {
            intake.close(Duration.ZERO);
        }
        state.close();
    }

    private ActionOutcomeIntake start(int capacity) {
        intake = new ActionOutcomeIntake(engine, state.deadLetters(), CLOCK, Duration.ofSeconds(2), capacity, 4096)
                .start();
        return intake;
    }

    private static ActionOutcome failed(String actionId) {
        return new ActionOutcome(actionId, "d1", "remediate", "restart", "web1", "webhook", ActionOutcome.FAILED,
                "HTTP 500", Map.of("httpStatus", 500));
    }

    private List<DeadLetter> deadLetters() {
        return state.deadLetters().latest(100).stream()
                .filter(d -> d.channel().equals(ActionOutcomeIntake.CHANNEL)).toList();
    }

    @Test
    void anOutcomeBecomesOneReservedEventInTheJournal() {
        start(10).submit(failed("a1"));

        await().atMost(WAIT).until(() -> engine.journaled.size() == 1);
        Event e = engine.journaled.get(0);
        assertThat(e.getType()).isEqualTo(ActionOutcome.TYPE);
        assertThat(e.getSource()).isEqualTo(ActionOutcome.SOURCE);
        assertThat(e.getId()).isEqualTo("a1:failed");
        assertThat(e.getSubject()).isEqualTo("web1");
        assertThat(e.getTime()).isEqualTo(T0);
        assertThat(ActionOutcome.field(e, ActionOutcome.STATUS)).isEqualTo("failed");
        assertThat(ActionOutcome.detailsOf(e)).containsEntry("httpStatus", 500);
        assertThat(deadLetters()).isEmpty();
    }

    @Test
    void anOverloadedOrStartingEngineIsTriedAgainUntilItTakesTheOutcome() {
        engine.overloadedTimes.set(3);
        engine.accepting = false;
        start(10).submit(failed("a1"));
        await().atMost(WAIT).until(() -> engine.refused.get() >= 1);
        assertThat(engine.journaled).isEmpty();

        engine.accepting = true;

        await().atMost(WAIT).until(() -> engine.journaled.size() == 1);
        assertThat(engine.overloadedTimes.get()).isZero();
        assertThat(deadLetters()).isEmpty();
    }

    @Test
    void aFullQueueKeepsTheOutcomeAsADeadLetter() {
        engine.accepting = false; // nothing leaves the queue
        ActionOutcomeIntake intake = start(1);
        intake.submit(failed("a1")); // taken by the worker, waiting for the engine
        await().atMost(WAIT).until(() -> engine.refused.get() >= 1);
        intake.submit(failed("a2")); // queued
        intake.submit(failed("a3")); // no room

        assertThat(deadLetters()).singleElement().satisfies(d -> {
            assertThat(d.error()).isEqualTo("queue_full");
            assertThat(d.payload()).contains("a3:failed").contains(ActionOutcome.TYPE);
        });
    }

    @Test
    void outcomesNotJournaledWhenOperonStopsAreDeadLettered() {
        engine.accepting = false;
        ActionOutcomeIntake intake = start(10);
        intake.submit(failed("a1"));
        intake.submit(failed("a2"));

        intake.close(Duration.ofMillis(100));
        intake.submit(failed("a3"));

        assertThat(engine.journaled).isEmpty();
        assertThat(deadLetters()).extracting(DeadLetter::error).containsOnly("not_journaled").hasSize(3);
    }

    /** A stand-in engine that journals at once, or refuses as told. */
    private static final class Engine implements EventAcceptor {
        final List<Event> journaled = new CopyOnWriteArrayList<>();
        final AtomicInteger overloadedTimes = new AtomicInteger();
        final AtomicInteger refused = new AtomicInteger();
        final AtomicLong seq = new AtomicLong();
        volatile boolean accepting = true;

        @Override
        public CompletableFuture<List<Event>> accept(List<Event> events) throws EngineOverloadedException {
            if (!accepting) {
                refused.incrementAndGet();
                throw new IllegalStateException("not accepting");
            }
            if (overloadedTimes.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                refused.incrementAndGet();
                throw new EngineOverloadedException("full", 1);
            }
            List<Event> stamped = events.stream().map(e -> e.stamped(seq.incrementAndGet(), T0.toEpochMilli())).toList();
            journaled.addAll(stamped);
            return CompletableFuture.completedFuture(stamped);
        }

        @Override
        public boolean isAccepting() {
            if (!accepting) {
                refused.incrementAndGet();
            }
            return accepting;
        }
    }
}
