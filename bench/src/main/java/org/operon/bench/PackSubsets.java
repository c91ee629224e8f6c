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
import org.operon.engine.session.RuleSession;
import org.operon.model.Event;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What-ifs for the engine workload: subsets of the packaged DRL files, compiled (executable model,
 * STREAM, identity) into a kbase of their own in package {@code org.operon.bench.rules} with the
 * kjar's helper classes imported, run on {@link BenchWorkload}'s events against the trivial rule and
 * the pack; prints the CPU time of the session's thread per event (best of the rounds). Reads the DRL
 * files from the source tree, so run it from the repository root:
 *
 * <pre>{@code
 * java -Xms3g -Xmx3g -cp "bench/target/operon-bench.jar:bench/target/lib/*" org.operon.bench.PackSubsets \
 *     600000 3 events,dedup,hb,burst,all3
 * }</pre>
 *
 * Arguments: events (default 300,000), rounds (3), the subsets (any of {@code events} = the Event
 * declaration alone, {@code dedup}, {@code hb}, {@code burst} = it plus one rule file, {@code all3},
 * or {@code none}). {@code -Ddrl.dir=} another directory of DRL files; {@code -Dmode=packonly} leaves
 * the baseline out (for a profile of the pack).
 */
public final class PackSubsets {
    static final long T0 = 1_740_830_400_000L;
    static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    static String res(String f) throws Exception {
        {
            return java.nio.file.Files.readString(java.nio.file.Path.of(System.getProperty("drl.dir", "rules-kjar/src/main/resources/org/operon/rules"), f))
                    .replace("package org.operon.rules;", "package org.operon.bench.rules;\nimport org.operon.rules.*;");
        }
    }

    static KieBase build(String name, Map<String, String> extra, String... files) throws Exception {
        KieServices ks = KieServices.get();
        ReleaseId releaseId = ks.newReleaseId("org.operon.bench.subsets", name, "1.0.0");
        KieModuleModel module = ks.newKieModuleModel();
        module.newKieBaseModel(name).setDefault(true).setEventProcessingMode(EventProcessingOption.STREAM)
                .setEqualsBehavior(EqualityBehaviorOption.IDENTITY).addPackage("org.operon.bench.rules");
        KieFileSystem fs = ks.newKieFileSystem().generateAndWritePomXML(releaseId).writeKModuleXML(module.toXML());
        for (String f : files) {
            fs.write("src/main/resources/org/operon/bench/rules/" + f, res(f));
        }
        for (var e : extra.entrySet()) {
            fs.write("src/main/resources/org/operon/bench/rules/" + e.getKey(), e.getValue());
        }
        KieBuilder b = ks.newKieBuilder(fs).buildAll(ExecutableModelProject.class);
        List<Message> errors = b.getResults().getMessages(Message.Level.ERROR);
        if (!errors.isEmpty()) throw new IllegalStateException(name + ": " + errors);
        return ks.newKieContainer(releaseId).getKieBase(name);
    }

    public static void main(String[] args) throws Exception {
        int events = Integer.parseInt(args.length > 0 ? args[0] : "300000");
        int rounds = Integer.parseInt(args.length > 1 ? args[1] : "3");
        BenchWorkload w = new BenchWorkload(T0, 1000);
        List<List<Event>> batches = new ArrayList<>();
        for (int i = 0; i < events / 1000; i++) batches.add(w.nextBatch(1000));
        Map<String, Supplier<RuleSession>> runs = new LinkedHashMap<>();
        KieBase baseline = RuleFormulationBench.build("baseline", RuleFormulationBench.BASELINE);
        if (!"packonly".equals(System.getProperty("mode"))) runs.put("baseline", () -> RuleSession.open(baseline, T0, d -> {}));
        runs.put("pack", () -> RuleSession.openPackaged(T0, d -> {}));
        String sel = args.length > 2 ? args[2] : "events,dedup,hb,burst,all3";
        for (String v : sel.split(",")) {
            KieBase kb = switch (v) {
                case "events" -> build("events", Map.of(), "events.drl");
                case "dedup" -> build("dedup", Map.of(), "events.drl"); // dedup is the session's now: see "dedup" runs
                case "hb" -> build("hb", Map.of(), "events.drl", "heartbeat-missed.drl");
                case "burst" -> build("burst", Map.of(), "events.drl", "critical-burst.drl");
                case "all3" -> build("all3", Map.of(), "events.drl", "heartbeat-missed.drl", "critical-burst.drl");
                default -> null;
            };
            // "dedup" and "all3" drop duplicates before insertion, as the packaged rules' sessions do.
            boolean dedup = v.equals("dedup") || v.equals("all3");
            if (kb != null) runs.put(v, () -> RuleSession.open(kb, T0, d -> {}, dedup));
        }
        Map<String, Double> best = new LinkedHashMap<>();
        for (int r = 0; r < rounds; r++) {
            for (var e : runs.entrySet()) {
                System.gc();
                long dec = 0;
                try (RuleSession s = e.getValue().get()) {
                    long c0 = THREADS.getCurrentThreadCpuTime();
                    long t0 = System.nanoTime();
                    for (List<Event> b : batches) s.process(b);
                    long cpu = THREADS.getCurrentThreadCpuTime() - c0;
                    long wall = System.nanoTime() - t0;
                    double us = cpu / 1e3 / events;
                    System.out.printf(Locale.ROOT, "round %d %-10s %.2f µs CPU/event, wall %.2f µs/event, facts %d%n", r, e.getKey(), us, wall / 1e3 / events, s.factCount());
                    best.merge(e.getKey(), us, Math::min);
                }
            }
        }
        System.out.println("best CPU µs/event: " + best);
    }
}
