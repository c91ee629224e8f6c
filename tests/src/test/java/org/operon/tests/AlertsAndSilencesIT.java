package org.operon.tests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.operon.tests.support.OperonProcess;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Prometheus-style alerts and Alertmanager-style silences through the running jar: an alert posted
 * to /api/v2/alerts is listed with its fingerprint and decided on; a silence created through
 * /api/v2/silences makes the decisions about matching alerts show as suppressed in the audit.
 */
class AlertsAndSilencesIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void alertsAreListedAndDecidedAndASilenceSuppressesTheirActions() throws Exception {
        try (OperonProcess operon = OperonProcess.start(tmp.resolve("data"), Map.of())) {
            HttpResponse<String> posted = operon.post("/api/v2/alerts", "application/json", """
                    [{"labels":{"alertname":"DiskFull","instance":"db-1","severity":"critical"},
                      "annotations":{"summary":"disk almost full"},
                      "generatorURL":"http://prometheus:9090/graph"}]""");
            assertThat(posted.statusCode()).isEqualTo(200);

            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                JsonNode alerts = operon.getJson("/api/v2/alerts");
                assertThat(alerts).hasSize(1);
                assertThat(alerts.get(0).get("labels").get("alertname").asText()).isEqualTo("DiskFull");
                assertThat(alerts.get(0).get("fingerprint").asText()).hasSize(16);
                assertThat(alerts.get(0).get("status").get("state").asText()).isEqualTo("active");
            });
            await().atMost(Duration.ofSeconds(20)).until(() -> audit(operon, "alert-firing", "sent"));

            String now = Instant.now().minusSeconds(1).toString();
            String later = Instant.now().plusSeconds(3600).toString();
            HttpResponse<String> silence = operon.post("/api/v2/silences", "application/json", """
                    {"matchers":[{"name":"alertname","value":"Disk.*","isRegex":true,"isEqual":true}],
                     "startsAt":"%s","endsAt":"%s","createdBy":"ops","comment":"replacing disks"}"""
                    .formatted(now, later));
            assertThat(silence.statusCode()).as(silence.body()).isEqualTo(200);
            String silenceId = JSON.readTree(silence.body()).get("silenceID").asText();

            assertThat(operon.post("/api/v2/alerts", "application/json", """
                    [{"labels":{"alertname":"DiskFull","instance":"db-2","severity":"critical"}}]""")
                    .statusCode()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                JsonNode actions = operon.getJson("/api/v1/actions?limit=100").get("actions");
                boolean suppressed = false;
                for (JsonNode a : actions) {
                    if (a.get("type").asText().equals("alert-firing") && a.get("status").asText().equals("suppressed")) {
                        assertThat(a.get("reason").asText()).contains(silenceId);
                        suppressed = true;
                    }
                }
                assertThat(suppressed).as(actions.toString()).isTrue();
            });
            JsonNode listed = operon.getJson("/api/v2/silences");
            assertThat(listed.toString()).contains(silenceId).contains("\"state\":\"active\"");
        }
    }

    private static boolean audit(OperonProcess operon, String type, String status) throws Exception {
        for (JsonNode a : operon.getJson("/api/v1/actions?limit=100").get("actions")) {
            if (a.get("type").asText().equals(type) && a.get("status").asText().equals(status)) {
                return true;
            }
        }
        return false;
    }
}
