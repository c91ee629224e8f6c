package org.operon.tests;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.operon.tests.support.OperonProcess;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.StringJoiner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A storm through the running jar: 25 alerts of one service at once decide one alert-storm, no
 * alert-firing, and make one storm incident.
 */
class AlertStormIT {
    @TempDir
    Path tmp;

    @Test
    void manyAlertsOfOneServiceAtOnceAreOneStormDecision() throws Exception {
        try (OperonProcess operon = OperonProcess.start(tmp.resolve("data"), Map.of())) {
            StringJoiner alerts = new StringJoiner(",", "[", "]");
            for (int i = 0; i < 25; i++) {
                alerts.add("{\"labels\":{\"alertname\":\"PodCrash\",\"service\":\"checkout\",\"pod\":\"p-" + i + "\"}}");
            }
            assertThat(operon.post("/api/v2/alerts", "application/json", alerts.toString()).statusCode()).isEqualTo(200);
            // One ordinary event after the alerts: once it is processed, so are they.
            assertThat(operon.post("/api/v1/events", "application/json",
                    "{\"specversion\":\"1.0\",\"id\":\"m\",\"source\":\"/t\",\"type\":\"marker\"}").statusCode())
                    .isEqualTo(202);
            operon.awaitProcessed(26); // 25 alert reports and the marker

            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                JsonNode actions = operon.getJson("/api/v1/actions?limit=200").get("actions");
                long storms = 0;
                long firings = 0;
                for (JsonNode a : actions) {
                    if (a.get("target").asText().equals("log")) {
                        if (a.get("type").asText().equals("alert-storm")) storms++;
                        if (a.get("type").asText().equals("alert-firing")) firings++;
                    }
                }
                assertThat(storms).isEqualTo(1);
                assertThat(firings).isZero();
            });
            assertThat(operon.getJson("/api/v2/alerts")).hasSize(25);
            // One storm incident for the service, not 25 of anything.
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                JsonNode incidents = operon.getJson("/api/v1/incidents?key=checkout").get("incidents");
                assertThat(incidents).hasSize(1);
                assertThat(incidents.get(0).get("kind").asText()).isEqualTo("storm");
                assertThat(incidents.get(0).get("alerts")).hasSize(25);
            });
        }
    }
}
