package org.operon.engine;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.operon.model.Decision;
import org.operon.state.Checkpoint;
import org.operon.state.CheckpointStore;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.operon.engine.EngineOnTestRules.event;

/**
 * The checkpoint waits for the effects: while the decision listener reports effects not settled (the app
 * passes {@code ActionDispatcher::isIdle}: an action queued, running or between its retries), the engine
 * does not move its checkpoint past the decision. A crash then (the checkpoint store keeps what was saved
 * before it) makes the restart process the event again, unmuted, and emit the same decision; once the
 * effects are settled the checkpoint moves and a restart emits nothing again.
 *
 * <p>A crash is modelled by restarting on a copy of the checkpoints saved so far: the stopping engine's
 * own final checkpoint, which a kill -9 never writes, goes to the original store only.
 */
class EngineCheckpointTest {
    @TempDir
    Path tmp;
    final AtomicBoolean settled = new AtomicBoolean(false);
    EngineOnTestRules operon;

    @AfterEach
    void stop() {
        settled.set(true);
        if (operon != null) {
            operon.close();
        }
    }

    private EngineOnTestRules start(EngineOnTestRules.MemoryCheckpoints checkpoints, Duration offset)
            throws RulesInvalidException {
        operon = new EngineOnTestRules(tmp.resolve("data"), checkpoints, offset, new RuleReloader(null, () -> 0L),
                List.of(), settled::get);
        return operon;
    }

    /** The checkpoints saved so far, as a kill -9 now would leave them. */
    private static EngineOnTestRules.MemoryCheckpoints crashCopy(EngineOnTestRules.MemoryCheckpoints saved) {
        EngineOnTestRules.MemoryCheckpoints copy = new EngineOnTestRules.MemoryCheckpoints();
        copy.save(Engine.CHECKPOINT_NAME, saved.load(Engine.CHECKPOINT_NAME));
        return copy;
    }

    private static long savedSeq(EngineOnTestRules.MemoryCheckpoints checkpoints) {
        return checkpoints.load(Engine.CHECKPOINT_NAME).seq();
    }

    @Test
    void theCheckpointDoesNotPassADecisionWhoseEffectIsNotSettled() throws Exception {
        EngineOnTestRules.MemoryCheckpoints checkpoints = new EngineOnTestRules.MemoryCheckpoints();
        start(checkpoints, Duration.ZERO).send(event("e1", "disk", "web-1"));
        Decision decided = operon.decisions("seen-disk").get(0);

        // Well past the checkpoint interval (1 s of the engine's clock), with the loop going round.
        operon.at(Duration.ofSeconds(5)).at(Duration.ofSeconds(10));
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
                .until(() -> savedSeq(checkpoints) == 0);
        assertThat(checkpoints.load(Engine.CHECKPOINT_NAME)).isEqualTo(Checkpoint.START);

        EngineOnTestRules.MemoryCheckpoints afterCrash = crashCopy(checkpoints);
        settled.set(true); // a clean stop waits for the effects; its final checkpoint is not in the copy
        operon.close();
        operon = null;

        settled.set(false);
        start(afterCrash, Duration.ofSeconds(11));
        assertThat(operon.decisions("seen-disk")).as("the event is processed again, its decision not muted")
                .singleElement().satisfies(d -> assertThat(d.getId()).isEqualTo(decided.getId()));
    }

    @Test
    void onceTheEffectsAreSettledTheCheckpointMovesAndARestartDecidesNothingAgain() throws Exception {
        EngineOnTestRules.MemoryCheckpoints checkpoints = new EngineOnTestRules.MemoryCheckpoints();
        start(checkpoints, Duration.ZERO).send(event("e1", "disk", "web-1")).at(Duration.ofSeconds(5));
        assertThat(savedSeq(checkpoints)).isZero();

        settled.set(true);
        operon.at(Duration.ofSeconds(10));
        await().atMost(Duration.ofSeconds(10)).until(() -> savedSeq(checkpoints) == 1);

        EngineOnTestRules.MemoryCheckpoints afterCrash = crashCopy(checkpoints);
        operon.close();
        operon = null;

        start(afterCrash, Duration.ofSeconds(11));
        operon.at(Duration.ofSeconds(12));
        assertThat(operon.decisions).as("the decision was replayed muted").isEmpty();
    }

    @Test
    void aStopReturnsOnlyOnceEveryCheckpointHandedToTheWriterIsStored() throws Exception {
        CountDownLatch writerHeld = new CountDownLatch(1);
        CountDownLatch writerMayStore = new CountDownLatch(1);
        EngineOnTestRules.MemoryCheckpoints stored = new EngineOnTestRules.MemoryCheckpoints();
        CheckpointStore held = new CheckpointStore() {
            @Override
            public void save(String name, Checkpoint checkpoint) {
                if (Thread.currentThread().getName().equals("operon-checkpoint")) {
                    writerHeld.countDown();
                    try {
                        writerMayStore.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                stored.save(name, checkpoint);
            }

            @Override
            public Checkpoint load(String name) {
                return stored.load(name);
            }
        };
        settled.set(true);
        operon = new EngineOnTestRules(tmp.resolve("data"), held, Duration.ZERO, new RuleReloader(null, () -> 0L),
                List.of(), settled::get);
        operon.send(event("e1", "disk", "web-1")).at(Duration.ofSeconds(5))
                .send(event("e2", "disk", "web-1")).at(Duration.ofSeconds(10));
        assertThat(writerHeld.await(10, TimeUnit.SECONDS)).as("the writer is saving").isTrue();

        CompletableFuture<Void> stopping = CompletableFuture.runAsync(operon::close);
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !stopping.isDone());
        writerMayStore.countDown();
        stopping.get(10, TimeUnit.SECONDS);
        operon = null;

        assertThat(stored.load(Engine.CHECKPOINT_NAME)).as("the stop's checkpoint is the last one stored")
                .isEqualTo(new Checkpoint(2, EngineOnTestRules.T0 + 10_000));
    }

    @Test
    void aStopSavesTheCheckpointAgainWhenTheWriterFailedToStoreIt() throws Exception {
        EngineOnTestRules.MemoryCheckpoints stored = new EngineOnTestRules.MemoryCheckpoints();
        java.util.concurrent.atomic.AtomicInteger writerFailures = new java.util.concurrent.atomic.AtomicInteger();
        CheckpointStore failingWriter = new CheckpointStore() {
            @Override
            public void save(String name, Checkpoint checkpoint) {
                if (Thread.currentThread().getName().equals("operon-checkpoint")) {
                    writerFailures.incrementAndGet();
                    throw new IllegalStateException("the store is unavailable (test)");
                }
                stored.save(name, checkpoint);
            }

            @Override
            public Checkpoint load(String name) {
                return stored.load(name);
            }
        };
        settled.set(true);
        operon = new EngineOnTestRules(tmp.resolve("data"), failingWriter, Duration.ZERO,
                new RuleReloader(null, () -> 0L), List.of(), settled::get);
        operon.send(event("e1", "disk", "web-1")).at(Duration.ofSeconds(5))
                .send(event("e2", "disk", "web-1")).at(Duration.ofSeconds(10));
        await().atMost(Duration.ofSeconds(10)).until(() -> writerFailures.get() > 0);

        operon.close();
        operon = null;

        assertThat(stored.load(Engine.CHECKPOINT_NAME)).as("the stop's own save, though the handed-off ones failed")
                .isEqualTo(new Checkpoint(2, EngineOnTestRules.T0 + 10_000));
    }
}
