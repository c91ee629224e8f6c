package org.operon.integration.api;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.operon.integration.http.ApiTokenCheck;
import org.operon.integration.http.EventIntakeRoutes;
import org.operon.integration.http.IntakeOptions;
import org.operon.integration.testing.HttpTestServer;
import org.operon.integration.testing.InMemoryAuditLog;
import org.operon.integration.testing.InMemoryDeadLetters;
import org.operon.integration.testing.RecordingAcceptor;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.operon.integration.testing.HttpTestServer.json;

/** Both route builders behind an API token. (Without a token, the other ITs show every route open.) */
class ApiTokenIT {
    private static final String TOKEN = "s3cret-t0ken-value";
    private static final IntakeOptions OPTIONS = IntakeOptions.of(4096, 1024);
    private static final String EVENT = """
            {"specversion":"1.0","id":"t1","source":"/s","type":"alert"}""";

    private static final RecordingAcceptor acceptor = new RecordingAcceptor();
    private static final InMemoryDeadLetters deadLetters = new InMemoryDeadLetters();
    private static HttpTestServer server;

    @BeforeAll
    static void start() throws Exception {
        ApiTokenCheck check = ApiTokenCheck.of(TOKEN);
        server = HttpTestServer.start(OPTIONS,
                new EventIntakeRoutes(acceptor, deadLetters, Clock.systemUTC(), OPTIONS, check),
                new ReadApiRoutes(new InMemoryAuditLog(), deadLetters, acceptor, check));
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

    private HttpResponse<String> postEvent(String authorization) {
        HttpRequest.Builder request = server.request("/api/v1/events").header("Content-Type", "application/cloudevents+json");
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return server.send(request.POST(HttpRequest.BodyPublishers.ofString(EVENT)).build());
    }

    private HttpResponse<String> getActions(String authorization) {
        HttpRequest.Builder request = server.request("/api/v1/actions");
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return server.send(request.GET().build());
    }

    @Test
    void intakeWithoutTokenIsA401AndNotDeadLettered() {
        HttpResponse<String> response = postEvent(null);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(json(response).get("error").asText()).isEqualTo("unauthorized");
        assertThat(json(response).get("detail").asText()).contains("Bearer");
        assertThat(acceptor.accepted()).isEmpty();
        assertThat(deadLetters.count()).isZero();
    }

    @Test
    void aWrongTokenIsA401() {
        assertThat(postEvent("Bearer " + TOKEN + "x").statusCode()).isEqualTo(401);
        assertThat(postEvent("Bearer " + TOKEN.substring(1)).statusCode()).isEqualTo(401);
        assertThat(postEvent("Basic " + TOKEN).statusCode()).isEqualTo(401);
        assertThat(getActions("Bearer nope").statusCode()).isEqualTo(401);
    }

    @Test
    void theRightTokenIsAccepted() {
        HttpResponse<String> response = postEvent("Bearer " + TOKEN);

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(getActions("bearer " + TOKEN).statusCode()).isEqualTo(200);
    }

    @Test
    void theTokenNeverComesBack() {
        HttpResponse<String> ok = postEvent("Bearer " + TOKEN);
        HttpResponse<String> refused = getActions("Bearer " + TOKEN + "x");

        for (HttpResponse<String> response : new HttpResponse[] {ok, refused}) {
            assertThat(response.body()).doesNotContain(TOKEN);
            assertThat(response.headers().map().toString()).doesNotContain(TOKEN);
            assertThat(response.headers().firstValue("Authorization")).isEmpty();
        }
    }

    @Test
    void readApiWithoutTokenIsA401() {
        HttpResponse<String> response = getActions(null);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(json(response).get("error").asText()).isEqualTo("unauthorized");
        assertThat(server.get("/api/v1/deadletters").statusCode()).isEqualTo(401);
    }

    @Test
    void healthStaysOpen() {
        HttpResponse<String> response = server.get("/api/v1/health");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).get("status").asText()).isEqualTo("up");
    }

    @Test
    void aBodyOverTheServerLimitWithoutTokenIsA401AndNotDeadLettered() {
        HttpResponse<String> response = server.send(server.request("/api/v1/events")
                .header("Content-Type", "application/cloudevents+json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[20_000])).build());

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(deadLetters.count()).isZero();
    }
}
