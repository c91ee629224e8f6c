package org.operon.tests;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.operon.tests.support.OperonProcess;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An incident older than what a restart replays continues after the restart: with a restore horizon
 * of zero the session after the restart learns of the incident only from the incident store. Prometheus
 * re-sending its alert then pages nobody again and opens no second incident; a new alert of the service
 * joins the same incident.
 */
class IncidentRestartIT {
    @TempDir
    Path tmp;

    @Test
    void anIncidentContinuesAfterARestartWithoutRepeatingItsPages() throws Exception {
        Path data = tmp.resolve("data");
        Map<String, String> env = Map.of("OPERON_ENGINE_RESTORE_HORIZON", "0s");
        Instant startsAt = Instant.now().minusSeconds(120);
        String first = """
                [{"labels":{"alertname":"HighLatency","service":"checkout"},"startsAt":"%s"}]""".formatted(startsAt);

        String id;
        OperonProcess before = OperonProcess.start(data, env);
        try {
            assertThat(before.post("/api/v2/alerts", "application/json", first).statusCode()).isEqualTo(200);
            JsonNode incident = await().atMost(Duration.ofSeconds(20)).until(() -> only(before, "checkout"), i -> i != null);
            id = incident.get("id").asText();
            await().atMost(Duration.ofSeconds(20)).until(() -> count(before, "alert-firing") == 1);
        } finally {
            before.terminate();
        }

        try (OperonProcess after = OperonProcess.start(data, env)) {
            // The re-send of the same alert and a new alert of the service.
            assertThat(after.post("/api/v2/alerts", "application/json", first).statusCode()).isEqualTo(200);
            assertThat(after.post("/api/v2/alerts", "application/json", """
                    [{"labels":{"alertname":"ErrorRate","service":"checkout"}}]""").statusCode()).isEqualTo(200);
            JsonNode incident = await().atMost(Duration.ofSeconds(20)).until(() -> only(after, "checkout"),
                    i -> i != null && i.get("alerts").size() == 2);
            assertThat(incident.get("id").asText()).isEqualTo(id);
            assertThat(incident.get("status").asText()).isEqualTo("open");
            await().atMost(Duration.ofSeconds(20)).until(() -> count(after, "alert-firing") == 2);
            // The re-sent alert paged once in all (before the restart); only ErrorRate is new. No second opening.
            assertThat(count(after, "incident-opened")).isEqualTo(1);
            assertThat(after.getJson("/api/v1/incidents?key=checkout").get("incidents")).hasSize(1);
        }
    }

    /** The one incident of the key (null when there is none; fails when there are several). */
    private static JsonNode only(OperonProcess operon, String key) throws Exception {
        JsonNode list = operon.getJson("/api/v1/incidents?key=" + key).get("incidents");
        assertThat(list.size()).as(list.toString()).isLessThanOrEqualTo(1);
        return list.isEmpty() ? null : list.get(0);
    }

    private static long count(OperonProcess operon, String type) throws Exception {
        long n = 0;
        for (JsonNode a : operon.getJson("/api/v1/actions?limit=500").get("actions")) {
            if (a.get("type").asText().equals(type) && a.get("target").asText().equals("log")) n++;
        }
        return n;
    }
}
