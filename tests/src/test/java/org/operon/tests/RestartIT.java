package org.operon.tests;

import com.fasterxml.jackson.databind.JsonNode;
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

/** State lives in the data directory: a clean stop (SIGTERM) and a restart keep it. */
class RestartIT {
    @TempDir
    Path tmp;

    @Test
    void auditLogAndDeadLettersSurviveARestartOnTheSameDataDirectory() throws Exception {
        Path data = tmp.resolve("data");
        try (WebhookReceiver webhook = new WebhookReceiver()) {
            Map<String, String> env = Map.of("OPERON_ACTIONS_WEBHOOK_URL", webhook.url());
            OperonProcess first = OperonProcess.start(data, env);
            for (String id : List.of("r-1", "r-2", "r-3")) {
                assertThat(first.post("/api/v1/events", "application/json", CloudEvents.critical(id, "app-7"))
                        .statusCode()).isEqualTo(202);
            }
            assertThat(first.post("/api/v1/events", "application/json", "not json").statusCode()).isEqualTo(400);
            webhook.awaitRequests(1, Duration.ofSeconds(30));
            // The webhook's audit entry is written after its answer: wait for all three targets' entries.
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> first.getJson("/api/v1/actions?limit=100").get("actions").size() == 3);
            JsonNode actionsBefore = first.getJson("/api/v1/actions?limit=100").get("actions");
            JsonNode lettersBefore = first.getJson("/api/v1/deadletters?limit=100").get("deadletters");
            assertThat(lettersBefore).hasSize(1);
            first.terminate();
            assertThat(first.output()).contains("Operon stopped");

            try (OperonProcess second = OperonProcess.start(data, env)) {
                assertThat(second.getJson("/api/v1/actions?limit=100").get("actions")).isEqualTo(actionsBefore);
                assertThat(second.getJson("/api/v1/deadletters?limit=100").get("deadletters")).isEqualTo(lettersBefore);
                // The restored session still knows the burst: one more critical event notifies nothing new.
                assertThat(second.post("/api/v1/events", "application/json", CloudEvents.critical("r-4", "app-7"))
                        .statusCode()).isEqualTo(202);
                second.awaitProcessed(1);
                assertThat(webhook.requests()).hasSize(1);
            }
        }
    }

    @Test
    void sigtermProcessesEventsThatWereAcceptedButNotYetProcessed() throws Exception {
        Path data = tmp.resolve("data");
        try (WebhookReceiver webhook = new WebhookReceiver()) {
            OperonProcess operon = OperonProcess.start(data, Map.of("OPERON_ACTIONS_WEBHOOK_URL", webhook.url()));
            assertThat(operon.post("/api/v1/engine/pause", "application/json", "").statusCode()).isEqualTo(200);
            for (String id : List.of("t-1", "t-2", "t-3")) {
                assertThat(operon.post("/api/v1/events", "application/json", CloudEvents.critical(id, "api-3"))
                        .statusCode()).isEqualTo(202);
            }
            assertThat(operon.engineStatus().get("backlog").asInt()).isEqualTo(3);
            assertThat(webhook.requests()).isEmpty();
            operon.terminate();
            assertThat(webhook.requests()).hasSize(1);
            assertThat(webhook.requests().get(0).body()).contains("api-3");
        }
    }
}
