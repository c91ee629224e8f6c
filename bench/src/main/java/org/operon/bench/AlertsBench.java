package org.operon.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Against a peer: {@code POST /api/v2/alerts} (Alertmanager's API v2, a JSON array of postable alerts)
 * on Operon, started in this JVM as the {@code http} workload starts it, and on a real Prometheus
 * Alertmanager, started by the bench as a child process when {@code --alertmanager=PATH} names its
 * binary (a temporary storage directory, a free loopback port, a minimal configuration with one
 * receiver that notifies nothing, clustering off).
 *
 * <p>The same load generator drives both in the same run: {@code connections} threads, each with
 * its own keep-alive connection ({@link LoadClient}), send requests back to back (closed loop) for {@code peer-seconds}, first
 * with 1 alert per request, then 100. The bodies are generated before timing (a pool per size,
 * label sets of 10 alert names x {@code subjects} instances, ~10% critical). Accepted = alerts of
 * requests answered 200 (both answer 200 once they have the alerts; Operon after they are durable in
 * its journal); a 503 is counted apart and not accepted; anything else is an error. The runs
 * alternate (Operon, Alertmanager, Operon, ...) for {@code peer-rounds} rounds; each figure is the best.
 * Between Operon's runs the engine drains its backlog, so that it does not take CPU from the next run.
 * Before the rounds, both get each load for {@code peer-warmup-seconds} (default 10), not counted: a JVM's
 * first seconds are its JIT's, and Alertmanager then holds the same alerts as Operon.
 */
final class AlertsBench {
    private static final int POOL = 512;

    private final Map<String, String> options;
    private final int subjects;
    private final int connections;
    private final int seconds;
    private final int rounds;
    private final int drainSeconds;
    /** Seconds of each load sent to both first and not counted: Operon's JIT compiles its intake path meanwhile. */
    private final int warmupSeconds;

    AlertsBench(Map<String, String> options, int subjects) {
        this.options = options;
        this.subjects = subjects;
        this.connections = intOption(options, "connections", 16);
        this.seconds = intOption(options, "peer-seconds", 10);
        this.rounds = intOption(options, "peer-rounds", 2);
        this.drainSeconds = intOption(options, "peer-drain-seconds", 180);
        this.warmupSeconds = intOption(options, "peer-warmup-seconds", 10);
    }

    private static int intOption(Map<String, String> options, String name, int fallback) {
        String v = options.get(name);
        return v == null ? fallback : Integer.parseInt(v.replace("_", ""));
    }

    record Run(String target, int perRequest, double acceptedPerSecond, long accepted, long requests, long unavailable,
               long errors, double seconds, double cpuSeconds, double load, long engineDuring, long engineAfterDrain,
               boolean drained, double engineRate) {
        Run withEngine(long during, long afterDrain, boolean drainedIn, double rate) {
            return new Run(target, perRequest, acceptedPerSecond, accepted, requests, unavailable, errors, seconds,
                    cpuSeconds, load, during, afterDrain, drainedIn, rate);
        }
    }

    /** The path of the Alertmanager binary: {@code --alertmanager=PATH}, or the Debian package's if installed. */
    static Path alertmanagerBinary(Map<String, String> options) {
        String given = options.get("alertmanager");
        if (given != null) {
            return Path.of(given);
        }
        for (String candidate : List.of("/usr/bin/prometheus-alertmanager", "/usr/local/bin/alertmanager")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return Path.of(candidate);
            }
        }
        return null;
    }

    ObjectNode run() throws Exception {
        Path binary = alertmanagerBinary(options);
        Map<Integer, List<String>> bodies = new LinkedHashMap<>();
        for (int perRequest : new int[] {1, 100}) {
            bodies.put(perRequest, bodies(perRequest));
        }
        List<Run> runs = new ArrayList<>();
        String version = null;
        try (EndToEnd.Running operon = EndToEnd.start("peers", Map.of());
             Alertmanager am = binary == null ? null : Alertmanager.start(binary)) {
            if (am == null) {
                System.out.println("    no Alertmanager binary (--alertmanager=PATH; Debian: apt-get install prometheus-alertmanager): "
                        + "Operon only");
            } else {
                version = am.version;
            }
            if (warmupSeconds > 0) {
                System.out.printf("  warm-up, not counted (%d s per load)%n", warmupSeconds);
                for (int perRequest : bodies.keySet()) {
                    load("operon", operon.baseUrl(), perRequest, bodies.get(perRequest), -1, warmupSeconds);
                    operon.awaitProcessed(0, Duration.ofSeconds(drainSeconds));
                    if (am != null) {
                        load("alertmanager", am.baseUrl, perRequest, bodies.get(perRequest), am.process.pid(), warmupSeconds);
                    }
                }
            }
            for (int round = 1; round <= rounds; round++) {
                System.out.printf("  round %d%n", round);
                for (int perRequest : bodies.keySet()) {
                    long before = operon.processed();
                    Run run = load("operon", operon.baseUrl(), perRequest, bodies.get(perRequest), -1);
                    long during = operon.processed() - before;
                    long drainStart = System.nanoTime();
                    boolean drained = operon.awaitProcessed(0, Duration.ofSeconds(drainSeconds));
                    double drainTook = (System.nanoTime() - drainStart) / 1e9;
                    long after = operon.processed() - before;
                    double engineRate = after / (run.seconds + drainTook);
                    System.out.printf(Locale.ROOT, "    %-12s the engine processed %,d of the %,d accepted alerts during the run, "
                                    + "%s; %,.0f alerts/s from the run's start to the end of its backlog%n", "", during,
                            run.accepted, drained ? String.format(Locale.ROOT, "its backlog in %.1f s more", drainTook)
                                    : String.format(Locale.ROOT, "%,d in %d s more, still a backlog", after - during,
                                    this.drainSeconds), engineRate);
                    runs.add(run.withEngine(during, after, drained, engineRate));
                    if (am != null) {
                        runs.add(load("alertmanager", am.baseUrl, perRequest, bodies.get(perRequest), am.process.pid()));
                    }
                }
            }
        }
        return entry(runs, binary, version);
    }

    // ---------------------------------------------------------------- the load

    /** A pool of request bodies of {@code perRequest} alerts each, the same for both targets. */
    private List<String> bodies(int perRequest) {
        Random random = new Random(7_000L + perRequest);
        Instant startsAt = Instant.now();
        String starts = startsAt.toString();
        String ends = startsAt.plus(Duration.ofHours(1)).toString();
        List<String> pool = new ArrayList<>(POOL);
        for (int p = 0; p < POOL; p++) {
            StringBuilder b = new StringBuilder(perRequest * 320).append('[');
            for (int i = 0; i < perRequest; i++) {
                if (i > 0) {
                    b.append(',');
                }
                int host = random.nextInt(subjects);
                int name = random.nextInt(10);
                double kind = random.nextDouble();
                String severity = kind < 0.10 ? "critical" : kind < 0.30 ? "warning" : "info";
                b.append("{\"labels\":{\"alertname\":\"BenchAlert").append(name).append("\",\"instance\":\"host-")
                        .append(host).append("\",\"job\":\"bench\",\"severity\":\"").append(severity)
                        .append("\"},\"annotations\":{\"summary\":\"bench alert ").append(name).append(" on host-")
                        .append(host).append("\"},\"startsAt\":\"").append(starts).append("\",\"endsAt\":\"").append(ends)
                        .append("\",\"generatorURL\":\"http://prometheus.invalid/graph?g0.expr=bench").append(name)
                        .append("\"}");
            }
            pool.add(b.append(']').toString());
        }
        return pool;
    }

    private Run load(String target, String baseUrl, int perRequest, List<String> pool, long pid) throws Exception {
        return load(target, baseUrl, perRequest, pool, pid, seconds);
    }

    private Run load(String target, String baseUrl, int perRequest, List<String> pool, long pid, int seconds)
            throws Exception {
        URI uri = URI.create(baseUrl + "/api/v2/alerts");
        LoadClient.Tally tally = new LoadClient.Tally();
        double cpuBefore = pid < 0 ? 0 : cpuSeconds(pid);
        long start = System.nanoTime();
        long end = start + seconds * 1_000_000_000L;
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            int offset = c * (POOL / connections);
            Thread t = new Thread(() -> {
                int next = offset;
                try (LoadClient http = new LoadClient(uri.toString())) {
                    while (System.nanoTime() < end) {
                        byte[] body = pool.get(next++ % pool.size()).getBytes(StandardCharsets.UTF_8);
                        tally.post(http, "application/json", body, 200, perRequest);
                    }
                }
            }, "bench-alerts-" + c);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        double cpu = pid < 0 ? Double.NaN : cpuSeconds(pid) - cpuBefore;
        Run run = new Run(target, perRequest, tally.accepted.get() / elapsed, tally.accepted.get(), tally.requests.get(),
                tally.unavailable.get(), tally.errors.get(), elapsed, cpu, EndToEnd.loadAverage(), -1, -1, true, Double.NaN);
        System.out.printf(Locale.ROOT, "    %-12s %3d per request, %d connections: %,10.0f alerts/s accepted (%,d requests, "
                        + "%,d answered 503, %,d errors in %.1f s)%s; load %.1f%n",
                target, perRequest, connections, run.acceptedPerSecond, run.requests, run.unavailable, run.errors, elapsed,
                pid < 0 ? "" : String.format(Locale.ROOT, ", its CPU %.1f s", cpu), run.load);
        return run;
    }

    /** User + system CPU seconds of a child process so far (Linux /proc; NaN elsewhere). */
    private static double cpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // after the command: state(0) ... utime is field 14 of the whole line, i.e. index 11 here, stime 12.
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    // ---------------------------------------------------------------- the peer

    /** A real Alertmanager, a child process on a free loopback port; stopped and its storage deleted on close. */
    static final class Alertmanager implements AutoCloseable {
        final Process process;
        final Path dir;
        final String baseUrl;
        final String version;

        private Alertmanager(Process process, Path dir, String baseUrl, String version) {
            this.process = process;
            this.dir = dir;
            this.baseUrl = baseUrl;
            this.version = version;
        }

        static Alertmanager start(Path binary) throws Exception {
            String version = versionOf(binary);
            Path dir = Files.createTempDirectory("operon-bench-alertmanager");
            Path config = dir.resolve("alertmanager.yml");
            Files.writeString(config, """
                    route:
                      receiver: 'null'
                    receivers:
                      - name: 'null'
                    """);
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            String baseUrl = "http://127.0.0.1:" + port;
            Process process = new ProcessBuilder(binary.toString(),
                    "--config.file=" + config,
                    "--storage.path=" + dir.resolve("data"),
                    "--web.listen-address=127.0.0.1:" + port,
                    "--cluster.listen-address=",
                    "--log.level=warn")
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("alertmanager.log").toFile())
                    .start();
            Alertmanager am = new Alertmanager(process, dir, baseUrl, version);
            long begin = System.nanoTime();
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            while (true) {
                try {
                    HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/-/ready"))
                            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                    if (r.statusCode() == 200) {
                        break;
                    }
                } catch (IOException e) {
                    // not listening yet
                }
                if (!process.isAlive() || System.nanoTime() - begin > TimeUnit.SECONDS.toNanos(30)) {
                    String log = Files.exists(dir.resolve("alertmanager.log"))
                            ? Files.readString(dir.resolve("alertmanager.log")) : "";
                    am.close();
                    throw new IllegalStateException("Alertmanager " + binary + " did not become ready in 30 s: " + log);
                }
                Thread.sleep(50);
            }
            System.out.printf(Locale.ROOT, "    Alertmanager %s started in %.1f s (pid %d, port %d)%n", version,
                    (System.nanoTime() - begin) / 1e9, process.pid(), port);
            return am;
        }

        private static String versionOf(Path binary) {
            try {
                Process p = new ProcessBuilder(binary.toString(), "--version").redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes());
                p.waitFor(10, TimeUnit.SECONDS);
                String first = out.lines().findFirst().orElse("").trim();
                return first.isEmpty() ? "unknown version" : first;
            } catch (IOException e) {
                return "unknown version";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "unknown version";
            }
        }

        @Override
        public void close() throws IOException {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    // ---------------------------------------------------------------- reporting

    private static Run best(List<Run> runs, String target, int perRequest) {
        return runs.stream().filter(r -> r.target.equals(target) && r.perRequest == perRequest)
                .max(Comparator.comparingDouble(Run::acceptedPerSecond)).orElse(null);
    }

    private ObjectNode entry(List<Run> runs, Path binary, String version) {
        ObjectNode n = EndToEnd.JSON.createObjectNode();
        n.put("description", "POST /api/v2/alerts (Alertmanager API v2) from " + connections + " connections closed loop for "
                + seconds + " s, 1 and 100 alerts per request, on Operon in process and on a real Alertmanager child process, "
                + "same generator, alternating, best of " + rounds + "; accepted = alerts of requests answered 200 (503 apart)");
        ObjectNode figures = n.putObject("figures");
        figures.put("connections", connections).put("seconds", seconds).put("rounds", rounds)
                .put("warmupSeconds", warmupSeconds)
                .put("alertmanager", binary == null ? "not measured" : binary + " (" + version + ")");
        Map<Integer, Double> ratios = new LinkedHashMap<>();
        for (int perRequest : new int[] {1, 100}) {
            ObjectNode f = figures.putObject(perRequest + "PerRequest");
            for (String target : List.of("operon", "alertmanager")) {
                Run r = best(runs, target, perRequest);
                if (r == null) {
                    continue;
                }
                ObjectNode t = f.putObject(target);
                t.put("acceptedAlertsPerSecond", Math.round(r.acceptedPerSecond)).put("acceptedAlerts", r.accepted)
                        .put("requests", r.requests).put("answered503", r.unavailable).put("errors", r.errors)
                        .put("seconds", Math.round(r.seconds * 10) / 10.0).put("loadAverage", r.load);
                if (!Double.isNaN(r.cpuSeconds)) {
                    t.put("processCpuSeconds", round2(r.cpuSeconds));
                }
                if (r.engineDuring >= 0) {
                    t.put("engineProcessedDuringRun", r.engineDuring).put("engineProcessedAfterDrain", r.engineAfterDrain)
                            .put("backlogDrained", r.drained).put("engineAlertsPerSecondUntilDrained", Math.round(r.engineRate));
                }
            }
            Run o = best(runs, "operon", perRequest);
            Run a = best(runs, "alertmanager", perRequest);
            if (a != null && a.acceptedPerSecond > 0) {
                double ratio = o.acceptedPerSecond / a.acceptedPerSecond;
                ratios.put(perRequest, ratio);
                f.put("ratio", round2(ratio));
            }
        }
        Run o1 = best(runs, "operon", 1);
        Run o100 = best(runs, "operon", 100);
        if (ratios.size() == 2) {
            double r1 = ratios.get(1);
            double r100 = ratios.get(100);
            Run a1 = best(runs, "alertmanager", 1);
            Run a100 = best(runs, "alertmanager", 100);
            n.put("ratio", round2(r1));
            n.put("ratioMeaning", "Operon / Alertmanager accepted alerts/s at 1 alert per request (figures.100PerRequest.ratio: at 100)");
            n.put("targetRatio", 2.0);
            n.put("target", "Operon >= 2x Alertmanager at 1 alert per request and >= 3x at 100 per request");
            n.put("pass", r1 >= 2.0 && r100 >= 3.0);
            n.put("summary", String.format(Locale.ROOT, "1/req %,.0f vs %,.0f/s; 100/req %,.0f vs %,.0f/s (Operon vs AM)",
                    o1.acceptedPerSecond, a1.acceptedPerSecond, o100.acceptedPerSecond, a100.acceptedPerSecond));
            n.put("ratioSummary", String.format(Locale.ROOT, "%.2fx (>= 2x), %.2fx (>= 3x)", r1, r100));
        } else {
            n.put("target", "Operon >= 2x Alertmanager at 1 alert per request and >= 3x at 100 per request");
            n.put("pass", false);
            n.put("summary", String.format(Locale.ROOT, "Operon 1/req %,.0f/s, 100/req %,.0f/s; Alertmanager not measured",
                    o1.acceptedPerSecond, o100.acceptedPerSecond));
            n.put("ratioSummary", "no Alertmanager (--alertmanager=PATH)");
        }
        return n;
    }

    private static double round2(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
