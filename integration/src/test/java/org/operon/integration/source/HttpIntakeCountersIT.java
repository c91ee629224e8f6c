package org.operon.integration.source;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.operon.integration.alertmanager.AlertReader;
import org.operon.integration.alertmanager.AlertRoutes;
import org.operon.integration.alertmanager.AlertmanagerWebhookRoutes;
import org.operon.integration.http.ApiTokenCheck;
import org.operon.integration.http.EventIntakeRoutes;
import org.operon.integration.http.IntakeCounters;
import org.operon.integration.http.IntakeOptions;
import org.operon.integration.testing.HttpTestServer;
import org.operon.integration.testing.InMemoryDeadLetters;
import org.operon.integration.testing.RecordingAcceptor;
import org.operon.integration.testing.RecordingAcceptor.Behaviour;

import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.operon.integration.testing.HttpTestServer.json;

/**
 * The HTTP API's intake (/api/v1/events, /api/v2/alerts, /api/v1/alertmanager) counted into the same
 * counters as SourceIntake and listed by GET /api/v1/sources; answers unchanged.
 */
class HttpIntakeCountersIT {
    private static final Instant NOW = Instant.parse("2026-11-26T18:30:00Z");
    private static final IntakeOptions OPTIONS = IntakeOptions.of(4096, 1024);
    private static final String EVENT = """
            {"specversion":"1.0","id":"e-%s","source":"test","type":"probe"}""";
    private static final String ALERT = """
            {"labels":{"alertname":"HighCpu","instance":"web-01"},"startsAt":"2026-11-26T18:29:00Z"}""";
    private static final String NOTIFICATION = """
            {"version":"4","status":"firing","receiver":"operon","groupLabels":{},"commonLabels":{},
             "commonAnnotations":{},"externalURL":"http://am","alerts":[
              {"status":"firing","labels":{"alertname":"DiskFull","instance":"db-1"},"annotations":{},
               "startsAt":"2026-11-26T18:29:00Z","endsAt":"0001-01-01T00:00:00Z","fingerprint":"aa11"},
              {"status":"firing","labels":{},"annotations":{},"startsAt":"2026-11-26T18:29:00Z",
               "endsAt":"0001-01-01T00:00:00Z","fingerprint":"bb22"}]}""";

    private final RecordingAcceptor acceptor = new RecordingAcceptor();
    private final InMemoryDeadLetters deadLetters = new InMemoryDeadLetters();
    private final IntakeCounters counters = new IntakeCounters();
    private SourceIntake intake;
    private HttpTestServer server;

    @BeforeEach
    void start() throws Exception {
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        intake = new SourceIntake(acceptor, deadLetters, clock, OPTIONS, counters);
        AlertReader reader = () -> CompletableFuture.completedFuture(List.of());
        server = HttpTestServer.start(OPTIONS,
                new EventIntakeRoutes(acceptor, deadLetters, clock, OPTIONS).countingInto(counters),
                new AlertRoutes(acceptor, deadLetters, clock, OPTIONS, ApiTokenCheck.disabled(), reader)
                        .countingInto(counters),
                new AlertmanagerWebhookRoutes(acceptor, deadLetters, clock, OPTIONS, ApiTokenCheck.disabled())
                        .countingInto(counters),
                new SourceCountersRoutes(intake, ApiTokenCheck.disabled()));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private JsonNode counts(String source) {
        HttpResponse<String> response = server.get("/api/v1/sources");
        assertThat(response.statusCode()).isEqualTo(200);
        return json(response).path("sources").path(source);
    }

    private void assertCounts(String source, long received, long accepted, long rejected) {
        JsonNode c = counts(source);
        assertThat(c.isMissingNode()).as(source + " listed").isFalse();
        assertThat(c.path("received").asLong()).as(source + " received").isEqualTo(received);
        assertThat(c.path("accepted").asLong()).as(source + " accepted").isEqualTo(accepted);
        assertThat(c.path("rejected").asLong()).as(source + " rejected").isEqualTo(rejected);
    }

    @Test
    void eventsAreCountedPerRequestAndEvent() {
        assertThat(counts("http:/api/v1/events").isMissingNode()).as("nothing before the first request").isTrue();

        assertThat(server.post("/api/v1/events", "application/cloudevents-batch+json",
                "[" + EVENT.formatted("1") + "," + EVENT.formatted("2") + ",{\"id\":\"x\"}]").statusCode()).isEqualTo(202);
        assertThat(server.post("/api/v1/events", "application/cloudevents+json", "{not json").statusCode())
                .isEqualTo(400);
        acceptor.behave(Behaviour.OVERLOADED);
        assertThat(server.post("/api/v1/events", "application/cloudevents+json", EVENT.formatted("3")).statusCode())
                .isEqualTo(503);

        // 3 requests; 2 events accepted; 1 batch element and 1 whole request rejected; the 503 neither.
        assertCounts("http:/api/v1/events", 3, 2, 2);
        assertThat(acceptor.accepted()).hasSize(2);
    }

    @Test
    void alertsAndAlertmanagerNotificationsAreCounted() {
        assertThat(server.post("/api/v2/alerts", "application/json", "[" + ALERT + "]").statusCode()).isEqualTo(200);
        assertThat(server.post("/api/v2/alerts", "application/json", "{}").statusCode()).isEqualTo(400);
        assertThat(server.get("/api/v2/alerts").statusCode()).isEqualTo(200); // listing is not intake
        assertCounts("http:/api/v2/alerts", 2, 1, 1);

        HttpResponse<String> answer = server.post("/api/v1/alertmanager", "application/json", NOTIFICATION);
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(json(answer).path("accepted")).hasSize(1);
        assertCounts("http:/api/v1/alertmanager", 1, 1, 1);
    }

    @Test
    void sourcesAndTheHttpApiShareTheListing() throws Exception {
        intake.submit("route:probe", EVENT.formatted("9").getBytes());
        server.post("/api/v1/events", "application/cloudevents+json", EVENT.formatted("10"));

        assertCounts("route:probe", 1, 1, 0);
        assertCounts("http:/api/v1/events", 1, 1, 0);
        assertThat(counts("http:/api/v1/alertmanager").isMissingNode()).isTrue();
    }
}
