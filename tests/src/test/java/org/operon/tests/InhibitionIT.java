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
 * Inhibition through the running jar: an Alertmanager-style inhibit rule file, and the service
 * topology of the reference data. Inhibited alerts still exist; their decisions are audited as
 * suppressed with the reason. A change of the reference data applies while Operon runs.
 */
class InhibitionIT {
    @TempDir
    Path tmp;

    @Test
    void aCriticalAlertInhibitsTheWarningsOfTheSameClusterAndADependencyMutesItsDependents() throws Exception {
        Path inhibit = tmp.resolve("inhibit.yaml");
        Files.writeString(inhibit, """
                inhibit_rules:
                  - source_matchers: ['severity="critical"']
                    target_matchers: ['severity="warning"']
                    equal: [cluster]
                """);
        Path reference = Files.createDirectories(tmp.resolve("reference"));
        Files.writeString(reference.resolve("services.yaml"), """
                services:
                  - name: db
                  - name: checkout
                    depends_on: [db]
                """);
        try (OperonProcess operon = OperonProcess.start(tmp.resolve("data"), Map.of(
                "OPERON_INHIBIT_FILE", inhibit.toString(),
                "OPERON_REFERENCE_DIR", reference.toString()))) {
            // Inhibit rule: the critical NodeDown in eu-1 mutes the warning in eu-1, not the one in us-1.
            post(operon, """
                    [{"labels":{"alertname":"NodeDown","severity":"critical","cluster":"eu-1"}},
                     {"labels":{"alertname":"HighLoad","severity":"warning","cluster":"eu-1"}},
                     {"labels":{"alertname":"HighLoad","severity":"warning","cluster":"us-1"}}]""");
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                assertThat(firing(operon, "NodeDown", "eu-1").get("status").asText()).isEqualTo("sent");
                JsonNode muted = firing(operon, "HighLoad", "eu-1");
                assertThat(muted.get("status").asText()).isEqualTo("suppressed");
                assertThat(muted.get("reason").asText()).startsWith("inhibited by alert ");
                assertThat(firing(operon, "HighLoad", "us-1").get("status").asText()).isEqualTo("sent");
            });

            // Topology: while db has a firing alert, checkout (which depends on db) is muted.
            post(operon, """
                    [{"labels":{"alertname":"DbDown","service":"db","severity":"critical"}},
                     {"labels":{"alertname":"Errors","service":"checkout","instance":"c-1"}}]""");
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                JsonNode muted = firing(operon, "Errors", "c-1");
                assertThat(muted.get("status").asText()).isEqualTo("suppressed");
                assertThat(muted.get("reason").asText()).contains("inhibited by service db, which checkout depends on");
            });

            // The reference data changes while Operon runs: checkout no longer depends on db.
            Files.writeString(reference.resolve("services.yaml"), """
                    services:
                      - name: db
                      - name: checkout
                    """);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                JsonNode reload = operon.getJson("/api/v1/rules").get("lastReload");
                assertThat(reload.path("trigger").asText()).isEqualTo("file change");
                assertThat(reload.path("status").asText()).isEqualTo("ok");
            });
            post(operon, """
                    [{"labels":{"alertname":"Errors","service":"checkout","instance":"c-2"}}]""");
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(firing(operon, "Errors", "c-2").get("status").asText()).isEqualTo("sent"));
            // Nothing decided before the switch was repeated by it.
            assertThat(count(operon, "alert-firing")).isEqualTo(6);
        }
    }

    private static void post(OperonProcess operon, String alerts) throws Exception {
        assertThat(operon.post("/api/v2/alerts", "application/json", alerts).statusCode()).isEqualTo(200);
    }

    /**
     * The log target's audit entry of the alert-firing decision (whose subject is the fingerprint) of the
     * alert with this alertname and cluster or instance label.
     */
    private static JsonNode firing(OperonProcess operon, String alertname, String where) throws Exception {
        String fingerprint = null;
        for (JsonNode alert : operon.getJson("/api/v2/alerts")) {
            JsonNode labels = alert.get("labels");
            if (labels.path("alertname").asText().equals(alertname)
                    && (labels.path("cluster").asText().equals(where) || labels.path("instance").asText().equals(where))) {
                fingerprint = alert.get("fingerprint").asText();
            }
        }
        if (fingerprint == null) {
            throw new AssertionError("no alert " + alertname + " " + where + " listed yet");
        }
        for (JsonNode a : operon.getJson("/api/v1/actions?limit=500").get("actions")) {
            if (a.get("type").asText().equals("alert-firing") && a.get("target").asText().equals("log")
                    && a.get("subject").asText().equals(fingerprint)) {
                return a;
            }
        }
        throw new AssertionError("no alert-firing action yet for " + alertname + " " + where);
    }

    private static long count(OperonProcess operon, String type) throws Exception {
        long n = 0;
        for (JsonNode a : operon.getJson("/api/v1/actions?limit=500").get("actions")) {
            if (a.get("type").asText().equals(type) && a.get("target").asText().equals("log")) n++;
        }
        return n;
    }
}
