package org.operon.integration.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.operon.integration.http.ApiTokenCheck;
import org.operon.integration.http.IntakeOptions;
import org.operon.integration.source.SourceCountersRoutes;
import org.operon.integration.source.SourceIntake;
import org.operon.integration.testing.HttpTestServer;
import org.operon.integration.testing.InMemoryDeadLetters;
import org.operon.integration.testing.RecordingAcceptor;
import org.operon.integration.testing.RecordingAcceptor.Behaviour;
import org.operon.model.Event;
import org.operon.model.Severity;
import org.operon.state.DeadLetter;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.operon.integration.testing.HttpTestServer.json;
import static org.operon.integration.webhook.WebhookConfigTest.ENV;
import static org.operon.integration.webhook.WebhookConfigTest.TOKEN;
import static org.operon.integration.webhook.WebhookConfigTest.resource;

/**
 * Named webhooks over real HTTP, configured by the documented example file and fed with the sample
 * payloads of Grafana, Nagios and Zabbix (src/test/resources/webhooks); and {@code GET /api/v1/sources}.
 */
class WebhookIT {
    private static final IntakeOptions OPTIONS = IntakeOptions.of(8192, 1024);
    private static final String API_TOKEN = "api-token-0123456789";
    private static final RecordingAcceptor acceptor = new RecordingAcceptor();
    private static final InMemoryDeadLetters deadLetters = new InMemoryDeadLetters();
    private static SourceIntake intake;
    private static HttpTestServer server;

