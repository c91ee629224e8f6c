package org.operon.bench;

import org.drools.model.codegen.ExecutableModelProject;
import org.kie.api.KieBase;
import org.kie.api.KieServices;
import org.kie.api.builder.KieBuilder;
import org.kie.api.builder.KieFileSystem;
import org.kie.api.builder.Message;
import org.kie.api.builder.ReleaseId;
import org.kie.api.builder.model.KieModuleModel;
import org.kie.api.conf.EqualityBehaviorOption;
import org.kie.api.conf.EventProcessingOption;
import org.operon.engine.DecisionListener;
import org.operon.engine.session.RuleSession;
import org.operon.model.Event;

import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Measures how fast the rules decide, and how the way a rule is written changes that.
 *
 * <p>Run it with
 * <pre>
 *   ./mvnw -q install -pl engine,rules-kjar     (once, or after changing them)
 *   ./mvnw -q install -pl bench
 *   ./mvnw -q exec:exec -pl bench                (add -Dbench.events=100000 for a quick look)
 * </pre>
 * It forks a JVM with a fixed 4 GiB heap and prints one line per run and a summary.
 *
 * <p>Every run pushes the same stream through one {@link RuleSession}, exactly as the engine does:
 * {@code N} events (default 1,000,000; see {@link BenchWorkload}) in batches of 1,000, arrival
 * times one millisecond apart, so the pseudo clock moves 1 s per batch and the whole run covers
 * about 17 minutes of session time: long enough for every 10-minute expiry to be in steady state.
 * The runs are:
 * <ol>
 *   <li><b>baseline</b>: the Event declaration and one rule with one constraint and an empty
 *       consequence; every other figure is also given as a ratio to it;</li>
 *   <li>each packaged rule file on its own, and the competing formulation of each rule, compiled
 *       at run time from the text below (executable model, as the kjar is);</li>
 *   <li>the packaged rule pack, opened exactly as Operon opens it ({@link RuleSession#openPackaged}).</li>
 * </ol>
 * For each it reports events per second, the decisions made, the facts left in working memory and
 * the live heap after a full GC with the session still open (and how much of it the session holds).
 * A warm-up pass of the baseline and the packaged pack runs first and is not reported; then the
 * time to open (and close) a session of the packaged rules is measured.
 *
 * <p>Measured on the 2-core development machine (JDK 17, G1, shared with other builds, so single
 * runs vary by up to 2x; best of 3 rounds, 1,000,000 events):
 * <pre>
 *   baseline: one constraint                   388 k events/s   1.00x   408 MiB held (600 k live events)
 *   duplicate-event (packaged)                 152 k            2.55x   607 MiB
 *   critical-burst: tracker (packaged)         302 k            1.28x   404 MiB
 *   critical-burst: tracker over window        118 k            3.29x   442 MiB
 *   critical-burst: accumulate over window     129 k            3.01x   426 MiB
 *   heartbeat-missed: not after (packaged)     243 k            1.59x   380 MiB
 *   heartbeat-missed: watch over window        170 k            2.29x   401 MiB
 *   packaged rule pack (openPackaged)          118 k            3.30x   643 MiB
 *   opening and closing a packaged session: 69 us
 * </pre>
 * Most of the heap is the events themselves, kept 10 minutes for duplicate detection (600,000 of
 * them at 1,000 events/s); duplicate detection, a join of every event with every event on
 * (id, source), is the most expensive rule.
 */
public final class RuleFormulationBench {

    private static final long T0 = 1_740_830_400_000L; // 2025-03-01T12:00:00Z
    private static final int BATCH = 1_000;
    private static final int SUBJECTS = 1_000;

    /** The packaged events.drl's declaration of Event (its expiry too), so that the baseline keeps as many events as the pack. */
    private static final String HEADER = """
            package org.operon.bench.rules;

            import java.util.List;
            import org.operon.model.Decision;
            import org.operon.model.Event;
            import org.operon.model.Severity;
            import org.operon.rules.CriticalBurst;

            declare Event
                @role(event)
                @timestamp(arrivalTime)
                @expires(5m)
            end
            """;

    static final String BASELINE = HEADER + """
            rule "baseline: one constraint"
            when
                Event(severity == Severity.CRITICAL)
            then
            end
            """;

    /** duplicate-event.drl as packaged before issue 7 (a join of every event with every event). */
    static final String DUPLICATE_EVENT = HEADER + """
            rule "duplicate-event"
                salience 1000
            when
                $copy : Event($id : id, $source : source, $seq : seq)
                Event(id == $id, source == $source, seq < $seq)
            then
                delete($copy);
            end
            """;

    /**
     * A first version of the tracker: fed from a 5-minute sliding window and dropped when the window
     * empties. Same decisions as the packaged one, except that it reports the third event alone when
     * several arrive at once; it pays for every duplicate deleted inside the window in proportion to
     * the window's size (PriorityQueue.remove in SlidingTimeWindow).
     */
    static final String CRITICAL_BURST_WINDOW_TRACKER = HEADER + """
            rule "critical-burst: start tracking the subject"
            when
                Event(severity == Severity.CRITICAL, $subject : subject) over window:time(5m)
                not CriticalBurst(subject == $subject)
            then
                insert(new CriticalBurst($subject));
            end

            rule "critical-burst"
            when
                $event : Event(severity == Severity.CRITICAL, $subject : subject) over window:time(5m)
                $burst : CriticalBurst(subject == $subject)
            then
                if ($burst.record($event)) {
                    List<Event> events = $burst.takeBurst();
                    List<String> ids = new java.util.ArrayList<>(events.size());
                    for (Event e : events) {
                        ids.add(e.getId());
                    }
                    channels["decisions"].send(Decision.of("notify", $subject, drools.getRule().getName(), ids)
                            .withParam("count", events.size())
                            .withParam("window", "5m"));
                }
            end

            rule "critical-burst: forget the subject when quiet"
            when
                $burst : CriticalBurst($subject : subject)
                not Event(severity == Severity.CRITICAL, subject == $subject) over window:time(5m)
            then
                delete($burst);
            end
            """;

    /** critical-burst.drl as packaged before issue 7: a per-subject tracker, no window, no timer. */
    static final String CRITICAL_BURST_TRACKER = HEADER + """
            rule "critical-burst: track the subject"
            when
                Event(severity == Severity.CRITICAL, $subject : subject)
                not CriticalBurst(subject == $subject)
            then
                insert(new CriticalBurst($subject));
            end

            rule "critical-burst: count the event"
                salience 10
            when
                $event : Event(severity == Severity.CRITICAL, $subject : subject)
                $burst : CriticalBurst(subject == $subject)
            then
                if ($burst.record($event)) {
                    $burst.setDue(true);
                    update($burst);
                }
            end

            rule "critical-burst"
            when
                $burst : CriticalBurst(due == true, $subject : subject)
            then
                List<Event> events = $burst.takeBurst();
                modify($burst) { setDue(false) };
                List<String> ids = new java.util.ArrayList<>(events.size());
                for (Event e : events) {
                    ids.add(e.getId());
                }
                channels["decisions"].send(Decision.of("notify", $subject, drools.getRule().getName(), ids)
                        .withParam("count", events.size())
                        .withParam("window", "5m"));
            end

            rule "critical-burst: forget the subject"
            when
                $burst : CriticalBurst($subject : subject)
                not Event(severity == Severity.CRITICAL, subject == $subject)
            then
                delete($burst);
            end
            """;

    /**
     * The textbook formulation (the one STACK-NOTES measured): the newest critical event of a
     * subject, no notification yet for it, and a count of its critical events over a 5-minute
     * window; a marker keeps it to one notification per burst and is dropped when the subject is quiet.
     */
    static final String CRITICAL_BURST_ACCUMULATE = HEADER + """
            declare BurstNotified
                subject : String
            end

            rule "critical-burst"
            when
                $event : Event(severity == Severity.CRITICAL, $subject : subject)
                not Event(severity == Severity.CRITICAL, subject == $subject, seq > $event.seq)
                not BurstNotified(subject == $subject)
                accumulate(Event(severity == Severity.CRITICAL, subject == $subject, $id : id) over window:time(5m);
                           $ids : collectList($id), $count : count($id);
                           $count >= 3)
            then
                insert(new BurstNotified($subject));
                channels["decisions"].send(Decision.of("notify", $subject, drools.getRule().getName(), $ids)
                        .withParam("count", $count.intValue())
                        .withParam("window", "5m"));
            end

            rule "critical-burst: forget the notification when quiet"
            when
                $notified : BurstNotified($subject : subject)
                not Event(severity == Severity.CRITICAL, subject == $subject) over window:time(5m)
            then
                delete($notified);
            end
            """;

    /**
     * heartbeat-missed.drl as packaged before issue 7: a negative pattern with a temporal bound. Drools
     * schedules a timer per heartbeat and cancels it when the next one arrives.
     */
    static final String HEARTBEAT_MISSED_NOT_AFTER = HEADER + """
            rule "heartbeat-missed"
            when
                $heartbeat : Event(type == "heartbeat", $subject : subject)
                not Event(type == "heartbeat", subject == $subject, this != $heartbeat, this after[0ms, 2m] $heartbeat)
            then
                channels["decisions"].send(Decision.of("heartbeat-missed", $subject, drools.getRule().getName(),
                        List.of($heartbeat.getId())));
            end
            """;

    /**
     * A per-subject watch fed by a 2-minute sliding window, reported and dropped when the window
     * empties: one window timer instead of one timer per heartbeat, but three window nodes and a
     * watch fact per subject.
     */
    static final String HEARTBEAT_MISSED_WATCH = HEADER + """
            declare HeartbeatWatch
                subject : String
                lastId : String
                lastSeq : long
            end

            rule "heartbeat-missed: watch the subject"
            when
                Event(type == "heartbeat", $subject : subject) over window:time(2m)
                not HeartbeatWatch(subject == $subject)
            then
                insert(new HeartbeatWatch($subject, null, -1L));
            end

            rule "heartbeat-missed: note the heartbeat"
            when
                $heartbeat : Event(type == "heartbeat", $subject : subject) over window:time(2m)
                $watch : HeartbeatWatch(subject == $subject)
            then
                if ($heartbeat.getSeq() > $watch.getLastSeq()) {
                    $watch.setLastSeq($heartbeat.getSeq());
                    $watch.setLastId($heartbeat.getId());
                }
            end

            rule "heartbeat-missed"
            when
                $watch : HeartbeatWatch($subject : subject)
                not Event(type == "heartbeat", subject == $subject) over window:time(2m)
            then
                channels["decisions"].send(Decision.of("heartbeat-missed", $subject, drools.getRule().getName(),
                        List.of($watch.getLastId())));
                delete($watch);
            end
            """;

    private RuleFormulationBench() {
    }

    public static void main(String[] args) {
        int events = args.length > 0 ? Integer.parseInt(args[0].replace("_", "")) : 1_000_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        System.out.printf(Locale.ROOT, "RuleFormulationBench: %,d events, batches of %,d, %,d subjects, 1 ms apart, "
                + "best of %d rounds; JDK %s, %d cores, max heap %d MiB%n", events, BATCH, SUBJECTS, rounds,
                Runtime.version(), Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);

        Map<String, Function<DecisionListener, RuleSession>> runs = new LinkedHashMap<>();
        runs.put("baseline: one constraint", opener("baseline", BASELINE));
        runs.put("duplicate-event (join, before issue 7)", opener("dup", DUPLICATE_EVENT));
        runs.put("critical-burst: tracker (before issue 7)", opener("burst-tracker", CRITICAL_BURST_TRACKER));
        runs.put("critical-burst: tracker over window", opener("burst-window", CRITICAL_BURST_WINDOW_TRACKER));
        runs.put("critical-burst: accumulate over window", opener("burst-acc", CRITICAL_BURST_ACCUMULATE));
        runs.put("heartbeat-missed: not after (before issue 7)", opener("hb-not", HEARTBEAT_MISSED_NOT_AFTER));
        runs.put("heartbeat-missed: watch over window", opener("hb-watch", HEARTBEAT_MISSED_WATCH));
        runs.put("packaged rule pack (openPackaged)", l -> RuleSession.openPackaged(T0, l));

        run("warm-up: baseline", runs.get("baseline: one constraint"), Math.min(events, 200_000));
        run("warm-up: packaged", runs.get("packaged rule pack (openPackaged)"), Math.min(events, 200_000));

        long openStart = System.nanoTime();
        for (int i = 0; i < 1_000; i++) {
            RuleSession.openPackaged(T0, d -> { }).close();
        }
        System.out.printf(Locale.ROOT, "opening and closing a packaged session: %.0f us%n",
                (System.nanoTime() - openStart) / 1_000 / 1e3);

        // Rounds interleave the runs, so that load from elsewhere on the machine spreads over all of them.
        Map<String, Result> best = new LinkedHashMap<>();
        for (int round = 1; round <= rounds; round++) {
            System.out.printf("round %d%n", round);
            for (Map.Entry<String, Function<DecisionListener, RuleSession>> r : runs.entrySet()) {
                Result result = run(r.getKey(), r.getValue(), events);
                best.merge(r.getKey(), result, (a, b) -> a.eventsPerSecond() >= b.eventsPerSecond() ? a : b);
            }
        }

        double base = best.get("baseline: one constraint").eventsPerSecond();
        System.out.println();
        System.out.printf(Locale.ROOT, "%-44s %12s %9s %10s %9s %12s %14s%n", "run (best round)", "events/s",
                "vs base", "decisions", "facts", "live heap", "held by session");
        for (Result r : best.values()) {
            System.out.printf(Locale.ROOT, "%-44s %,12.0f %8.2fx %,10d %,9d %9d MiB %10d MiB%n", r.name(),
                    r.eventsPerSecond(), base / r.eventsPerSecond(), r.decisions(), r.facts(), r.liveHeap() >> 20,
                    r.sessionHeap() >> 20);
        }
        System.out.println("(vs base = how many times slower than the baseline; live heap = after a full GC with "
                + "the session still open)");
    }

    private record Result(String name, double eventsPerSecond, long decisions, Map<String, Integer> byType,
                          long facts, long liveHeap, long sessionHeap) {
    }

    private static Result run(String name, Function<DecisionListener, RuleSession> opener, int events) {
        liveHeap();
        Measured m = measure(opener, events);
        // Measured here, once measure() has returned: its frame no longer keeps the session reachable.
        long heapClosed = liveHeap();
        double perSecond = events / (m.nanos() / 1e9);
        System.out.printf(Locale.ROOT, "  %-44s %,10.0f events/s in %6.2f s, decisions %s, %,d facts left, "
                + "live heap %d MiB (session %d MiB)%n", name, perSecond, m.nanos() / 1e9, m.byType(), m.facts(),
                m.heapOpen() >> 20, (m.heapOpen() - heapClosed) >> 20);
        return new Result(name, perSecond, m.decisions(), m.byType(), m.facts(), m.heapOpen(),
                m.heapOpen() - heapClosed);
    }

    private record Measured(long nanos, long decisions, Map<String, Integer> byType, long facts, long heapOpen) {
    }

    private static Measured measure(Function<DecisionListener, RuleSession> opener, int events) {
        Map<String, Integer> byType = new TreeMap<>();
        long[] decisions = {0};
        BenchWorkload workload = new BenchWorkload(T0, SUBJECTS);
        try (RuleSession session = opener.apply(d -> {
            decisions[0]++;
            byType.merge(d.getType(), 1, Integer::sum);
        })) {
            long start = System.nanoTime();
            for (int done = 0; done < events; done += BATCH) {
                session.process(workload.nextBatch(Math.min(BATCH, events - done)));
            }
            long nanos = System.nanoTime() - start;
            return new Measured(nanos, decisions[0], byType, session.factCount(), liveHeap());
        }
    }

    private static Function<DecisionListener, RuleSession> opener(String name, String drl) {
        KieBase kieBase = build(name, drl);
        return listener -> RuleSession.open(kieBase, T0, listener);
    }

    /** Compiles one DRL text into an executable-model kbase in STREAM mode. */
    static KieBase build(String name, String drl) {
        KieServices ks = KieServices.get();
        ReleaseId releaseId = ks.newReleaseId("org.operon.bench", name, "1.0.0");
        KieModuleModel module = ks.newKieModuleModel();
        module.newKieBaseModel(name)
                .setDefault(true)
                .setEventProcessingMode(EventProcessingOption.STREAM)
                .setEqualsBehavior(EqualityBehaviorOption.IDENTITY)
                .addPackage("org.operon.bench.rules");
        KieFileSystem files = ks.newKieFileSystem()
                .generateAndWritePomXML(releaseId)
                .writeKModuleXML(module.toXML())
                .write("src/main/resources/org/operon/bench/rules/" + name + ".drl", drl);
        KieBuilder builder = ks.newKieBuilder(files).buildAll(ExecutableModelProject.class);
        List<Message> errors = builder.getResults().getMessages(Message.Level.ERROR);
        if (!errors.isEmpty()) {
            throw new IllegalStateException("rules of " + name + " do not compile: " + errors);
        }
        return ks.newKieContainer(releaseId).getKieBase(name);
    }

    private static long liveHeap() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
