package org.operon.integration.ticket;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.operon.integration.http.IntakeOptions;
import org.operon.integration.source.SourceIntake;
import org.operon.integration.testing.HttpTestServer;
import org.operon.integration.testing.InMemoryDeadLetters;
import org.operon.integration.testing.RecordingAcceptor;
import org.operon.integration.testing.RecordingAcceptor.Behaviour;
import org.operon.integration.webhook.WebhookAuth;
import org.operon.model.Event;
import org.operon.model.TicketChange;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Jira webhooks and ServiceNow outbound REST over real HTTP, with the documented payload shapes
 * (src/test/resources/tickets): mapped to operon.ticket.change events, authenticated, bad bodies dead-lettered,
 * an overloaded engine answered 503 with nothing accepted.
 */
class TicketWebhookIT {
    private static final IntakeOptions OPTIONS = IntakeOptions.of(65536, 1024);
    private static final String JIRA_SECRET = "jira-webhook-secret-0123456789";
    private static final String SN_TOKEN = "servicenow-token-0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final RecordingAcceptor acceptor = new RecordingAcceptor();
    private static final InMemoryDeadLetters deadLetters = new InMemoryDeadLetters();
    private static HttpTestServer server;

    @BeforeAll
    static void start() throws Exception {
        SourceIntake intake = new SourceIntake(acceptor, deadLetters,
                Clock.fixed(Instant.parse("2026-11-26T19:30:00Z"), ZoneOffset.UTC), OPTIONS);
        server = HttpTestServer.start(OPTIONS, new TicketWebhookRoutes(
                WebhookAuth.hmacSha256(JIRA_SECRET, "X-Hub-Signature"), WebhookAuth.bearer(SN_TOKEN), intake, OPTIONS));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void reset() {
        acceptor.reset();
        deadLetters.clear();
    }

    private static String resource(String name) throws Exception {
        try (InputStream in = TicketWebhookIT.class.getResourceAsStream("/tickets/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String sign(String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(JIRA_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    }

    private static HttpResponse<String> postJira(String body, String signature) {
        HttpRequest.Builder r = server.request("/api/v1/tickets/jira").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (signature != null) {
            r.header("X-Hub-Signature", signature);
        }
        return server.send(r.build());
    }

    private static HttpResponse<String> postServiceNow(String body, String token) {
        return server.send(server.request("/api/v1/tickets/servicenow").header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> data(Event e) {
        return (Map<String, Object>) e.getData();
    }

    @Test
    void aJiraIssueMovedToInProgressAcknowledgesTheIncidentOfItsLabel() throws Exception {
        String body = resource("jira-issue-updated.json");
        HttpResponse<String> response = postJira(body, sign(body));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        assertThat(acceptor.accepted()).hasSize(1);
        Event e = acceptor.accepted().get(0);
        assertThat(e.getType()).isEqualTo(TicketChange.TYPE);
        assertThat(e.getSource()).isEqualTo("operon/tickets/jira");
        assertThat(e.getSubject()).isEqualTo("jira:OPS-17");
        assertThat(JSON.readTree(response.body()).path("accepted").get(0).asText()).isEqualTo(e.getId());
        assertThat(data(e)).containsEntry("ticket", "OPS-17").containsEntry("status", "In Progress")
                .containsEntry("effect", "acknowledge").containsEntry("incident", "inc-0123456789ab")
                .containsEntry("by", "Alice Example").containsEntry("closed", false)
                .containsEntry("updatedAt", "2026-11-26T19:17:03Z");
    }

    @Test
    void aDoneJiraIssueResolvesAndADeletedOneChangesNothing() throws Exception {
        ObjectNode done = (ObjectNode) JSON.readTree(resource("jira-issue-updated.json"));
        ObjectNode status = (ObjectNode) done.path("issue").path("fields").path("status");
        status.put("name", "Done");
        ((ObjectNode) status.path("statusCategory")).put("key", "done");
        String doneBody = JSON.writeValueAsString(done);
        assertThat(postJira(doneBody, sign(doneBody)).statusCode()).isEqualTo(202);

        done.put("webhookEvent", "jira:issue_deleted").put("timestamp", 1764184700000L);
        String deletedBody = JSON.writeValueAsString(done);
        assertThat(postJira(deletedBody, sign(deletedBody)).statusCode()).isEqualTo(202);

        done.put("webhookEvent", "comment_created");
        String commentBody = JSON.writeValueAsString(done);
        HttpResponse<String> ignored = postJira(commentBody, sign(commentBody));
        assertThat(ignored.statusCode()).isEqualTo(200);

        assertThat(acceptor.accepted()).extracting(e -> (Object) data(e).get("effect")).containsExactly("resolve", "none");
        assertThat(data(acceptor.accepted().get(0))).containsEntry("closed", true);
    }

    @Test
    void jiraWithoutOrWithAWrongSignatureIsRefused() throws Exception {
        String body = resource("jira-issue-updated.json");
        assertThat(postJira(body, null).statusCode()).isEqualTo(401);
        HttpResponse<String> wrong = postJira(body, sign(body + " "));
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(wrong.body()).path("error").asText()).isEqualTo("unauthorized");
        assertThat(wrong.body()).doesNotContain(JIRA_SECRET);
        assertThat(acceptor.accepted()).isEmpty();
    }

    @Test
    void aResolvedServiceNowIncidentResolvesTheIncidentOfItsCorrelationId() throws Exception {
        HttpResponse<String> response = postServiceNow(resource("servicenow-incident-resolved.json"), SN_TOKEN);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        Event e = acceptor.accepted().get(0);
        assertThat(e.getSubject()).isEqualTo("servicenow:INC0010023");
        assertThat(data(e)).containsEntry("status", "Resolved").containsEntry("effect", "resolve")
                .containsEntry("closed", false).containsEntry("incident", "inc-0123456789ab")
                .containsEntry("by", "alice.example").containsEntry("updatedAt", "2026-11-26T19:20:00Z");
    }

    @Test
    void serviceNowStatesMapToEffects() throws Exception {
        ObjectNode record = (ObjectNode) JSON.readTree(resource("servicenow-incident-resolved.json"));
        for (String state : new String[]{"1", "2", "3", "7"}) {
            record.put("state", state);
            assertThat(postServiceNow(JSON.writeValueAsString(record), SN_TOKEN).statusCode()).isEqualTo(202);
        }
        assertThat(acceptor.accepted()).extracting(e -> (Object) data(e).get("effect"))
                .containsExactly("none", "acknowledge", "none", "resolve");
    }

    @Test
    void badBodiesAreDeadLetteredAndAWrongTokenRefused() throws Exception {
        assertThat(postServiceNow(resource("servicenow-incident-resolved.json"), "wrong-token-0123456789").statusCode())
                .isEqualTo(401);
        assertThat(deadLetters.count()).isZero();

        HttpResponse<String> notJson = postServiceNow("{not json", SN_TOKEN);
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(notJson.body()).path("error").asText()).isEqualTo("invalid_json");
        HttpResponse<String> noState = postServiceNow("{\"number\":\"INC1\"}", SN_TOKEN);
        assertThat(noState.statusCode()).isEqualTo(400);
        JsonNode error = JSON.readTree(noState.body());
        assertThat(error.path("error").asText()).isEqualTo("invalid_payload");
        assertThat(error.path("detail").asText()).contains("state");

        assertThat(deadLetters.count()).isEqualTo(2);
        assertThat(acceptor.accepted()).isEmpty();
    }

    @Test
    void anOverloadedEngineAnswers503AndAcceptsNothing() throws Exception {
        acceptor.behave(Behaviour.OVERLOADED);
        HttpResponse<String> response = postServiceNow(resource("servicenow-incident-resolved.json"), SN_TOKEN);
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).isPresent();
        assertThat(acceptor.accepted()).isEmpty();
    }
}
