package org.operon.state;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.operon.model.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Operon's state and journal on real files, across close, reopen and a halted JVM. */
class OperonStateIT {
    private static final Logger LOG = LoggerFactory.getLogger(OperonStateIT.class);
    private static final Clock FIXED = Clock.fixed(Instant.parse("2026-11-27T20:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dataDir;

    private static OperonState openTimed(Path dir, Clock clock) {
        long started = System.nanoTime();
        OperonState state = OperonState.open(dir, clock);
        LOG.info("OperonState.open took {} ms", (System.nanoTime() - started) / 1_000_000);
        return state;
    }

    @Test
    void auditLogDeadLettersAndCheckpointsSurviveCloseAndReopen() {
        try (OperonState state = openTimed(dataDir, FIXED)) {
            for (int i = 1; i <= 5; i++) {
                state.auditLog().record(CrashingChild.auditEntry(i));
            }
            state.auditLog().record(CrashingChild.auditEntry(3)); // same id: replaces, not duplicates
            for (int i = 1; i <= 3; i++) {
                state.deadLetters().add(CrashingChild.deadLetter(i)); // same millisecond: the counter orders
            }
            state.checkpoints().save("engine", new Checkpoint(7, 1234));
            state.checkpoints().save("engine", new Checkpoint(9, 5678));
        }

        try (OperonState state = openTimed(dataDir, FIXED)) {
            assertThat(state.auditLog().findAsync("action-2").join()).as("from the file store after a restart")
                    .contains(CrashingChild.auditEntry(2));
            assertThat(state.auditLog().findAsync("nope").join()).isEmpty();
            assertThat(state.auditLog().find("action-2")).contains(CrashingChild.auditEntry(2));
            assertThat(state.auditLog().find("nope")).isEmpty();
            assertThat(state.auditLog().latest(10)).extracting(AuditEntry::id)
                    .containsExactly("action-5", "action-4", "action-3", "action-2", "action-1");
            assertThat(state.auditLog().latest(2)).extracting(AuditEntry::id).containsExactly("action-5", "action-4");
            assertThat(state.auditLog().latest(0)).isEmpty();

            assertThat(state.deadLetters().count()).isEqualTo(3);
            assertThat(state.deadLetters().latest(10)).containsExactly(
                    CrashingChild.deadLetter(3), CrashingChild.deadLetter(2), CrashingChild.deadLetter(1));
            assertThat(state.checkpoints().load("engine")).isEqualTo(new Checkpoint(9, 5678));
            assertThat(state.checkpoints().load("other")).isEqualTo(Checkpoint.START);
        }
    }

    @Test
    void latestIsCappedAndReadsEntriesEvictedFromMemory() {
        OperonState.Options fewInMemory = new OperonState.Options(Duration.ofDays(30), 100);
        try (OperonState state = OperonState.open(dataDir, Clock.systemUTC(), fewInMemory)) {
            for (int i = 0; i < 1_100; i++) {
                Instant time = Instant.parse("2026-11-27T00:00:00Z").plusSeconds(i);
                state.auditLog().record(new AuditEntry("a-" + i, "d-" + i, "notify", "h", "log", AuditEntry.SENT,
                        null, "r", List.of(), time.toString()));
            }
            List<AuditEntry> latest = state.auditLog().latest(5_000);
            assertThat(latest).hasSize(1_000);
            assertThat(latest.get(0).id()).isEqualTo("a-1099");
            assertThat(latest.get(999).id()).isEqualTo("a-100");
            assertThat(state.auditLog().find("a-0")).isPresent();
        }
    }

    @Test
    void entriesExpireAfterTheRetention() {
        OperonState.Options shortRetention = OperonState.Options.defaults().withRetention(Duration.ofMillis(300));
        try (OperonState state = OperonState.open(dataDir, Clock.systemUTC(), shortRetention)) {
            state.auditLog().record(CrashingChild.auditEntry(1));
            state.deadLetters().add(CrashingChild.deadLetter(1));
            state.checkpoints().save("engine", new Checkpoint(3, 3));
            assertThat(state.auditLog().find("action-1")).isPresent();

            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(
                    () -> state.auditLog().find("action-1").isEmpty() && state.deadLetters().latest(10).isEmpty());
            assertThat(state.checkpoints().load("engine")).isEqualTo(new Checkpoint(3, 3));
        }
    }

    @Test
    void aDataDirectoryIsOpenedByOneStateAtATime() {
        try (OperonState state = OperonState.open(dataDir, FIXED)) {
            assertThatThrownBy(() -> OperonState.open(dataDir, FIXED))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("already open");
        }
        OperonState.open(dataDir, FIXED).close();
    }

    @Test
    void stateSurvivesAHaltedJvmAndStartsDespiteTheUncleanShutdown() throws Exception {
        List<String> out = runChild("state", dataDir);
        assertThat(out).contains(CrashingChild.WRITTEN);
        try (Stream<Path> files = Files.walk(dataDir.resolve("infinispan"))) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .as("the file stores' lock files are left behind: the shutdown was unclean")
                    .contains("audit.lck", "dead-letters.lck", "checkpoints.lck");
        }

        try (OperonState state = openTimed(dataDir, Clock.systemUTC())) {
            List<AuditEntry> latest = state.auditLog().latest(1_000);
            assertThat(latest).hasSize(CrashingChild.AUDIT_ENTRIES);
            assertThat(latest.get(0)).isEqualTo(CrashingChild.auditEntry(CrashingChild.AUDIT_ENTRIES));
            assertThat(state.auditLog().find("action-7")).contains(CrashingChild.auditEntry(7));
            assertThat(state.deadLetters().count()).isEqualTo(CrashingChild.DEAD_LETTERS);
            assertThat(state.deadLetters().latest(100)).containsExactlyElementsOf(
                    IntStream.iterate(CrashingChild.DEAD_LETTERS, i -> i >= 1, i -> i - 1)
                            .mapToObj(CrashingChild::deadLetter).toList());
            assertThat(state.checkpoints().load("engine")).isEqualTo(new Checkpoint(42, 1_795_809_600_123L));
        }
    }

    @Test
    void journalKeepsEveryAcknowledgedEventAfterAHaltedJvm() throws Exception {
        Path journalDir = dataDir.resolve("journal");
        List<String> out = runChild("journal", journalDir);
        int halting = out.indexOf(CrashingChild.HALTING);
        assertThat(halting).as("child output: %s", out.size() > 20 ? out.subList(0, 20) : out).isPositive();
        Set<String> acknowledged = out.subList(0, halting).stream()
                .filter(line -> line.startsWith("ACK ")).map(line -> line.substring(4)).collect(Collectors.toSet());
        assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(CrashingChild.ACKS_BEFORE_HALT);

        try (FileEventJournal journal = FileEventJournal.open(journalDir, System::currentTimeMillis,
                JournalOptions.defaults())) {
            List<Event> events;
            try (Stream<Event> read = journal.readAfter(0)) {
                events = read.toList();
            }
            assertThat(events.stream().map(Event::getSeq).toList())
                    .containsExactlyElementsOf(LongStream.rangeClosed(1, journal.lastSeq()).boxed().toList());
            assertThat(events.stream().map(Event::getId).collect(Collectors.toSet())).containsAll(acknowledged);
            Event appended = journal.append(List.of(JournalEvents.plain("after-crash"))).join().get(0);
            assertThat(appended.getSeq()).isEqualTo(events.size() + 1);
        }
    }

    /** Runs {@link CrashingChild} in a new JVM on this test's class path and returns its stdout lines. */
    private List<String> runChild(String mode, Path dir) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path stderr = dataDir.resolve("child-" + mode + ".err");
        Files.createDirectories(dataDir);
        Process child = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                CrashingChild.class.getName(), mode, dir.toString())
                .redirectError(stderr.toFile())
                .start();
        List<String> lines = new ArrayList<>();
        try (var reader = child.inputReader(StandardCharsets.UTF_8)) {
            reader.lines().forEach(lines::add);
        }
        boolean exited = child.waitFor(60, TimeUnit.SECONDS);
        if (!exited) {
            child.destroyForcibly();
        }
        assertThat(exited).as("child exited").isTrue();
        assertThat(child.exitValue()).as("child exit code (halt(1)); stderr: %s", Files.readString(stderr))
                .isEqualTo(1);
        return lines;
    }
}
