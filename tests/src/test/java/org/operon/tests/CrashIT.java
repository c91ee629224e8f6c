package org.operon.tests;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.operon.tests.support.CloudEvents;
import org.operon.tests.support.OperonProcess;
import org.operon.tests.support.WebhookReceiver;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** 202 means durable: a kill -9 loses no accepted event and repeats no effect. */
class CrashIT {
    @TempDir
    Path tmp;

    @Test
    void eventsAcceptedBeforeAKillAreProcessedAfterRestartAndNotifyOnce() throws Exception {
        Path data = tmp.resolve("data");
        try (WebhookReceiver webhook = new WebhookReceiver()) {
            Map<String, String> env = Map.of("OPERON_ACTIONS_WEBHOOK_URL", webhook.url());
            OperonProcess first = OperonProcess.start(data, env);
            // Paused: accepted events are journaled and queued but not processed, so the kill
            // certainly comes before processing.
            assertThat(first.post("/api/v1/engine/pause", "application/json", "").statusCode()).isEqualTo(200);
            for (String id : List.of("k-1", "k-2", "k-3")) {
                assertThat(first.post("/api/v1/events", "application/json", CloudEvents.critical(id, "cache-2"))
                        .statusCode()).isEqualTo(202);
            }
            assertThat(first.engineStatus().get("backlog").asInt()).isEqualTo(3);
            first.kill();
            assertThat(webhook.requests()).isEmpty();

            OperonProcess second = OperonProcess.start(data, env);
            List<WebhookReceiver.Request> received = webhook.awaitRequests(1, Duration.ofSeconds(30));
            assertThat(received.get(0).body()).contains("cache-2").contains("k-1").contains("k-3");

            // A second crash after the effect is recorded: the restored session replays the events
            // with its decisions muted, and the audit log knows the action was sent: no second
            // notification. (Between the effect and its audit entry a crash can repeat it; the
            // repeat carries the same Idempotency-Key.)
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    second.getJson("/api/v1/actions?limit=100").toString().contains("\"target\":\"webhook\",\"status\":\"sent\""));
            second.kill();
            try (OperonProcess third = OperonProcess.start(data, env)) {
                assertThat(third.post("/api/v1/events", "application/json", CloudEvents.event("k-4", "host.ok", "other", "info"))
                        .statusCode()).isEqualTo(202);
                third.awaitProcessed(1);
                assertThat(webhook.requests()).hasSize(1);
                assertThat(third.getJson("/api/v1/actions?limit=100").get("actions").toString()).contains("cache-2");
            }
        }
    }
}
