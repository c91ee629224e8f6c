package org.operon.toolkit.replay;

import org.operon.engine.RulesInvalidException;
import org.operon.engine.SessionFactsInvalidException;
import org.operon.engine.session.CompiledRules;
import org.operon.model.Event;
import org.operon.toolkit.Arguments;
import org.operon.toolkit.ExitCode;
import org.operon.toolkit.UsageException;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code operon replay}: recorded events through the rules in event time, the decided actions as JSON
 * lines on standard output (the audit log's fields, see {@link ReplayedAction#toJson()}), nothing
 * performed, no data directory touched. Logs and the summary go to standard error. Exit codes: see
 * {@link ExitCode} (0 done, 2 could not run).
 */
public final class ReplayCommand {
    public static final String USAGE = """
            Usage: operon replay --events FILE|DIR [--events FILE|DIR ...] [--rules DIR] [--reference DIR]
                                 [--tail DURATION | --until TIME] [--explain]

            Replays recorded events through the packaged rules (plus the rule files of --rules) in event
            time and writes the actions they decide as JSON lines on standard output, one per action,
            with the audit log's fields. Nothing is performed; no data directory is touched. The same
            input always gives byte-identical output.

              --events FILE|DIR  JSON lines: event journal records, CloudEvents (replayed at their
                                 'time'), Alertmanager webhook payloads or alert lists; or a journal
                                 directory (data/journal). Repeatable; merged by time.
              --rules DIR        a rules directory (*.drl, *.drl.xlsx, *.drl.csv), as operon.rules.dir
              --reference DIR    reference data (services, teams), as operon.reference.dir
              --tail DURATION    after the last event, let the clock run on this long (e.g. 30m) so
                                 that timers fire; default 0s
              --until TIME       or run the clock on to this instant (e.g. 2026-01-05T12:00:00Z)
              --explain          add to each line a field "lineage": the rule (name, file), the facts it
                                 matched and the events behind them, as 'operon explain' shows it
            """;
    private static final Set<String> OPTIONS = Set.of("--events", "--rules", "--reference", "--tail", "--until");
    private static final Set<String> FLAGS = Set.of("--help", "-h", "--explain");

    private final ReplaySetup setup;

    public ReplayCommand(ReplaySetup setup) {
        this.setup = setup;
    }

    /** Runs the command with {@link ReplaySetup#DEFAULT}; returns the exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return new ReplayCommand(ReplaySetup.DEFAULT).execute(args, out, err);
    }

    /** Runs the command; returns the exit code ({@link ExitCode}). */
    public int execute(String[] args, PrintStream out, PrintStream err) {
        long started = System.nanoTime(); // only to report how long the replay took
        Request request;
        try {
            request = Request.parse(args);
        } catch (UsageException e) {
            err.println("operon replay: " + e.getMessage());
            err.println();
            err.print(USAGE);
            return ExitCode.CANNOT_RUN;
        }
        if (request == null) {
            out.print(USAGE);
            return ExitCode.OK;
        }
        try {
            Replay replay = setup.replay(request.loadRules(), request.inputs().reference());
            List<Event> events = EventSources.readAll(request.inputs().events());
            err.println("operon replay: read " + events.size() + " events from " + request.inputs().events().size()
                    + " source(s)" + ReplayInputs.span(events));
            Writer lines = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
            Replay.Summary summary = replay.run(events, request.inputs().tailAfter(events), action -> {
                try {
                    lines.write(action.toJson(request.explain()));
                    lines.write('\n');
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            lines.flush();
            double seconds = (System.nanoTime() - started) / 1e9;
            err.printf(Locale.ROOT, "operon replay: %d actions (%d suppressed), clock ended at %s; took %.1f s%n",
                    summary.actions(), summary.suppressed(),
                    summary.endTime() < 0 ? "-" : Instant.ofEpochMilli(summary.endTime()), seconds);
            return ExitCode.OK;
        } catch (CannotRun e) {
            err.println("operon replay: " + e.getMessage());
            return ExitCode.CANNOT_RUN;
        } catch (EventSourceException e) {
            err.println("operon replay: " + e.getMessage());
            return ExitCode.CANNOT_RUN;
        } catch (SessionFactsInvalidException e) {
            err.println("operon replay: the session facts cannot be read: " + e.getMessage());
            return ExitCode.CANNOT_RUN;
        } catch (IllegalArgumentException e) {
            err.println("operon replay: " + e.getMessage());
            return ExitCode.CANNOT_RUN;
        } catch (IOException | UncheckedIOException e) {
            err.println("operon replay: cannot write the actions: " + e.getMessage());
            return ExitCode.CANNOT_RUN;
        }
    }

    /** A problem that stops the command, already worded for the user. */
    static final class CannotRun extends Exception {
        CannotRun(String message) {
            super(message, null, false, false);
        }
    }

    /** The parsed command line: the shared replay inputs, the rules directory and whether to explain. */
    private record Request(ReplayInputs inputs, Path rules, boolean explain) {

        /** Null when help was asked for. */
        static Request parse(String[] args) throws UsageException {
            Arguments a = Arguments.parse(args, OPTIONS, FLAGS);
            if (a.has("--help") || a.has("-h")) {
                return null;
            }
            if (!a.positional().isEmpty()) {
                throw new UsageException("unexpected argument '" + a.positional().get(0) + "'; give files with --events");
            }
            return new Request(ReplayInputs.from(a), ReplayInputs.directory(a, "--rules"), a.has("--explain"));
        }

        CompiledRules loadRules() throws CannotRun {
            try {
                return RuleSets.load(rules);
            } catch (RulesInvalidException e) {
                throw new CannotRun("the rules in " + rules + " do not compile:\n" + RuleSets.describe(rules, e));
            }
        }
    }
}
