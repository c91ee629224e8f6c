package org.operon.engine;

import org.operon.model.Decision;
import org.operon.model.Event;
import org.operon.state.Checkpoint;
import org.operon.state.CheckpointStore;
import org.operon.state.FileEventJournal;
import org.operon.state.JournalOptions;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * A running {@link Engine} on this module's test rules (src/test/resources: every event makes a
 * decision "seen-&lt;type&gt;"; "ask-seed" asks for the Seed facts), with a real event journal in a
 * temporary directory and a clock moved by hand: events arrive at offsets from {@link #T0}, and the
 * engine's idle tick moves the session clock to wherever the test put the clock.
 */
final class EngineOnTestRules implements AutoCloseable {
    static final long T0 = Instant.parse("2025-03-01T12:00:00Z").toEpochMilli();

    final AtomicLong clock = new AtomicLong(T0);
    final List<Decision> decisions = new CopyOnWriteArrayList<>();
    final RuleReloader reloader;
    private final FileEventJournal journal;
    private final Engine engine;
    private long sent;

    /**
     * Starts, or restarts, on the journal under {@code dataDir} and the given checkpoints, with the
     * clock at {@code offset} after T0.
     *
     * @throws RulesInvalidException when the reloader refuses to start (invalid rules or facts)
     */
    EngineOnTestRules(Path dataDir, CheckpointStore checkpoints, Duration offset, RuleReloader reloader,
                      List<ThrottlePolicy> throttles) throws RulesInvalidException {
        this(dataDir, checkpoints, offset, reloader, throttles, () -> true);
    }

    /** As above, with the engine asking {@code effectsSettled} before each checkpoint (see {@link Engine}). */
    EngineOnTestRules(Path dataDir, CheckpointStore checkpoints, Duration offset, RuleReloader reloader,
                      List<ThrottlePolicy> throttles, BooleanSupplier effectsSettled) throws RulesInvalidException {
        clock.set(T0 + offset.toMillis());
        this.reloader = reloader;
        SessionOpener rules = reloader.loadAtStart();
        journal = FileEventJournal.open(dataDir.resolve("journal"), clock::get, JournalOptions.defaults());
        EngineOptions options = new EngineOptions(10_000, 100, Duration.ofMillis(5), Duration.ofMinutes(15),
                Duration.ofSeconds(1), 1).withThrottles(throttles);
        engine = new Engine(rules, journal, checkpoints, decisions::add, clock::get, options, effectsSettled);
        reloader.attach(engine);
        engine.start();
    }

    static Event event(String id, String type, String subject) {
        return Event.builder().id(id).source("/test/engine").type(type).subject(subject).build();
    }

    /** Moves the clock to {@code offset} after T0 and waits until the session clock has followed. */
    EngineOnTestRules at(Duration offset) {
        clock.set(T0 + offset.toMillis());
        until(() -> engine.status().clockTime() >= clock.get());
        return this;
    }

    /** Sends the events now (they arrive at the clock's time) and waits until they are processed. */
    EngineOnTestRules send(Event... events) {
        try {
            engine.accept(List.of(events)).join();
        } catch (EngineOverloadedException e) {
            throw new IllegalStateException(e);
        }
        sent += events.length;
        until(() -> engine.status().processed() >= sent && engine.status().backlog() == 0);
        return this;
    }

    /**
     * Returns once {@code condition} holds, checking it after each pass of the engine loop (a query
     * run on the engine thread completes only when the loop comes round); fails after 10 seconds.
     */
    void until(BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the engine did not get there within 10 s: " + engine.status());
            }
            engine.inspect(view -> null).join();
        }
    }

    /** The decisions of one type made so far. */
    List<Decision> decisions(String type) {
        return decisions.stream().filter(d -> d.getType().equals(type)).toList();
    }

    Engine engine() {
        return engine;
    }

    @Override
    public void close() {
        engine.stop(Duration.ofSeconds(10));
        journal.close();
    }

    /** Checkpoints kept in memory, for a restart within one test. */
    static final class MemoryCheckpoints implements CheckpointStore {
        private final Map<String, Checkpoint> saved = new ConcurrentHashMap<>();

        @Override
        public void save(String name, Checkpoint checkpoint) {
            saved.put(name, checkpoint);
        }

        @Override
        public Checkpoint load(String name) {
            return saved.getOrDefault(name, Checkpoint.START);
        }
    }
}
