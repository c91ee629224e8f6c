package org.operon.engine;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.operon.engine.session.RuleSession;
import org.operon.engine.testrules.Seed;
import org.operon.model.Decision;
import org.operon.model.Event;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.operon.engine.EngineOnTestRules.event;

/**
 * Facts every session starts with, read from a file that changes while the engine runs: they enter
 * each new session before any event, a change replaces them (the old ones gone), and an invalid file
 * is refused at start and on reload, naming the file and line. The test rules answer an "ask-seed"
 * event with one "seed" decision per Seed fact.
 */
class SessionFactsTest {
    @TempDir
    Path tmp;
    EngineOnTestRules operon;

    @AfterEach
    void stop() {
        if (operon != null) {
            operon.close();
        }
    }

    /** Session facts from a file of lines {@code seed <name>}. */
    static final class SeedFile implements SessionFacts {
        final Path file;

        SeedFile(Path file) {
            this.file = file;
        }

        @Override
        public List<Object> load() throws SessionFactsInvalidException {
            List<String> lines;
            try {
                lines = Files.readAllLines(file);
            } catch (IOException e) {
                throw new SessionFactsInvalidException(List.of(new RuleError(file.getFileName().toString(), 0, 0,
                        "cannot read: " + e)));
            }
            List<Object> seeds = new ArrayList<>();
            List<RuleError> errors = new ArrayList<>();
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i).strip();
                if (line.startsWith("seed ")) {
                    seeds.add(new Seed(line.substring(5).strip()));
                } else if (!line.isEmpty()) {
                    errors.add(new RuleError(file.getFileName().toString(), i + 1, 0,
                            "expected 'seed <name>', found '" + line + "'"));
                }
            }
            if (!errors.isEmpty()) {
                throw new SessionFactsInvalidException(errors);
            }
            return seeds;
        }

        @Override
        public String fingerprint() {
            return SessionFacts.fingerprintOf(List.of(file));
        }

        @Override
        public String toString() {
            return file.toString();
        }
    }

    private Path seeds(String content) throws IOException {
        return Files.writeString(tmp.resolve("seeds.txt"), content);
    }

    private EngineOnTestRules start(SessionFacts facts) throws RulesInvalidException {
        operon = new EngineOnTestRules(tmp.resolve("data"), new EngineOnTestRules.MemoryCheckpoints(), Duration.ZERO,
                new RuleReloader(null, facts, () -> 0L), List.of());
        return operon;
    }

    private List<String> seedsInSession() {
        return operon.engine().inspect(view -> view.facts(Seed.class).stream().map(Seed::getName).sorted().toList())
                .join();
    }

    @Test
    void aNewSessionHoldsTheFactsInOrderBeforeAnyEvent() {
        List<Decision> decisions = new ArrayList<>();
        SessionOpener opener = SessionOpener.packaged().withFacts(List.of(new Seed("a"), new Seed("b")));
        try (RuleSession session = opener.open(EngineOnTestRules.T0, decisions::add)) {
            assertThat(session.facts(Seed.class)).extracting(Seed::getName).containsExactlyInAnyOrder("a", "b");
            assertThat(session.clockTime()).isEqualTo(EngineOnTestRules.T0);

            session.process(List.of(event("q1", "ask-seed", "x").stamped(1, EngineOnTestRules.T0 + 1_000)));

            assertThat(decisions).extracting(Decision::getSubject).containsExactlyInAnyOrder("a", "b");
        }
        try (RuleSession bare = SessionOpener.packaged().open(EngineOnTestRules.T0, decisions::add)) {
            assertThat(bare.facts(Seed.class)).as("facts belong to the opener that has them").isEmpty();
        }
    }

    @Test
    void anEventCannotEnterAsAFact() {
        SessionOpener opener = SessionOpener.packaged().withFacts(List.of(event("e1", "ping", "x")));

        assertThatThrownBy(() -> opener.open(EngineOnTestRules.T0, d -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("process()");
    }

    @Test
    void aChangedFileReplacesTheFactsOnReload() throws Exception {
        seeds("seed alpha\n");
        start(new SeedFile(tmp.resolve("seeds.txt")));
        operon.at(Duration.ofSeconds(10)).send(event("q1", "ask-seed", "x"));
        assertThat(operon.decisions("seed")).extracting(Decision::getSubject).containsExactly("alpha");

        seeds("seed bravo-2\n");
        ReloadableRules.Reload reload = operon.reloader.reload("test");

        assertThat(reload.ok()).as("errors: %s", reload.errors()).isTrue();
        assertThat(seedsInSession()).containsExactly("bravo-2");
        assertThat(operon.decisions("seed")).as("the replay of q1 is muted").hasSize(1);
        operon.at(Duration.ofSeconds(20)).send(event("q2", "ask-seed", "x"));
        assertThat(operon.decisions("seed")).extracting(Decision::getSubject).containsExactly("alpha", "bravo-2");
    }

    @Test
    void anInvalidFileFailsTheReloadAndTheOldFactsStay() throws Exception {
        seeds("seed alpha\n");
        start(new SeedFile(tmp.resolve("seeds.txt")));
        seeds("seed bravo\nbravo\n");

        ReloadableRules.Reload reload = operon.reloader.reload("test");

        assertThat(reload.ok()).isFalse();
        assertThat(reload.errors()).singleElement().satisfies(e -> {
            assertThat(e.file()).isEqualTo("seeds.txt");
            assertThat(e.line()).isEqualTo(2);
            assertThat(e.message()).contains("expected 'seed <name>'");
        });
        assertThat(operon.reloader.status().lastReload()).isEqualTo(reload);
        assertThat(seedsInSession()).containsExactly("alpha");
        operon.at(Duration.ofSeconds(10)).send(event("q1", "ask-seed", "x"));
        assertThat(operon.decisions("seed")).extracting(Decision::getSubject).containsExactly("alpha");
    }

    @Test
    void anInvalidFileRefusesTheStartNamingFileAndLine() throws Exception {
        seeds("oops\n");
        RuleReloader reloader = new RuleReloader(null, new SeedFile(tmp.resolve("seeds.txt")), () -> 0L);

        assertThatThrownBy(reloader::loadAtStart).isInstanceOf(SessionFactsInvalidException.class)
                .isInstanceOf(RulesInvalidException.class)
                .hasMessage("seeds.txt:1: expected 'seed <name>', found 'oops'");
    }

    @Test
    void badRulesAndBadFactsAreReportedTogether() throws Exception {
        Path rules = Files.createDirectories(tmp.resolve("rules"));
        Files.writeString(rules.resolve("broken.drl"), "rule \"x\" when then");
        seeds("oops\n");
        RuleReloader reloader = new RuleReloader(new RulesDirectory(rules), new SeedFile(tmp.resolve("seeds.txt")),
                () -> 0L);

        assertThatThrownBy(reloader::loadAtStart).isInstanceOfSatisfying(RulesInvalidException.class,
                e -> assertThat(e.errors()).extracting(RuleError::file).contains("broken.drl", "seeds.txt"));
    }

    @Test
    void theWatcherReloadsAChangedFileOnceItSettled() throws Exception {
        seeds("seed alpha\n");
        start(new SeedFile(tmp.resolve("seeds.txt")));
        ReloadableRules.Reload atStart = operon.reloader.status().lastReload();
        try (RulesDirectoryWatcher watcher = new RulesDirectoryWatcher(operon.reloader, Duration.ofHours(1))) {
            watcher.scan();
            watcher.scan();
            assertThat(operon.reloader.status().lastReload()).as("nothing changed").isSameAs(atStart);

            seeds("seed charlie-3\n");
            watcher.scan();
            assertThat(operon.reloader.status().lastReload()).as("not settled yet").isSameAs(atStart);
            watcher.scan();

            assertThat(operon.reloader.status().lastReload().trigger()).isEqualTo("file change");
            assertThat(seedsInSession()).containsExactly("charlie-3");
        }
    }

    @Test
    void nothingToWatchWithoutADirectoryOrFactFiles() {
        RuleReloader fixed = new RuleReloader(null, SessionFacts.of(List.of(new Seed("a"))), () -> 0L);

        assertThat(fixed.hasWatchedSources()).isFalse();
        assertThatThrownBy(() -> new RulesDirectoryWatcher(fixed, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> fixed.reload("api")).isInstanceOf(IllegalStateException.class);
        assertThat(new RuleReloader(null, new SeedFile(tmp.resolve("seeds.txt")), () -> 0L).hasWatchedSources())
                .isTrue();
    }

    @Test
    void theFingerprintOfFilesChangesWithTheirSizeAndIsEmptyForNone() throws IOException {
        Path f = seeds("seed a\n");
        String first = SessionFacts.fingerprintOf(List.of(f));
        assertThat(SessionFacts.fingerprintOf(List.of(f))).isEqualTo(first);

        seeds("seed ab\n");

        assertThat(SessionFacts.fingerprintOf(List.of(f))).isNotEqualTo(first);
        assertThat(SessionFacts.fingerprintOf(List.of())).isEmpty();
        assertThat(SessionFacts.fingerprintOf(List.of(tmp.resolve("missing")))).contains("unreadable");
        assertThat(SessionFacts.none().fingerprint()).isEmpty();
    }
}
