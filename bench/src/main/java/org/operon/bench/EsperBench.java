package org.operon.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.operon.model.Event;

import java.io.BufferedWriter;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Against a peer: whole-process wall time, JVM start included, of {@code bin/operon replay --events FILE}
 * (the standard pack, actions to /dev/null; the launcher's options: ParallelGC and its class-data archive, which
 * a warm-up run writes if the build changed) and of {@code java -jar operon.jar replay} beside it and of an Esper 9 program running the
 * windowed count on the same file ({@link org.operon.bench.esper.EsperWindowedCount}, in a JVM of its
 * own with Esper's classpath {@code bench/target/lib-esper}), JSON parsing included in both.
 *
 * <p>The file: {@code peer-events} (default 1,000,000) CloudEvents JSON lines of {@link BenchWorkload}
 * (1,000 subjects, ~10% critical, 5% heartbeats, 1% duplicates, 1 ms apart; {@code time} = arrival time),
 * written before timing. Both children get the same JVM options (none: the JDK's defaults, or
 * {@code --peer-jvm=OPTS}); the runs alternate for {@code peer-rounds} rounds and each figure is the best.
 */
final class EsperBench {
    private static final long T0 = 1_740_830_400_000L; // 2025-03-01T12:00:00Z, as OperonBench
    private static final Pattern ESPER = Pattern.compile(
            "esper: events=(\\d+) critical=(\\d+) rows=(\\d+) subjects=(\\d+) seconds=([0-9.]+)");
    private static final Pattern OPERON_ACTIONS = Pattern.compile("operon replay: (\\d+) actions \\((\\d+) suppressed\\)");

    private final Map<String, String> options;
    private final int subjects;
    private final int events;
    private final int rounds;

    EsperBench(Map<String, String> options, int subjects) {
        this.options = options;
        this.subjects = subjects;
        this.events = intOption(options, "peer-events", 1_000_000);
        this.rounds = intOption(options, "peer-rounds", 2);
    }

    private static int intOption(Map<String, String> options, String name, int fallback) {
        String v = options.get(name);
        return v == null ? fallback : Integer.parseInt(v.replace("_", ""));
    }

    /** Wall seconds (measured here), CPU seconds (user + system) and peak RSS from /usr/bin/time (NaN without it). */
    record Timed(double seconds, double cpuSeconds, double maxRssMiB, String detail) {
    }

    private static final Path TIME = Path.of("/usr/bin/time");
    private static final Pattern RUSAGE = Pattern.compile("peer-rusage: ([0-9.]+) ([0-9.]+) (\\d+)");

    ObjectNode run() throws Exception {
        Path operonJar = Path.of(options.getOrDefault("operon-jar",
                Files.isDirectory(Path.of("app")) ? "app/target/operon.jar" : "../app/target/operon.jar"));
        Path libEsper = benchDir().resolve("lib-esper");
        if (!Files.isRegularFile(operonJar)) {
            throw new IllegalStateException(operonJar + " not found: build the app (./mvnw -q -pl bench -am package -DskipTests) "
                    + "or give --operon-jar=PATH");
        }
        if (!Files.isDirectory(libEsper)) {
            throw new IllegalStateException(libEsper + " not found: the bench's package phase copies Esper there");
        }
        Path dir = Files.createTempDirectory("operon-bench-peer-esper");
        Path file = dir.resolve("events.jsonl");
        try {
            long t = System.nanoTime();
            write(file);
            System.out.printf(Locale.ROOT, "    wrote %,d CloudEvents lines (%,d MiB) in %.1f s: %s%n", events,
                    Files.size(file) >> 20, (System.nanoTime() - t) / 1e9, file);
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            List<String> jvm = new ArrayList<>();
            String opts = options.get("peer-jvm");
            if (opts != null && !opts.isBlank()) {
                jvm.addAll(List.of(opts.trim().split("\\s+")));
            }
            List<String> operonCmd = new ArrayList<>(List.of(java));
            operonCmd.addAll(jvm);
            operonCmd.addAll(List.of("-jar", operonJar.toString(), "replay", "--events", file.toString()));
            List<String> esperCmd = new ArrayList<>(List.of(java));
            esperCmd.addAll(jvm);
            esperCmd.addAll(List.of("-cp", libEsper + File.separator + "*", "org.operon.bench.esper.EsperWindowedCount",
                    file.toString()));
            // `operon replay` as the README runs it: bin/operon (the throughput collector and the class-data archive
            // its first run after a build writes), unless the JVM options are given here.
            Path launcher = operonJar.toAbsolutePath().getParent().getParent().getParent().resolve("bin").resolve("operon");
            List<String> launcherCmd = Files.isRegularFile(launcher) && jvm.isEmpty()
                    ? List.of("sh", launcher.toString(), "replay", "--events", file.toString()) : null;
            if (launcherCmd != null) {
                System.out.println("    operon: " + String.join(" ", launcherCmd) + " > /dev/null");
            }
            System.out.println("    operon: " + String.join(" ", operonCmd) + " > /dev/null");
            System.out.println("    esper:  " + String.join(" ", esperCmd));
            if (launcherCmd != null) {
                System.out.println("  warm-up (not counted; writes bin/operon's class-data archive if the build changed)");
                time("operon replay (bin/operon)", launcherCmd, dir);
            }
            Timed bestLauncher = null;
            Timed bestOperon = null;
            Timed bestEsper = null;
            for (int round = 1; round <= rounds; round++) {
                System.out.printf("  round %d%n", round);
                if (launcherCmd != null) {
                    Timed l = time("operon replay (bin/operon)", launcherCmd, dir);
                    bestLauncher = bestLauncher == null || l.seconds < bestLauncher.seconds ? l : bestLauncher;
                }
                Timed o = time("operon replay (java -jar)", operonCmd, dir);
                Timed e = time("esper", esperCmd, dir);
                bestOperon = bestOperon == null || o.seconds < bestOperon.seconds ? o : bestOperon;
                bestEsper = bestEsper == null || e.seconds < bestEsper.seconds ? e : bestEsper;
            }
            return entry(bestLauncher, bestOperon, bestEsper, Files.size(file));
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(dir.resolve("stderr.txt"));
            Files.deleteIfExists(dir.resolve("stdout.txt"));
            Files.deleteIfExists(dir);
        }
    }

    /** The directory of operon-bench.jar (bench/target), or bench/target from the repository root. */
    private static Path benchDir() {
        try {
            Path location = Path.of(EsperBench.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isRegularFile(location)) {
                return location.getParent();
            }
        } catch (Exception e) {
            // fall through
        }
        return Path.of("bench", "target");
    }

    /** BenchWorkload's events as CloudEvents lines, {@code time} = the arrival time (1 ms apart). */
    private void write(Path file) throws IOException {
        BenchWorkload workload = new BenchWorkload(T0, subjects);
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (int done = 0; done < events; done += 1_000) {
                for (Event e : workload.nextBatch(Math.min(1_000, events - done))) {
                    w.write("{\"specversion\":\"1.0\",\"id\":\"");
                    w.write(e.getId());
                    w.write("\",\"source\":\"");
                    w.write(e.getSource());
                    w.write("\",\"type\":\"");
                    w.write(e.getType());
                    w.write("\",\"subject\":\"");
                    w.write(e.getSubject());
                    w.write("\",\"severity\":\"");
                    w.write(e.getSeverity().wireName());
                    w.write("\",\"time\":\"");
                    w.write(Instant.ofEpochMilli(e.getArrivalTime()).toString());
                    w.write("\"}\n");
                }
            }
        }
    }

    private static Timed time(String name, List<String> command, Path dir) throws Exception {
        File err = dir.resolve("stderr.txt").toFile();
        File out = dir.resolve("stdout.txt").toFile();
        boolean operon = name.startsWith("operon");
        List<String> timed = new ArrayList<>();
        if (Files.isExecutable(TIME)) {
            timed.addAll(List.of(TIME.toString(), "-f", "peer-rusage: %U %S %M"));
        }
        timed.addAll(command);
        long start = System.nanoTime();
        ProcessBuilder pb = new ProcessBuilder(timed);
        pb.environment().remove("OPERON_JAVA_OPTS"); // bin/operon's own choice of options
        // bin/operon runs the `java` on the PATH: the same JDK as the other runs.
        pb.environment().put("PATH", Path.of(System.getProperty("java.home"), "bin") + File.pathSeparator
                + pb.environment().getOrDefault("PATH", ""));
        Process p = pb
                .redirectOutput(operon ? ProcessBuilder.Redirect.DISCARD : ProcessBuilder.Redirect.to(out))
                .redirectError(err).start();
        if (!p.waitFor(15, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException(name + " did not finish in 15 minutes");
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        String stderr = Files.readString(err.toPath());
        String stdout = operon ? "" : Files.readString(out.toPath());
        if (p.exitValue() != 0) {
            throw new IllegalStateException(name + " exited " + p.exitValue() + ": " + stderr + stdout);
        }
        double cpu = Double.NaN;
        double rss = Double.NaN;
        Matcher u = RUSAGE.matcher(stderr);
        if (u.find()) {
            cpu = Double.parseDouble(u.group(1)) + Double.parseDouble(u.group(2));
            rss = Long.parseLong(u.group(3)) / 1024.0;
        }
        String detail;
        if (operon) {
            Matcher m = OPERON_ACTIONS.matcher(stderr);
            detail = m.find() ? m.group(1) + " actions (" + m.group(2) + " suppressed)" : "actions: ?";
        } else {
            Matcher m = ESPER.matcher(stdout);
            detail = m.find() ? m.group(3) + " rows for " + m.group(4) + " subjects (" + m.group(2) + " critical of "
                    + m.group(1) + " events; " + m.group(5) + " s inside its main)" : stdout.trim();
        }
        System.out.printf(Locale.ROOT, "    %-14s %6.2f s whole process (CPU %.1f s, peak RSS %.0f MiB); %s; load %.1f%n", name,
                seconds, cpu, rss, detail, EndToEnd.loadAverage());
        return new Timed(seconds, cpu, rss, detail);
    }

    /** {@code launcher}: bin/operon's run, the headline when there is one; else java -jar's. */
    private ObjectNode entry(Timed launcher, Timed javaJar, Timed esper, long bytes) {
        Timed operon = launcher != null ? launcher : javaJar;
        ObjectNode n = EndToEnd.JSON.createObjectNode();
        n.put("description", "whole-process wall time (JVM start included) on a file of " + events + " CloudEvents JSON lines ("
                + subjects + " subjects, ~10% critical, 1 ms apart): "
                + (launcher != null ? "bin/operon replay --events FILE (standard pack; ParallelGC and its class-data "
                + "archive; java -jar operon.jar replay beside it) vs " : "java -jar operon.jar replay --events FILE (standard pack) vs ")
                + "Esper 9 (EPL: " + org.operon.bench.esper.EsperWindowedCount.EPL + "; external clock; Jackson streaming "
                + "parser), JSON parsing included, best of " + rounds);
        ObjectNode figures = n.putObject("figures");
        figures.put("events", events).put("fileBytes", bytes).put("rounds", rounds);
        for (String name : List.of("operonReplay", "operonReplayJavaJar", "esper")) {
            Timed t = name.equals("esper") ? esper : name.equals("operonReplay") ? operon : javaJar;
            if (name.equals("operonReplayJavaJar") && launcher == null) {
                continue;
            }
            ObjectNode f = figures.putObject(name);
            f.put("seconds", round2(t.seconds)).put("eventsPerSecond", Math.round(events / t.seconds));
            if (!Double.isNaN(t.cpuSeconds)) {
                f.put("cpuSeconds", round2(t.cpuSeconds)).put("peakRssMiB", Math.round(t.maxRssMiB));
            }
            f.put("output", t.detail);
        }
        if (!Double.isNaN(operon.cpuSeconds) && !Double.isNaN(esper.cpuSeconds)) {
            figures.put("cpuRatio", round2(esper.cpuSeconds / operon.cpuSeconds));
        }
        figures.put("loadAverage", EndToEnd.loadAverage());
        double ratio = esper.seconds / operon.seconds;
        n.put("ratio", round2(ratio));
        n.put("ratioMeaning", "Esper's whole-process seconds / operon replay's (> 1: Operon faster)"
                + (launcher != null ? "; operon replay run as bin/operon runs it (ParallelGC, its class-data archive), "
                + "Esper on the JDK's defaults" : ""));
        n.put("targetRatio", 1.0);
        n.put("target", "operon replay takes less whole-process time than Esper");
        n.put("pass", ratio > 1.0);
        n.put("summary", String.format(Locale.ROOT, "%,d events: operon replay %.1f s (CPU %.1f)%s, Esper %.1f s (CPU %.1f)",
                events, operon.seconds, operon.cpuSeconds,
                launcher != null ? String.format(Locale.ROOT, " [java -jar %.1f s]", javaJar.seconds) : "",
                esper.seconds, esper.cpuSeconds));
        n.put("ratioSummary", String.format(Locale.ROOT, "%.2fx (target > 1x)", ratio));
        return n;
    }

    private static double round2(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
