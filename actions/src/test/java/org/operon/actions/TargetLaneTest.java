package org.operon.actions;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.operon.model.Decision;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The lane's queue on its own: one run per action id at a time, also for callers that wait for room. */
class TargetLaneTest {
    private final CompletableFuture<Void> neverSettles = new CompletableFuture<>();
    private final List<String> performed = new CopyOnWriteArrayList<>();
    private final ExecutorService callers = Executors.newFixedThreadPool(2);
    private TargetLane lane;

    @AfterEach
    void stop() {
        neverSettles.complete(null);
        callers.shutdownNow();
        if (lane != null) {
            lane.interrupt();
        }
    }

    private static Action action(String subject) {
        Decision d = Decision.of("notify", subject, "test", List.of("e-" + subject)).stamped(1_000L);
        return Action.of(d, "log");
    }

    /** Performs at once; the records are never written while the test runs, so its id stays held. */
    private CompletionStage<?> perform(Action action) {
        performed.add(action.decision().getSubject());
        return neverSettles;
    }

    @Test
    void twoCallersWaitingForRoomWithTheSameActionQueueItOnce() throws Exception {
        lane = new TargetLane("log", 1, TargetPolicy.defaults(), Clock.systemUTC(), this::perform, a -> { }, () -> false);
        Action first = action("first");
        Action repeated = action("repeated");
        assertThat(lane.enqueue(first)).isEqualTo(TargetLane.Queued.QUEUED);
        List<Thread> waiting = new CopyOnWriteArrayList<>();
        Future<TargetLane.Queued> one = callers.submit(() -> {
            waiting.add(Thread.currentThread());
            return lane.enqueue(repeated);
        });
        Future<TargetLane.Queued> two = callers.submit(() -> {
            waiting.add(Thread.currentThread());
            return lane.enqueue(repeated);
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> waiting.size() == 2
                && waiting.stream().allMatch(t -> t.getState() == Thread.State.TIMED_WAITING));

        lane.start(); // its worker takes the first action, which makes room for one of them

        assertThat(List.of(answer(one), answer(two)))
                .containsExactlyInAnyOrder(TargetLane.Queued.QUEUED, TargetLane.Queued.DUPLICATE);
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(10)).until(() -> performed.size() == 2);
        assertThat(performed).as("each once").containsExactly("first", "repeated");
        assertThat(lane.holds(repeated.id())).as("held until it settles").isTrue();
    }

    private static TargetLane.Queued answer(Future<TargetLane.Queued> f)
            throws InterruptedException, ExecutionException, TimeoutException {
        return f.get(10, java.util.concurrent.TimeUnit.SECONDS);
    }
}
