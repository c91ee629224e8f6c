package org.operon.actions.ticket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.operon.actions.ticket.TicketTestbed.INCIDENT;
import static org.operon.actions.ticket.TicketTestbed.T0;
import static org.operon.actions.ticket.TicketTestbed.incident;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import org.apache.camel.Exchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.operon.actions.ActionOptions;
import org.operon.model.Decision;
import org.operon.model.TicketChange;
import org.operon.state.AuditEntry;
import org.operon.state.ticket.TicketLink;

/**
 * The {@code redmine} target end to end: dispatcher, Camel route, real Infinispan links, and a real HTTP
 * server that checks every request against the captured Redmine exchanges ({@link FakeRedmine}).
 */
class RedmineSinkIT {
    private static final String API_KEY = "5e3f1c0a9b27d4REDMINEKEY0123456789abcdef";

    @TempDir
    Path dir;

    private FakeRedmine api;
    private TicketApiServer redmine;
    private TicketTestbed bed;

    @BeforeEach
    void startRedmine() throws Exception {
        api = new FakeRedmine(API_KEY);
        redmine = new TicketApiServer(api);
    }

    @AfterEach
    void stopAll() {
        if (bed != null) {
            bed.close();
        }
        redmine.close();
    }

    private ActionOptions options(String apiKey) {
        return TicketTestbed.options(dir, new TicketOptions(
                new RedmineTicketOptions(redmine.url(), apiKey, "1", 3, 4, 3), null, null), RedmineSink.NAME);
    }

    private AuditEntry perform(Decision decision) {
        return bed.perform(decision, RedmineSink.NAME);
    }

    @Test
    void anIncidentGetsOneIssueCommentedOnEachChangeAndResolvedWhenItResolves() throws Exception {
        bed = new TicketTestbed(dir, options(API_KEY));

        assertThat(perform(incident("incident-opened", "open", T0)).status()).isEqualTo(AuditEntry.SENT);
        assertThat(perform(incident("incident-notification", "open", T0.plusSeconds(30), "reason", "first",
                "firing", List.of(Map.of("alertname", "HighLatency")))).status()).isEqualTo(AuditEntry.SENT);
        assertThat(perform(incident("incident-acknowledged", "acknowledged", T0.plusSeconds(60), "by", "alice",
                "comment", "looking")).status()).isEqualTo(AuditEntry.SENT);
        assertThat(perform(incident("incident-resolved", "resolved", T0.plusSeconds(90), "by", "operon")).status())
                .isEqualTo(AuditEntry.SENT);

        assertThat(redmine.invalid).isEmpty();
        assertThat(redmine.requests).extracting(r -> r.method() + " " + r.path()).containsExactly(
                "GET /issues.json", "POST /issues.json", "PUT /issues/105.json", "PUT /issues/105.json",
                "GET /issues/105.json", "PUT /issues/105.json");
        JsonNode created = redmine.requests.get(1).body().path("issue");
        assertThat(created.path("project_id").asInt()).isEqualTo(1);
        assertThat(created.path("tracker_id").asInt()).isEqualTo(3);
        assertThat(created.path("priority_id").asInt()).isEqualTo(4);
        assertThat(created.path("subject").asText()).isEqualTo("[P1] checkout: HighLatency");
        // The Redmine ticket source finds the incident in the description, also with Redmine's \r\n.
        String description = created.path("description").asText();
        assertThat(TicketChange.incidentIn(description)).isEqualTo(INCIDENT);
        assertThat(TicketChange.incidentIn(description.replace("\n", "\r\n"))).isEqualTo(INCIDENT);

        FakeRedmine.Issue issue = api.issues.get(105);
        assertThat(api.issues).hasSize(1);
        assertThat(issue.statusId).isEqualTo(3);
        assertThat(issue.notes).hasSize(3);
        assertThat(issue.notes.get(0)).startsWith("Notification (first). Status: open. Firing: HighLatency.");
        assertThat(issue.notes.get(1)).startsWith("Acknowledged by alice: looking.");
        assertThat(issue.notes.get(2)).isEqualTo("Incident " + INCIDENT + " resolved by operon at "
                + T0.plusSeconds(90) + ".");
        JsonNode resolve = redmine.requests.get(5).body().path("issue");
        assertThat(resolve.path("status_id").asInt()).isEqualTo(3);
        assertThat(bed.links.find(RedmineSink.NAME, INCIDENT)).get().extracting(TicketLink::ticketId,
                TicketLink::resolved).containsExactly("105", true);

        // Later decisions of the resolved incident (the final notification) change nothing.
        assertThat(perform(incident("incident-notification", "resolved", T0.plusSeconds(120), "reason", "resolved"))
                .status()).isEqualTo(AuditEntry.SENT);
        assertThat(redmine.requests).hasSize(6);
    }

