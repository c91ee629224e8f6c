package org.operon.integration.action;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.operon.integration.http.ApiTokenCheck;
import org.operon.integration.http.IntakeOptions;
import org.operon.integration.testing.HttpTestServer;
import org.operon.state.OperonState;
import org.operon.state.approval.Approval;
import org.operon.state.approval.ApprovalStore;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The approval API over real HTTP (Camel platform-http on a random port) on a real Infinispan approval store,
 * deciding in the store directly (the actions module's desk, which also performs approved actions, is tested
 * end to end).
 */
class ApprovalRoutesIT {
    private static final Instant T0 = Instant.parse("2026-11-27T20:00:00Z");
    private static final Clock CLOCK = Clock.fixed(T0, ZoneOffset.UTC);
    private static final String TOKEN = "s3cret-token";

    @TempDir
    Path dir;

    private OperonState state;
    private ApprovalStore store;
    private HttpTestServer server;

    @BeforeEach
    void start() throws Exception {
        state = OperonState.open(dir, CLOCK);
        store = ApprovalStore.open(state);
        server = HttpTestServer.start(IntakeOptions.defaults(), new ApprovalRoutes(store::pending,
                (id, approve, by, comment) -> store.decide(id, approve ? Approval.APPROVED : Approval.REJECTED, by,
                        comment, CLOCK.instant()), ApiTokenCheck.of(TOKEN)));
    }

    @AfterEach
    void stop() {
        server.close();
        state.close();
    }

    private void hold(String id, String subject, Instant createdAt) {
        store.hold(Approval.pending(id, "webhook", Map.of("id", "d-" + id, "type", "remediate", "subject", subject,
                "rule", "restart-service", "eventIds", List.of("e1"), "params", Map.of("service", "nginx"),
                "time", T0.toEpochMilli()), createdAt, createdAt.plus(Duration.ofMinutes(30))));
    }

    private HttpRequest.Builder authorized(String path) {
        return server.request(path).header("Authorization", "Bearer " + TOKEN);
    }

    private HttpResponse<String> get() {
        return server.send(authorized("/api/v1/approvals").GET().build());
    }

    private HttpResponse<String> post(String id, String body) {
        return server.send(authorized("/api/v1/approvals/" + id).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static void assertError(HttpResponse<String> response, int status, String error) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode json = HttpTestServer.json(response);
        assertThat(json.get("error").asText()).isEqualTo(error);
        assertThat(json.get("detail").asText()).isNotBlank();
    }

    @Test
    void listsThePendingApprovalsOldestFirstWithTheirDecision() {
        hold("a2", "web2", T0.plusSeconds(5));
        hold("a1", "web1", T0);
        hold("a3", "web3", T0.plusSeconds(9));
        store.decide("a3", Approval.REJECTED, "bob", null, T0);

        HttpResponse<String> response = get();

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode approvals = HttpTestServer.json(response).get("approvals");
        assertThat(approvals).extracting(a -> a.get("id").asText()).containsExactly("a1", "a2");
        JsonNode first = approvals.get(0);
        assertThat(first.get("action").get("id").asText()).isEqualTo("a1");
        assertThat(first.get("action").get("target").asText()).isEqualTo("webhook");
        assertThat(first.get("decision").get("id").asText()).isEqualTo("d-a1");
        assertThat(first.get("decision").get("type").asText()).isEqualTo("remediate");
        assertThat(first.get("decision").get("subject").asText()).isEqualTo("web1");
        assertThat(first.get("decision").get("time").asText()).isEqualTo(T0.toString());
        assertThat(first.get("decision").get("params").get("service").asText()).isEqualTo("nginx");
        assertThat(first.get("createdAt").asText()).isEqualTo(T0.toString());
        assertThat(first.get("expiresAt").asText()).isEqualTo(T0.plus(Duration.ofMinutes(30)).toString());
        assertThat(first.get("status").asText()).isEqualTo("pending");
    }

    @Test
    void approveThenApproveOrRejectAgainIsAConflict() {
        hold("a1", "web1", T0);

        HttpResponse<String> approved = post("a1", "{\"decision\":\"approve\",\"by\":\"alice\",\"comment\":\"ok\"}");

        assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);
        JsonNode json = HttpTestServer.json(approved);
        assertThat(json.get("status").asText()).isEqualTo("approved");
        assertThat(json.get("decidedBy").asText()).isEqualTo("alice");
        assertThat(json.get("comment").asText()).isEqualTo("ok");
        assertThat(store.get("a1").orElseThrow().status()).isEqualTo(Approval.APPROVED);
        assertThat(HttpTestServer.json(get()).get("approvals")).isEmpty();

        assertError(post("a1", "{\"decision\":\"reject\"}"), 409, "already_decided");
        assertError(post("a1", "{\"decision\":\"approve\"}"), 409, "already_decided");
        assertThat(store.get("a1").orElseThrow().decidedBy()).isEqualTo("alice");
    }

    @Test
    void rejectWithoutByIsByTheApi() {
        hold("a1", "web1", T0);

        HttpResponse<String> rejected = post("a1", "{\"decision\":\"reject\"}");

        assertThat(rejected.statusCode()).isEqualTo(200);
        assertThat(HttpTestServer.json(rejected).get("status").asText()).isEqualTo("rejected");
        assertThat(store.get("a1").orElseThrow().decidedBy()).isEqualTo("api");
    }

    @Test
    void unknownIdsAreNotFound() {
        assertError(post("nope", "{\"decision\":\"approve\"}"), 404, "not_found");
    }

    @Test
    void badBodiesAreRefusedAndDecideNothing() {
        hold("a1", "web1", T0);

        assertError(post("a1", "{\"decision\":"), 400, "malformed_json");
        assertError(post("a1", ""), 400, "missing_field");
        assertError(post("a1", "{\"by\":\"alice\"}"), 400, "missing_field");
        assertError(post("a1", "[\"approve\"]"), 400, "wrong_type");
        assertError(post("a1", "{\"decision\":true}"), 400, "wrong_type");
        assertError(post("a1", "{\"decision\":\"maybe\"}"), 400, "invalid_value");
        assertError(post("a1", "{\"decision\":\"approve\",\"by\":\" \"}"), 400, "invalid_value");
        assertError(post("a1", "{\"decision\":\"approve\",\"approver\":\"alice\"}"), 400, "unknown_field");

        assertThat(store.get("a1").orElseThrow().isPending()).isTrue();
    }

    @Test
    void withoutTheTokenNothingIsListedOrDecided() {
        hold("a1", "web1", T0);
        HttpResponse<String> response = server.send(server.request("/api/v1/approvals/a1")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"decision\":\"approve\"}")).build());

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(server.send(server.request("/api/v1/approvals").GET().build()).statusCode()).isEqualTo(401);
        assertThat(store.get("a1").orElseThrow().isPending()).isTrue();
    }
}
