package org.operon.toolkit.diff;

import org.operon.engine.RuleInfo;
import org.operon.engine.RulesInvalidException;
import org.operon.engine.SessionFactsInvalidException;
import org.operon.engine.session.CompiledRules;
import org.operon.model.Event;
import org.operon.toolkit.Arguments;
import org.operon.toolkit.ExitCode;
import org.operon.toolkit.UsageException;
import org.operon.toolkit.replay.EventSourceException;
import org.operon.toolkit.replay.ReplayInputs;
import org.operon.toolkit.replay.ReplaySetup;
import org.operon.toolkit.replay.ReplayedAction;
import org.operon.toolkit.replay.RuleSets;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code operon diff}: replays the same recorded events through two rule sets (each the packaged rules
 * plus a rules directory) and reports, grouped by rule with counts, which actions appear, disappear or
 * change ({@link ActionDiff}): "what would this change have done last week?". The report goes to
 * standard output, progress to standard error. Exit code 0 whether or not the rule sets differ; 2 when
 * it cannot run ({@link ExitCode}).
 */
public final class DiffCommand {
    public static final String USAGE = """
            Usage: operon diff --events FILE|DIR [--events ...] [--rules-a DIR] --rules-b DIR [--reference DIR]
                               [--tail DURATION | --until TIME] [--limit N]

            Replays the same recorded events through two rule sets, each the packaged rules plus a rules
            directory (A without --rules-a: the packaged rules alone), and reports the actions that
            appear, disappear or change (same type, subject, target and time, but another status, reason,
            event ids or rule), grouped by rule, with counts.

              --events, --reference, --tail, --until   as for operon replay
              --limit N   list at most N differences per rule (default 20); the counts are always complete
            """;
    private static final int DEFAULT_LIMIT = 20;

    private final ReplaySetup setup;

    public DiffCommand(ReplaySetup setup) {
        this.setup = setup;
    }

    /** Runs the command with {@link ReplaySetup#DEFAULT}; returns the exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return new DiffCommand(ReplaySetup.DEFAULT).execute(args, out, err);
    }

    /** Runs the command; returns the exit code ({@link ExitCode}). */
    public int execute(String[] args, PrintStream out, PrintStream err) {
        long started = System.nanoTime(); // only to report how long it took
        ReplayInputs inputs;
        Path rulesA;
        Path rulesB;
        int limit = DEFAULT_LIMIT;
        try {
            List<String> options = new ArrayList<>(ReplayInputs.OPTIONS);
            options.addAll(List.of("--rules-a", "--rules-b", "--limit"));
            Arguments a = Arguments.parse(args, Set.copyOf(options), Set.of("--help", "-h"));
            if (a.has("--help") || a.has("-h")) {
                out.print(USAGE);
                return ExitCode.OK;
            }
            if (!a.positional().isEmpty()) {
                throw new UsageException("unexpected argument '" + a.positional().get(0) + "'");
            }
            inputs = ReplayInputs.from(a);
            rulesA = ReplayInputs.directory(a, "--rules-a");
            rulesB = ReplayInputs.directory(a, "--rules-b");
            if (rulesB == null) {
                throw new UsageException("--rules-b DIR is required: the rules to compare with A");
            }
            if (a.has("--limit")) {
                try {
                    limit = Integer.parseInt(a.one("--limit"));
                } catch (NumberFormatException e) {
                    limit = -1;
                }
                if (limit < 0) {
                    throw new UsageException("--limit must be a whole number, 0 or more");
                }
            }
        } catch (UsageException e) {
            err.println("operon diff: " + e.getMessage());
            err.println();
            err.print(USAGE);
            return ExitCode.CANNOT_RUN;
        }

        try {
            CompiledRules a = compile(rulesA);
            CompiledRules b = compile(rulesB);
            List<Event> events = org.operon.toolkit.replay.EventSources.readAll(inputs.events());
            err.println("operon diff: read " + events.size() + " events" + ReplayInputs.span(events));
            List<ReplayedAction> before = setup.replay(a, inputs.reference()).run(events, inputs.tailAfter(events));
            List<ReplayedAction> after = setup.replay(b, inputs.reference()).run(events, inputs.tailAfter(events));
            ActionDiff diff = ActionDiff.of(before, after);
            out.print(report(diff, events, name(rulesA), before.size(), name(rulesB), after.size(), origins(a, b), limit));
            err.printf(Locale.ROOT, "operon diff: took %.1f s%n", (System.nanoTime() - started) / 1e9);
            return ExitCode.OK;
        } catch (RulesInvalid e) {
            err.println("operon diff: " + e.getMessage());
            return ExitCode.CANNOT_RUN;
        } catch (EventSourceException e) {
            err.println("operon diff: " + e.getMessage());
            return ExitCode.CANNOT_RUN;
        } catch (SessionFactsInvalidException e) {
            err.println("operon diff: the session facts cannot be read: " + e.getMessage());
            return ExitCode.CANNOT_RUN;
        } catch (IllegalArgumentException e) {
            err.println("operon diff: " + e.getMessage());
            return ExitCode.CANNOT_RUN;
        }
    }

