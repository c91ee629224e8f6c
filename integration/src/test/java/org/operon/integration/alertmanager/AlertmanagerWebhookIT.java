package org.operon.integration.alertmanager;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.operon.integration.http.ApiTokenCheck;
import org.operon.integration.http.IntakeOptions;
import org.operon.integration.testing.HttpTestServer;
import org.operon.integration.testing.InMemoryDeadLetters;
import org.operon.integration.testing.RecordingAcceptor;
import org.operon.integration.testing.RecordingAcceptor.Behaviour;
import org.operon.model.AlertReport;
import org.operon.model.Event;
import org.operon.model.Severity;
import org.operon.state.DeadLetter;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.operon.integration.testing.HttpTestServer.json;

/**
 * The Alertmanager webhook over real HTTP, fed with payloads captured from a real Alertmanager
 * (src/test/resources/alertmanager, from the project's shared fixtures).
 */
class AlertmanagerWebhookIT {
    /** After every time in the fixtures. */
    private static final Instant NOW = Instant.parse("2026-11-26T18:30:00Z");
    private static final IntakeOptions OPTIONS = IntakeOptions.of(8192, 1024);
    private static final String WEBHOOK = "/api/v1/alertmanager";

    private static final RecordingAcceptor acceptor = new RecordingAcceptor();
    private static final InMemoryDeadLetters deadLetters = new InMemoryDeadLetters();
    private static HttpTestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = HttpTestServer.start(OPTIONS, new AlertmanagerWebhookRoutes(acceptor, deadLetters,
                Clock.fixed(NOW, ZoneOffset.UTC), OPTIONS, ApiTokenCheck.disabled()));
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

