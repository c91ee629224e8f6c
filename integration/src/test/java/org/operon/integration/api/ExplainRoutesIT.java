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
import org.operon.state.DecisionTrace;
import org.operon.state.OperonState;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.operon.integration.testing.HttpTestServer.json;

/** {@code GET /api/v1/actions/{id}/explain} over real HTTP, on a real Infinispan state store. */
class ExplainRoutesIT {
    private static final String TOKEN = "s3cret-token";

    @TempDir
    static Path dataDir;

    private static OperonState state;
    private static HttpTestServer server;

    @BeforeAll
    static void start() throws Exception {
        state = OperonState.open(dataDir, Clock.systemUTC());
        ApiTokenCheck tokens = ApiTokenCheck.of(TOKEN);
        server = HttpTestServer.start(IntakeOptions.defaults(),
                new ReadApiRoutes(state.auditLog(), new InMemoryDeadLetters(), new RecordingAcceptor(), tokens),
                new ExplainRoutes(state.auditLog(), state.lineage(), tokens));

        state.auditLog().record(entry("a-log", "d-1", "log", AuditEntry.SENT, null));
        state.auditLog().record(entry("a-file", "d-1", "file", AuditEntry.SENT, null));
        state.lineage().record(new DecisionTrace("d-1", List.of("a-log", "a-file", "a-webhook-not-yet"), lineage()));

        state.auditLog().record(entry("a-silenced", "d-2", "log", AuditEntry.SUPPRESSED,
                "silenced by 3f1c2a, 9a0b7e"));
        state.lineage().record(new DecisionTrace("d-2", List.of("a-silenced"), lineage()));

        state.auditLog().record(entry("a-old", "d-3", "log", AuditEntry.SUPPRESSED, "maintenance window db upgrade"));
    }

    @AfterAll
    static void stop() {
        server.close();
        state.close();
    }

    private static AuditEntry entry(String id, String decisionId, String target, String status, String reason) {
        return new AuditEntry(id, decisionId, "notify", "db-1", target, status, reason, "critical-burst",
                List.of("e1", "e2", "e3"), "2026-01-05T10:01:30Z");
    }

    private static Map<String, Object> lineage() {
        Map<String, Object> rule = new LinkedHashMap<>();
        rule.put("name", "critical-burst");
        rule.put("package", "org.operon.rules");
        rule.put("file", "org/operon/rules/critical-burst.drl");
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("rule", rule);
        map.put("facts", List.of(Map.of("kind", "CriticalBurst", "key", "db-1", "fields", Map.of("count", 3))));
        map.put("events", List.of(Map.of("id", "e1"), Map.of("id", "e2"), Map.of("id", "e3")));
        return map;
    }

    private static HttpResponse<String> get(String path) {
        return server.send(server.request(path).header("Authorization", "Bearer " + TOKEN).GET().build());
    }

    @Test
    void anActionIsExplainedWithItsLineageAndTheOtherActionsOfItsDecision() {
        HttpResponse<String> response = get("/api/v1/actions/a-log/explain");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode body = json(response);
        assertThat(body.get("action").get("id").asText()).isEqualTo("a-log");
        assertThat(body.get("action").get("status").asText()).isEqualTo("sent");
        // The webhook action of the trace is not in the audit log (yet): not listed.
        assertThat(body.get("otherActions")).extracting(a -> a.get("id").asText()).containsExactly("a-file");
        JsonNode lineage = body.get("lineage");
        assertThat(lineage.get("rule").get("name").asText()).isEqualTo("critical-burst");
        assertThat(lineage.get("rule").get("file").asText()).isEqualTo("org/operon/rules/critical-burst.drl");
        assertThat(lineage.get("facts").get(0).get("kind").asText()).isEqualTo("CriticalBurst");
        assertThat(lineage.get("events")).extracting(e -> e.get("id").asText()).containsExactly("e1", "e2", "e3");
        assertThat(body.get("suppression").isNull()).isTrue();
        // The listing at the same prefix still answers.
        assertThat(json(get("/api/v1/actions")).get("actions")).hasSize(4);
    }

    @Test
    void aSilencedActionNamesItsSilences() {
        JsonNode body = json(get("/api/v1/actions/a-silenced/explain"));

        JsonNode suppression = body.get("suppression");
        assertThat(suppression.get("kind").asText()).isEqualTo("silence");
        assertThat(suppression.get("silenceIds")).extracting(JsonNode::asText).containsExactly("3f1c2a", "9a0b7e");
        assertThat(suppression.get("reason").asText()).isEqualTo("silenced by 3f1c2a, 9a0b7e");
        assertThat(body.get("otherActions")).isEmpty();
    }

    @Test
    void anActionWithoutTraceIsExplainedAsFarAsTheAuditLogGoes() {
        JsonNode body = json(get("/api/v1/actions/a-old/explain"));

        assertThat(body.get("lineage").isNull()).isTrue();
        assertThat(body.get("otherActions")).isEmpty();
        assertThat(body.get("suppression").get("kind").asText()).isEqualTo("maintenance");
        assertThat(body.get("suppression").get("window").asText()).isEqualTo("db upgrade");
    }

    @Test
    void anUnknownActionIsA404AndAQueryParameterCannotPoseAsTheId() {
        for (String path : List.of("/api/v1/actions/nope/explain", "/api/v1/actions/nope/explain?actionId=a-log")) {
            HttpResponse<String> response = get(path);
            assertThat(response.statusCode()).isEqualTo(404);
            assertThat(json(response).get("error").asText()).isEqualTo("not_found");
            assertThat(json(response).get("detail").asText()).contains("nope");
        }
    }

    @Test
    void withoutTheTokenNothingIsExplained() {
        HttpResponse<String> response = server.get("/api/v1/actions/a-log/explain");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).doesNotContain("critical-burst");
    }
}