    /**
     * The report: a header with the counts, then per rule (sorted by name, with the file it comes from)
     * its counts and up to {@code limit} differences, one per line: {@code +} appeared, {@code -}
     * disappeared, {@code ~} changed (with what changed).
     */
    static String report(ActionDiff diff, List<Event> events, String nameA, int actionsA, String nameB, int actionsB,
                         Map<String, String> origins, int limit) {
        StringBuilder s = new StringBuilder();
        s.append("Backtest of ").append(events.size()).append(" events").append(ReplayInputs.span(events)).append('\n');
        s.append("  A: ").append(nameA).append(": ").append(actionsA).append(" actions\n");
        s.append("  B: ").append(nameB).append(": ").append(actionsB).append(" actions\n");
        s.append("  ").append(diff.count(ActionDiff.Kind.APPEARED)).append(" appeared, ")
                .append(diff.count(ActionDiff.Kind.DISAPPEARED)).append(" disappeared, ")
                .append(diff.count(ActionDiff.Kind.CHANGED)).append(" changed, ")
                .append(diff.unchanged()).append(" unchanged\n");
        if (diff.changes().isEmpty()) {
            return s.append("\nNo differences.\n").toString();
        }
        for (Map.Entry<String, List<ActionDiff.Change>> rule : diff.byRule().entrySet()) {
            List<ActionDiff.Change> changes = rule.getValue();
            s.append('\n').append("rule \"").append(rule.getKey()).append("\" (")
                    .append(origins.getOrDefault(rule.getKey(), "?")).append("): ");
            List<String> counts = new ArrayList<>();
            for (ActionDiff.Kind kind : ActionDiff.Kind.values()) {
                long n = changes.stream().filter(c -> c.kind() == kind).count();
                if (n > 0) {
                    counts.add(n + " " + kind.name().toLowerCase(Locale.ROOT));
                }
            }
            s.append(String.join(", ", counts)).append('\n');
            for (int i = 0; i < Math.min(limit, changes.size()); i++) {
                s.append("  ").append(line(changes.get(i))).append('\n');
            }
            if (changes.size() > limit) {
                s.append("  ... and ").append(changes.size() - limit).append(" more\n");
            }
        }
        return s.toString();
    }

    private static String line(ActionDiff.Change c) {
        ReplayedAction a = c.action();
        StringBuilder s = new StringBuilder();
        s.append(switch (c.kind()) {
            case APPEARED -> "+ ";
            case DISAPPEARED -> "- ";
            case CHANGED -> "~ ";
        });
        s.append(Instant.ofEpochMilli(a.time())).append(' ').append(a.type()).append(' ').append(a.subject())
                .append(" -> ").append(a.target());
        if (c.kind() != ActionDiff.Kind.CHANGED) {
            s.append(' ').append(a.status());
            if (a.reason() != null) {
                s.append(" (").append(a.reason()).append(')');
            }
            return s.toString();
        }
        ReplayedAction before = c.before();
        List<String> what = new ArrayList<>();
        if (!before.status().equals(a.status()) || !java.util.Objects.equals(before.reason(), a.reason())) {
            what.add("status " + status(before) + " -> " + status(a));
        }
        if (!before.decision().getEventIds().equals(a.decision().getEventIds())) {
            what.add("eventIds " + before.decision().getEventIds() + " -> " + a.decision().getEventIds());
        }
        if (!before.rule().equals(a.rule())) {
            what.add("rule \"" + before.rule() + "\" -> \"" + a.rule() + "\"");
        }
        return s.append(": ").append(String.join("; ", what)).toString();
    }

    private static String status(ReplayedAction a) {
        return a.reason() == null ? a.status() : a.status() + " (" + a.reason() + ")";
    }

    /** Where each rule name comes from: "packaged" or its file; B's answer wins for names in both. */
    private static Map<String, String> origins(CompiledRules a, CompiledRules b) {
        Map<String, String> out = new HashMap<>();
        for (CompiledRules rules : List.of(a, b)) {
            for (RuleInfo r : rules.rules()) {
                out.put(r.name(), r.origin());
            }
        }
        return out;
    }

    private static String name(Path rules) {
        return rules == null ? "packaged rules" : "packaged rules + " + rules;
    }

    private static CompiledRules compile(Path dir) throws RulesInvalid {
        try {
            return RuleSets.load(dir);
        } catch (RulesInvalidException e) {
            throw new RulesInvalid("the rules in " + dir + " do not compile:\n" + RuleSets.describe(dir, e));
        }
    }

    /** Rules that do not compile, worded for the user. */
    private static final class RulesInvalid extends Exception {
        RulesInvalid(String message) {
            super(message, null, false, false);
        }
    }
}
