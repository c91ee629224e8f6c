package org.operon.integration.api;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.operon.integration.http.IntakeOptions;
import org.operon.integration.testing.HttpTestServer;
import org.operon.integration.testing.InMemoryAuditLog;
import org.operon.integration.testing.InMemoryDeadLetters;
import org.operon.integration.testing.RecordingAcceptor;
import org.operon.state.AuditEntry;
import org.operon.state.DeadLetter;

import java.net.http.HttpResponse;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.operon.integration.testing.HttpTestServer.json;

/** The read API over real HTTP. */
class ReadApiIT {
    private static final RecordingAcceptor acceptor = new RecordingAcceptor();
    private static final InMemoryDeadLetters deadLetters = new InMemoryDeadLetters();
    private static final InMemoryAuditLog audit = new InMemoryAuditLog();
    private static HttpTestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = HttpTestServer.start(IntakeOptions.defaults(), new ReadApiRoutes(audit, deadLetters, acceptor));
        for (int i = 1; i <= 5; i++) {
            audit.record(new AuditEntry("a" + i, "d" + i, "notify", "db-1", "webhook",
                    i == 3 ? AuditEntry.FAILED : AuditEntry.SENT, i == 3 ? "HTTP 500" : null, "critical-burst",
                    List.of("e" + i, "f" + i), "2026-01-31T12:00:0" + i + "Z"));
        }
        for (int i = 1; i <= 3; i++) {
            deadLetters.add(new DeadLetter("dl" + i, "2026-01-31T12:00:0" + i + "Z", "http:/api/v1/events",
                    "malformed_json", "bad", i == 2 ? 4 : null, "{", 1, false));
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void reset() {
        acceptor.reset();
    }

    @Test
    void actionsAreListedNewestFirstUpToTheLimit() {
        HttpResponse<String> response = server.get("/api/v1/actions?limit=2");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode actions = json(response).get("actions");
        assertThat(actions).extracting(a -> a.get("id").asText()).containsExactly("a5", "a4");
        JsonNode first = actions.get(0);
        assertThat(first.get("decisionId").asText()).isEqualTo("d5");
        assertThat(first.get("type").asText()).isEqualTo("notify");
        assertThat(first.get("subject").asText()).isEqualTo("db-1");
        assertThat(first.get("target").asText()).isEqualTo("webhook");
        assertThat(first.get("status").asText()).isEqualTo("sent");
        assertThat(first.get("rule").asText()).isEqualTo("critical-burst");
        assertThat(first.get("eventIds").isArray()).isTrue();
        assertThat(first.get("eventIds").toString()).isEqualTo("[\"e5\",\"f5\"]");
        assertThat(first.get("time").asText()).isEqualTo("2026-01-31T12:00:05Z");
    }

    @Test
    void theDefaultLimitReturnsEverythingHere() {
        HttpResponse<String> response = server.get("/api/v1/actions");

        assertThat(json(response).get("actions")).hasSize(5);
        assertThat(json(response).get("actions").get(2).get("reason").asText()).isEqualTo("HTTP 500");
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "0", "-1", "1001", ""})
    void aBadLimitIsA400(String limit) {
        HttpResponse<String> response = server.get("/api/v1/actions?limit=" + limit);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).get("error").asText()).isEqualTo("bad_limit");
        assertThat(json(response).get("detail").asText()).contains("1 to 1000");
    }

    @Test
    void theLargestLimitIsAllowed() {
        assertThat(server.get("/api/v1/deadletters?limit=1000").statusCode()).isEqualTo(200);
    }

    @Test
    void deadLettersAreListedNewestFirstUpToTheLimit() {
        HttpResponse<String> response = server.get("/api/v1/deadletters?limit=2");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode letters = json(response).get("deadletters");
        assertThat(letters).extracting(l -> l.get("id").asText()).containsExactly("dl3", "dl2");
        assertThat(letters.get(1).get("index").asInt()).isEqualTo(4);
        assertThat(letters.get(0).get("index").isNull()).isTrue();
        assertThat(letters.get(0).get("channel").asText()).isEqualTo("http:/api/v1/events");
        assertThat(letters.get(0).get("payloadBytes").asLong()).isEqualTo(1);
        assertThat(letters.get(0).get("truncated").asBoolean()).isFalse();
    }

    @Test
    void healthIsUpOnceTheEngineAccepts() {
        HttpResponse<String> up = server.get("/api/v1/health");
        acceptor.accepting(false);
        HttpResponse<String> starting = server.get("/api/v1/health");

        assertThat(up.statusCode()).isEqualTo(200);
        assertThat(json(up).get("status").asText()).isEqualTo("up");
        assertThat(starting.statusCode()).isEqualTo(503);
        assertThat(json(starting).get("status").asText()).isEqualTo("starting");
    }
}
