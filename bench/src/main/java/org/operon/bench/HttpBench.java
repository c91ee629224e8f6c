package org.operon.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Workload 3, HTTP end to end: the assembled app in this JVM, driven through {@code POST /api/v1/events}.
 *
 * <ol>
 *   <li>Throughput: {@code connections} threads, each with its own HTTP/1.1 connection, send requests
 *   back to back (closed loop, at saturation) for {@code http-seconds}, first one structured CloudEvent
 *   per request ({@code application/cloudevents+json}), then batches of 100
 *   ({@code application/cloudevents-batch+json}). Accepted = events of requests answered 202 (durable in
 *   the journal); 503s (queue full) are counted apart. Between the two the engine drains its backlog.</li>
 *   <li>Latency, request to action: requests of {@code latency-batch} events at a fixed offered rate
 *   ({@code latency-rate} events/s, open loop: each request has an intended send time, and latency is
 *   measured from it, so a stalled sender does not hide waiting). The first event of every
 *   {@code probe-every}-th request is a probe of type {@code bench.latency}; a rule in the rules
 *   directory decides {@code bench-latency} on each probe, whose only target is the webhook, pointed at
 *   an HTTP server in the bench that records the arrival of each probe's decision.</li>
 * </ol>
 */
final class HttpBench {
    private static final Pattern PROBE = Pattern.compile("\"subject\"\\s*:\\s*\"lat-(\\d+)\"");
    static final String PROBE_RULE = """
            package org.operon.bench.rules;

            import java.util.List;
            import org.operon.model.Decision;
            import org.operon.model.Event;

            rule "bench-latency: a decision per probe"
            when
                $e : Event(type == "bench.latency")
            then
                channels["decisions"].send(Decision.of("bench-latency", $e.getSubject(), drools.getRule().getName(),
                        List.of($e.getId())));
            end
            """;

    private final int subjects;
    private final int connections;
    private final int seconds;
    /** Seconds of each throughput load sent first and not counted: the JIT compiles the intake path meanwhile. */
    private final int warmupSeconds;
    private final int latencyRate;
    private final int latencyBatch;
    private final int latencySeconds;
    /** Seconds of the latency load sent first and not counted: the action path's JIT and connections warm up. */
    private final int latencyWarmupSeconds;
    private static final long WARM_UP_PROBES = 1_000_000_000L;
    /** Probe ids of the saturation runs start here, apart from the fixed-rate runs' and their warm-up's. */
    private static final long SATURATION_PROBES = 2_000_000_000L;
    /** At saturation, a connection's first request this long after its last probe carries a probe; 0: none. */
    private final long saturationProbeNanos;
    private final AtomicLong saturationProbes = new AtomicLong(SATURATION_PROBES);
    private final int probeEvery;
    private final int[] batches;
    /** Options named {@code operon.*}: settings for the app under test (e.g. {@code --operon.journal.durability=os}). */
    private final Map<String, String> appSettings = new java.util.TreeMap<>();
    private final AtomicLong ids = new AtomicLong();

    HttpBench(Map<String, String> options, int subjects) {
        this.subjects = subjects;
        this.connections = intOption(options, "connections", 16);
        this.seconds = intOption(options, "http-seconds", 20);
        this.warmupSeconds = intOption(options, "http-warmup-seconds", 10);
        this.latencyRate = intOption(options, "latency-rate", 10_000);
        this.latencyBatch = intOption(options, "latency-batch", 100);
        this.latencySeconds = intOption(options, "latency-seconds", 15);
        this.latencyWarmupSeconds = intOption(options, "latency-warmup-seconds", 5);
        this.probeEvery = intOption(options, "probe-every", 10);
        this.saturationProbeNanos = TimeUnit.MILLISECONDS.toNanos(intOption(options, "saturation-probe-ms", 100));
        this.batches = java.util.Arrays.stream(options.getOrDefault("http-batches", "1,100").split(","))
                .map(String::trim).mapToInt(Integer::parseInt).toArray();
        options.forEach((k, v) -> {
            if (k.startsWith("operon.")) {
                appSettings.put(k, v);
            }
        });
    }

    private static int intOption(Map<String, String> options, String name, int fallback) {
        String v = options.get(name);
        return v == null ? fallback : Integer.parseInt(v.replace("_", ""));
    }

