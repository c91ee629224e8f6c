package org.operon.integration.incident;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.operon.integration.http.ApiTokenCheck;
import org.operon.integration.http.IntakeOptions;
import org.operon.integration.incident.CommandApplyingAcceptor.Behaviour;
import org.operon.integration.testing.HttpTestServer;
import org.operon.model.Event;
import org.operon.model.IncidentCommand;
import org.operon.state.OperonState;
import org.operon.state.incident.IncidentStore;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.operon.integration.testing.HttpTestServer.json;

/**
 * The incident API over real HTTP (Camel platform-http on a random port) on a real Infinispan store, with a
 * stand-in for the engine that journals command events and applies their snapshot to the store.
 */
class IncidentRoutesIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T0 = Instant.parse("2026-11-27T20:00:00Z");
    private static final Clock CLOCK = Clock.fixed(T0.plusSeconds(600), ZoneOffset.UTC);
    private static final String TOKEN = "s3cret-token";
    /** Long enough for the stand-in engine, short enough for the test of the 202 answer. */
    private static final Duration COMMAND_WAIT = Duration.ofSeconds(2);

    @TempDir
    static Path dataDir;
    private static OperonState state;
    private static IncidentStore store;
    private static CommandApplyingAcceptor engine;
    private static HttpTestServer server;

    @BeforeAll
    static void start() throws Exception {
        state = OperonState.open(dataDir, CLOCK);
        store = IncidentStore.open(state);
        engine = new CommandApplyingAcceptor(store);
        server = HttpTestServer.start(IntakeOptions.defaults(), new IncidentRoutes(store, engine, CLOCK,
                IntakeOptions.defaults(), ApiTokenCheck.of(TOKEN), COMMAND_WAIT));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (engine != null) {
            engine.close();
        }
        if (store != null) {
            store.close();
        }
        if (state != null) {
            state.close();
        }
    }

    @BeforeEach
    void reset() {
        engine.reset();
    }

    /** Stores an incident with a fresh id and returns the id. */
    private static String incident(String key, String status, long version, Instant updatedAt) {
        String id = "inc-" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("id", id);
        s.put("correlationKey", key);
        s.put("groupLabels", Map.of("service", key));
        s.put("status", status);
        s.put("kind", "alerts");
        s.put("openedAt", T0.toString());
        s.put("updatedAt", updatedAt.toString());
        s.put("acknowledgedAt", null);
        s.put("acknowledgedBy", null);
        s.put("alerts", List.of(Map.of("fingerprint", "2bd0845d243bb57e", "status", "firing")));
        s.put("version", version);
        store.apply(s);
        return id;
    }

    private static String incident(String status) {
        return incident("cmd-" + UUID.randomUUID(), status, 3, T0);
    }

    private static HttpRequest.Builder authorized(String path) {
        return server.request(path).header("Authorization", "Bearer " + TOKEN);
    }

    private static HttpResponse<String> get(String path) {
        return server.send(authorized(path).GET().build());
    }

    private static HttpResponse<String> post(String path, String body) {
        return server.send(authorized(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static JsonNode stored(String id) {
        return JSON.valueToTree(store.get(id).orElseThrow());
    }

    private static List<String> listedIds(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = json(response);
        assertThat(body.fieldNames()).toIterable().containsExactly("incidents");
        return body.get("incidents").findValuesAsText("id").stream().filter(id -> id.startsWith("inc-")).toList();
    }

    private static void assertError(HttpResponse<String> response, int status, String error) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode body = json(response);
        assertThat(body.path("error").asText()).as(response.body()).isEqualTo(error);
        assertThat(body.path("detail").asText()).isNotBlank();
    }

    @Test
    void listsIncidentsNewestFirstFilteredByStatusAndKey() {
        String key = "list/" + UUID.randomUUID();
        String open = incident(key, "open", 1, T0.plusSeconds(1));
        String acked = incident(key, "acknowledged", 2, T0.plusSeconds(3));
        String resolved = incident(key, "resolved", 4, T0.plusSeconds(2));
        String otherKey = incident(key + "-other", "open", 1, T0.plusSeconds(4));
        String k = java.net.URLEncoder.encode(key, java.nio.charset.StandardCharsets.UTF_8);

        assertThat(listedIds(get("/api/v1/incidents?key=" + k))).containsExactly(acked, resolved, open);
        assertThat(listedIds(get("/api/v1/incidents?key=" + k + "&status=active"))).containsExactly(acked, open);
        assertThat(listedIds(get("/api/v1/incidents?status=resolved&key=" + k))).containsExactly(resolved);
        assertThat(listedIds(get("/api/v1/incidents?status=open&key=" + k))).containsExactly(open);
        assertThat(listedIds(get("/api/v1/incidents?key=" + k + "&limit=1"))).containsExactly(acked);
        assertThat(listedIds(get("/api/v1/incidents?key=" + k + "&status="))).as("empty status: any")
                .containsExactly(acked, resolved, open);
        assertThat(listedIds(get("/api/v1/incidents?key=no-such-key"))).isEmpty();
        assertThat(listedIds(get("/api/v1/incidents"))).contains(acked, resolved, open, otherKey);

        HttpResponse<String> whole = get("/api/v1/incidents?key=" + k + "&status=acknowledged");
        assertThat(whole.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(json(whole).get("incidents")).containsExactly(stored(acked));
    }

    @Test
    void refusesBadStatusesLimitsAndRepeatedParameters() {
        assertError(get("/api/v1/incidents?status=closed"), 400, "bad_status");
        assertError(get("/api/v1/incidents?status=ACTIVE"), 400, "bad_status");
        for (String limit : List.of("0", "1001", "-1", "ten", "1.5")) {
            assertError(get("/api/v1/incidents?limit=" + limit), 400, "bad_limit");
        }
        assertError(get("/api/v1/incidents?status=open&status=resolved"), 400, "bad_query");
        assertThat(listedIds(get("/api/v1/incidents?limit=1000"))).isNotNull();
    }

    @Test
    void getsOneIncidentOr404() {
        String id = incident("open");

        HttpResponse<String> found = get("/api/v1/incidents/" + id);
        assertThat(found.statusCode()).isEqualTo(200);
        assertThat(json(found)).isEqualTo(stored(id));

        assertError(get("/api/v1/incidents/inc-000000000000"), 404, "not_found");
        assertError(get("/api/v1/incidents/inc-000000000000?incidentId=" + id), 404, "not_found");
    }

    @Test
    void acknowledgingSendsTheCommandThroughTheEngineAndAnswersTheNewSnapshot() {
        String id = incident("open");

        HttpResponse<String> response = post("/api/v1/incidents/" + id + "/acknowledge",
                "{\"by\": \"alice@example.org\", \"comment\": \"looking at the checkout pods\"}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = json(response);
        assertThat(body.get("id").asText()).isEqualTo(id);
        assertThat(body.get("status").asText()).isEqualTo("acknowledged");
        assertThat(body.get("acknowledgedBy").asText()).isEqualTo("alice@example.org");
        assertThat(body.get("version").asLong()).isEqualTo(4);
        assertThat(body).isEqualTo(stored(id));

        assertThat(engine.accepted()).hasSize(1);
        Event command = engine.accepted().get(0);
        assertThat(command.getType()).isEqualTo(IncidentCommand.TYPE_ACKNOWLEDGE);
        assertThat(command.getSource()).isEqualTo(IncidentCommand.SOURCE);
        assertThat(command.getSubject()).isEqualTo(id);
        assertThat(command.getTime()).isEqualTo(CLOCK.instant());
        assertThat(IncidentCommand.incidentOf(command)).isEqualTo(id);
        assertThat(IncidentCommand.byOf(command)).isEqualTo("alice@example.org");
        assertThat(IncidentCommand.commentOf(command)).isEqualTo("looking at the checkout pods");
        assertThat(UUID.fromString(command.getId()).toString()).isEqualTo(command.getId());
    }

    @Test
    void withoutABodyTheCommandIsByTheApiAndWithoutComment() {
        String id = incident("acknowledged");

        HttpResponse<String> response = post("/api/v1/incidents/" + id + "/resolve", "");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(json(response).get("status").asText()).isEqualTo("resolved");
        assertThat(json(response).get("resolvedBy").asText()).isEqualTo("api");
        Event command = engine.accepted().get(0);
        assertThat(command.getType()).isEqualTo(IncidentCommand.TYPE_RESOLVE);
        assertThat(IncidentCommand.byOf(command)).isEqualTo("api");
        assertThat(IncidentCommand.commentOf(command)).isNull();
        assertThat(((Map<?, ?>) command.getData()).containsKey(IncidentCommand.COMMENT)).isTrue();
    }

    @Test
    void repeatingACommandThatIsAlreadyInEffectAnswersTheSnapshotAndSendsNothing() {
        String acked = incident("acknowledged");
        String resolved = incident("resolved");

        HttpResponse<String> ackAgain = post("/api/v1/incidents/" + acked + "/acknowledge", "{\"by\": \"bob\"}");
        HttpResponse<String> resolveAgain = post("/api/v1/incidents/" + resolved + "/resolve", "");

        assertThat(ackAgain.statusCode()).isEqualTo(200);
        assertThat(json(ackAgain)).isEqualTo(stored(acked));
        assertThat(resolveAgain.statusCode()).isEqualTo(200);
        assertThat(json(resolveAgain)).isEqualTo(stored(resolved));
        assertThat(engine.accepted()).isEmpty();
    }

    @Test
    void acknowledgingAResolvedIncidentIsAConflict() {
        String resolved = incident("resolved");

        assertError(post("/api/v1/incidents/" + resolved + "/acknowledge", ""), 409, "conflict");
        assertThat(store.get(resolved).orElseThrow().get("status")).isEqualTo("resolved");
        assertThat(engine.accepted()).isEmpty();
    }

    @Test
    void commandsOnUnknownIncidentsAre404() {
        assertError(post("/api/v1/incidents/inc-000000000000/acknowledge", ""), 404, "not_found");
        assertError(post("/api/v1/incidents/inc-000000000000/resolve", "{\"by\": \"bob\"}"), 404, "not_found");
        assertThat(engine.accepted()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"by\": \"bob\"", "[]", "\"bob\"", "{\"by\": \"bob\"} {}", "{\"by\": 7}", "{\"by\": true}",
            "{\"comment\": {\"text\": \"x\"}}", "{\"by\": \"bob\", \"comments\": \"typo\"}", "{\"by\": \"  \"}",
            "{\"by\": \"bob\\nINFO forged log line\"}"})
    void refusesBodiesThatAreNotAnObjectOfByAndComment(String body) {
        String id = incident("open");

        HttpResponse<String> response = post("/api/v1/incidents/" + id + "/acknowledge", body);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(json(response).path("error").asText())
                .isIn("malformed_json", "wrong_type", "unknown_field", "invalid_value");
        assertThat(engine.accepted()).isEmpty();
        assertThat(store.get(id).orElseThrow().get("status")).isEqualTo("open");
    }

    @Test
    void limitsTheLengthOfByAndComment() throws Exception {
        String id = incident("open");
        String longestBy = "b".repeat(IncidentRoutes.MAX_BY_LENGTH);
        String longestComment = "c".repeat(IncidentRoutes.MAX_COMMENT_LENGTH);

        assertError(post("/api/v1/incidents/" + id + "/acknowledge",
                JSON.writeValueAsString(Map.of("by", longestBy + "b"))), 400, "invalid_value");
        assertError(post("/api/v1/incidents/" + id + "/acknowledge",
                JSON.writeValueAsString(Map.of("comment", longestComment + "c"))), 400, "invalid_value");
        assertError(post("/api/v1/incidents/" + id + "/acknowledge", "{\"comment\": \"" + "x".repeat(20_000) + "\"}"),
                413, "body_too_large");
        assertThat(engine.accepted()).isEmpty();

        HttpResponse<String> longest = post("/api/v1/incidents/" + id + "/acknowledge",
                JSON.writeValueAsString(Map.of("by", longestBy, "comment", longestComment)));
        assertThat(longest.statusCode()).as(longest.body()).isEqualTo(200);
        assertThat(IncidentCommand.commentOf(engine.accepted().get(0))).isEqualTo(longestComment);
    }

    @Test
    void answers202WhenTheStoreDoesNotShowTheChangeInTime() {
        engine.behave(Behaviour.JOURNAL_ONLY);
        String id = incident("open");

        HttpResponse<String> response = post("/api/v1/incidents/" + id + "/acknowledge", "");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        assertThat(json(response)).isEqualTo(JSON.createObjectNode().put("accepted", true).put("incident", id));
        assertThat(engine.accepted()).hasSize(1);
        assertThat(store.get(id).orElseThrow().get("status")).isEqualTo("open");
    }

    @Test
    void answers503WithRetryAfterWhenTheEngineCannotTakeTheCommand() {
        String id = incident("open");

        engine.behave(Behaviour.OVERLOADED);
        HttpResponse<String> overloaded = post("/api/v1/incidents/" + id + "/acknowledge", "");
        assertError(overloaded, 503, "overloaded");
        assertThat(overloaded.headers().firstValue("Retry-After")).hasValue("2");

        engine.behave(Behaviour.NOT_RUNNING);
        HttpResponse<String> stopped = post("/api/v1/incidents/" + id + "/resolve", "");
        assertError(stopped, 503, "not_accepting");
        assertThat(stopped.headers().firstValue("Retry-After")).hasValue("5");

        assertThat(engine.accepted()).isEmpty();
        assertThat(store.get(id).orElseThrow().get("status")).isEqualTo("open");
    }

    @Test
    void everyRouteRequiresTheToken() {
        String id = incident("open");
        HttpRequest.Builder wrongToken = server.request("/api/v1/incidents/" + id)
                .header("Authorization", "Bearer not-" + TOKEN);

        assertError(server.get("/api/v1/incidents"), 401, "unauthorized");
        assertError(server.get("/api/v1/incidents/" + id), 401, "unauthorized");
        assertError(server.send(wrongToken.GET().build()), 401, "unauthorized");
        assertError(server.post("/api/v1/incidents/" + id + "/acknowledge", "application/json", ""), 401,
                "unauthorized");
        assertError(server.post("/api/v1/incidents/" + id + "/resolve", "application/json", ""), 401, "unauthorized");

        assertThat(engine.accepted()).isEmpty();
        assertThat(store.get(id).orElseThrow().get("status")).isEqualTo("open");
        assertThat(server.get("/api/v1/incidents").body()).doesNotContain(TOKEN);
    }
}
