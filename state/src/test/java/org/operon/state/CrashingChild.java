package org.operon.state;

import org.operon.model.Event;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Run in a child JVM by {@link OperonStateIT}: writes durable state, says so on stdout, then stops the
 * JVM with {@link Runtime#halt} (no shutdown hooks, no close: what {@code kill -9} leaves behind).
 *
 * <ul>
 *   <li>{@code state <dataDir>}: opens {@link OperonState}, writes 100 audit entries, 5 dead letters and a
 *       checkpoint, prints {@value #WRITTEN}, halts.</li>
 *   <li>{@code journal <dir>}: 4 threads append single events in a loop and print {@code ACK <id>}
 *       after each durable acknowledgement; once 2,000 are acknowledged it prints {@value #HALTING}
 *       and halts while appends are still in flight.</li>
 * </ul>
 */
public final class CrashingChild {
    static final String WRITTEN = "WRITTEN";
    static final String HALTING = "HALTING";
    static final int AUDIT_ENTRIES = 100;
    static final int DEAD_LETTERS = 5;
    static final int ACKS_BEFORE_HALT = 2_000;

    private CrashingChild() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[1]);
        switch (args[0]) {
            case "state" -> writeState(dir);
            case "journal" -> appendToJournal(dir);
            default -> throw new IllegalArgumentException("unknown mode " + args[0]);
        }
    }

    static AuditEntry auditEntry(int i) {
        return new AuditEntry("action-" + i, "decision-" + i, "notify", "host-" + i, "webhook", AuditEntry.SENT,
                null, "critical-burst", List.of("e-" + i, "f-" + i), Instant.parse("2026-11-27T20:00:00Z").plusSeconds(i).toString());
    }

    static DeadLetter deadLetter(int i) {
        return new DeadLetter("dl-" + i, "2026-11-27T20:00:00Z", "http:/api/v1/events", "malformed_json",
                "the body is not valid JSON at line 1, column " + i, i % 2 == 0 ? i : null, "{\"id\":", 6 + i, i == 3);
    }

    private static void writeState(Path dataDir) {
        OperonState state = OperonState.open(dataDir, Clock.systemUTC());
        for (int i = 1; i <= AUDIT_ENTRIES; i++) {
            state.auditLog().record(auditEntry(i));
        }
        for (int i = 1; i <= DEAD_LETTERS; i++) {
            state.deadLetters().add(deadLetter(i));
        }
        state.checkpoints().save("engine", new Checkpoint(42, 1_795_809_600_123L));
        System.out.println(WRITTEN);
        System.out.flush();
        Runtime.getRuntime().halt(1);
    }

    private static void appendToJournal(Path dir) throws InterruptedException {
        FileEventJournal journal = FileEventJournal.open(dir, System::currentTimeMillis,
                JournalOptions.defaults().withSegmentBytes(64 * 1024));
        AtomicInteger acknowledged = new AtomicInteger();
        Object enough = new Object();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int thread = t;
            Thread appender = new Thread(() -> {
                for (int i = 0; ; i++) {
                    String id = "t" + thread + "-" + i;
                    Event event = JournalEvents.rich(id);
                    journal.append(List.of(event)).join();
                    System.out.println("ACK " + id);
                    if (acknowledged.incrementAndGet() == ACKS_BEFORE_HALT) {
                        synchronized (enough) {
                            enough.notifyAll();
                        }
                    }
                }
            });
            appender.setDaemon(true);
            threads.add(appender);
        }
        synchronized (enough) {
            threads.forEach(Thread::start);
            while (acknowledged.get() < ACKS_BEFORE_HALT) {
                enough.wait();
            }
        }
        System.out.println(HALTING);
        System.out.flush();
        Runtime.getRuntime().halt(1);
    }
}
