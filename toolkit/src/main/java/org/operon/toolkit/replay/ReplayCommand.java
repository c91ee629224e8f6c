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
import java.util.ArrayList;
import java.util.Iterator;
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

    /** Events per insertion batch, as {@link Replay#run}. */
    private static final int BATCH = 1_000;

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
            Streamed streamed = stream(replay, request);
            Replay.Summary summary;
            Writer lines = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
            if (streamed != null) {
                err.println("operon replay: read " + streamed.summary().events() + " events from "
                        + request.inputs().events().size() + " source(s)" + streamed.span());
                for (String line : streamed.lines()) {
                    lines.write(line);
                    lines.write('\n');
                }
                summary = streamed.summary();
            } else {
                List<Event> events = EventSources.readAll(request.inputs().events());
                err.println("operon replay: read " + events.size() + " events from "
                        + request.inputs().events().size() + " source(s)" + ReplayInputs.span(events));
                summary = replay.run(events, request.inputs().tailAfter(events), action -> {
                    try {
                        lines.write(action.toJson(request.explain()));
                        lines.write('\n');
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            }
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

    /** A replay done while its sources were parsed: the action lines, the summary and the span text. */
    private record Streamed(List<String> lines, Replay.Summary summary, String span) {
    }

    /**
     * Replays the sources while they are parsed ({@link EventSources#stream}), merged by arrival time
     * (ties: earlier source, then file order; the order {@link EventSources#readAll}'s stable sort gives
     * when every source is in arrival order). The action lines are kept until the end. Null, with
     * nothing written, when a source is not in arrival order or has a problem: the caller then reads
     * everything first as before (same output, same error message).
     */
    private static Streamed stream(Replay replay, Request request) {
        List<Path> paths = request.inputs().events();
        List<EventSources.EventStream> streams = new ArrayList<>(paths.size());
        List<String> lines = new ArrayList<>();
        Replay.Run run = null;
        try {
            List<Iterator<Event>> its = new ArrayList<>(paths.size());
            Event[] heads = new Event[paths.size()];
            for (int i = 0; i < paths.size(); i++) {
                EventSources.EventStream s = EventSources.stream(paths.get(i));
                streams.add(s);
                Iterator<Event> it = s.iterator();
                its.add(it);
                heads[i] = it.hasNext() ? it.next() : null;
            }
            List<Event> batch = new ArrayList<>(BATCH);
            long first = -1;
            long last = -1;
            while (true) {
                int pick = -1;
                for (int i = 0; i < heads.length; i++) {
                    if (heads[i] != null && (pick < 0 || heads[i].getArrivalTime() < heads[pick].getArrivalTime())) {
                        pick = i;
                    }
                }
                if (pick < 0) {
                    break;
                }
                Event e = heads[pick];
                Iterator<Event> it = its.get(pick);
                heads[pick] = it.hasNext() ? it.next() : null;
                if (heads[pick] != null && heads[pick].getArrivalTime() < e.getArrivalTime()) {
                    return null; // this source is not in arrival order: sort everything first
                }
                if (run == null) {
                    first = e.getArrivalTime();
                    run = replay.start(first, action -> lines.add(action.toJson(request.explain())));
                }
                last = e.getArrivalTime();
                batch.add(e);
                if (batch.size() == BATCH) {
                    run.process(batch);
                    batch.clear();
                }
            }
            if (run == null) {
                return new Streamed(List.of(), new Replay.Summary(0, 0, 0, -1, -1), "");
            }
            run.process(batch);
            Instant until = request.inputs().until();
            long tail = until == null ? request.inputs().tail().toMillis() : Math.max(0, until.toEpochMilli() - last);
            run.advanceTo(run.lastArrival() + tail);
            return new Streamed(lines, run.summary(),
                    ", " + Instant.ofEpochMilli(first) + " .. " + Instant.ofEpochMilli(last));
        } catch (EventSources.EventStream.Failure e) {
            return null; // read again to report it as before, in source order
        } finally {
            if (run != null) {
                run.close();
            }
            streams.forEach(EventSources.EventStream::close);
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
