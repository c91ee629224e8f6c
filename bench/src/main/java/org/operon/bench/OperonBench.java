package org.operon.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.kie.api.KieBase;
import org.operon.engine.DecisionListener;
import org.operon.engine.RuleSource;
import org.operon.engine.session.CompiledRules;
import org.operon.engine.session.RuleSession;
import org.operon.engine.session.RulesCompiler;
import org.operon.model.Event;
import org.operon.state.FileEventJournal;
import org.operon.state.JournalOptions;
import org.operon.toolkit.replay.EventSources;
import org.operon.toolkit.replay.Replay;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The benchmark harness of issue 7: each workload measured against a baseline in the same JVM and
 * the same run, reported as figures and a ratio, checked against the target ratio.
 *
 * <pre>
 *   ./mvnw -q -pl bench -am package -DskipTests
 *   java -Xms3g -Xmx3g -jar bench/target/operon-bench.jar all     (or: engine windowed memory rule-scale replay)
 * </pre>
 * Options: {@code --events=N} (engine, windowed, rule-scale, replay; default 1,000,000: events 1 ms apart
 * of session time, so that most of a run is the steady state in which events expire),
 * {@code --subjects=K} (default 1,000), {@code --rounds=R} (best of R, default 3, after
 * {@code --warmup-rounds=W} rounds not counted, default 1),
 * {@code --memory-seconds=S} (default 90), {@code --rows=10,1000,10000}, {@code --out=FILE}
 * (default bench/results/latest.json, run from the repository root; entries of workloads not run are kept).
 *
 * <p>The baseline is always raw Drools: an executable-model kbase of the Event declaration and one
 * trivial one-constraint rule ({@link RuleFormulationBench#BASELINE}), opened through the same
 * {@link RuleSession} and fed the same events in the same batches of 1,000. Events are generated
 * before timing ({@link BenchWorkload}: arrival 1 ms apart, so the pseudo clock moves with them).
 * No wall-clock assertion anywhere: a target missed is reported, not thrown.
 */
public final class OperonBench {

    private static final long T0 = 1_740_830_400_000L; // 2025-03-01T12:00:00Z
    private static final int BATCH = 1_000;
    private static final List<String> ALL = List.of("engine", "windowed", "memory", "rule-scale", "replay",
            "http", "kafka");
    /** Against peers (issue 7), not part of {@code all}: {@code peers} runs both. */
    private static final List<String> PEERS = List.of("peer-alertmanager", "peer-esper");

    /** Windowed count: 3 or more critical events per subject within 1 minute make one decision. */
    static final String WINDOWED_HEADER = """
            package org.operon.bench.rules;

            import java.util.List;
            import org.operon.model.Decision;
            import org.operon.model.Event;
            import org.operon.model.Severity;
            import org.operon.bench.WindowCount;

            declare Event
                @role(event)
                @timestamp(arrivalTime)
                @expires(1m)
            end
            """;

    static final String WINDOWED_BASELINE = WINDOWED_HEADER + """
            rule "baseline: one constraint"
            when
                Event(severity == Severity.CRITICAL)
            then
            end
            """;

    /**
     * The event first, the one registry fact second (as the packaged critical-burst rule; see its comment
     * on Drools' expiry walk): each critical event is joined with one fact and counted in Java.
     */
    static final String WINDOWED_COUNT = WINDOWED_HEADER + """
            import org.operon.bench.WindowCounts;

            rule "windowed count: track the subjects"
                salience 1001
            when
                not WindowCounts()
            then
                insert(new WindowCounts());
            end

            rule "windowed count: 3 critical within 1 minute"
            when
                $event : Event(severity == Severity.CRITICAL)
                $counts : WindowCounts()
            then
                if ($counts.record($event)) {
                    channels["decisions"].send(Decision.of("windowed-count", $event.getSubject(), drools.getRule().getName(),
                            List.of($event.getId())).withParam("count", 3).withParam("window", "1m"));
                }
            end
            """;

    /** The formulation measured before (issue 7's first run): a WindowCount fact per subject, joined by subject. */
    static final String WINDOWED_COUNT_PER_SUBJECT = WINDOWED_HEADER + """
            rule "windowed count: track the subject"
            when
                Event(severity == Severity.CRITICAL, $subject : subject)
                not WindowCount(subject == $subject)
            then
                insert(new WindowCount($subject));
            end

            rule "windowed count: 3 critical within 1 minute"
            when
                $event : Event(severity == Severity.CRITICAL, $subject : subject)
                $count : WindowCount(subject == $subject)
            then
                if ($count.record($event.getSeq(), $event.getArrivalTime())) {
                    channels["decisions"].send(Decision.of("windowed-count", $subject, drools.getRule().getName(),
                            List.of($event.getId())).withParam("count", 3).withParam("window", "1m"));
                }
            end
            """;

    private final Map<String, String> options;
    private final int events;
    private final int subjects;
    private final int rounds;
    /** Rounds run first and not counted, so that the best of {@link #rounds} compares JIT-compiled code. */
    private final int warmupRounds;

    private OperonBench(Map<String, String> options) {
        this.options = options;
        this.events = intOption("events", 1_000_000);
        this.subjects = intOption("subjects", 1_000);
        this.rounds = intOption("rounds", 3);
        this.warmupRounds = intOption("warmup-rounds", 1);
    }

    public static void main(String[] args) throws Exception {
        // Drools and the journal log at INFO for every kbase and journal opened; keep the output readable.
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        Map<String, String> options = new LinkedHashMap<>();
        List<String> workloads = new ArrayList<>();
        for (String a : args) {
            if (a.startsWith("--")) {
                int eq = a.indexOf('=');
                options.put(eq < 0 ? a.substring(2) : a.substring(2, eq), eq < 0 ? "true" : a.substring(eq + 1));
            } else if (a.equals("all")) {
                workloads.addAll(ALL);
            } else if (ALL.contains(a) || PEERS.contains(a)) {
                workloads.add(a);
            } else if (a.equals("peers")) {
                workloads.addAll(PEERS);
            } else {
                System.err.println("unknown workload " + a + "; one or more of: all " + String.join(" ", ALL) + " peers "
                        + String.join(" ", PEERS));
                System.exit(2);
            }
        }
        if (workloads.isEmpty()) {
            System.err.println("usage: java -Xmx3g -jar bench/target/operon-bench.jar all | " + String.join(" ", ALL)
                    + " | peers | " + String.join(" | ", PEERS)
                    + " [--events=N] [--subjects=K] [--rounds=R] [--warmup-rounds=W] [--memory-seconds=S] [--rows=10,1000,10000] [--out=FILE]");
            System.exit(2);
        }
        new OperonBench(options).run(workloads);
    }

    private void run(List<String> workloads) throws Exception {
        Path out = Path.of(options.getOrDefault("out",
                Files.isDirectory(Path.of("bench")) ? "bench/results/latest.json" : "results/latest.json"));
        String machine = String.format(Locale.ROOT, "JDK %s, %d cores, max heap %d MiB, %s %s", Runtime.version(),
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20,
                System.getProperty("os.name"), System.getProperty("os.arch"));
        System.out.printf(Locale.ROOT, "operon-bench %s: %,d events, %,d subjects, best of %d rounds after %d not counted; %s%n",
                workloads, events, subjects, rounds, warmupRounds, machine);
        if (Runtime.getRuntime().maxMemory() < 2L << 30) {
            System.out.println("warning: less than 2 GiB heap; run with -Xmx3g");
        }

        Map<String, ObjectNode> entries = new LinkedHashMap<>();
        for (String w : workloads) {
            System.out.printf("%n== %s%n", w);
            ObjectNode entry = switch (w) {
                case "engine" -> engine();
                case "windowed" -> windowed();
                case "memory" -> memory();
                case "rule-scale" -> ruleScale();
                case "replay" -> replay();
                case "http" -> new HttpBench(options, subjects).run(packRate());
                case "kafka" -> new KafkaBench(options, subjects).run(packRate());
                case "peer-alertmanager" -> new AlertsBench(options, subjects).run();
                case "peer-esper" -> new EsperBench(options, subjects).run();
                default -> throw new IllegalArgumentException(w);
            };
            entries.put(w, entry);
        }

        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = Files.exists(out) ? (ObjectNode) json.readTree(out.toFile()) : json.createObjectNode();
        ObjectNode all = root.has("workloads") ? (ObjectNode) root.get("workloads") : root.putObject("workloads");
        for (Map.Entry<String, ObjectNode> e : entries.entrySet()) {
            e.getValue().put("measuredAt", Instant.now().toString()).put("machine", machine);
            all.set(e.getKey(), e.getValue());
        }
        root.put("command", "./mvnw -q -pl bench -am package -DskipTests && java -Xms3g -Xmx3g -jar bench/target/operon-bench.jar all");
        Files.createDirectories(out.toAbsolutePath().getParent());
        json.writeValue(out.toFile(), root);

        System.out.printf("%nSummary (ratio = workload rate / its baseline's, higher is better)%n");
        System.out.printf(Locale.ROOT, "%-12s %-58s %-34s %s%n", "workload", "figures", "ratio vs target", "result");
        for (Map.Entry<String, ObjectNode> e : entries.entrySet()) {
            ObjectNode n = e.getValue();
            System.out.printf(Locale.ROOT, "%-12s %-58s %-34s %s%n", e.getKey(), n.path("summary").asText(),
                    n.path("ratioSummary").asText(), n.path("pass").asBoolean() ? "PASS" : "MISS");
        }
        System.out.println("written " + out);
    }

    // ---------------------------------------------------------------- workloads

    /** 1. The packaged rule pack (openPackaged) against the trivial rule, same events. */
    private ObjectNode engine() {
        KieBase baseline = RuleFormulationBench.build("baseline", RuleFormulationBench.BASELINE);
        List<List<Event>> batches = generate(events, subjects);
        Rates r = compare(batches, ordered(
                "baseline", l -> RuleSession.open(baseline, T0, l),
                "pack", l -> RuleSession.openPackaged(T0, l)));
        double ratio = r.rate("pack") / r.rate("baseline");
        return entry(r, "pack", "baseline", ratio, 0.5,
                "packaged rule pack (RuleSession.openPackaged) vs one trivial rule, " + events + " events");
    }

    /** 2. 3+ critical events per subject within 1 minute make a decision, K subjects. */
    private ObjectNode windowed() {
        KieBase baseline = RuleFormulationBench.build("windowed-baseline", WINDOWED_BASELINE);
        KieBase windowed = RuleFormulationBench.build("windowed", WINDOWED_COUNT);
        List<List<Event>> batches = generate(events, subjects);
        Map<String, Function<DecisionListener, RuleSession>> runs = ordered(
                "baseline", l -> RuleSession.open(baseline, T0, l),
                "windowed", l -> RuleSession.open(windowed, T0, l));
        if (options.containsKey("windowed-per-subject")) {
            KieBase perSubject = RuleFormulationBench.build("windowed-per-subject", WINDOWED_COUNT_PER_SUBJECT);
            runs.put("windowed (per-subject facts)", l -> RuleSession.open(perSubject, T0, l));
        }
        Rates r = compare(batches, runs);
        double ratio = r.rate("windowed") / r.rate("baseline");
        return entry(r, "windowed", "baseline", ratio, 0.7,
                "3+ critical per subject within 1m -> decision, " + subjects + " subjects, " + events + " events");
    }

    /**
     * 5. As many events as fit in the time budget through the packaged pack, the pseudo clock moving
     * 1 ms per event; live heap after a full GC sampled periodically; then the trivial rule on as many.
     */
    private ObjectNode memory() {
        int seconds = intOption("memory-seconds", 90);
        int sampleEvery = intOption("memory-sample", 500_000);
        KieBase baseline = RuleFormulationBench.build("baseline", RuleFormulationBench.BASELINE);
        MemoryRun pack = memoryRun("pack", l -> RuleSession.openPackaged(T0, l), Long.MAX_VALUE,
                seconds * 1_000_000_000L, sampleEvery);
        MemoryRun base = memoryRun("baseline", l -> RuleSession.open(baseline, T0, l), pack.events, Long.MAX_VALUE,
                sampleEvery);
        ObjectNode n = new ObjectMapper().createObjectNode();
        n.put("description", "packaged pack for ~" + seconds + " s of events (1 ms apart, 5-minute windows, 5-minute "
                + "expiry, 10-minute duplicate horizon), live heap after GC every " + sampleEvery + " events; baseline: trivial rule, same events");
        ObjectNode figures = n.putObject("figures");
        for (MemoryRun m : List.of(pack, base)) {
            ObjectNode f = figures.putObject(m.name);
            f.put("events", m.events).put("eventsPerSecond", Math.round(m.rate))
                    .put("plateauMiB", round1(m.plateau)).put("secondHalfSlopeMiBPerMillion", round1(m.slope))
                    .put("secondHalfGrowthMiB", round1(m.growth)).put("maxLiveMiB", round1(m.max));
            ArrayNode samples = f.putArray("samples");
            for (double[] s : m.samples) {
                samples.addArray().add((long) s[0]).add(round1(s[1]));
            }
        }
        double noise = Math.max(16, 0.05 * pack.plateau);
        boolean flat = pack.growth <= noise;
        boolean small = pack.max <= 256;
        double ratio = pack.plateau / base.plateau;
        n.put("ratio", round2(ratio)).put("ratioMeaning", "pack plateau / baseline plateau (live heap)");
        n.put("target", "second-half growth within noise (<= max(16 MiB, 5% of plateau)) and live heap <= 256 MiB");
        n.put("pass", flat && small);
        n.put("summary", String.format(Locale.ROOT, "%,d events, plateau %.0f MiB (baseline %.0f), growth %.1f MiB over 2nd half",
                pack.events, pack.plateau, base.plateau, pack.growth));
        n.put("ratioSummary", String.format(Locale.ROOT, "flat %s, max %.0f MiB <= 256 %s", flat ? "yes" : "no",
                pack.max, small ? "yes" : "no"));
        return n;
    }

    /**
     * 6. A routing-like decision table (critical events by Subject -> team) of 10, 1,000 and 10,000 rows,
     * generated as CSV and compiled at run time by {@link RulesCompiler} next to the packaged rules,
     * as a user's table is; compile time and events/s, the trivial rule as baseline.
     */
    private ObjectNode ruleScale() throws Exception {
        List<Integer> sizes = new ArrayList<>();
        for (String s : options.getOrDefault("rows", "10,1000,10000").split(",")) {
            sizes.add(Integer.parseInt(s.trim().replace("_", "")));
        }
        KieBase baseline = RuleFormulationBench.build("baseline", RuleFormulationBench.BASELINE);
        Map<String, Function<DecisionListener, RuleSession>> runs = new LinkedHashMap<>();
        runs.put("baseline", l -> RuleSession.open(baseline, T0, l));
        runs.put("pack", l -> RuleSession.openPackaged(T0, l));
        Map<Integer, Double> compileSeconds = new LinkedHashMap<>();
        for (int rows : sizes) {
            long start = System.nanoTime();
            CompiledRules rules = RulesCompiler.compile(List.of(new RuleSource("bench-routing.drl.csv", routingTable(rows))));
            double s = (System.nanoTime() - start) / 1e9;
            compileSeconds.put(rows, s);
            System.out.printf(Locale.ROOT, "  compiled a %,d-row table in %.2f s%n", rows, s);
            runs.put("pack+" + rows + " rows", l -> rules.open(T0, l));
        }
        List<List<Event>> batches = generate(events, subjects);
        Rates r = compare(batches, runs);
        int smallest = sizes.get(0);
        int largest = sizes.get(sizes.size() - 1);
        double ratio = r.rate("pack+" + largest + " rows") / r.rate("pack+" + smallest + " rows");
        ObjectNode n = entry(r, "pack+" + largest + " rows", "pack+" + smallest + " rows", ratio, 0.5,
                "routing-like CSV table (subject x severity -> team decision) compiled by RulesCompiler next to "
                        + "the pack; rows match host-0.. (" + subjects + " subjects in the events)");
        ObjectNode compile = ((ObjectNode) n.get("figures")).putObject("compileSeconds");
        compileSeconds.forEach((rows, s) -> compile.put(String.valueOf(rows), round2(s)));
        boolean compiledInTime = compileSeconds.get(largest) <= 30;
        n.put("target", "largest table compiles in <= 30 s and its events/s >= 0.5x the smallest's");
        n.put("pass", n.get("pass").asBoolean() && compiledInTime);
        n.put("ratioSummary", n.get("ratioSummary").asText() + String.format(Locale.ROOT, "; compile %.1f s <= 30 %s",
                compileSeconds.get(largest), compiledInTime ? "yes" : "no"));
        return n;
    }

    /**
     * 7. Replay (toolkit) of a journal written by the real {@link FileEventJournal}, JSON parsing
     * included, against the packaged pack fed the same (already parsed) events in process. The ratio is
     * the streamed replay's, the way {@code operon replay} reads its sources.
     */
    private ObjectNode replay() throws Exception {
        Path dir = Files.createTempDirectory("operon-bench-journal");
        try {
            writeJournal(dir, generate(events, subjects));
            long bytes;
            try (Stream<Path> files = Files.list(dir)) {
                bytes = files.mapToLong(p -> p.toFile().length()).sum();
            }
            List<Event> read = EventSources.read(dir);
            List<List<Event>> batches = new ArrayList<>();
            for (int i = 0; i < read.size(); i += BATCH) {
                batches.add(read.subList(i, Math.min(read.size(), i + BATCH)));
            }
            KieBase baseline = RuleFormulationBench.build("baseline", RuleFormulationBench.BASELINE);
            Replay replay = Replay.builder().build();
            Map<String, Double> best = new LinkedHashMap<>();
            Map<String, Long> outcomes = new LinkedHashMap<>();
            for (int round = 1 - warmupRounds; round <= rounds; round++) {
                if (round < 1) {
                    System.out.println("  warm-up round (not counted)");
                    timed("baseline", batches, l -> RuleSession.open(baseline, T0, l));
                    timed("in-process pack", batches, l -> RuleSession.openPackaged(T0, l));
                    replay.run(EventSources.read(dir), Duration.ZERO, a -> { });
                    continue;
                }
                System.out.printf("  round %d%n", round);
                best.merge("baseline", timed("baseline", batches, l -> RuleSession.open(baseline, T0, l)).rate, Math::max);
                Timed in = timed("in-process pack", batches, l -> RuleSession.openPackaged(T0, l));
                best.merge("in-process pack", in.rate, Math::max);
                outcomes.put("in-process pack", in.decisions);

                fullGc();
                long start = System.nanoTime();
                List<Event> parsed = EventSources.read(dir);
                long parsedAt = System.nanoTime();
                AtomicLong actions = new AtomicLong();
                Replay.Summary summary = replay.run(parsed, Duration.ZERO, a -> actions.incrementAndGet());
                long end = System.nanoTime();
                double withParse = summary.events() / ((end - start) / 1e9);
                double runOnly = summary.events() / ((end - parsedAt) / 1e9);
                System.out.printf(Locale.ROOT, "    %-26s %,10.0f events/s (%,.0f without parsing %,d bytes), %,d actions%n",
                        "replay", withParse, runOnly, bytes, actions.get());
                best.merge("replay (parse + run)", withParse, Math::max);
                best.merge("replay (run only)", runOnly, Math::max);
                outcomes.put("replay (parse + run)", actions.get());

                // The same with parsing overlapping the replay (EventSources.stream: chunks parsed ahead on worker threads).
                parsed = null;
                fullGc();
                AtomicLong streamedActions = new AtomicLong();
                long streamStart = System.nanoTime();
                Replay.Summary streamed;
                try (EventSources.EventStream stream = EventSources.stream(dir)) {
                    streamed = replay.run(stream, Duration.ZERO, a -> streamedActions.incrementAndGet());
                }
                double streamedRate = streamed.events() / ((System.nanoTime() - streamStart) / 1e9);
                System.out.printf(Locale.ROOT, "    %-26s %,10.0f events/s, %,d actions%n", "replay (streamed)",
                        streamedRate, streamedActions.get());
                best.merge("replay (streamed)", streamedRate, Math::max);
                outcomes.put("replay (streamed)", streamedActions.get());
            }
            Rates r = new Rates(best, outcomes);
            // The ratio is of the path `operon replay` takes (ReplayCommand streams its sources); reading everything
            // first (parse + run) is reported beside it.
            double ratio = r.rate("replay (streamed)") / r.rate("in-process pack");
            ObjectNode n = entry(r, "replay (streamed)", "in-process pack", ratio, 0.8,
                    "Replay of a " + read.size() + "-event journal (" + (bytes >> 20) + " MiB, FileEventJournal) incl. "
                            + "JSON parsing, streamed as operon replay reads it (parse + run: read everything first), vs "
                            + "RuleSession.openPackaged on the same parsed events");
            n.put("journalBytes", bytes);
            return n;
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private Double packRate;

    /**
     * 3 and 4 (http, kafka) compare with the pack in process: best of {@link #rounds} of the engine
     * workload's pack run, measured once per invocation.
     */
    private double packRate() {
        if (packRate == null) {
            System.out.println("  the pack in process (the engine workload's run):");
            List<List<Event>> batches = generate(events, subjects);
            double best = 0;
            for (int round = 1 - warmupRounds; round <= rounds; round++) {
                double rate = timed(round < 1 ? "pack (warm-up)" : "pack", batches, l -> RuleSession.openPackaged(T0, l)).rate;
                best = round < 1 ? best : Math.max(best, rate);
            }
            packRate = best;
        }
        return packRate;
    }

    // ---------------------------------------------------------------- measuring

    private record Timed(double rate, long decisions) {
    }

    private record Rates(Map<String, Double> best, Map<String, Long> decisions) {
        double rate(String name) {
            return best.get(name);
        }
    }

    /** Best of {@link #rounds} rounds of each run, interleaved so that load from elsewhere spreads over all. */
    private Rates compare(List<List<Event>> batches, Map<String, Function<DecisionListener, RuleSession>> runs) {
        Map<String, Double> best = new LinkedHashMap<>();
        Map<String, Long> decisions = new LinkedHashMap<>();
        for (int round = 1 - warmupRounds; round <= rounds; round++) {
            System.out.println(round < 1 ? "  warm-up round (not counted)" : "  round " + round);
            for (Map.Entry<String, Function<DecisionListener, RuleSession>> e : runs.entrySet()) {
                Timed t = timed(e.getKey(), batches, e.getValue());
                if (round < 1) {
                    continue;
                }
                best.merge(e.getKey(), t.rate, Math::max);
                decisions.put(e.getKey(), t.decisions);
            }
        }
        return new Rates(best, decisions);
    }

    private static Map<String, Function<DecisionListener, RuleSession>> ordered(
            String name1, Function<DecisionListener, RuleSession> run1,
            String name2, Function<DecisionListener, RuleSession> run2) {
        Map<String, Function<DecisionListener, RuleSession>> runs = new LinkedHashMap<>();
        runs.put(name1, run1);
        runs.put(name2, run2);
        return runs;
    }

    private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();

    private static Timed timed(String name, List<List<Event>> batches, Function<DecisionListener, RuleSession> opener) {
        fullGc();
        long[] decisions = {0};
        long n = 0;
        long nanos;
        long cpuNanos;
        try (RuleSession session = opener.apply(d -> decisions[0]++)) {
            long cpuStart = THREADS.getCurrentThreadCpuTime();
            long start = System.nanoTime();
            for (List<Event> batch : batches) {
                session.process(batch);
                n += batch.size();
            }
            nanos = System.nanoTime() - start;
            cpuNanos = THREADS.getCurrentThreadCpuTime() - cpuStart;
        }
        double rate = n / (nanos / 1e9);
        // The CPU time of the thread that ran the session (GC threads not included): less sensitive
        // than wall time to load from elsewhere on a shared machine.
        System.out.printf(Locale.ROOT, "    %-26s %,10.0f events/s (%,d events in %.2f s, %,d decisions; %.2f µs CPU per event)%n",
                name, rate, n, nanos / 1e9, decisions[0], cpuNanos / 1e3 / n);
        return new Timed(rate, decisions[0]);
    }

    private static final class MemoryRun {
        final String name;
        final List<double[]> samples = new ArrayList<>();
        long events;
        double rate;
        double plateau;
        double slope;
        double growth;
        double max;

        MemoryRun(String name) {
            this.name = name;
        }
    }

    /** Runs until {@code maxEvents} or {@code budgetNanos} of processing, sampling the live heap. */
    private MemoryRun memoryRun(String name, Function<DecisionListener, RuleSession> opener, long maxEvents,
                                long budgetNanos, int sampleEvery) {
        MemoryRun m = new MemoryRun(name);
        BenchWorkload workload = new BenchWorkload(T0, subjects);
        fullGc();
        long processing = 0;
        try (RuleSession session = opener.apply(d -> { })) {
            long nextSample = sampleEvery;
            while (m.events < maxEvents && processing < budgetNanos) {
                int size = (int) Math.min(BATCH, maxEvents - m.events);
                List<Event> batch = workload.nextBatch(size);
                long start = System.nanoTime();
                session.process(batch);
                processing += System.nanoTime() - start;
                m.events += size;
                if (m.events >= nextSample) {
                    double live = fullGc() / 1048576.0;
                    m.samples.add(new double[] {m.events, live});
                    System.out.printf(Locale.ROOT, "    %-10s %,12d events  live heap %6.0f MiB  %,d facts%n", name,
                            m.events, live, session.factCount());
                    nextSample += sampleEvery;
                    if (live > 0.75 * Runtime.getRuntime().maxMemory() / 1048576.0) {
                        // The trivial rule keeps every event (kie-drools#6361): stop before it runs out of heap.
                        System.out.printf(Locale.ROOT, "    %-10s stopped at %,d events: live heap past 75%% of the max heap%n",
                                name, m.events);
                        break;
                    }
                }
            }
        }
        m.rate = m.events / (processing / 1e9);
        List<double[]> second = m.samples.subList(m.samples.size() / 2, m.samples.size());
        m.plateau = second.stream().mapToDouble(s -> s[1]).average().orElse(Double.NaN);
        m.max = m.samples.stream().mapToDouble(s -> s[1]).max().orElse(Double.NaN);
        if (second.size() >= 2) {
            double mx = second.stream().mapToDouble(s -> s[0]).average().orElseThrow();
            double sxy = 0;
            double sxx = 0;
            for (double[] s : second) {
                sxy += (s[0] - mx) * (s[1] - m.plateau);
                sxx += (s[0] - mx) * (s[0] - mx);
            }
            double perEvent = sxy / sxx;
            m.slope = perEvent * 1e6;
            m.growth = perEvent * (second.get(second.size() - 1)[0] - second.get(0)[0]);
        }
        System.out.printf(Locale.ROOT, "    %-10s %,d events at %,.0f events/s (GC for samples excluded); plateau %.0f MiB, "
                + "2nd-half slope %.2f MiB per million events%n", name, m.events, m.rate, m.plateau, m.slope);
        return m;
    }

    // ---------------------------------------------------------------- inputs

    private static List<List<Event>> generate(int events, int subjects) {
        BenchWorkload workload = new BenchWorkload(T0, subjects);
        List<List<Event>> batches = new ArrayList<>();
        for (int done = 0; done < events; done += BATCH) {
            batches.add(workload.nextBatch(Math.min(BATCH, events - done)));
        }
        return batches;
    }

    /**
     * The routing-like table: row i routes critical events of subject host-i to team-(i mod 50) with a
     * decision, the way routing-overrides.drl.csv routes by alertname.
     */
    static byte[] routingTable(int rows) {
        StringBuilder csv = new StringBuilder();
        csv.append("\"RuleSet\",\"org.operon.bench.routing\"\n");
        csv.append("\"Import\",\"org.operon.model.Event, org.operon.model.Decision, org.operon.model.Severity, java.util.List\"\n");
        csv.append("\"\"\n");
        csv.append("\"RuleTable Bench routing\"\n");
        csv.append("\"CONDITION\",\"ACTION\"\n");
        csv.append("\"e : Event\",\"\"\n");
        csv.append("\"severity == Severity.CRITICAL, subject == \"\"$param\"\"\",")
                .append("\"channels[\"\"decisions\"\"].send(Decision.of(\"\"route\"\", e.getSubject(), drools.getRule().getName(), ")
                .append("List.of(e.getId())).withParam(\"\"team\"\", \"\"$param\"\"));\"\n");
        csv.append("\"Subject (critical events)\",\"Team\"\n");
        for (int i = 0; i < rows; i++) {
            csv.append("\"host-").append(i).append("\",\"team-").append(i % 50).append("\"\n");
        }
        return csv.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Writes the events with the real journal writer, a batch per group, arrival = the batch's first event's. */
    private static void writeJournal(Path dir, List<List<Event>> batches) {
        AtomicLong clock = new AtomicLong(T0);
        try (FileEventJournal journal = FileEventJournal.open(dir, clock::get, JournalOptions.defaults())) {
            for (List<Event> batch : batches) {
                clock.set(batch.get(0).getArrivalTime());
                journal.append(batch).join();
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot write the benchmark journal in " + dir, e);
        }
    }

    // ---------------------------------------------------------------- reporting

    private ObjectNode entry(Rates r, String subject, String base, double ratio, double target, String description) {
        ObjectNode n = new ObjectMapper().createObjectNode();
        n.put("description", description);
        ObjectNode figures = n.putObject("figures");
        ObjectNode rates = figures.putObject("eventsPerSecond");
        r.best().forEach((k, v) -> rates.put(k, Math.round(v)));
        ObjectNode decisions = figures.putObject("decisionsOrActions");
        r.decisions().forEach(decisions::put);
        figures.put("events", events).put("subjects", subjects).put("rounds", rounds).put("warmupRounds", warmupRounds);
        n.put("ratio", round2(ratio));
        n.put("ratioMeaning", subject + " / " + base);
        n.put("targetRatio", target);
        n.put("pass", ratio >= target);
        n.put("summary", String.format(Locale.ROOT, "%s %,.0f/s, %s %,.0f/s", subject, r.rate(subject), base, r.rate(base)));
        n.put("ratioSummary", String.format(Locale.ROOT, "%.2fx (target >= %.1fx)", ratio, target));
        return n;
    }

    private int intOption(String name, int fallback) {
        String v = options.get(name);
        return v == null ? fallback : Integer.parseInt(v.replace("_", ""));
    }

    private static long fullGc() {
        for (int i = 0; i < 2; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static double round1(double v) {
        return Math.round(v * 10) / 10.0;
    }

    private static double round2(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
