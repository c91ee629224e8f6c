package org.operon.actions.ticket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.operon.actions.ticket.TicketTestbed.INCIDENT;
import static org.operon.actions.ticket.TicketTestbed.T0;
import static org.operon.actions.ticket.TicketTestbed.incident;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.operon.actions.ActionOptions;
import org.operon.model.Decision;
import org.operon.state.AuditEntry;

/** The {@code jira} target end to end against {@link FakeJira}, a real HTTP server checking the REST API v2. */
class JiraSinkIT {
    private static final String EMAIL = "operon@example.org";
    private static final String TOKEN = "ATATT3xJIRATOKEN0123456789";

    @TempDir
    Path dir;

    private FakeJira api;
    private TicketApiServer jira;
    private TicketTestbed bed;

    @BeforeEach
    void startJira() throws Exception {
        api = new FakeJira(EMAIL, TOKEN, "OPS");
        jira = new TicketApiServer(api);
    }

    @AfterEach
    void stopAll() {
        if (bed != null) {
            bed.close();
        }
        jira.close();
    }

    private ActionOptions options(String project) {
        return TicketTestbed.options(dir, new TicketOptions(null,
                new JiraTicketOptions(jira.url(), EMAIL, TOKEN, project, null, null), null), JiraSink.NAME);
    }

    private AuditEntry perform(Decision decision) {
        return bed.perform(decision, JiraSink.NAME);
    }

    @Test
    void anIncidentGetsOneIssueLabelledWithItsIdCommentedAndTransitionedToDone() throws Exception {
        bed = new TicketTestbed(dir, options("OPS"));

        assertThat(perform(incident("incident-opened", "open", T0)).status()).isEqualTo(AuditEntry.SENT);
        assertThat(perform(incident("incident-escalated", "open", T0.plusSeconds(600), "level", 2, "team", "payments",
                "contact", "bob")).status()).isEqualTo(AuditEntry.SENT);
        assertThat(perform(incident("incident-resolved", "resolved", T0.plusSeconds(900), "by", "operon")).status())
                .isEqualTo(AuditEntry.SENT);

        assertThat(jira.invalid).isEmpty();
        assertThat(jira.requests).extracting(r -> r.method() + " " + r.path()).containsExactly(
                "GET /rest/api/2/search/jql", "POST /rest/api/2/issue", "POST /rest/api/2/issue/OPS-1/comment",
                "GET /rest/api/2/issue/OPS-1/transitions", "POST /rest/api/2/issue/OPS-1/transitions",
                "POST /rest/api/2/issue/OPS-1/comment");
        JsonNode fields = jira.requests.get(1).body().path("fields");
        assertThat(fields.path("project").path("key").asText()).isEqualTo("OPS");
        assertThat(fields.path("issuetype").path("name").asText()).isEqualTo("Task");
        assertThat(fields.path("summary").asText()).isEqualTo("[P1] checkout: HighLatency");
        // The Jira ticket source reads the incident from this label.
        assertThat(fields.path("labels")).extracting(JsonNode::asText)
                .containsExactly("operon", "operon-incident-" + INCIDENT);
        assertThat(jira.requests.get(4).body().path("transition").path("id").asText()).isEqualTo("31");
        FakeJira.Issue issue = api.issues.get("OPS-1");
        assertThat(issue.status).isEqualTo("Done");
        assertThat(issue.comments).hasSize(2);
        assertThat(issue.comments.get(0)).startsWith("Escalated to level 2 (team payments, contact bob).");
        assertThat(issue.comments.get(1)).startsWith("Incident " + INCIDENT + " resolved by operon");
        assertThat(bed.links.find(JiraSink.NAME, INCIDENT)).get().extracting(l -> l.ticketKey()).isEqualTo("OPS-1");
    }

    @Test
    void anIssueAlreadyDoneIsOnlyCommentedWhenItsIncidentResolves() throws Exception {
        bed = new TicketTestbed(dir, options("OPS"));
        perform(incident("incident-opened", "open", T0));
        api.issues.get("OPS-1").status = "Done"; // a person closed it; the webhook resolved the incident

        assertThat(perform(incident("incident-resolved", "resolved", T0.plusSeconds(60), "by", "jira:alice"))
                .status()).isEqualTo(AuditEntry.SENT);

        assertThat(jira.requests).extracting(r -> r.method() + " " + r.path()).containsExactly(
                "GET /rest/api/2/search/jql", "POST /rest/api/2/issue", "GET /rest/api/2/issue/OPS-1/transitions",
                "POST /rest/api/2/issue/OPS-1/comment");
        assertThat(jira.invalid).isEmpty();
    }

    @Test
    void aCreateWhoseAnswerIsLostIsFoundByItsLabelOnTheRetryInsteadOfCreatedTwice() throws Exception {
        bed = new TicketTestbed(dir, options("OPS"));
        api.loseNextCreateAnswer = true;

        assertThat(perform(incident("incident-opened", "open", T0)).status()).isEqualTo(AuditEntry.SENT);
        assertThat(perform(incident("incident-updated", "open", T0.plusSeconds(5))).status())
                .isEqualTo(AuditEntry.SENT);

        assertThat(jira.requests).extracting(r -> r.method() + " " + r.path()).containsExactly(
                "GET /rest/api/2/search/jql", "POST /rest/api/2/issue", "GET /rest/api/2/search/jql",
                "POST /rest/api/2/issue/OPS-1/comment");
        assertThat(api.issues).hasSize(1);
        assertThat(jira.invalid).isEmpty();
    }

    @Test
    void aRejectedCreateFailsAtOnceAndTheTokenStaysSecret() throws Exception {
        PrintStream originalErr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        AuditEntry rejected;
        AuditEntry retried;
        try {
            bed = new TicketTestbed(dir, options("NOPE"));
            rejected = perform(incident("incident-opened", "open", T0));
            bed.close();
            jira.fail(502);
            bed = new TicketTestbed(dir, options("OPS"));
            retried = perform(incident("incident-opened", "open", T0.plusSeconds(1)));
            bed.dispatcher.stop(TicketTestbed.WAIT);
        } finally {
            System.setErr(originalErr);
        }
        assertThat(rejected.status()).isEqualTo(AuditEntry.FAILED);
        assertThat(rejected.reason()).startsWith("HTTP 400").doesNotContain("after");
        assertThat(jira.invalid).hasSize(1);
        assertThat(retried.status()).isEqualTo(AuditEntry.SENT);
        // search, create (400); search (502), search, create
        assertThat(jira.requests).hasSize(5);
        assertThat(api.issues).hasSize(1);
        String logs = captured.toString(StandardCharsets.UTF_8);
        assertThat(logs).contains("apiToken=****").doesNotContain(TOKEN).doesNotContain("JIRATOKEN");
        assertThat(bed.audit.latest(10)).allSatisfy(e -> assertThat(e.toString()).doesNotContain("JIRATOKEN"));
    }
}
