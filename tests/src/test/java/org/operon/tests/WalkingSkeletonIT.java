package org.operon.tests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.operon.tests.support.CloudEvents;
import org.operon.tests.support.OperonProcess;
import org.operon.tests.support.WebhookReceiver;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The first complete path: CloudEvents over real HTTP into the running jar, a decision by the
 * packaged rules, the webhook action arriving at a real HTTP server, and its audit entry.
 */
class WalkingSkeletonIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void threeCriticalEventsForOneHostNotifyTheWebhookOnceAndAreAudited() throws Exception {
        try (WebhookReceiver webhook = new WebhookReceiver();
             OperonProcess operon = OperonProcess.start(tmp.resolve("data"),
                     Map.of("OPERON_ACTIONS_WEBHOOK_URL", webhook.url()))) {

            // Two critical events for db-1 are not a burst; they go first, so they are processed
            // before web-1's events and would have produced an action by the time web-1's arrives.
            for (String id : List.of("db-a", "db-b")) {
                assertThat(operon.post("/api/v1/events", "application/cloudevents+json",
                        CloudEvents.critical(id, "db-1")).statusCode()).isEqualTo(202);
            }
            for (String id : List.of("web-a", "web-b", "web-c")) {
                HttpResponse<String> r = operon.post("/api/v1/events", "application/cloudevents+json",
                        CloudEvents.critical(id, "web-1"));
                assertThat(r.statusCode()).isEqualTo(202);
                assertThat(JSON.readTree(r.body()).get("accepted").get(0).asText()).isEqualTo(id);
            }

            List<WebhookReceiver.Request> received = webhook.awaitRequests(1, Duration.ofSeconds(30));
            JsonNode body = JSON.readTree(received.get(0).body());
            assertThat(body.get("type").asText()).isEqualTo("notify");
            assertThat(body.get("subject").asText()).isEqualTo("web-1");
            assertThat(texts(body.get("eventIds"))).containsExactly("web-a", "web-b", "web-c");
            assertThat(received.get(0).header("Idempotency-Key")).isNotBlank();

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                JsonNode actions = JSON.readTree(operon.get("/api/v1/actions?limit=50").body()).get("actions");
                List<JsonNode> webhookActions = new ArrayList<>();
                actions.forEach(a -> {
                    if (a.get("target").asText().equals("webhook")) webhookActions.add(a);
                });
                assertThat(webhookActions).hasSize(1);
                JsonNode a = webhookActions.get(0);
                assertThat(a.get("type").asText()).isEqualTo("notify");
                assertThat(a.get("subject").asText()).isEqualTo("web-1");
                assertThat(a.get("status").asText()).isEqualTo("sent");
                assertThat(a.get("rule").asText()).isNotBlank();
                assertThat(texts(a.get("eventIds"))).containsExactly("web-a", "web-b", "web-c");
                assertThat(a.get("id").asText()).isNotBlank();
                assertThat(a.get("time").asText()).isNotBlank();
            });

            // More critical events while the burst continues decide nothing new; db-1 never bursts.
            assertThat(operon.post("/api/v1/events", "application/cloudevents+json",
                    CloudEvents.critical("web-d", "web-1")).statusCode()).isEqualTo(202);
            operon.awaitProcessed(6);
            JsonNode all = JSON.readTree(operon.get("/api/v1/actions?limit=100").body()).get("actions");
            all.forEach(a -> assertThat(a.get("subject").asText()).isEqualTo("web-1"));
            assertThat(webhook.requests()).hasSize(1);
        }
    }

    static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
