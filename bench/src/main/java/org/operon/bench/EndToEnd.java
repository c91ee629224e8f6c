package org.operon.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.operon.app.OperonApp;
import org.operon.app.config.OperonConfig;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.stream.Stream;

/**
 * What the end-to-end workloads ({@link HttpBench}, {@link KafkaBench}) share: the assembled app
 * started in this JVM ({@link OperonApp}, as {@code java -jar operon.jar} would, on a free port and a
 * temporary data directory), its engine status, and the events as CloudEvents JSON with the mix of
 * {@link BenchWorkload} (1,000 subjects, 10% critical, 20% warning, 5% heartbeats).
 */
final class EndToEnd {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient STATUS = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private EndToEnd() {
    }

    /** A started app: its data directory is deleted by {@link Running#close()}. */
    record Running(OperonApp app, Path dir, String baseUrl) implements AutoCloseable {
        JsonNode engine() throws IOException, InterruptedException {
            HttpResponse<String> r = STATUS.send(HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/engine"))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            return JSON.readTree(r.body());
        }

        long processed() throws IOException, InterruptedException {
            return engine().path("processed").asLong();
        }

        /** Waits until the engine has processed {@code n} events and has no backlog, at most {@code max}. */
        boolean awaitProcessed(long n, Duration max) throws IOException, InterruptedException {
            long deadline = System.nanoTime() + max.toNanos();
            while (System.nanoTime() < deadline) {
                JsonNode s = engine();
                if (s.path("processed").asLong() >= n && s.path("backlog").asLong() == 0) {
                    return true;
                }
                Thread.sleep(50);
            }
            return false;
        }

        @Override
        public void close() throws IOException {
            app.stop();
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /**
     * Starts Operon in process with the given settings (keys as in docs/configuration.md) on top of a
     * temporary data directory, a free port and {@code operon.actions.targets.default=log}.
     */
    static Running start(String name, Map<String, String> settings) throws Exception {
        Path dir = Files.createTempDirectory("operon-bench-" + name);
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Properties p = new Properties();
        p.setProperty("operon.data-dir", dir.resolve("data").toString());
        p.setProperty("operon.http.port", Integer.toString(port));
        p.setProperty("operon.actions.targets.default", "log");
        settings.forEach(p::setProperty);
        OperonApp app = new OperonApp(OperonConfig.load(Map.of(), p));
        long start = System.nanoTime();
        try {
            app.start();
        } catch (Exception e) {
            app.stop();
            throw e;
        }
        System.out.printf(Locale.ROOT, "    Operon started in process in %.1f s (port %d, data %s)%n",
                (System.nanoTime() - start) / 1e9, port, dir);
        return new Running(app, dir, "http://127.0.0.1:" + port);
    }

    /** One CloudEvent (structured JSON) of the bench mix. */
    static String event(String id, Random random, int subjects) {
        String subject = "host-" + random.nextInt(subjects);
        double kind = random.nextDouble();
        String type = kind < 0.05 ? "heartbeat" : "alert";
        String severity = kind < 0.05 ? "info" : kind < 0.15 ? "critical" : kind < 0.35 ? "warning" : "info";
        return "{\"specversion\":\"1.0\",\"id\":\"" + id + "\",\"source\":\"" + BenchWorkload.SOURCE
                + "\",\"type\":\"" + type + "\",\"subject\":\"" + subject + "\",\"severity\":\"" + severity + "\"}";
    }

    static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    static double loadAverage() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }
}
