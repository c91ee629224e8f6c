package org.operon.tests;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.operon.tests.support.CloudEvents;
import org.operon.tests.support.OperonProcess;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The jar killed (kill -9) after a decision was made and while its action was in flight, then restarted on the
 * same data directory: the effect happens exactly once and nothing is lost.
 *
 * <ul>
 *   <li>A webhook answering 503, the action between its retries: after the restart the decision is made again
 *       (the checkpoint had not passed it), the target now accepts, and it sees one accepted effect for the
 *       action's {@code Idempotency-Key}; the log and file actions, done before the kill, are not repeated.</li>
 *   <li>A webhook that took the request and never answered: the restart sends it again with the same
 *       {@code Idempotency-Key}, which the receiver, as the target's API asks, takes as the same effect.</li>
 *   <li>An exec command (a real script) still running at the kill: it is not run again after the restart; the
 *       action is listed failed, "outcome unknown", and the operator's retry runs it once more.</li>
 * </ul>
 */
class EffectAfterCrashIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path tmp;

    @Test
    void aWebhookActionBetweenItsRetriesAtAKillTakesEffectOnceAfterTheRestart() throws Exception {
        Path data = tmp.resolve("data");
        try (IdempotentReceiver webhook = new IdempotentReceiver(IdempotentReceiver.Mode.UNAVAILABLE)) {
            Map<String, String> env = Map.of("OPERON_ACTIONS_WEBHOOK_URL", webhook.url(),
                    "OPERON_ACTIONS_WEBHOOK_MAX_ATTEMPTS", "20",
                    "OPERON_ACTIONS_WEBHOOK_BACKOFF", "500ms");
            OperonProcess first = OperonProcess.start(data, env);
            postBurst(first, "c-", "db-4");
            await().atMost(WAIT).until(() -> webhook.requests() >= 2);
            await().atMost(WAIT).until(() -> actions(first, "db-4").size() == 2); // log and file, both sent
            assertThat(actions(first, "db-4")).extracting(a -> a.get("target").asText() + ":" + a.get("status").asText())
                    .containsExactlyInAnyOrder("log:sent", "file:sent");
            first.kill();
            assertThat(webhook.effects()).as("no effect yet: every attempt was answered 503").isEmpty();

            webhook.mode(IdempotentReceiver.Mode.ACCEPT);
            try (OperonProcess second = OperonProcess.start(data, env)) {
                await().atMost(WAIT).until(() -> webhook.effects().size() == 1);
                await().atMost(WAIT).until(() -> actions(second, "db-4").size() == 3
                        && actions(second, "db-4").stream().allMatch(a -> a.get("status").asText().equals("sent")));
                JsonNode sent = actions(second, "db-4").stream()
                        .filter(a -> a.get("target").asText().equals("webhook")).findFirst().orElseThrow();
                String key = sent.get("id").asText();
                assertThat(webhook.effects()).containsExactly(Map.entry(key, 1));
                assertThat(webhook.requestsFor(key)).as("attempts before the kill, one after").isGreaterThanOrEqualTo(3);
                assertThat(webhook.keys()).containsExactly(key);
                assertThat(fileActionLines(data)).as("the file action was not repeated").hasSize(1);

                // Settled now: a further event changes nothing for db-4.
                assertThat(second.post("/api/v1/events", "application/json",
                        CloudEvents.event("c-x", "host.ok", "other", "info")).statusCode()).isEqualTo(202);
                second.awaitProcessed(1);
                assertThat(webhook.effects()).containsExactly(Map.entry(key, 1));
            }
        }
    }

    @Test
    void aWebhookRequestWhoseAnswerWasLostAtAKillIsRepeatedWithTheSameIdempotencyKey() throws Exception {
        Path data = tmp.resolve("data");
        try (IdempotentReceiver webhook = new IdempotentReceiver(IdempotentReceiver.Mode.HOLD)) {
            Map<String, String> env = Map.of("OPERON_ACTIONS_WEBHOOK_URL", webhook.url(),
                    "OPERON_ACTIONS_WEBHOOK_TIMEOUT", "60s");
            OperonProcess first = OperonProcess.start(data, env);
            postBurst(first, "h-", "db-5");
            await().atMost(WAIT).until(() -> webhook.requests() == 1);
            String key = webhook.keys().get(0);
            assertThat(webhook.effects()).as("the receiver acted on it; its answer is held").containsExactly(
                    Map.entry(key, 1));
            first.kill();
            webhook.mode(IdempotentReceiver.Mode.ACCEPT);
            webhook.releaseHeld();

            try (OperonProcess second = OperonProcess.start(data, env)) {
                await().atMost(WAIT).until(() -> webhook.requestsFor(key) == 2);
                await().atMost(WAIT).until(() -> actions(second, "db-5").stream()
                        .anyMatch(a -> a.get("target").asText().equals("webhook")
                                && a.get("status").asText().equals("sent")));
                assertThat(actions(second, "db-5")).filteredOn(a -> a.get("target").asText().equals("webhook"))
                        .singleElement().satisfies(a -> assertThat(a.get("id").asText()).isEqualTo(key));
                assertThat(webhook.effects()).as("the repeat carried the same key: one effect")
                        .containsExactly(Map.entry(key, 1));
                assertThat(fileActionLines(data)).hasSize(1);
            }
        }
    }

    @Test
    void anExecCommandRunningAtAKillIsNotRunAgainButListedFailedAndRunsOnceMoreOnRetry() throws Exception {
        Path data = tmp.resolve("data");
        Path runs = tmp.resolve("runs");
        Path release = tmp.resolve("release");
        Path script = tmp.resolve("restart.sh");
        // Counts its runs, then blocks until the test releases it (at most 60 s).
        Files.writeString(script, "#!/bin/sh\necho \"$1\" >> '" + runs + "'\ni=0\n"
                + "while [ ! -f '" + release + "' ] && [ $i -lt 1200 ]; do sleep 0.05; i=$((i+1)); done\nexit 0\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        Path execFile = Files.writeString(tmp.resolve("exec.yaml"),
                "commands:\n  restart:\n    command: [\"" + script + "\", \"{{subject}}\"]\n    timeout: 90s\n");
        Path rules = Files.createDirectories(tmp.resolve("rules"));
        Files.writeString(rules.resolve("restart.drl"), """
                package org.example.rules;

                import java.util.List;
                import org.operon.model.Decision;
                import org.operon.model.Event;

                rule "restart-on-hang"
                when
                    $e : Event(type == "service.hung")
                then
                    channels["decisions"].send(Decision.of("restart", $e.getSubject(), drools.getRule().getName(),
                            List.of($e.getId())).withParam("command", "restart"));
                end
                """);
        Map<String, String> env = Map.of("OPERON_RULES_DIR", rules.toString(),
                "OPERON_ACTIONS_EXEC_FILE", execFile.toString(),
                "OPERON_ACTIONS_TARGETS_RESTART", "exec");
        try {
            OperonProcess first = OperonProcess.start(data, env);
            assertThat(first.post("/api/v1/events", "application/json",
                    CloudEvents.event("hung-1", "service.hung", "web-9", "warning")).statusCode()).isEqualTo(202);
            await().atMost(WAIT).until(() -> lines(runs) == 1);
            assertThat(actions(first, "web-9")).filteredOn(a -> a.get("target").asText().equals("exec"))
                    .singleElement().satisfies(a -> assertThat(a.get("status").asText()).isEqualTo("running"));
            first.kill();
            Files.writeString(release, "go"); // the orphaned script ends; later runs do not block

            try (OperonProcess second = OperonProcess.start(data, env)) {
                JsonNode failed = await().atMost(WAIT).until(
                        () -> second.getJson("/api/v1/actions?status=failed").get("actions"), a -> a.size() == 1).get(0);
                assertThat(failed.get("target").asText()).isEqualTo("exec");
                assertThat(failed.get("subject").asText()).isEqualTo("web-9");
                assertThat(failed.get("reason").asText())
                        .isEqualTo("outcome unknown: Operon stopped while the action was running");
                String id = failed.get("id").asText();
                assertThat(lines(runs)).as("not run again after the restart").isEqualTo(1);

                assertThat(second.send(HttpRequest.newBuilder(URI.create(second.baseUrl() + "/api/v1/actions/" + id
                        + "/retry")).POST(HttpRequest.BodyPublishers.noBody())).statusCode()).isEqualTo(202);
                await().atMost(WAIT).until(() -> actions(second, "web-9").stream().anyMatch(
                        a -> a.get("id").asText().equals(id) && a.get("status").asText().equals("sent")));
                assertThat(lines(runs)).as("the retry ran it once").isEqualTo(2);
                assertThat(second.getJson("/api/v1/actions?status=failed").get("actions")).isEmpty();
                assertThat(Files.readAllLines(runs)).containsOnly("web-9");
            }
        } finally {
            Files.writeString(release, "go");
        }
    }

    private static void postBurst(OperonProcess operon, String idPrefix, String subject) throws IOException {
        for (int i = 1; i <= 3; i++) {
            assertThat(operon.post("/api/v1/events", "application/json", CloudEvents.critical(idPrefix + i, subject))
                    .statusCode()).isEqualTo(202);
        }
    }

    /** The audit entries about {@code subject}. */
    private static List<JsonNode> actions(OperonProcess operon, String subject) throws IOException {
        JsonNode all = operon.getJson("/api/v1/actions?limit=100").get("actions");
        return StreamSupport.stream(all.spliterator(), false)
                .filter(a -> a.get("subject").asText().equals(subject)).toList();
    }

    /** Every line the file target wrote under the data directory. */
    private static List<String> fileActionLines(Path data) throws IOException {
        List<String> lines = new ArrayList<>();
        try (Stream<Path> files = Files.list(data.resolve("actions"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".jsonl")).toList()) {
                lines.addAll(Files.readAllLines(f).stream().filter(l -> !l.isBlank()).toList());
            }
        }
        return lines;
    }

    private static long lines(Path file) throws IOException {
        return Files.exists(file) ? Files.readAllLines(file).size() : 0;
    }

    /**
     * A real HTTP server that acts as a webhook receiver honouring {@code Idempotency-Key}: it counts every
     * request per key, and performs the effect of a key (counted in {@link #effects()}) once, on the first
     * request it accepts; a later request with the same key is answered 200 and changes nothing.
     */
    static final class IdempotentReceiver implements AutoCloseable {
        enum Mode {
            /** Answer 503 and do nothing. */
            UNAVAILABLE,
            /** Perform the effect, answer 200. */
            ACCEPT,
            /** Perform the effect, then hold the answer until {@link #releaseHeld()}. */
            HOLD
        }

        private final HttpServer server;
        private final ExecutorService threads = Executors.newCachedThreadPool();
        private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
        private final Map<String, Integer> effects = new ConcurrentHashMap<>();
        private final List<String> keys = new java.util.concurrent.CopyOnWriteArrayList<>();
        private final CountDownLatch held = new CountDownLatch(1);
        private volatile Mode mode;

        IdempotentReceiver(Mode mode) throws IOException {
            this.mode = mode;
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.setExecutor(threads);
            server.createContext("/", this::answer);
            server.start();
        }

        private void answer(HttpExchange exchange) throws IOException {
            exchange.getRequestBody().readAllBytes();
            String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
            if (key == null) {
                exchange.sendResponseHeaders(400, -1);
                exchange.close();
                return;
            }
            if (!keys.contains(key)) {
                keys.add(key);
            }
            requests.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
            Mode now = mode;
            if (now == Mode.UNAVAILABLE) {
                exchange.sendResponseHeaders(503, -1);
                exchange.close();
                return;
            }
            effects.putIfAbsent(key, 1);
            if (now == Mode.HOLD) {
                try {
                    held.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            try {
                exchange.sendResponseHeaders(200, -1);
            } catch (IOException gone) {
                // the caller was killed while the answer was held
            }
            exchange.close();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
        }

        void mode(Mode m) {
            mode = m;
        }

        void releaseHeld() {
            held.countDown();
        }

        int requests() {
            return requests.values().stream().mapToInt(AtomicInteger::get).sum();
        }

        int requestsFor(String key) {
            AtomicInteger n = requests.get(key);
            return n == null ? 0 : n.get();
        }

        /** The keys in the order first seen. */
        List<String> keys() {
            return List.copyOf(keys);
        }

        /** Effects performed per key. */
        Map<String, Integer> effects() {
            return Map.copyOf(effects);
        }

        @Override
        public void close() {
            held.countDown();
            server.stop(0);
            threads.shutdownNow();
        }
    }
}
