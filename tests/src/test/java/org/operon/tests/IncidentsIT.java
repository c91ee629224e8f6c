package org.operon.tests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.operon.tests.support.OperonProcess;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Incidents through the running jar: alerts of one service become one incident at once; its
 * notification waits for the group wait; routing (a user's override table in the rules directory)
 * gives the escalation delay and the team, whose on-call list (reference data) gives the levels; the
 * incident escalates until acknowledged through the API, and resolves when its alerts resolve.
 */
class IncidentsIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void alertsOfAServiceBecomeOneIncidentThatNotifiesEscalatesIsAcknowledgedAndResolves() throws Exception {
        Path rules = Files.createDirectories(tmp.resolve("rules"));
        // A routing override of the user's: CheckoutDown goes to payments, P1, escalating every 3 seconds.
        try (var in = IncidentsIT.class.getResourceAsStream("/incidents/checkout-routing.drl.csv")) {
            Files.write(rules.resolve("checkout-routing.drl.csv"), in.readAllBytes());
        }
        Path reference = Files.createDirectories(tmp.resolve("reference"));
        Files.writeString(reference.resolve("teams.yaml"), """
                teams:
                  - name: payments
                    on_call: [alice@example.com, bob@example.com, carol@example.com, dan@example.com, erin@example.com]
                """);
        try (OperonProcess operon = OperonProcess.start(tmp.resolve("data"), Map.of(
                "OPERON_RULES_DIR", rules.toString(),
                "OPERON_REFERENCE_DIR", reference.toString(),
                "OPERON_INCIDENTS_GROUP_WAIT", "2s",
                "OPERON_INCIDENTS_GROUP_INTERVAL", "2s"))) {
            Instant startsAt = Instant.now().minusSeconds(30);
            assertThat(operon.post("/api/v2/alerts", "application/json", """
                    [{"labels":{"alertname":"CheckoutDown","service":"checkout","severity":"critical"},"startsAt":"%1$s"},
                     {"labels":{"alertname":"HighLatency","service":"checkout","severity":"warning"},"startsAt":"%1$s"},
                     {"labels":{"alertname":"HighLatency","service":"search","severity":"warning"},"startsAt":"%1$s"}]"""
                    .formatted(startsAt)).statusCode()).isEqualTo(200);

            // Two incidents: checkout (two alerts, routed by the user's table) and search.
            JsonNode checkout = await().atMost(Duration.ofSeconds(20)).until(() -> incident(operon, "checkout"),
                    i -> i != null && i.get("alerts").size() == 2 && !i.get("routing").isNull());
            assertThat(checkout.get("status").asText()).isEqualTo("open");
            assertThat(checkout.get("groupLabels").get("service").asText()).isEqualTo("checkout");
            assertThat(checkout.get("routing").get("team").asText()).isEqualTo("payments");
            assertThat(checkout.get("routing").get("priority").asText()).isEqualTo("P1");
            assertThat(incident(operon, "search")).isNotNull();
            String id = checkout.get("id").asText();
            assertThat(operon.getJson("/api/v1/incidents?status=open").get("incidents")).hasSize(2);

            // Opened at once, notified after the group wait; actions about it carry its correlation key.
            JsonNode opened = await().atMost(Duration.ofSeconds(20)).until(() -> action(operon, "incident-opened", "checkout"),
                    a -> a != null);
            JsonNode notified = await().atMost(Duration.ofSeconds(20)).until(() -> action(operon, "incident-notification", "checkout"),
                    a -> a != null);
            assertThat(Duration.between(Instant.parse(opened.get("time").asText()), Instant.parse(notified.get("time").asText())))
                    .isGreaterThanOrEqualTo(Duration.ofSeconds(2));

            // Not acknowledged within 3 seconds: escalates to bob (level 2), then on.
            await().atMost(Duration.ofSeconds(20)).until(() -> incident(operon, "checkout").get("escalationLevel").asInt() >= 2);
            // The store shows the change before the dispatcher has performed and audited its action.
            await().atMost(Duration.ofSeconds(20)).until(() -> action(operon, "incident-escalated", "checkout"),
                    a -> a != null);

            HttpResponse<String> ack = operon.post("/api/v1/incidents/" + id + "/acknowledge", "application/json",
                    "{\"by\":\"alice\",\"comment\":\"looking\"}");
            assertThat(ack.statusCode()).as(ack.body()).isEqualTo(200);
            JsonNode acknowledged = JSON.readTree(ack.body());
            assertThat(acknowledged.get("status").asText()).isEqualTo("acknowledged");
            assertThat(acknowledged.get("acknowledgedBy").asText()).isEqualTo("alice");
            int level = acknowledged.get("escalationLevel").asInt();
            // Acknowledging stops the clock: no escalation for longer than two delays.
            await().during(Duration.ofSeconds(7)).atMost(Duration.ofSeconds(9)).until(() ->
                    incident(operon, "checkout").get("escalationLevel").asInt() == level);

            // Its alerts resolve: the incident resolves by itself.
            Instant endsAt = Instant.now().minusSeconds(1);
            assertThat(operon.post("/api/v2/alerts", "application/json", """
                    [{"labels":{"alertname":"CheckoutDown","service":"checkout","severity":"critical"},"startsAt":"%1$s","endsAt":"%2$s"},
                     {"labels":{"alertname":"HighLatency","service":"checkout","severity":"warning"},"startsAt":"%1$s","endsAt":"%2$s"}]"""
                    .formatted(startsAt, endsAt)).statusCode()).isEqualTo(200);
            JsonNode resolved = await().atMost(Duration.ofSeconds(20)).until(() -> operon.getJson("/api/v1/incidents/" + id),
                    i -> i.get("status").asText().equals("resolved"));
            assertThat(resolved.get("resolvedBy").asText()).isEqualTo("operon");
            assertThat(operon.getJson("/api/v1/incidents?status=active").get("incidents")).hasSize(1);

            // Unknown incident, bad status filter: clear errors.
            assertThat(operon.get("/api/v1/incidents/inc-000000000000").statusCode()).isEqualTo(404);
            assertThat(operon.get("/api/v1/incidents?status=sleeping").statusCode()).isEqualTo(400);
        }
    }

    /** The newest incident with this correlation key, or null. */
    private static JsonNode incident(OperonProcess operon, String key) throws Exception {
        JsonNode list = operon.getJson("/api/v1/incidents?key=" + key).get("incidents");
        return list.isEmpty() ? null : list.get(0);
    }

    /** The log target's first audit entry of this decision type and subject, or null. */
    private static JsonNode action(OperonProcess operon, String type, String subject) throws Exception {
        List<JsonNode> found = new ArrayList<>();
        for (JsonNode a : operon.getJson("/api/v1/actions?limit=500").get("actions")) {
            if (a.get("type").asText().equals(type) && a.get("subject").asText().equals(subject)
                    && a.get("target").asText().equals("log")) {
                found.add(a);
            }
        }
        return found.isEmpty() ? null : found.get(found.size() - 1); // newest first: the last is the first
    }
}