    @Test
    void theSinkReportsTheTicketIdAndRefusesDecisionsThatAreNotAboutAnIncident() throws Exception {
        bed = new TicketTestbed(dir, options(API_KEY));

        Exchange created = bed.send(incident("incident-opened", "open", T0), RedmineSink.NAME);
        assertThat(created.getException()).isNull();
        assertThat(created.getProperty(TicketSink.RESULT, Map.class)).containsEntry("ticketId", "105")
                .containsEntry("ticketSystem", "redmine").containsEntry("ticketOperation", "created");
        Exchange commented = bed.send(incident("incident-updated", "open", T0.plusSeconds(5)), RedmineSink.NAME);
        assertThat(commented.getProperty(TicketSink.RESULT, Map.class)).containsEntry("ticketId", "105")
                .containsEntry("ticketOperation", "commented");
        Exchange repeat = bed.send(incident("incident-notification", "open", T0.plusSeconds(9), "reason", "repeat"),
                RedmineSink.NAME);
        assertThat(repeat.getProperty(TicketSink.RESULT, Map.class)).containsEntry("ticketOperation", "none");

        AuditEntry refused = perform(TicketTestbed.notIncident(T0));
        assertThat(refused.status()).isEqualTo(AuditEntry.FAILED);
        assertThat(refused.reason()).contains("takes incident-* decisions").doesNotContain("after");
        assertThat(redmine.requests).hasSize(3);
        assertThat(redmine.invalid).isEmpty();
    }

    @Test
    void aReplayAfterARestartOfTheStoreNeverOpensASecondIssue() throws Exception {
        Decision opened = incident("incident-opened", "open", T0);
        bed = new TicketTestbed(dir, options(API_KEY));
        assertThat(perform(opened).status()).isEqualTo(AuditEntry.SENT);
        bed.close();

        // Restart with the audit entries lost (as if Operon died between the effect and its audit entry):
        // only the link in Infinispan stands between the replayed decision and a second issue.
        bed = new TicketTestbed(dir, options(API_KEY), new TicketTestbed.ForgetfulAuditLog());
        assertThat(bed.links.find(RedmineSink.NAME, INCIDENT)).get().extracting(TicketLink::ticketId)
                .isEqualTo("105");
        assertThat(perform(opened).status()).isEqualTo(AuditEntry.SENT);
        assertThat(redmine.requests).hasSize(2);
        // Another decision that would create (the incident's first notification) comments instead.
        assertThat(perform(incident("incident-notification", "open", T0.plusSeconds(30), "reason", "first"))
                .status()).isEqualTo(AuditEntry.SENT);
        bed.close();

        // Restart with the real audit log: the dispatcher already knows the action was sent.
        bed = new TicketTestbed(dir, options(API_KEY));
        bed.dispatcher.dispatch(opened);
        assertThat(bed.dispatcher.awaitIdle(TicketTestbed.WAIT)).isTrue();

        assertThat(redmine.requests).extracting(r -> r.method() + " " + r.path())
                .containsExactly("GET /issues.json", "POST /issues.json", "PUT /issues/105.json");
        assertThat(api.issues).hasSize(1);
        assertThat(redmine.invalid).isEmpty();
    }

