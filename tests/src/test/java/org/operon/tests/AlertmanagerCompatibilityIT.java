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
 * The running jar as Alertmanager's peers see it: the webhook's resolve timeout comes from
 * operon.alertmanager.resolve-timeout, and GET /api/v2/status reports Operon's version from the build.
 */
class AlertmanagerCompatibilityIT {
    private static final Path FIXTURES = Path.of("../integration/src/test/resources/alertmanager");

    @TempDir
    Path tmp;

    private static boolean hasAction(OperonProcess operon, String type) throws Exception {
        return operon.getJson("/api/v1/actions?limit=100").toString().contains("\"type\":\"" + type + "\"");
    }

    @Test
    void aFiringWebhookAlertThatIsNotSentAgainResolvesAfterTheConfiguredResolveTimeout() throws Exception {
        try (OperonProcess operon = OperonProcess.start(tmp.resolve("data"),
                Map.of("OPERON_ALERTMANAGER_RESOLVE_TIMEOUT", "4s"))) {
            String firing = Files.readString(FIXTURES.resolve("alertmanager-firing.json"));
            assertThat(operon.post("/api/v1/alertmanager", "application/json", firing).statusCode()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(20)).until(() -> hasAction(operon, "alert-firing"));

            // No resolved notification is sent: the alert ends by the timeout (4 s here, 4h10m by default).
            await().atMost(Duration.ofSeconds(30)).until(() -> hasAction(operon, "alert-resolved"));
            assertThat(operon.getJson("/api/v2/alerts").toString()).doesNotContain("2bd0845d243bb57e");
        }
    }

    @Test
    void statusReportsOperonsVersionInAlertmanagersShape() throws Exception {
        try (OperonProcess operon = OperonProcess.start(tmp.resolve("data"), Map.of())) {
            JsonNode status = operon.getJson("/api/v2/status");

            String version = status.get("versionInfo").get("version").asText();
            assertThat(version).isNotEqualTo("unknown").matches("\\d+\\.\\d+\\.\\d+.*");
            assertThat(status.get("cluster").get("status").asText()).isEqualTo("ready");
        }
    }
}
