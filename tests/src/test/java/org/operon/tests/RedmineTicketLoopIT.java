package org.operon.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.operon.tests.support.OperonProcess;
import org.operon.tests.support.RedmineServer;

/**
 * The loop through Redmine with the running jar: the {@code redmine} target opens one issue per incident
 * and the Redmine ticket source polls the same server. A person working the issue acknowledges and
 * resolves the incident, and the target comments on the issue without changing its status; an incident whose
 * alerts resolve gets its issue resolved by Operon. Operon's own changes come back through the poller, which
 * is told their author ({@code operon.redmine.own-user-id}); that they change nothing is what is checked here
 * (the skipping itself is RedminePollerIT's).
 */
class RedmineTicketLoopIT {
    private static final String KEY = "0123456789abcdefOPERONKEY";
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path tmp;

    @Test
    void aPersonWorkingTheIssueWorksTheIncidentAndOperonResolvesTheIssuesOfIncidentsThatEnd() throws Exception {
        try (RedmineServer redmine = new RedmineServer(KEY);
             OperonProcess operon = OperonProcess.start(tmp.resolve("data"), Map.ofEntries(
                     Map.entry("OPERON_INCIDENTS_GROUP_WAIT", "1s"),
                     Map.entry("OPERON_INCIDENTS_GROUP_INTERVAL", "1s"),
                     Map.entry("OPERON_ACTIONS_REDMINE_URL", redmine.url()),
                     Map.entry("OPERON_ACTIONS_REDMINE_API_KEY", KEY),
                     Map.entry("OPERON_ACTIONS_REDMINE_PROJECT", "1"),
                     Map.entry("OPERON_ACTIONS_REDMINE_TRACKER_ID", "3"),
                     Map.entry("OPERON_ACTIONS_TARGETS_INCIDENT_NOTIFICATION", "log,redmine"),
                     Map.entry("OPERON_ACTIONS_TARGETS_INCIDENT_ACKNOWLEDGED", "log,redmine"),
                     Map.entry("OPERON_ACTIONS_TARGETS_INCIDENT_RESOLVED", "log,redmine"),
                     Map.entry("OPERON_REDMINE_URL", redmine.url()),
                     Map.entry("OPERON_REDMINE_API_KEY", KEY),
                     Map.entry("OPERON_REDMINE_POLL_INTERVAL", "1s"),
                     Map.entry("OPERON_REDMINE_RESOLVE_STATUS_IDS", "3,5"),
                     Map.entry("OPERON_REDMINE_OWN_USER_ID", Integer.toString(RedmineServer.OPERON_USER))))) {
            Instant startsAt = Instant.now().minusSeconds(30);
            assertThat(operon.post("/api/v2/alerts", "application/json", """
                    [{"labels":{"alertname":"CheckoutDown","service":"checkout","severity":"critical"},"startsAt":"%s"}]"""
                    .formatted(startsAt)).statusCode()).isEqualTo(200);

            // The first notification opens one issue that names the incident.
            ObjectNode issue = await().atMost(WAIT).until(() -> redmine.issues().get(105), i -> i != null);
            String id = incident(operon, "checkout").get("id").asText();
            assertThat(issue.path("description").asText()).contains("operon-incident: " + id);
            assertThat(issue.path("subject").asText()).contains("checkout").contains("CheckoutDown");

            // Alice takes it: In Progress acknowledges the incident; Operon comments, the status stays.
            redmine.change(105, 2, 1, "Alice");
            JsonNode acknowledged = await().atMost(WAIT).until(() -> incident(operon, "checkout"),
                    i -> i.get("status").asText().equals("acknowledged"));
            assertThat(acknowledged.get("acknowledgedBy").asText()).isEqualTo("redmine:Alice");
            await().atMost(WAIT).until(() -> notesByOperon(redmine, 105).stream()
                    .anyMatch(n -> n.startsWith("Acknowledged by redmine:Alice")));
            assertThat(redmine.issues().get(105).path("status").path("id").asInt()).isEqualTo(2);

            // Alice resolves it: the incident resolves; Operon only comments on the resolved issue.
            redmine.change(105, 3, 1, "Alice");
            JsonNode resolved = await().atMost(WAIT).until(() -> operon.getJson("/api/v1/incidents/" + id),
                    i -> i.get("status").asText().equals("resolved"));
            assertThat(resolved.get("resolvedBy").asText()).isEqualTo("redmine:Alice");
            await().atMost(WAIT).until(() -> notesByOperon(redmine, 105).stream()
                    .anyMatch(n -> n.startsWith("Incident " + id + " resolved by redmine:Alice")));
            assertThat(statusChangesByOperon(redmine, 105)).isZero();

            // Another incident whose alert resolves: Operon resolves its issue (status 3); coming back through
            // the poller, that change of Operon's own changes nothing.
            assertThat(operon.post("/api/v2/alerts", "application/json", """
                    [{"labels":{"alertname":"SearchSlow","service":"search","severity":"warning"},"startsAt":"%s"}]"""
                    .formatted(startsAt)).statusCode()).isEqualTo(200);
            await().atMost(WAIT).until(() -> redmine.issues().get(106) != null);
            String search = incident(operon, "search").get("id").asText();
            assertThat(operon.post("/api/v2/alerts", "application/json", """
                    [{"labels":{"alertname":"SearchSlow","service":"search","severity":"warning"},"startsAt":"%s","endsAt":"%s"}]"""
                    .formatted(startsAt, Instant.now().minusSeconds(1))).statusCode()).isEqualTo(200);
            await().atMost(WAIT).until(() -> redmine.issues().get(106).path("status").path("id").asInt() == 3);
            assertThat(operon.getJson("/api/v1/incidents/" + search).get("resolvedBy").asText()).isEqualTo("operon");
            assertThat(statusChangesByOperon(redmine, 106)).isEqualTo(1);

            // One issue per incident, every request as Redmine takes it.
            assertThat(redmine.writes.stream().filter(w -> w.startsWith("POST"))).hasSize(2);
            assertThat(redmine.refused).isEmpty();
            assertThat(operon.output()).doesNotContain(KEY);
        }
    }

    private static JsonNode incident(OperonProcess operon, String key) throws Exception {
        JsonNode list = operon.getJson("/api/v1/incidents?key=" + key).get("incidents");
        return list.isEmpty() ? null : list.get(0);
    }

    private static List<String> notesByOperon(RedmineServer redmine, int issue) {
        List<String> notes = new ArrayList<>();
        JsonNode journals = redmine.journals(issue);
        if (journals != null) {
            for (JsonNode j : journals) {
                if (j.path("user").path("id").asInt() == RedmineServer.OPERON_USER) {
                    notes.add(j.path("notes").asText());
                }
            }
        }
        return notes;
    }

    private static long statusChangesByOperon(RedmineServer redmine, int issue) {
        long n = 0;
        for (JsonNode j : redmine.journals(issue)) {
            if (j.path("user").path("id").asInt() == RedmineServer.OPERON_USER && !j.path("details").isEmpty()) {
                n++;
            }
        }
        return n;
    }
}
