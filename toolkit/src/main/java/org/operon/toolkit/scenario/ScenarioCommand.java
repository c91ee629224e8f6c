package org.operon.toolkit.scenario;

import org.operon.engine.RulesInvalidException;
import org.operon.engine.SessionFacts;
import org.operon.engine.SessionFactsInvalidException;
import org.operon.engine.session.CompiledRules;
import org.operon.toolkit.Arguments;
import org.operon.toolkit.ExitCode;
import org.operon.toolkit.UsageException;
import org.operon.toolkit.replay.RuleSets;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code operon test PATH...}: runs scenario files ({@code *.yaml}, {@code *.yml}; directories are
 * searched) against the packaged rules plus a rules directory (the scenario's own {@code rules}, else
 * {@code --rules}), in virtual time, and prints {@code PASS}/{@code FAIL} per scenario on standard
 * output, each failure with the expected and the decided actions. Exit codes ({@link ExitCode}): 0 all
 * passed, 1 a scenario failed, 2 a scenario or its rules could not be read or compiled (named with
 * file:line:column), or the command line is wrong.
 */
public final class ScenarioCommand {
    public static final String USAGE = """
            Usage: operon test [--rules DIR] PATH...

            Runs scenario files (YAML; a directory is searched for *.yaml and *.yml) against the packaged
            rules plus a rules directory, in virtual time, and prints PASS or FAIL for each, with the
            expected and the decided actions of each failure. See docs/testing-rules.md.

              --rules DIR   the rules directory for scenarios that do not name their own 'rules'
            Exit code: 0 all passed, 1 a scenario failed, 2 a scenario or its rules could not be read.
            """;

    private final SessionFacts facts;

    /** @param facts the facts every scenario's session starts with (the app's configuration); none by default */
    public ScenarioCommand(SessionFacts facts) {
        this.facts = facts;
    }

    /** Runs the command without session facts; returns the exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return new ScenarioCommand(SessionFacts.none()).execute(args, out, err);
    }

    /** Runs the command; returns the exit code ({@link ExitCode}). */
    public int execute(String[] args, PrintStream out, PrintStream err) {
        long started = System.nanoTime(); // only to report how long the scenarios took
        Arguments a;
        List<Path> files;
        Path rulesDir;
        try {
            a = Arguments.parse(args, Set.of("--rules"), Set.of("--help", "-h"));
            if (a.has("--help") || a.has("-h")) {
                out.print(USAGE);
                return ExitCode.OK;
            }
            rulesDir = a.one("--rules") == null ? null : Path.of(a.one("--rules"));
            if (rulesDir != null && !Files.isDirectory(rulesDir)) {
                throw new UsageException("--rules " + rulesDir + ": not a directory");
            }
            files = scenarioFiles(a.positional());
        } catch (UsageException e) {
            err.println("operon test: " + e.getMessage());
            err.println();
            err.print(USAGE);
            return ExitCode.CANNOT_RUN;
        }
        List<Object> seeds;
        try {
            seeds = facts.load();
        } catch (SessionFactsInvalidException e) {
            err.println("operon test: the session facts cannot be read: " + e.getMessage());
            return ExitCode.CANNOT_RUN;
        }

        Map<Path, Object> compiled = new HashMap<>(); // CompiledRules, or the error text
        int passed = 0;
        int failed = 0;
        int broken = 0;
        for (Path file : files) {
            Scenario scenario;
            try {
                scenario = ScenarioParser.parse(file);
            } catch (ScenarioException e) {
                out.println("ERROR " + e.getMessage());
                broken++;
                continue;
            }
            Path dir = scenario.rules() != null ? scenario.rules() : rulesDir;
            Object rules = compiled.computeIfAbsent(dir == null ? Path.of("") : dir, d -> compile(dir));
            if (rules instanceof String error) {
                out.println("ERROR " + scenario.name() + "  (" + file + "): the rules in " + dir
                        + " do not compile:\n" + error.indent(2).stripTrailing());
                broken++;
                continue;
            }
            ScenarioResult result = ScenarioRunner.run(scenario, ((CompiledRules) rules).withFacts(seeds));
            out.print(result.report());
            if (result.passed()) {
                passed++;
            } else {
                failed++;
            }
        }
        out.printf(Locale.ROOT, "%d scenario%s: %d passed, %d failed, %d could not run (%.1f s)%n", files.size(),
                files.size() == 1 ? "" : "s", passed, failed, broken, (System.nanoTime() - started) / 1e9);
        if (broken > 0) {
            return ExitCode.CANNOT_RUN;
        }
        return failed > 0 ? ExitCode.FAILED : ExitCode.OK;
    }

    private static Object compile(Path dir) {
        try {
            return RuleSets.load(dir);
        } catch (RulesInvalidException e) {
            return RuleSets.describe(dir, e);
        }
    }

    /** The files named, and the *.yaml / *.yml files under the directories named, each directory's sorted. */
    static List<Path> scenarioFiles(List<String> paths) throws UsageException {
        if (paths.isEmpty()) {
            throw new UsageException("name at least one scenario file or directory");
        }
        List<Path> out = new ArrayList<>();
        for (String p : paths) {
            Path path = Path.of(p);
            if (Files.isDirectory(path)) {
                try (Stream<Path> walk = Files.walk(path)) {
                    List<Path> found = walk.filter(Files::isRegularFile)
                            .filter(f -> f.getFileName().toString().matches("[^.].*\\.ya?ml"))
                            .sorted().toList();
                    if (found.isEmpty()) {
                        throw new UsageException(p + ": no scenario files (*.yaml, *.yml) in this directory");
                    }
                    out.addAll(found);
                } catch (IOException e) {
                    throw new UsageException(p + ": cannot be read: " + e.getMessage());
                }
            } else if (Files.isRegularFile(path)) {
                out.add(path);
            } else {
                throw new UsageException(p + ": no such file or directory");
            }
        }
        return out;
    }
}
