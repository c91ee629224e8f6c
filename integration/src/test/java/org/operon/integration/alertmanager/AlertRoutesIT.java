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
import org.operon.model.AlertStatus;
import org.operon.model.Event;
import org.operon.model.Severity;
import org.operon.state.DeadLetter;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.operon.integration.testing.HttpTestServer.json;

/** Alertmanager's alert API v2 over real HTTP: Camel Main, platform-http on Vert.x, java.net.http client. */
class AlertRoutesIT {
    private static final Instant NOW = Instant.parse("2026-11-26T18:30:00Z");
    private static final IntakeOptions OPTIONS = IntakeOptions.of(4096, 1024);
    private static final String ALERTS = "/api/v2/alerts";
    private static final String HIGH_CPU_FP = "2bd0845d243bb57e";

    private static final RecordingAcceptor acceptor = new RecordingAcceptor();
    private static final InMemoryDeadLetters deadLetters = new InMemoryDeadLetters();
    private static volatile List<ListedAlert> sessionAlerts = List.of();
    private static volatile Map<String, List<String>> silencedByAlertname = Map.of();
    private static HttpTestServer server;

    @BeforeAll
    static void start() throws Exception {
        AlertReader reader = () -> CompletableFuture.completedFuture(sessionAlerts);
        SilenceLookup silences = (labels, at) -> silencedByAlertname.getOrDefault(labels.get("alertname"), List.of());
        server = HttpTestServer.start(OPTIONS, new AlertRoutes(acceptor, deadLetters, Clock.fixed(NOW, ZoneOffset.UTC),
                OPTIONS, ApiTokenCheck.disabled(), reader, silences));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void reset() {
        acceptor.reset();
        deadLetters.clear();
        sessionAlerts = List.of();
        silencedByAlertname = Map.of();
    }

    /** Two alerts as Prometheus posts them: explicit startsAt and endsAt (now + 4 resend intervals). */
    private static final String PROMETHEUS_BATCH = """
            [{"labels":{"alertname":"HighCpu","instance":"web-01","service":"checkout","severity":"critical"},
              "annotations":{"summary":"CPU above 95% on web-01"},
              "startsAt":"2026-11-26T18:22:11.569464475Z","endsAt":"2026-11-26T18:34:00Z",
              "generatorURL":"http://prometheus:9090/graph?g0.expr=cpu"},
             {"labels":{"alertname":"DiskFull","instance":"db-01"},
              "startsAt":"0001-01-01T00:00:00Z","endsAt":"0001-01-01T00:00:00.000Z"}]""";

    private HttpResponse<String> post(String body) {
        return server.post(ALERTS, "application/json", body);
    }

    @Test
    void postedAlertsAreJournaledAsAlertReportsAndAnswered200WithAnEmptyBody() {
        HttpResponse<String> response = post(PROMETHEUS_BATCH);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEmpty();
        assertThat(acceptor.accepted()).hasSize(2);
        Event highCpu = acceptor.accepted().get(0);
        assertThat(highCpu.getType()).isEqualTo("operon.alert");
        assertThat(highCpu.getSource()).isEqualTo("/api/v2/alerts");
        assertThat(highCpu.getSubject()).isEqualTo(HIGH_CPU_FP);
        assertThat(highCpu.getSeverity()).isEqualTo(Severity.CRITICAL);
        assertThat(highCpu.getTime()).isEqualTo(NOW);
        assertThat(highCpu.getLabels()).containsEntry("alertname", "HighCpu");
        assertThat(highCpu.getId()).matches("[0-9a-f-]{36}");
        @SuppressWarnings("unchecked")
        Map<String, Object> data = (Map<String, Object>) highCpu.getData();
        assertThat(data).containsEntry("startsAt", "2026-11-26T18:22:11.569464475Z")
                .containsEntry("endsAt", "2026-11-26T18:34:00Z")
                .containsEntry("generatorURL", "http://prometheus:9090/graph?g0.expr=cpu")
                .containsEntry("annotations", Map.of("summary", "CPU above 95% on web-01"));
        @SuppressWarnings("unchecked")
        Map<String, Object> diskFull = (Map<String, Object>) acceptor.accepted().get(1).getData();
        assertThat(diskFull).as("the zero time means unset").containsEntry("startsAt", null).containsEntry("endsAt", null);
        assertThat(acceptor.accepted().get(1).getSeverity()).isEqualTo(Severity.INFO);
        assertThat(deadLetters.count()).isZero();
    }

    @Test
    void aReSentAlertIsANewReportWithANewId() {
        post(PROMETHEUS_BATCH);
        post(PROMETHEUS_BATCH);

        assertThat(acceptor.accepted()).hasSize(4);
        assertThat(acceptor.accepted()).extracting(Event::getId).doesNotHaveDuplicates();
        assertThat(acceptor.accepted()).extracting(Event::getSubject)
                .containsExactly(HIGH_CPU_FP, acceptor.accepted().get(1).getSubject(), HIGH_CPU_FP,
                        acceptor.accepted().get(1).getSubject());
    }

    @Test
    void theAnswerWaitsUntilTheAlertsAreDurable() throws Exception {
        acceptor.behave(Behaviour.HOLD);
        CompletableFuture<HttpResponse<String>> response = server.client().sendAsync(
                server.request(ALERTS).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(PROMETHEUS_BATCH)).build(),
                HttpResponse.BodyHandlers.ofString());

        await().until(() -> !acceptor.held().isEmpty());
        assertThat(response).isNotDone();

        acceptor.held().get(0).complete(null);
        assertThat(response.get().statusCode()).isEqualTo(200);
        assertThat(acceptor.accepted()).hasSize(2);
    }