    record Throughput(int perRequest, double acceptedPerSecond, long accepted, long requests, long unavailable,
                      long errors, double processedPerSecond, double seconds, double cpuMicrosPerRequest,
                      Latency probed) {
    }

    record Latency(double offered, long probes, long arrived, double p50, double p99, double p999, double max,
                   double achievedRate, long unavailable, long errors) {
    }

    /** Runs both parts; {@code packRate} is the in-process pack's events/s measured in this run. */
    ObjectNode run(double packRate) throws Exception {
        HttpServer hook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        Map<Long, Long> arrivals = new ConcurrentHashMap<>();
        hook.createContext("/hook", exchange -> {
            long now = System.nanoTime();
            String body;
            try (InputStream in = exchange.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            Matcher m = PROBE.matcher(body);
            if (m.find()) {
                arrivals.putIfAbsent(Long.parseLong(m.group(1)), now);
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        hook.setExecutor(Executors.newFixedThreadPool(4));
        hook.start();
        Path rules = Files.createTempDirectory("operon-bench-rules");
        Files.writeString(rules.resolve("bench-latency.drl"), PROBE_RULE);
        List<Throughput> throughputs = new ArrayList<>();
        Latency latency;
        Throughput saturated = null;
        Map<String, String> settings = new java.util.HashMap<>(Map.of(
                "operon.rules.dir", rules.toString(),
                "operon.actions.webhook.url", "http://127.0.0.1:" + hook.getAddress().getPort() + "/hook",
                "operon.actions.targets.bench-latency", "webhook"));
        settings.putAll(appSettings);
        if (!appSettings.isEmpty()) {
            System.out.println("    app settings: " + appSettings);
        }
        try (EndToEnd.Running operon = EndToEnd.start("http", settings)) {
            if (warmupSeconds > 0) {
                for (int perRequest : batches) {
                    System.out.print("    warm-up, not counted:");
                    throughput(operon, perRequest, warmupSeconds, 0, arrivals);
                    operon.awaitProcessed(0, Duration.ofSeconds(120));
                }
            }
            for (int perRequest : batches) {
                throughputs.add(throughput(operon, perRequest, seconds, 0, arrivals));
                if (!operon.awaitProcessed(0, Duration.ofSeconds(120))) {
                    System.out.println("    warning: the engine still has a backlog after 120 s");
                }
            }
            if (latencySeconds > 0 && saturationProbeNanos > 0) {
                saturated = throughput(operon, latencyBatch, latencySeconds, saturationProbeNanos, arrivals);
                if (!operon.awaitProcessed(0, Duration.ofSeconds(120))) {
                    System.out.println("    warning: the engine still has a backlog after 120 s");
                }
            }
            if (latencySeconds > 0 && latencyWarmupSeconds > 0) {
                latency(operon, arrivals, latencyWarmupSeconds, WARM_UP_PROBES, false);
            }
            latency = latencySeconds > 0 ? latency(operon, arrivals, latencySeconds, 0, true)
                    : new Latency(latencyRate, 0, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, 0, 0);
        } finally {
            hook.stop(0);
            ((ExecutorService) hook.getExecutor()).shutdownNow();
            Files.deleteIfExists(rules.resolve("bench-latency.drl"));
            Files.deleteIfExists(rules);
        }
        return entry(throughputs, latency, saturated, packRate);
    }


    private String body(int events, Random random, String probe) {
        if (events == 1 && probe == null) {
            return EndToEnd.event("h-" + ids.incrementAndGet(), random, subjects);
        }
        if (events == 1) {
            return probeEvent(probe);
        }
        StringBuilder b = new StringBuilder(events * 160).append('[');
        for (int i = 0; i < events; i++) {
            if (i > 0) {
                b.append(',');
            }
            if (i == 0 && probe != null) {
                b.append(probeEvent(probe));
            } else {
                b.append(EndToEnd.event("h-" + ids.incrementAndGet(), random, subjects));
            }
        }
        return b.append(']').toString();
    }

    /** A probe: an event that the bench's rule turns into a decision whose action goes to the bench's webhook. */
    private static String probeEvent(String probe) {
        return "{\"specversion\":\"1.0\",\"id\":\"p-" + probe + "\",\"source\":\"" + BenchWorkload.SOURCE
                + "\",\"type\":\"bench.latency\",\"subject\":\"lat-" + probe + "\",\"severity\":\"info\"}";
    }

    /** The media type of an intake body: structured mode for one object, batch mode for an array. */
    private static String contentType(String body) {
        return body.charAt(0) == '{' ? "application/cloudevents+json" : "application/cloudevents-batch+json";
    }

    /** Posts {@code body} to the intake and returns the status. */
    private static int post(LoadClient client, String body) throws IOException {
        return client.post(contentType(body), body.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Closed loop at saturation for {@code seconds}. With {@code probeNanos} > 0, the first event of a
     * connection's first request that long or more after its last probe is a probe, whose latency is measured
     * from the moment the request was sent (there is no intended time in a closed loop) to its action's
     * arrival, for the requests answered 202. The probes' actions cost the app CPU (each is a webhook call),
     * so the throughput runs carry none and latency at saturation has a run of its own.
     */
    private Throughput throughput(EndToEnd.Running operon, int perRequest, int seconds, long probeNanos,
                                  Map<Long, Long> arrivals) throws Exception {
        LoadClient.Tally tally = new LoadClient.Tally();
        Map<Long, Long> sent = new ConcurrentHashMap<>();
        long processedBefore = operon.processed();
        long cpuBefore = processCpuNanos();
        long start = System.nanoTime();
        long end = start + seconds * 1_000_000_000L;
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            int seed = c;
            Thread t = new Thread(() -> {
                Random random = new Random(7_000L * perRequest + seed);
                try (LoadClient http = new LoadClient(operon.baseUrl() + "/api/v1/events")) {
                    long lastProbe = start;
                    while (System.nanoTime() < end) {
                        long at = System.nanoTime();
                        long probe = probeNanos > 0 && at - lastProbe >= probeNanos
                                ? saturationProbes.getAndIncrement() : -1;
                        if (probe >= 0) {
                            lastProbe = at;
                        }
                        String body = body(perRequest, random, probe < 0 ? null : Long.toString(probe));
                        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                        long sentAt = System.nanoTime();
                        if (tally.post(http, contentType(body), bytes, 202, perRequest) && probe >= 0) {
                            sent.put(probe, sentAt);
                        }
                    }
                }
            }, "bench-http-" + c);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        double cpuMicrosPerRequest = (processCpuNanos() - cpuBefore) / 1e3 / Math.max(1, tally.requests.get());
        long processed = operon.processed() - processedBefore;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline && !arrivals.keySet().containsAll(sent.keySet())) {
            Thread.sleep(50);
        }
        long[] micros = sent.entrySet().stream().filter(e -> arrivals.containsKey(e.getKey()))
                .mapToLong(e -> (arrivals.get(e.getKey()) - e.getValue()) / 1_000).sorted().toArray();
        Latency probed = probeNanos <= 0 ? null : new Latency(Double.NaN, sent.size(), micros.length,
                EndToEnd.percentile(micros, 50) / 1000,
                EndToEnd.percentile(micros, 99) / 1000, EndToEnd.percentile(micros, 99.9) / 1000,
                micros.length == 0 ? Double.NaN : micros[micros.length - 1] / 1000.0, tally.accepted.get() / elapsed,
                tally.unavailable.get(), tally.errors.get());
        Throughput t = new Throughput(perRequest, tally.accepted.get() / elapsed, tally.accepted.get(),
                tally.requests.get(), tally.unavailable.get(), tally.errors.get(), processed / elapsed, elapsed,
                cpuMicrosPerRequest, probed);
        if (probed != null) {
            System.out.printf(Locale.ROOT, "    latency at saturation (closed loop, %d per request, %d connections, %,.0f events/s "
                            + "accepted): %,d probes, %,d actions arrived; from sending p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, "
                            + "max %.1f ms; load %.1f%n", perRequest, connections, t.acceptedPerSecond, probed.probes,
                    probed.arrived, probed.p50, probed.p99, probed.p999, probed.max, EndToEnd.loadAverage());
            return t;
        }
        System.out.printf(Locale.ROOT, "    %3d per request, %d connections: %,10.0f events/s accepted (%,d events, %,d requests, "
                        + "%,d answered 503, %,d errors in %.1f s); engine processed %,.0f events/s meanwhile; "
                        + "%,.0f µs CPU per request (the whole process, load generator included); load %.1f%n",
                perRequest, connections, t.acceptedPerSecond, t.accepted, t.requests, t.unavailable, t.errors, elapsed,
                t.processedPerSecond, t.cpuMicrosPerRequest, EndToEnd.loadAverage());
        return t;
    }

    /**
     * Sends at the offered rate for {@code seconds}; request numbers (and probe ids) start at {@code firstRequest},
     * so that the untimed warm-up's probes are not duplicates of the measured ones.
     */
    private Latency latency(EndToEnd.Running operon, Map<Long, Long> arrivals, int seconds, long firstRequest,
                            boolean report) throws Exception {
        long requestsTotal = (long) latencyRate * seconds / latencyBatch;
        long intervalNanos = 1_000_000_000L * latencyBatch / latencyRate;
        Map<Long, Long> intended = new ConcurrentHashMap<>();
        Map<Long, Long> answered = new ConcurrentHashMap<>();
        AtomicLong unavailable = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        ExecutorService senders = Executors.newFixedThreadPool(connections);
        List<LoadClient> opened = java.util.Collections.synchronizedList(new ArrayList<>());
        ThreadLocal<LoadClient> clients = ThreadLocal.withInitial(() -> {
            LoadClient client = new LoadClient(operon.baseUrl() + "/api/v1/events");
            opened.add(client);
            return client;
        });
        ThreadLocal<Random> randoms = ThreadLocal.withInitial(() -> new Random(Thread.currentThread().getId()));
        long start = System.nanoTime();
        for (long k = 0; k < requestsTotal; k++) {
            long due = start + k * intervalNanos;
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            long request = firstRequest + k;
            senders.execute(() -> {
                String probe = request % probeEvery == 0 ? Long.toString(request) : null;
                if (probe != null) {
                    intended.put(request, due);
                }
                try {
                    int status = post(clients.get(), body(latencyBatch, randoms.get(), probe));
                    if (probe != null) {
                        answered.put(request, System.nanoTime());
                    }
                    if (status == 503) {
                        unavailable.incrementAndGet();
                        intended.remove(request);
                    } else if (status != 202) {
                        errors.incrementAndGet();
                        intended.remove(request);
                    }
                } catch (IOException e) {
                    errors.incrementAndGet();
                    intended.remove(request);
                }
            });
        }
        senders.shutdown();
        senders.awaitTermination(5, TimeUnit.MINUTES);
        opened.forEach(LoadClient::close);
        double achieved = requestsTotal * latencyBatch / ((System.nanoTime() - start) / 1e9);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline && !arrivals.keySet().containsAll(intended.keySet())) {
            Thread.sleep(50);
        }
        String dump = System.getProperty("operon.bench.latency-dump");
        if (dump != null && report) {
            StringBuilder lines = new StringBuilder();
            intended.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> lines.append(
                    (e.getValue() - start) / 1_000_000).append(' ').append(arrivals.containsKey(e.getKey())
                    ? (arrivals.get(e.getKey()) - e.getValue()) / 1_000 : -1).append(' ')
                    .append((answered.getOrDefault(e.getKey(), e.getValue()) - e.getValue()) / 1_000).append('\n'));
            java.nio.file.Files.writeString(java.nio.file.Path.of(dump), lines);
        }
        long[] micros = intended.entrySet().stream().filter(e -> arrivals.containsKey(e.getKey()))
                .mapToLong(e -> (arrivals.get(e.getKey()) - e.getValue()) / 1_000).sorted().toArray();
        Latency l = new Latency(latencyRate, intended.size(), micros.length,
                EndToEnd.percentile(micros, 50) / 1000, EndToEnd.percentile(micros, 99) / 1000,
                EndToEnd.percentile(micros, 99.9) / 1000, micros.length == 0 ? Double.NaN : micros[micros.length - 1] / 1000.0,
                achieved, unavailable.get(), errors.get());
        if (!report) {
            System.out.printf(Locale.ROOT, "    latency warm-up: %d s at %,d events/s offered (not counted)%n", seconds, latencyRate);
            return l;
        }
        System.out.printf(Locale.ROOT, "    latency at %,d events/s offered (%d per request, achieved %,.0f): %,d probes, %,d actions "
                        + "arrived; p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.1f ms; %,d answered 503, %,d errors; load %.1f%n",
                latencyRate, latencyBatch, achieved, l.probes, l.arrived, l.p50, l.p99, l.p999, l.max, l.unavailable,
                l.errors, EndToEnd.loadAverage());
        return l;
    }

    private ObjectNode entry(List<Throughput> throughputs, Latency l, Throughput saturated, double packRate) {
        ObjectNode n = EndToEnd.JSON.createObjectNode();
        n.put("description", "the assembled app in process: POST /api/v1/events from " + connections
                + " connections closed loop for " + seconds + " s, 1 and 100 events per request (202 = accepted, 503 apart); "
                + "latency request -> webhook action of a per-probe decision at a fixed offered rate, and at saturation "
                + "(closed loop, a run of its own); vs the pack in process");
        ObjectNode figures = n.putObject("figures");
        for (Throughput t : throughputs) {
            ObjectNode f = figures.putObject(t.perRequest + "PerRequest");
            f.put("acceptedEventsPerSecond", Math.round(t.acceptedPerSecond)).put("acceptedEvents", t.accepted)
                    .put("requests", t.requests).put("answered503", t.unavailable).put("errors", t.errors)
                    .put("engineProcessedEventsPerSecond", Math.round(t.processedPerSecond))
                    .put("seconds", Math.round(t.seconds * 10) / 10.0)
                    .put("cpuMicrosPerRequest", Math.round(t.cpuMicrosPerRequest));
        }
        figures.put("inProcessPackEventsPerSecond", Math.round(packRate)).put("connections", connections)
                .put("warmupSecondsPerBatch", warmupSeconds);
        ObjectNode lat = figures.putObject("latencyRequestToAction");
        lat.put("offeredEventsPerSecond", l.offered).put("achievedEventsPerSecond", Math.round(l.achievedRate))
                .put("eventsPerRequest", latencyBatch).put("probes", l.probes).put("arrived", l.arrived)
                .put("p50Ms", round2(l.p50)).put("p99Ms", round2(l.p99)).put("p999Ms", round2(l.p999))
                .put("maxMs", round2(l.max)).put("answered503", l.unavailable).put("errors", l.errors);
        if (saturated != null) {
            Latency sat = saturated.probed;
            figures.putObject("latencyRequestToActionAtSaturation").put("eventsPerRequest", saturated.perRequest)
                    .put("acceptedEventsPerSecond", Math.round(saturated.acceptedPerSecond))
                    .put("seconds", Math.round(saturated.seconds * 10) / 10.0).put("probes", sat.probes)
                    .put("arrived", sat.arrived).put("p50Ms", round2(sat.p50)).put("p99Ms", round2(sat.p99))
                    .put("p999Ms", round2(sat.p999)).put("maxMs", round2(sat.max))
                    .put("measuredFrom", "sending the request (closed loop)");
        }
        figures.put("loadAverage", EndToEnd.loadAverage());
        double batch = throughputs.stream().filter(t -> t.perRequest == 100).mapToDouble(Throughput::acceptedPerSecond)
                .findFirst().orElse(Double.NaN);
        double single = throughputs.stream().filter(t -> t.perRequest == 1).mapToDouble(Throughput::acceptedPerSecond)
                .findFirst().orElse(Double.NaN);
        double ratio = batch / packRate;
        boolean latencyOk = l.arrived > 0 && l.arrived == l.probes && l.p99 <= 5.0;
        n.put("ratio", round2(ratio));
        n.put("ratioMeaning", "accepted events/s at 100 per request / the pack in process");
        n.put("targetRatio", 0.5);
        n.put("target", "100 per request >= 0.5x the pack in process, and p99 request -> action <= 5 ms at "
                + latencyRate + " events/s offered");
        n.put("pass", ratio >= 0.5 && latencyOk);
        n.put("summary", String.format(Locale.ROOT, "1/req %,.0f/s, 100/req %,.0f/s, pack %,.0f/s; p50/p99/p99.9 %.1f/%.1f/%.1f ms",
                single, batch, packRate, l.p50, l.p99, l.p999) + (saturated == null ? "" : String.format(Locale.ROOT,
                "; at saturation %.1f/%.1f/%.1f ms", saturated.probed.p50, saturated.probed.p99, saturated.probed.p999)));
        n.put("ratioSummary", String.format(Locale.ROOT, "%.2fx (target >= 0.5x); p99 %.1f ms <= 5 %s", ratio, l.p99,
                latencyOk ? "yes" : "no"));
        return n;
    }

    /** CPU time of this whole process (all threads: the app, the load generator, GC), or 0 where unknown. */
    private static long processCpuNanos() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os ? os.getProcessCpuTime() : 0;
    }

    private static double round2(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
