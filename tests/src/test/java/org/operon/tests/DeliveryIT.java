package org.operon.tests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.operon.tests.support.CloudEvents;
import org.operon.tests.support.OperonProcess;

import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Delivery guarantees in the running jar: a webhook target that is down fails the action after its
 * attempts and opens its circuit (per-target settings from the environment); the failed action is
 * listed by {@code GET /api/v1/actions?status=failed}, the circuit by {@code GET /api/v1/actions/targets},
 * and once the target is back {@code POST /api/v1/actions/{id}/retry} delivers it through the open
 * circuit, closes it, and the action leaves the failed list audited sent.
 */
class DeliveryIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path tmp;

    @Test
    void aFailedActionIsListedAndRetriedThroughTheOpenCircuitOnceTheTargetIsBack() throws Exception {
        List<String> keys = new CopyOnWriteArrayList<>();
        int[] status = {503};
        HttpServer target = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        target.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            keys.add(exchange.getRequestHeaders().getFirst("Idempotency-Key"));
            exchange.sendResponseHeaders(status[0], -1);
            exchange.close();
        });
        target.start();
        try (OperonProcess operon = OperonProcess.start(tmp.resolve("data"), Map.of(
                "OPERON_ACTIONS_WEBHOOK_URL", "http://127.0.0.1:" + target.getAddress().getPort() + "/hook",
                "OPERON_ACTIONS_WEBHOOK_MAX_ATTEMPTS", "2",
                "OPERON_ACTIONS_WEBHOOK_BACKOFF", "10ms",
                "OPERON_ACTIONS_WEBHOOK_CIRCUIT_FAILURES", "1",
                "OPERON_ACTIONS_WEBHOOK_CIRCUIT_OPEN_FOR", "1h"))) {
            for (String id : List.of("web-a", "web-b", "web-c")) {
                assertThat(operon.post("/api/v1/events", "application/cloudevents+json",
                        CloudEvents.critical(id, "web-1")).statusCode()).isEqualTo(202);
            }

            JsonNode failed = await().atMost(WAIT).until(
                    () -> operon.getJson("/api/v1/actions?status=failed").get("actions"), a -> a.size() == 1).get(0);
            assertThat(failed.get("target").asText()).isEqualTo("webhook");
            assertThat(failed.get("subject").asText()).isEqualTo("web-1");
            assertThat(failed.get("reason").asText()).isEqualTo("HTTP 503 Service Unavailable after 2 attempts");
            String id = failed.get("id").asText();
            assertThat(keys).containsExactly(id, id);
            JsonNode webhook = webhookTarget(operon);
            assertThat(webhook.get("circuit").asText()).isEqualTo("open");
            assertThat(webhook.get("consecutiveFailures").asInt()).isEqualTo(1);

            // Not failed, unknown: refused.
            assertThat(retry(operon, "0123456789abcdef01234567").statusCode()).isEqualTo(404);

            status[0] = 200;
            HttpResponse<String> retried = retry(operon, id);
            assertThat(retried.statusCode()).isEqualTo(202);
            JsonNode body = JSON.readTree(retried.body());
            assertThat(body.get("status").asText()).isEqualTo("queued");
            assertThat(body.get("action").get("id").asText()).isEqualTo(id);
            assertThat(body.get("action").get("subject").asText()).isEqualTo("web-1");

            await().atMost(WAIT).until(() -> operon.getJson("/api/v1/actions?status=failed").get("actions").isEmpty());
            JsonNode sent = operon.getJson("/api/v1/actions?status=sent").get("actions");
            assertThat(sent).anySatisfy(a -> {
                assertThat(a.get("id").asText()).isEqualTo(id);
                assertThat(a.get("target").asText()).isEqualTo("webhook");
            });
            assertThat(keys).containsExactly(id, id, id);
            assertThat(webhookTarget(operon).get("circuit").asText()).isEqualTo("closed");
            HttpResponse<String> again = retry(operon, id);
            assertThat(again.statusCode()).isEqualTo(409);
            assertThat(JSON.readTree(again.body()).get("error").asText()).isEqualTo("not_failed");
        } finally {
            target.stop(0);
        }
    }

    private static HttpResponse<String> retry(OperonProcess operon, String id) throws Exception {
        return operon.send(HttpRequest.newBuilder(java.net.URI.create(operon.baseUrl() + "/api/v1/actions/" + id
                + "/retry")).POST(HttpRequest.BodyPublishers.noBody()));
    }

    private static JsonNode webhookTarget(OperonProcess operon) throws Exception {
        for (JsonNode t : operon.getJson("/api/v1/actions/targets").get("targets")) {
            if (t.get("name").asText().equals("webhook")) {
                return t;
            }
        }
        throw new AssertionError("no webhook target in " + operon.getJson("/api/v1/actions/targets"));
    }
}
