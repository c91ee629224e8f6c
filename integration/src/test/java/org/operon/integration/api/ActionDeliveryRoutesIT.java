package org.operon.integration.api;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.operon.integration.http.ApiTokenCheck;
import org.operon.integration.http.IntakeOptions;
import org.operon.integration.testing.HttpTestServer;
import org.operon.integration.testing.InMemoryDeadLetters;
import org.operon.integration.testing.RecordingAcceptor;
import org.operon.state.AuditEntry;
import org.operon.state.FailedAction;
import org.operon.state.OperonState;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.operon.integration.testing.HttpTestServer.json;

/**
 * {@code GET /api/v1/actions?status=...}, {@code POST /api/v1/actions/{id}/retry} and
 * {@code GET /api/v1/actions/targets} over real HTTP on a real Infinispan state store. The action side is
 * {@link StoreBackedDelivery}, which answers a retry from the same stores as the dispatcher does (the
 * dispatcher's own retry is proven in the actions module's DeliveryGuaranteesIT).
 */
class ActionDeliveryRoutesIT {
    private static final String TOKEN = "s3cret-token";

    @TempDir
    static Path dataDir;

    private static OperonState state;
    private static HttpTestServer server;
    private static final StoreBackedDelivery delivery = new StoreBackedDelivery();

    /** Queues what the failed store holds; 409 for what the audit log holds otherwise; 404 else. */
    static final class StoreBackedDelivery implements ActionDelivery {
        final List<String> queued = new ArrayList<>();
        volatile boolean running = true;

        @Override
        public Retry retry(String actionId) {
            if (!running) {
                throw new IllegalStateException("not running");
            }
            var failed = state.failedActions().find(actionId);
            if (failed.isPresent()) {
                queued.add(actionId);
                return new Retry(Outcome.QUEUED, Map.of("id", actionId, "target", failed.get().target()), null);
            }
            return state.auditLog().find(actionId)
                    .map(e -> new Retry(Outcome.NOT_FAILED, null, "action '" + actionId + "' is " + e.status()))
                    .orElseGet(() -> new Retry(Outcome.UNKNOWN, null, "no action '" + actionId + "'"));
        }

        @Override
        public List<?> targets() {
            return List.of(Map.of("name", "webhook", "circuit", "open", "consecutiveFailures", 5, "queued", 0));
        }
    }

    @BeforeAll
    static void start() throws Exception {
        state = OperonState.open(dataDir, Clock.systemUTC());
        ApiTokenCheck tokens = ApiTokenCheck.of(TOKEN);
        server = HttpTestServer.start(IntakeOptions.defaults(),
                new ReadApiRoutes(state.auditLog(), new InMemoryDeadLetters(), state.failedActions(),
                        new RecordingAcceptor(), tokens),
                new ExplainRoutes(state.auditLog(), state.lineage(), tokens),
                new ActionDeliveryRoutes(delivery, tokens));
        state.auditLog().record(entry("a-sent", AuditEntry.SENT, null));
        state.auditLog().record(entry("a-muted", AuditEntry.SUPPRESSED, "silenced by 3f1c2a"));
        state.auditLog().record(entry("a-failed", AuditEntry.FAILED, "HTTP 503 Service Unavailable after 3 attempts"));
        state.failedActions().record(new FailedAction("a-failed", "webhook", "d-1", "notify", "db-1", "burst",
                List.of("e1"), 1_767_607_290_000L, Map.of("count", 3), "HTTP 503 Service Unavailable after 3 attempts",
                "2026-01-05T10:01:31Z"));
    }

    @AfterAll
    static void stop() {
        server.close();
        state.close();
    }

    private static AuditEntry entry(String id, String status, String reason) {
        return new AuditEntry(id, "d-1", "notify", "db-1", "webhook", status, reason, "burst", List.of("e1"),
                "2026-01-05T10:01:30Z");
    }

    private static HttpResponse<String> get(String path) {
        return server.send(server.request(path).header("Authorization", "Bearer " + TOKEN).GET().build());
    }

    private static HttpResponse<String> post(String path) {
        return server.send(server.request(path).header("Authorization", "Bearer " + TOKEN)
                .POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    @Test
    void theFailedActionsAreListedWithTheirDecisionAndLastError() {
        HttpResponse<String> response = get("/api/v1/actions?status=failed");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode actions = json(response).get("actions");
        assertThat(actions).hasSize(1);
        assertThat(actions.get(0).get("id").asText()).isEqualTo("a-failed");
        assertThat(actions.get(0).get("reason").asText()).isEqualTo("HTTP 503 Service Unavailable after 3 attempts");
        assertThat(actions.get(0).get("params").get("count").asInt()).isEqualTo(3);
        assertThat(actions.get(0).get("subject").asText()).isEqualTo("db-1");
    }

    @Test
    void theStatusFiltersTheAuditLogAndAnUnknownStatusIsA400() {
        assertThat(json(get("/api/v1/actions?status=sent")).get("actions"))
                .extracting(a -> a.get("id").asText()).containsExactly("a-sent");
        assertThat(json(get("/api/v1/actions?status=suppressed")).get("actions"))
                .extracting(a -> a.get("id").asText()).containsExactly("a-muted");
        assertThat(json(get("/api/v1/actions")).get("actions")).hasSize(3);
        HttpResponse<String> bad = get("/api/v1/actions?status=lost");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(json(bad).get("error").asText()).isEqualTo("bad_status");
    }

    @Test
    void aFailedActionIsQueuedAgainWith202AndItsJson() {
        HttpResponse<String> response = post("/api/v1/actions/a-failed/retry");

        assertThat(response.statusCode()).isEqualTo(202);
        JsonNode body = json(response);
        assertThat(body.get("status").asText()).isEqualTo("queued");
        assertThat(body.get("action").get("id").asText()).isEqualTo("a-failed");
        assertThat(delivery.queued).contains("a-failed");
    }

    @Test
    void anUnknownIdIsA404AndAnActionThatIsNotFailedA409() {
        HttpResponse<String> unknown = post("/api/v1/actions/nope/retry");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(json(unknown).get("error").asText()).isEqualTo("not_found");

        HttpResponse<String> sent = post("/api/v1/actions/a-sent/retry");
        assertThat(sent.statusCode()).isEqualTo(409);
        assertThat(json(sent).get("error").asText()).isEqualTo("not_failed");
        assertThat(json(sent).get("detail").asText()).contains("sent");
    }

    @Test
    void aRetryWhileActionsAreNotPerformedIsA503() {
        delivery.running = false;
        try {
            HttpResponse<String> response = post("/api/v1/actions/a-failed/retry");
            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(json(response).get("error").asText()).isEqualTo("not_running");
        } finally {
            delivery.running = true;
        }
    }

    @Test
    void theTargetsAreListedAndTheRetryAndTargetsNeedTheToken() {
        HttpResponse<String> targets = get("/api/v1/actions/targets");
        assertThat(targets.statusCode()).isEqualTo(200);
        assertThat(json(targets).get("targets").get(0).get("circuit").asText()).isEqualTo("open");

        assertThat(server.get("/api/v1/actions/targets").statusCode()).isEqualTo(401);
        int before = delivery.queued.size();
        HttpResponse<String> retry = server.send(server.request("/api/v1/actions/a-failed/retry")
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(retry.statusCode()).isEqualTo(401);
        assertThat(delivery.queued).hasSize(before);
        // GET on the retry path is not a retry.
        assertThat(get("/api/v1/actions/a-failed/retry").statusCode()).isNotEqualTo(202);
    }
}