    private static String fixture(String name) {
        try (InputStream in = AlertmanagerWebhookIT.class.getResourceAsStream("/alertmanager/" + name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private HttpResponse<String> post(String body) {
        return server.post(WEBHOOK, "application/json", body);
    }

    private static AlertReport reportOf(Event event) {
        try {
            return AlertReport.fromEvent(event);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aFiringNotificationBecomesAFiringAlertReport() {
        HttpResponse<String> response = post(fixture("alertmanager-firing.json"));

        assertThat(response.statusCode()).isEqualTo(200);
        Event event = acceptor.accepted().get(0);
        assertThat(json(response).get("accepted").toString()).isEqualTo("[\"" + event.getId() + "\"]");
        assertThat(json(response).has("rejected")).isFalse();
        assertThat(event.getType()).isEqualTo("operon.alert");
        assertThat(event.getSource()).isEqualTo("/api/v1/alertmanager");
        assertThat(event.getSubject()).as("the fingerprint Alertmanager sent").isEqualTo("2bd0845d243bb57e");
        assertThat(event.getSeverity()).isEqualTo(Severity.CRITICAL);
        AlertReport report = reportOf(event);
        assertThat(report.labels()).containsEntry("alertname", "HighCpu").containsEntry("service", "checkout");
        assertThat(report.annotations()).containsEntry("runbook_url", "http://127.0.0.1/runbook/cpu");
        assertThat(report.startsAt()).isEqualTo(Instant.parse("2026-11-26T18:22:11.569464475Z"));
        assertThat(report.endsAt()).as("0001-01-01T00:00:00Z: still firing").isNull();
        assertThat(report.generatorURL()).isEqualTo("http://127.0.0.1:9090/graph");
        assertThat(report.resolveTimeout()).isEqualTo(AlertmanagerWebhookRoutes.DEFAULT_RESOLVE_TIMEOUT);
        assertThat(deadLetters.count()).isZero();
    }

    @Test
    void aResolvedNotificationBecomesAReportEndingAtItsEndsAt() {
        HttpResponse<String> response = post(fixture("alertmanager-resolved.json"));

        assertThat(response.statusCode()).isEqualTo(200);
        Event event = acceptor.accepted().get(0);
        assertThat(event.getSubject()).isEqualTo("2bd0845d243bb57e");
        assertThat(reportOf(event).endsAt()).isEqualTo(Instant.parse("2026-11-26T18:22:17Z"));
    }

    @Test
    void theNotificationsOfARealPrometheusRuleKeepOneFingerprint() {
        post(fixture("alertmanager-from-prometheus-firing.json"));
        post(fixture("alertmanager-from-prometheus-resolved.json"));

        assertThat(acceptor.accepted()).extracting(Event::getSubject)
                .containsExactly("f296082d5b30f070", "f296082d5b30f070");
        assertThat(acceptor.accepted()).extracting(Event::getSeverity).containsOnly(Severity.WARNING);
        AlertReport firing = reportOf(acceptor.accepted().get(0));
        AlertReport resolved = reportOf(acceptor.accepted().get(1));
        assertThat(firing.endsAt()).isNull();
        assertThat(firing.startsAt()).isEqualTo(Instant.parse("2026-11-26T18:24:02.558Z"));
        assertThat(resolved.endsAt()).isEqualTo(Instant.parse("2026-11-26T18:24:15.558Z"));
        assertThat(resolved.generatorURL())
                .isEqualTo("http://localhost:9090/graph?g0.expr=demo_queue_depth+%3E+10&g0.tab=1");
        assertThat(acceptor.accepted()).extracting(Event::getId).doesNotHaveDuplicates();
    }

    @Test
    void aGroupOfFiringAndResolvedAlertsBecomesOneReportEach() {
        String group = """
                {"version":"4","status":"firing","receiver":"operon","groupKey":"{}:{}","truncatedAlerts":0,
                 "notification_reason":"new alerts","routeLabels":{"team":"web"},"somethingNew":{"x":[1]},
                 "alerts":[
                  {"status":"firing","labels":{"alertname":"A","severity":"info"},"annotations":{},
                   "startsAt":"2026-11-26T18:20:00Z","endsAt":"0001-01-01T00:00:00Z","generatorURL":"",
                   "fingerprint":"0000000000000000","extra":true},
                  {"status":"resolved","labels":{"alertname":"B"},
                   "startsAt":"2026-11-26T18:20:00Z","endsAt":"2026-11-26T18:25:00Z"}]}""";

        HttpResponse<String> response = post(group);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).get("accepted")).hasSize(2);
        assertThat(reportOf(acceptor.accepted().get(0)).endsAt()).isNull();
        assertThat(reportOf(acceptor.accepted().get(0)).generatorURL()).isNull();
        assertThat(reportOf(acceptor.accepted().get(1)).endsAt()).isEqualTo(Instant.parse("2026-11-26T18:25:00Z"));
    }

    @Test
    void aResolvedAlertWithoutAnEndEndsAtItsReceipt() {
        post("""
                {"version":"4","alerts":[{"status":"resolved","labels":{"alertname":"A"},
                  "startsAt":"2026-11-26T18:20:00Z","endsAt":"0001-01-01T00:00:00Z"}]}""");

        assertThat(reportOf(acceptor.accepted().get(0)).endsAt()).isEqualTo(NOW);
    }

    @Test
    void aFiringAlertKeepsAnEndInTheFutureAndTheResolveTimeout() {
        post("""
                {"alerts":[{"status":"firing","labels":{"alertname":"A"},"endsAt":"2026-11-26T19:00:00Z"},
                           {"status":"firing","labels":{"alertname":"B"},"endsAt":"2026-11-26T18:00:00Z"}]}""");

        assertThat(reportOf(acceptor.accepted().get(0)).endsAt()).isEqualTo(Instant.parse("2026-11-26T19:00:00Z"));
        assertThat(reportOf(acceptor.accepted().get(1)).endsAt()).as("a past end of a firing alert is ignored").isNull();
        assertThat(reportOf(acceptor.accepted().get(1)).resolveTimeout()).isEqualTo(Duration.ofHours(4).plusMinutes(10));
    }

    @Test
    void anInvalidAlertIsRejectedAndDeadLetteredWhileTheOthersAreAccepted() {
        HttpResponse<String> response = post("""
                {"version":"4","alerts":[
                  {"status":"firing","labels":{"alertname":"Ok"}},
                  {"status":"firing","labels":{}},
                  {"status":"pending","labels":{"alertname":"Odd"}}]}""");

        assertThat(response.statusCode()).as("4xx would make Alertmanager drop the valid alerts").isEqualTo(200);
        JsonNode body = json(response);
        assertThat(body.get("accepted")).hasSize(1);
        assertThat(body.get("rejected")).extracting(r -> r.get("index").asInt()).containsExactly(1, 2);
        assertThat(body.get("rejected").get(1).get("detail").asText()).contains("alert 2", "pending");
        assertThat(acceptor.accepted()).extracting(e -> e.getLabels().get("alertname")).containsExactly("Ok");
        assertThat(deadLetters.all()).extracting(DeadLetter::index).containsExactly(1, 2);
        assertThat(deadLetters.all()).allSatisfy(l -> assertThat(l.channel()).isEqualTo("http:/api/v1/alertmanager"));
    }

    @Test
    void aNotificationWithNoValidAlertIsA400() {
        HttpResponse<String> response = post("{\"version\":\"4\",\"alerts\":[{\"labels\":{\"a\":\"\"}}]}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).get("error").asText()).isEqualTo("no_valid_alerts");
        assertThat(json(response).get("rejected")).hasSize(1);
        assertThat(deadLetters.all()).singleElement().satisfies(l -> assertThat(l.index()).isZero());
    }

    @Test
    void anEmptyGroupIsFine() {
        HttpResponse<String> response = post("{\"version\":\"4\",\"alerts\":[]}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).get("accepted")).isEmpty();
    }

    @Test
    void payloadsThatCanNeverSucceedAreA400AndADeadLetter() {
        HttpResponse<String> malformed = post("{\"alerts\": [");
        HttpResponse<String> notANotification = post("{\"receiver\":\"x\"}");
        HttpResponse<String> anArray = post("[]");

        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(json(malformed).get("error").asText()).isEqualTo("malformed_json");
        assertThat(notANotification.statusCode()).isEqualTo(400);
        assertThat(json(notANotification).get("detail").asText()).contains("\"alerts\" array");
        assertThat(anArray.statusCode()).isEqualTo(400);
        assertThat(deadLetters.all()).extracting(DeadLetter::payload)
                .containsExactly("{\"alerts\": [", "{\"receiver\":\"x\"}", "[]");
        assertThat(acceptor.accepted()).isEmpty();
    }

    @Test
    void aFullQueueIsA503SoThatAlertmanagerRetries() {
        acceptor.behave(Behaviour.OVERLOADED);

        HttpResponse<String> response = post(fixture("alertmanager-firing.json"));

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).hasValue("2");
        assertThat(json(response).get("error").asText()).isEqualTo("overloaded");
        assertThat(deadLetters.count()).isZero();
    }

    @Test
    void aStartingEngineIsA503WithoutDeadLetter() {
        acceptor.accepting(false);

        HttpResponse<String> response = post(fixture("alertmanager-firing.json"));

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(json(response).get("error").asText()).isEqualTo("not_accepting");
        assertThat(deadLetters.count()).isZero();
    }

    @Test
    void aFailingJournalIsA503AndDeadLettered() {
        acceptor.behave(Behaviour.JOURNAL_FAILS);

        HttpResponse<String> response = post(fixture("alertmanager-firing.json"));

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(json(response).get("error").asText()).isEqualTo("journal_unavailable");
        assertThat(deadLetters.all()).singleElement()
                .satisfies(l -> assertThat(l.payload()).contains("2bd0845d243bb57e"));
    }

    @Test
    void theAnswerCarriesNoRequestHeaders() {
        HttpResponse<String> response = server.send(server.request(WEBHOOK).header("Content-Type", "application/json")
                .header("X-Secret", "s3cret")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(fixture("alertmanager-firing.json"))).build());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().map().keySet()).noneMatch(h -> h.equalsIgnoreCase("X-Secret"));
    }
}
