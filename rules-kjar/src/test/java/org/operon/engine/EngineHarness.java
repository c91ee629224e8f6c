package org.operon.engine;

import org.operon.model.Decision;
import org.operon.model.Event;
import org.operon.model.Severity;
import org.operon.state.Checkpoint;
import org.operon.state.CheckpointStore;
import org.operon.state.FileEventJournal;
import org.operon.state.JournalOptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
 * A running {@link Engine} on the packaged rules plus a rules directory, with a real event journal in
 * a temporary directory and a clock moved by hand: events arrive at offsets from {@link #T0}, and
 * the engine's idle tick moves the session clock to wherever the test put the clock. Waits pace
 * themselves on the engine loop (this module's tests run without Awaitility).
 */
final class EngineHarness implements AutoCloseable {
    static final long T0 = Instant.parse("2025-03-01T12:00:00Z").toEpochMilli();
    static final String SOURCE = "/test/reload";

    final AtomicLong clock = new AtomicLong(T0);
    final List<Decision> decisions = new CopyOnWriteArrayList<>();
    final Path rulesDir;
    final RuleReloader reloader;
    private final FileEventJournal journal;
    private final Engine engine;
    private long sent;

    /** Starts on the rules in {@code rulesDir} (created if missing), with journal files under {@code dataDir}. */
    EngineHarness(Path rulesDir, Path dataDir) throws RulesInvalidException, IOException {
        this(rulesDir, dataDir, new MemoryCheckpoints(), Duration.ZERO);
    }

    /**
     * Starts, or restarts, on the given checkpoints and the journal under {@code dataDir}, with the
     * clock at {@code offset} after T0.
     */
    EngineHarness(Path rulesDir, Path dataDir, CheckpointStore checkpoints, Duration offset)
            throws RulesInvalidException, IOException {
        this(rulesDir, dataDir, checkpoints, offset, SessionFacts.none(), d -> {
        });
    }

    /**
     * Starts, or restarts, as above, with {@code facts} in every session and every decision also handed to
     * {@code listener} (as the application keeps incident snapshots).
     */
    EngineHarness(Path rulesDir, Path dataDir, CheckpointStore checkpoints, Duration offset, SessionFacts facts,
                  DecisionListener listener) throws RulesInvalidException, IOException {
        clock.set(T0 + offset.toMillis());
        this.rulesDir = Files.createDirectories(rulesDir);
        journal = FileEventJournal.open(dataDir.resolve("journal"), clock::get, JournalOptions.defaults());
        reloader = new RuleReloader(new RulesDirectory(rulesDir), facts, clock::get);
        EngineOptions options = new EngineOptions(10_000, 100, Duration.ofMillis(5), Duration.ofMinutes(15),
                Duration.ofSeconds(1), 1);
        engine = new Engine(reloader.loadAtStart(), journal, checkpoints, d -> {
            listener.onDecision(d);
            decisions.add(d);
        }, clock::get, options);
        reloader.attach(engine);
        engine.start();
    }

    static Event event(String id, String type, String subject, Severity severity) {
        return Event.builder().id(id).source(SOURCE).type(type).subject(subject).severity(severity).build();
    }

    static Event critical(String id, String subject) {
        return event(id, "alert", subject, Severity.CRITICAL);
    }

    static Event heartbeat(String id, String subject) {
        return event(id, "heartbeat", subject, Severity.INFO);
    }

    static Event deploy(String id, String subject) {
        return event(id, "deploy", subject, Severity.INFO);
    }

    /** Moves the clock to {@code offset} after T0 and waits until the session clock has followed. */
    EngineHarness at(Duration offset) {
        clock.set(T0 + offset.toMillis());
        until(() -> engine.status().clockTime() >= clock.get());
        return this;
    }

    /** Sends the events now (they arrive at the clock's time) and waits until they are processed. */
    EngineHarness send(Event... events) {
        try {
            engine.accept(List.of(events)).join();
        } catch (EngineOverloadedException e) {
            throw new IllegalStateException(e);
        }
        sent += events.length;
        until(() -> engine.status().processed() >= sent
                && engine.status().backlog() == 0);
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

    /** Writes a rule file into the rules directory. */
    EngineHarness file(String name, String content) throws IOException {
        Path f = rulesDir.resolve(name);
        Files.createDirectories(f.getParent());
        Files.writeString(f, content, StandardCharsets.UTF_8);
        return this;
    }

    /** The decisions of one type made so far. */
    List<Decision> decisions(String type) {
        return decisions.stream().filter(d -> d.getType().equals(type)).toList();
    }

    ReloadableRules.Reload reload() {
        return reloader.reload("test");
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
