package org.operon.tests;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.operon.tests.support.OperonProcess;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Payloads captured from a real Alertmanager, posted to the running jar's webhook: the alerts become
 * Alert facts (listed by GET /api/v2/alerts, keyed by the fingerprint Alertmanager computed) and are
 * decided on; the resolved payload resolves them.
 */
class AlertmanagerWebhookIT {
    private static final Path FIXTURES = Path.of("../integration/src/test/resources/alertmanager");

    @TempDir
    Path tmp;

    @Test
    void firingThenResolvedPayloadsFromARealAlertmanagerAreDecidedOn() throws Exception {
        try (OperonProcess operon = OperonProcess.start(tmp.resolve("data"), Map.of())) {
            String firing = Files.readString(FIXTURES.resolve("alertmanager-firing.json"));
            assertThat(operon.post("/api/v1/alertmanager", "application/json", firing).statusCode()).isEqualTo(200);

            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                JsonNode alerts = operon.getJson("/api/v2/alerts");
                assertThat(alerts.toString()).contains("HighCpu").contains("2bd0845d243bb57e");
            });
            await().atMost(Duration.ofSeconds(20)).until(() ->
                    operon.getJson("/api/v1/actions?limit=100").toString().contains("\"type\":\"alert-firing\""));

            String resolved = Files.readString(FIXTURES.resolve("alertmanager-resolved.json"));
            assertThat(operon.post("/api/v1/alertmanager", "application/json", resolved).statusCode()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(20)).until(() ->
                    operon.getJson("/api/v1/actions?limit=100").toString().contains("\"type\":\"alert-resolved\""));

            assertThat(operon.post("/api/v1/alertmanager", "application/json", "{\"version\": ").statusCode())
                    .isEqualTo(400);
            assertThat(operon.getJson("/api/v1/deadletters?limit=10").toString()).contains("/api/v1/alertmanager");
        }
    }
}
