package org.operon.tests;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.operon.tests.support.OperonProcess;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A cron maintenance window through the running jar: while it is active, the decisions about the
 * alerts it matches are audited as suppressed naming the window; other alerts act as usual.
 */
class MaintenanceWindowsIT {
    @TempDir
    Path tmp;

    @Test
    void anActiveCronWindowSuppressesTheDecisionsItMatches() throws Exception {
        Path windows = tmp.resolve("maintenance.json");
        // Starts every minute and lasts two: always active.
        Files.writeString(windows, """
                {"windows": [{"name": "batch-reindex", "matchers": ["service=batch"],
                              "cron": "* * * * *", "duration": "2m", "zone": "UTC"}]}""");
        try (OperonProcess operon = OperonProcess.start(tmp.resolve("data"), Map.of(
                "OPERON_MAINTENANCE_FILE", windows.toString()))) {
            assertThat(operon.post("/api/v2/alerts", "application/json", """
                    [{"labels":{"alertname":"Slow","service":"batch"}},
                     {"labels":{"alertname":"Slow","service":"web"}}]""").statusCode()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                Map<String, JsonNode> byService = firingsByService(operon);
                assertThat(byService).containsKeys("batch", "web");
                assertThat(byService.get("batch").get("status").asText()).isEqualTo("suppressed");
                assertThat(byService.get("batch").get("reason").asText()).isEqualTo("maintenance window batch-reindex");
                assertThat(byService.get("web").get("status").asText()).isEqualTo("sent");
            });
        }
    }

    /** The log target's alert-firing audit entries by the service label of their alert. */
    private static Map<String, JsonNode> firingsByService(OperonProcess operon) throws Exception {
        Map<String, String> serviceByFingerprint = new HashMap<>();
        for (JsonNode alert : operon.getJson("/api/v2/alerts")) {
            serviceByFingerprint.put(alert.get("fingerprint").asText(), alert.get("labels").path("service").asText());
        }
        Map<String, JsonNode> out = new HashMap<>();
        for (JsonNode a : operon.getJson("/api/v1/actions?limit=200").get("actions")) {
            if (a.get("type").asText().equals("alert-firing") && a.get("target").asText().equals("log")) {
                String service = serviceByFingerprint.get(a.get("subject").asText());
                if (service != null) out.put(service, a);
            }
        }
        return out;
    }
}