    @Test
    void validAlertsAreTakenAndEachInvalidOneIsA400AndADeadLetter() {
        HttpResponse<String> response = post("""
                [{"labels":{"alertname":"Ok"}},
                 {"labels":{"alertname":""},"annotations":{"summary":"only empty labels"}},
                 {"labels":{"alertname":"Late"},"startsAt":"2026-11-26T18:00:00Z","endsAt":"2026-11-26T17:00:00Z"}]""");

        assertThat(response.statusCode()).isEqualTo(400);
        String problem = json(response).asText();
        assertThat(json(response).isTextual()).as("Alertmanager answers errors as a JSON string").isTrue();
        assertThat(problem).contains("alert 1: labels", "alert 2: endsAt");
        assertThat(acceptor.accepted()).extracting(e -> e.getLabels().get("alertname")).containsExactly("Ok");
        assertThat(deadLetters.all()).extracting(DeadLetter::index).containsExactly(1, 2);
        assertThat(deadLetters.all()).allSatisfy(l -> assertThat(l.channel()).isEqualTo("http:/api/v2/alerts"));
        assertThat(deadLetters.all().get(0).payload()).contains("only empty labels");
    }

    @Test
    void malformedJsonIsA400StringAndADeadLetter() {
        HttpResponse<String> response = post("[{\"labels\": {");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).asText()).contains("not valid JSON");
        assertThat(deadLetters.all()).singleElement().satisfies(l -> {
            assertThat(l.error()).isEqualTo("malformed_json");
            assertThat(l.payload()).isEqualTo("[{\"labels\": {");
        });
        assertThat(acceptor.accepted()).isEmpty();
    }

    @Test
    void aBodyThatIsNotAnArrayIsA400() {
        HttpResponse<String> response = post("{\"labels\":{\"alertname\":\"x\"}}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).asText()).contains("JSON array");
        assertThat(deadLetters.count()).isEqualTo(1);
    }

    @Test
    void anEmptyListIsFine() {
        assertThat(post("[]").statusCode()).isEqualTo(200);
        assertThat(acceptor.accepted()).isEmpty();
    }

    @Test
    void aBodyOverTheLimitIsA413AndADeadLetter() {
        String big = "[{\"labels\":{\"alertname\":\"" + "x".repeat(5000) + "\"}}]";

        HttpResponse<String> response = post(big);

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(deadLetters.all()).singleElement().satisfies(l -> assertThat(l.truncated()).isTrue());
    }

    @Test
    void aFullQueueIsA503WithRetryAfterAndNoDeadLetter() {
        acceptor.behave(Behaviour.OVERLOADED);

        HttpResponse<String> response = post(PROMETHEUS_BATCH);

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).hasValue("2");
        assertThat(json(response).asText()).contains("queue is full");
        assertThat(deadLetters.count()).isZero();
    }

    @Test
    void aFailingJournalIsA503() {
        acceptor.behave(Behaviour.JOURNAL_FAILS);

        HttpResponse<String> response = post(PROMETHEUS_BATCH);

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).hasValue("5");
    }

    private static ListedAlert listed(String fingerprint, String alertname, AlertStatus status) {
        return new ListedAlert(fingerprint, Map.of("alertname", alertname, "severity", "critical"),
                Map.of("summary", alertname + " summary"), Instant.parse("2026-11-26T18:22:11.569464475Z"),
                Instant.parse("2026-11-26T18:35:00Z"), "http://prometheus:9090/graph",
                Instant.parse("2026-11-26T18:29:00Z"), status);
    }

    @Test
    void listsFiringAlertsSortedByFingerprintInAlertmanagersShape() {
        sessionAlerts = List.of(listed("ffff000000000001", "B", AlertStatus.FIRING),
                listed("0000000000000002", "A", AlertStatus.FIRING),
                listed("5555000000000003", "Gone", AlertStatus.RESOLVED));

        HttpResponse<String> response = server.get(ALERTS);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode alerts = json(response);
        assertThat(alerts).hasSize(2);
        JsonNode first = alerts.get(0);
        assertThat(first.get("fingerprint").asText()).isEqualTo("0000000000000002");
        assertThat(first.get("labels").get("alertname").asText()).isEqualTo("A");
        assertThat(first.get("annotations").get("summary").asText()).isEqualTo("A summary");
        assertThat(first.get("startsAt").asText()).isEqualTo("2026-11-26T18:22:11.569Z");
        assertThat(first.get("endsAt").asText()).isEqualTo("2026-11-26T18:35:00.000Z");
        assertThat(first.get("updatedAt").asText()).isEqualTo("2026-11-26T18:29:00.000Z");
        assertThat(first.get("generatorURL").asText()).isEqualTo("http://prometheus:9090/graph");
        assertThat(first.get("receivers").toString()).isEqualTo("[{\"name\":\"operon\"}]");
        assertThat(first.get("status").toString())
                .isEqualTo("{\"state\":\"active\",\"silencedBy\":[],\"inhibitedBy\":[]}");
        assertThat(alerts.get(1).get("fingerprint").asText()).isEqualTo("ffff000000000001");
    }

    @Test
    void anEmptySessionListsAnEmptyArray() {
        HttpResponse<String> response = server.get(ALERTS);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("[]");
    }

    private HttpResponse<String> getWith(String query) {
        return server.get(ALERTS + "?" + query);
    }

    private static String encoded(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    @Test
    void filtersByMatchers() {
        sessionAlerts = List.of(listed("0000000000000001", "HighCpu", AlertStatus.FIRING),
                listed("0000000000000002", "DiskFull", AlertStatus.FIRING));

        assertThat(json(getWith("filter=" + encoded("alertname=\"DiskFull\""))))
                .extracting(a -> a.get("labels").get("alertname").asText()).containsExactly("DiskFull");
        assertThat(json(getWith("filter=" + encoded("alertname=~\"High.*\"") + "&filter=" + encoded("severity=critical"))))
                .extracting(a -> a.get("labels").get("alertname").asText()).containsExactly("HighCpu");
        assertThat(json(getWith("filter=" + encoded("alertname!=HighCpu"))))
                .extracting(a -> a.get("labels").get("alertname").asText()).containsExactly("DiskFull");
        assertThat(json(getWith("filter=" + encoded("team=\"ops\"")))).isEmpty();
    }

    @Test
    void silencedAlertsAreSuppressedAndCanBeLeftOut() {
        sessionAlerts = List.of(listed("0000000000000001", "HighCpu", AlertStatus.FIRING),
                listed("0000000000000002", "DiskFull", AlertStatus.FIRING));
        silencedByAlertname = Map.of("DiskFull", List.of("8a1f0c2e-0000-4000-8000-000000000001"));

        JsonNode all = json(server.get(ALERTS));
        assertThat(all.get(1).get("status").toString()).isEqualTo(
                "{\"state\":\"suppressed\",\"silencedBy\":[\"8a1f0c2e-0000-4000-8000-000000000001\"],\"inhibitedBy\":[]}");

        assertThat(json(getWith("silenced=false"))).extracting(a -> a.get("labels").get("alertname").asText())
                .containsExactly("HighCpu");
        assertThat(json(getWith("active=false"))).extracting(a -> a.get("labels").get("alertname").asText())
                .containsExactly("DiskFull");
        assertThat(json(getWith("inhibited=false&unprocessed=false"))).hasSize(2);
    }

    @Test
    void filtersByReceiver() {
        sessionAlerts = List.of(listed("0000000000000001", "HighCpu", AlertStatus.FIRING));

        assertThat(json(getWith("receiver=" + encoded("op.*")))).hasSize(1);
        assertThat(json(getWith("receiver=pagerduty"))).isEmpty();
    }

    @Test
    void badQueryParametersAreA400StringAndNoDeadLetter() {
        HttpResponse<String> badBool = getWith("active=maybe");
        HttpResponse<String> badFilter = getWith("filter=" + encoded("no operator here"));
        HttpResponse<String> badReceiver = getWith("receiver=" + encoded("(unclosed"));

        assertThat(badBool.statusCode()).isEqualTo(400);
        assertThat(json(badBool).asText()).contains("active", "boolean");
        assertThat(badFilter.statusCode()).isEqualTo(400);
        assertThat(json(badFilter).asText()).startsWith("filter: ");
        assertThat(badReceiver.statusCode()).isEqualTo(400);
        assertThat(json(badReceiver).asText()).contains("receiver");
        assertThat(deadLetters.count()).isZero();
    }

    @Test
    void statusHasAlertmanagersShape() {
        HttpResponse<String> response = server.get("/api/v2/status");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode status = json(response);
        assertThat(status.get("cluster").get("status").asText()).isEqualTo("ready");
        assertThat(status.get("cluster").get("peers")).isEmpty();
        assertThat(status.get("config").get("original").asText()).isEmpty();
        assertThat(status.get("uptime").asText()).isEqualTo("2026-11-26T18:30:00.000Z");
        assertThat(status.get("versionInfo").fieldNames()).toIterable()
                .contains("version", "revision", "branch", "buildUser", "buildDate", "goVersion");
        // Operon's version from the build (integration/pom.xml filters it into operon-version.properties).
        assertThat(status.get("versionInfo").get("version").asText()).matches("\\d+\\.\\d+\\.\\d+.*");
    }

    @Test
    void otherMethodsAreRefused() {
        HttpResponse<String> response = server.send(server.request(ALERTS).DELETE().build());

        assertThat(response.statusCode()).isEqualTo(405);
    }
}