    @Test
    void aServerErrorIsRetriedAndOpensOneIssueWhileA4xxFailsAtOnceAndLinksNothing() throws Exception {
        bed = new TicketTestbed(dir, options(API_KEY));
        redmine.fail(503);
        assertThat(perform(incident("incident-opened", "open", T0)).status()).isEqualTo(AuditEntry.SENT);
        assertThat(redmine.requests).extracting(r -> r.method() + " " + r.path())
                .containsExactly("GET /issues.json", "GET /issues.json", "POST /issues.json");
        assertThat(api.issues).hasSize(1);

        redmine.fail(422);
        AuditEntry rejected = perform(incident("incident-updated", "open", T0.plusSeconds(5)));
        assertThat(rejected.status()).isEqualTo(AuditEntry.FAILED);
        assertThat(rejected.reason()).startsWith("HTTP 422").doesNotContain("after");
        assertThat(redmine.requests).hasSize(4);
        assertThat(redmine.invalid).isEmpty();
    }

    @Test
    void aCreateWhoseAnswerIsLostIsFoundByItsDescriptionOnTheRetryInsteadOfCreatedTwice() throws Exception {
        bed = new TicketTestbed(dir, options(API_KEY));
        api.loseNextCreateAnswer = true;

        assertThat(perform(incident("incident-opened", "open", T0)).status()).isEqualTo(AuditEntry.SENT);

        assertThat(redmine.requests).extracting(r -> r.method() + " " + r.path())
                .containsExactly("GET /issues.json", "POST /issues.json", "GET /issues.json");
        assertThat(api.issues).hasSize(1);
        assertThat(bed.links.find(RedmineSink.NAME, INCIDENT)).get().extracting(TicketLink::ticketId)
                .isEqualTo("105");
        assertThat(redmine.invalid).isEmpty();
    }

    @Test
    void anIssueClosedByAPersonIsOnlyCommentedWhenItsIncidentResolves() throws Exception {
        bed = new TicketTestbed(dir, options(API_KEY));
        perform(incident("incident-opened", "open", T0));
        api.issues.get(105).statusId = 5; // Closed in Redmine; the ticket source resolved the incident

        assertThat(perform(incident("incident-resolved", "resolved", T0.plusSeconds(60), "by", "redmine:alice"))
                .status()).isEqualTo(AuditEntry.SENT);

        JsonNode change = redmine.requests.get(3).body().path("issue");
        assertThat(change.has("status_id")).isFalse();
        assertThat(change.path("notes").asText()).startsWith("Incident " + INCIDENT + " resolved");
        assertThat(api.issues.get(105).statusId).isEqualTo(5);
        assertThat(redmine.invalid).isEmpty();
    }

    @Test
    void theApiKeyReachesNeitherTheLogsNorTheAuditLog() throws Exception {
        PrintStream originalErr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        AuditEntry failed;
        AuditEntry unauthorized;
        try {
            redmine.fail(500, 500, 500);
            bed = new TicketTestbed(dir, options(API_KEY));
            failed = perform(incident("incident-opened", "open", T0));
            bed.close();
            bed = new TicketTestbed(dir, options("wrong-key-0123456789"));
            unauthorized = perform(incident("incident-opened", "open", T0.plusSeconds(1)));
            bed.dispatcher.stop(TicketTestbed.WAIT);
        } finally {
            System.setErr(originalErr);
        }
        assertThat(failed.status()).isEqualTo(AuditEntry.FAILED);
        assertThat(failed.reason()).isEqualTo("HTTP 500 Internal Server Error after 3 attempts");
        // A wrong key is a 401: not retried.
        assertThat(unauthorized.reason()).startsWith("HTTP 401").doesNotContain("after");
        assertThat(redmine.requests).hasSize(4);
        assertThat(redmine.requests.get(0).header("X-Redmine-API-Key")).isEqualTo(API_KEY);
        String logs = captured.toString(StandardCharsets.UTF_8);
        assertThat(logs).contains("action dispatcher started").contains("apiKey=****").contains("attempt 3");
        assertThat(logs).doesNotContain(API_KEY).doesNotContain("REDMINEKEY").doesNotContain("wrong-key");
        assertThat(bed.audit.latest(10)).hasSize(2)
                .allSatisfy(e -> assertThat(e.toString()).doesNotContain("REDMINEKEY").doesNotContain("wrong-key"));
    }
}