    @BeforeAll
    static void start() throws Exception {
        intake = new SourceIntake(acceptor, deadLetters, Clock.fixed(Instant.parse("2026-11-26T18:30:00Z"),
                ZoneOffset.UTC), OPTIONS);
        server = HttpTestServer.start(OPTIONS, new WebhookRoutes(WebhookConfigTest.examples(), intake, OPTIONS),
                new SourceCountersRoutes(intake, ApiTokenCheck.of(API_TOKEN)));
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

    private static HttpRequest.Builder request(String name, String body) {
        return server.request("/api/v1/webhooks/" + name).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    private static HttpResponse<String> postBearer(String name, String token, String body) {
        return server.send(request(name, body).header("Authorization", "Bearer " + token).build());
    }

    private static HttpResponse<String> postGrafana(String body) {
        return postBearer("grafana", TOKEN, body);
    }

    private static String sign(String secret, String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void grafanaAlertsBecomeOneEventEach() {
        HttpResponse<String> response = postGrafana(resource("grafana-firing.json"));

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(acceptor.accepted()).hasSize(2);
        assertThat(json(response).get("accepted")).extracting(JsonNode::asText)
                .containsExactlyElementsOf(acceptor.accepted().stream().map(Event::getId).toList());
        Event firing = acceptor.accepted().get(0);
        assertThat(firing.getType()).isEqualTo("grafana.alert");
        assertThat(firing.getSource()).isEqualTo("webhook:grafana");
        assertThat(firing.getSubject()).isEqualTo("web-1:9100");
        assertThat(firing.getSeverity()).isEqualTo(Severity.CRITICAL);
        assertThat(firing.getTime()).isEqualTo(Instant.parse("2026-11-26T18:20:00Z"));
        assertThat(firing.getLabels()).containsEntry("alertname", "HighCpu").containsEntry("status", "firing")
                .containsEntry("folder", "Infrastructure").containsEntry("fingerprint", "57c6d9296de2ad39");
        assertThat(((Map<?, ?>) firing.getData()).get("annotations"))
                .isEqualTo(Map.of("summary", "CPU above 90% on web-1:9100"));
        Event resolved = acceptor.accepted().get(1);
        assertThat(resolved.getLabels()).containsEntry("status", "resolved").containsEntry("alertname", "DiskFull");
        assertThat(resolved.getSeverity()).as("no severity label: the default").isEqualTo(Severity.WARNING);
        assertThat(deadLetters.count()).isZero();
    }

    @Test
    void aRetriedNotificationKeepsItsIds() {
        String body = resource("grafana-firing.json");
        HttpResponse<String> first = postGrafana(body);
        HttpResponse<String> retry = postGrafana(body);

        assertThat(json(retry).get("accepted")).isEqualTo(json(first).get("accepted"));
    }

    @Test
    void nagiosNotificationsMapStatesToSeverities() {
        postBearer("nagios", ENV.get("OPERON_WEBHOOK_NAGIOS_TOKEN"), resource("nagios-service-critical.json"));
        postBearer("nagios", ENV.get("OPERON_WEBHOOK_NAGIOS_TOKEN"), resource("nagios-host-down.json"));

        assertThat(acceptor.accepted()).extracting(Event::getSubject).containsExactly("db-1", "web-2");
        assertThat(acceptor.accepted()).extracting(Event::getSeverity).containsOnly(Severity.CRITICAL);
        Event service = acceptor.accepted().get(0);
        assertThat(service.getType()).isEqualTo("nagios.notification");
        assertThat(service.getTime()).isEqualTo(Instant.ofEpochSecond(1795717200));
        assertThat(service.getLabels()).containsEntry("service", "PostgreSQL connections")
                .containsEntry("state", "CRITICAL").containsEntry("notification_type", "PROBLEM");
        assertThat(acceptor.accepted().get(1).getLabels()).as("a host notification has no service")
                .doesNotContainKey("service").containsEntry("state", "DOWN");
    }

    @Test
    void zabbixEventsAreAcceptedWithAValidSignatureOnly() throws Exception {
        String body = resource("zabbix-problem.json");
        String secret = ENV.get("OPERON_WEBHOOK_ZABBIX_SECRET");

        HttpResponse<String> signed = server.send(request("zabbix", body)
                .header("X-Hub-Signature-256", sign(secret, body)).build());
        HttpResponse<String> tampered = server.send(request("zabbix", body.replace("High", "Average"))
                .header("X-Hub-Signature-256", sign(secret, body)).build());
        HttpResponse<String> otherSecret = server.send(request("zabbix", body)
                .header("X-Hub-Signature-256", sign("another-secret-0123456789", body)).build());
        HttpResponse<String> unsigned = server.send(request("zabbix", body).build());
        HttpResponse<String> bearer = postBearer("zabbix", secret, body);

        assertThat(signed.statusCode()).isEqualTo(202);
        assertThat(acceptor.accepted()).singleElement().satisfies(e -> {
            assertThat(e.getType()).isEqualTo("zabbix.event");
            assertThat(e.getSubject()).isEqualTo("web-1");
            assertThat(e.getSeverity()).isEqualTo(Severity.CRITICAL);
            assertThat(e.getLabels()).containsEntry("status", "PROBLEM").containsEntry("service", "checkout")
                    .containsEntry("trigger", "High CPU utilization (over 90% for 5m)");
        });
        for (HttpResponse<String> refused : new HttpResponse[] {tampered, otherSecret, unsigned, bearer}) {
            assertThat(refused.statusCode()).isEqualTo(401);
            assertThat(json(refused).get("error").asText()).isEqualTo("unauthorized");
            assertThat(json(refused).get("detail").asText()).contains("X-Hub-Signature-256").doesNotContain(secret);
        }
    }

    @Test
    void aWrongTokenIsRefusedWithoutDeadLetterOrCount() {
        HttpResponse<String> badPayload = postGrafana("{ \"alerts\":[]}");
        HttpResponse<String> other = postBearer("grafana", ENV.get("OPERON_WEBHOOK_NAGIOS_TOKEN"),
                resource("grafana-firing.json"));
        HttpResponse<String> none = server.send(request("grafana", resource("grafana-firing.json")).build());
        HttpResponse<String> query = server.send(server.request("/api/v1/webhooks/grafana?Authorization=Bearer%20"
                        + TOKEN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(resource("grafana-firing.json"))).build());

        assertThat(badPayload.statusCode()).as("the right token with a bad payload gets past the check").isEqualTo(400);
        assertThat(other.statusCode()).as("another webhook's token").isEqualTo(401);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(query.statusCode()).as("a query parameter is no header").isEqualTo(401);
        assertThat(json(none).get("detail").asText()).doesNotContain(TOKEN);
        assertThat(acceptor.accepted()).isEmpty();
        assertThat(deadLetters.count()).as("only the authenticated bad payload").isEqualTo(1);
    }

    @Test
    void theBodyIsReadAsJsonWhateverTheContentTypeSaysExceptAForm() throws Exception {
        String body = resource("zabbix-problem.json");
        String signature = sign(ENV.get("OPERON_WEBHOOK_ZABBIX_SECRET"), body);
        for (String contentType : new String[] {null, "text/plain", "application/json; charset=utf-8"}) {
            HttpRequest.Builder request = server.request("/api/v1/webhooks/zabbix")
                    .header("X-Hub-Signature-256", signature).POST(HttpRequest.BodyPublishers.ofString(body));
            if (contentType != null) {
                request.header("Content-Type", contentType);
            }
            HttpResponse<String> response = server.send(request.build());
            assertThat(response.statusCode()).as(String.valueOf(contentType)).isEqualTo(202);
        }
        assertThat(acceptor.accepted()).extracting(Event::getId).as("one event, retried twice").hasSize(3)
                .containsOnly(acceptor.accepted().get(0).getId());

        for (String form : new String[] {"application/x-www-form-urlencoded", "multipart/form-data; boundary=x"}) {
            HttpResponse<String> refused = server.send(server.request("/api/v1/webhooks/zabbix")
                    .header("Content-Type", form).header("X-Hub-Signature-256", signature)
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build());
            assertThat(refused.statusCode()).as(form).isEqualTo(415);
            assertThat(json(refused).get("error").asText()).isEqualTo("unsupported_media_type");
            assertThat(json(refused).get("detail").asText()).contains("application/json");
        }
        assertThat(acceptor.accepted()).hasSize(3);
        assertThat(deadLetters.count()).isZero();
    }

    @Test
    void anUnknownWebhookIsA404() {
        HttpResponse<String> response = postBearer("nope", TOKEN, "{}");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(json(response).get("error").asText()).isEqualTo("unknown_webhook");
        assertThat(json(response).get("detail").asText()).contains("'nope'").doesNotContain("grafana");
        assertThat(deadLetters.count()).isZero();
    }

    @Test
    void malformedJsonIsA400AndADeadLetter() {
        HttpResponse<String> response = postGrafana("{\"alerts\": [");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).get("error").asText()).isEqualTo("malformed_json");
        assertThat(json(response).get("detail").asText()).contains("line 1");
        assertThat(deadLetters.all()).singleElement().satisfies(l -> {
            assertThat(l.channel()).isEqualTo("webhook:grafana");
            assertThat(l.error()).isEqualTo("malformed_json");
            assertThat(l.payload()).isEqualTo("{\"alerts\": [");
        });
    }

    @Test
    void aPayloadWithoutAlertsIsA400NamingTheExpression() {
        HttpResponse<String> response = postGrafana("{\"alerts\": []}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).get("error").asText()).isEqualTo("no_events");
        assertThat(json(response).get("detail").asText()).contains("$.alerts[*]");
        assertThat(deadLetters.all()).extracting(DeadLetter::error).containsExactly("no_events");
    }

    @Test
    void invalidElementsAreRejectedAndDeadLetteredWhileTheOthersAreAccepted() {
        HttpResponse<String> response = postGrafana("""
                {"alerts":[{"status":"firing","labels":{"alertname":"A"},"startsAt":"2026-11-26T18:20:00Z"},
                           {"status":"firing","labels":{"alertname":"B"},"startsAt":"last tuesday"}]}""");

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(json(response).get("accepted")).hasSize(1);
        assertThat(json(response).get("rejected").get(0).get("index").asInt()).isEqualTo(1);
        assertThat(json(response).get("rejected").get(0).get("detail").asText()).contains("last tuesday");
        assertThat(deadLetters.all()).singleElement().satisfies(l -> assertThat(l.index()).isEqualTo(1));

        HttpResponse<String> none = postGrafana("{\"alerts\":[{\"startsAt\":\"never\"}]}");
        assertThat(none.statusCode()).isEqualTo(400);
        assertThat(json(none).get("error").asText()).isEqualTo("no_valid_events");
    }

    @Test
    void aBodyOverTheLimitIsA413AndADeadLetter() {
        String big = "{\"alerts\":[],\"pad\":\"" + "x".repeat(9000) + "\"}";
        HttpResponse<String> response = postGrafana(big);

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(json(response).get("error").asText()).isEqualTo("body_too_large");
        assertThat(deadLetters.all()).singleElement().satisfies(l -> assertThat(l.truncated()).isTrue());
    }

    @Test
    void theAnswerWaitsUntilTheEventsAreDurable() {
        acceptor.behave(Behaviour.HOLD);
        CompletableFuture<HttpResponse<String>> response = server.client().sendAsync(request("grafana",
                        resource("grafana-firing.json")).header("Authorization", "Bearer " + TOKEN).build(),
                HttpResponse.BodyHandlers.ofString());

        await().atMost(Duration.ofSeconds(10)).until(() -> acceptor.held().size() == 1);
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !response.isDone());
        acceptor.held().get(0).complete(null);

        assertThat(response.join().statusCode()).isEqualTo(202);
        assertThat(acceptor.accepted()).hasSize(2);
    }

    @Test
    void whenTheEngineIsOverloadedTheSenderIsToldToRetryAndNothingIsDeadLettered() {
        acceptor.behave(Behaviour.OVERLOADED);
        HttpResponse<String> response = postGrafana(resource("grafana-firing.json"));

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(json(response).get("error").asText()).isEqualTo("overloaded");
        assertThat(response.headers().firstValue("Retry-After")).hasValue("2");
        assertThat(deadLetters.count()).isZero();

        acceptor.behave(Behaviour.JOURNAL_FAILS);
        HttpResponse<String> failing = postGrafana(resource("grafana-firing.json"));
        assertThat(failing.statusCode()).isEqualTo(503);
        assertThat(json(failing).get("error").asText()).isEqualTo("journal_unavailable");
        assertThat(deadLetters.count()).isZero();
    }

    @Test
    void theSourcesListShowsTheCountersBehindTheApiToken() {
        postBearer("nagios", ENV.get("OPERON_WEBHOOK_NAGIOS_TOKEN"), resource("nagios-service-critical.json"));
        postBearer("nagios", ENV.get("OPERON_WEBHOOK_NAGIOS_TOKEN"), "not json");

        HttpResponse<String> open = server.get(SourceCountersRoutes.PATH);
        HttpResponse<String> listed = server.send(server.request(SourceCountersRoutes.PATH)
                .header("Authorization", "Bearer " + API_TOKEN).GET().build());

        assertThat(open.statusCode()).isEqualTo(401);
        assertThat(json(open).get("error").asText()).isEqualTo("unauthorized");
        assertThat(listed.statusCode()).isEqualTo(200);
        JsonNode nagios = json(listed).get("sources").get("webhook:nagios");
        assertThat(nagios.get("received").asLong()).isGreaterThanOrEqualTo(2);
        assertThat(nagios.get("accepted").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(nagios.get("rejected").asLong()).isGreaterThanOrEqualTo(1);
        long before = nagios.get("rejected").asLong();

        postBearer("nagios", "wrong-token-0123456789", "not json");
        JsonNode after = json(server.send(server.request(SourceCountersRoutes.PATH)
                .header("Authorization", "Bearer " + API_TOKEN).GET().build())).get("sources").get("webhook:nagios");
        assertThat(after.get("rejected").asLong()).as("an unauthenticated request is not counted").isEqualTo(before);
    }
}
