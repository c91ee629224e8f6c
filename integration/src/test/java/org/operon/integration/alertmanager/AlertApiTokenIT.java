package org.operon.integration.alertmanager;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.operon.integration.http.ApiTokenCheck;
import org.operon.integration.http.IntakeOptions;
import org.operon.integration.testing.HttpTestServer;
import org.operon.integration.testing.InMemoryDeadLetters;
import org.operon.integration.testing.RecordingAcceptor;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/** The alert routes behind an API token: Prometheus and Alertmanager send it with {@code authorization}. */
class AlertApiTokenIT {
    private static final String TOKEN = "alert-t0ken";
    private static final IntakeOptions OPTIONS = IntakeOptions.of(4096, 1024);
    private static final String ALERT = "[{\"labels\":{\"alertname\":\"x\"}}]";
    private static final String NOTIFICATION = "{\"version\":\"4\",\"alerts\":[{\"status\":\"firing\",\"labels\":{\"alertname\":\"x\"}}]}";

    private static final RecordingAcceptor acceptor = new RecordingAcceptor();
    private static final InMemoryDeadLetters deadLetters = new InMemoryDeadLetters();
    private static HttpTestServer server;

    @BeforeAll
    static void start() throws Exception {
        ApiTokenCheck check = ApiTokenCheck.of(TOKEN);
        server = HttpTestServer.start(OPTIONS,
                new AlertRoutes(acceptor, deadLetters, Clock.systemUTC(), OPTIONS, check,
                        () -> CompletableFuture.completedFuture(List.of())),
                new AlertmanagerWebhookRoutes(acceptor, deadLetters, Clock.systemUTC(), OPTIONS, check));
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

    private HttpResponse<String> post(String path, String body, String authorization) {
        HttpRequest.Builder request = server.request(path).header("Content-Type", "application/json");
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return server.send(request.POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    @Test
    void withoutTheTokenEveryRouteIsA401AndNothingIsKept() {
        assertThat(post("/api/v2/alerts", ALERT, null).statusCode()).isEqualTo(401);
        assertThat(post("/api/v1/alertmanager", NOTIFICATION, "Bearer wrong").statusCode()).isEqualTo(401);
        assertThat(server.get("/api/v2/alerts").statusCode()).isEqualTo(401);
        assertThat(server.get("/api/v2/status").statusCode()).isEqualTo(401);

        assertThat(acceptor.accepted()).isEmpty();
        assertThat(deadLetters.count()).isZero();
    }

    @Test
    void withTheTokenAlertsAreAccepted() {
        assertThat(post("/api/v2/alerts", ALERT, "Bearer " + TOKEN).statusCode()).isEqualTo(200);
        assertThat(post("/api/v1/alertmanager", NOTIFICATION, "Bearer " + TOKEN).statusCode()).isEqualTo(200);
        assertThat(server.send(server.request("/api/v2/alerts").header("Authorization", "Bearer " + TOKEN).GET().build())
                .statusCode()).isEqualTo(200);
    }
}
