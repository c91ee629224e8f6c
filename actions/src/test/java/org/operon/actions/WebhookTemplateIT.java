package org.operon.actions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.operon.model.Decision;
import org.operon.state.AuditEntry;

/** The {@code webhook} target with a body template, header templates and PUT, against a real HTTP server. */
class WebhookTemplateIT {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Instant T0 = Instant.parse("2024-03-05T10:15:30Z");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BODY = """
            {"summary": "{{type}} on {{subject}}", "team": "{{params.team}}", "severity": "{{labels.severity}}",
             "alerts": [{{#incident.alerts}}"{{alertname}}",{{/incident.alerts}} null],
             "params": {{{params}}}, "decision": {{{decision}}}}
            """;

    @TempDir
    Path dir;

    private WebhookReceiver receiver;
    private final InMemoryAuditLog audit = new InMemoryAuditLog();
    private CamelContext camel;
    private ActionDispatcher dispatcher;

    @BeforeEach
    void startServer() throws Exception {
        receiver = new WebhookReceiver();
    }

    @AfterEach
    void stopAll() {
        if (dispatcher != null) {
            dispatcher.stop(Duration.ofSeconds(5));
        }
        if (camel != null) {
            camel.stop();
        }
        receiver.close();
    }

    private void start(WebhookOptions webhook) throws Exception {
        ActionOptions options = ActionOptions.defaults()
                .withWebhookUrl(receiver.url("/hook"))
                .withFileDirectory(dir)
                .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(2))
                .withRetries(3, Duration.ofMillis(20))
                .withWebhook(webhook)
                .withDefaultTargets(List.of("webhook"));
        camel = new DefaultCamelContext();
        camel.addRoutes(new ActionRoutes(options));
        camel.start();
        dispatcher = new ActionDispatcher(camel, audit, options);
        dispatcher.start();
    }

    private AuditEntry awaitEntry(Decision decision) {
        return await().atMost(WAIT).until(() -> audit.find(Action.idFor(decision.getId(), "webhook")).orElse(null),
                e -> e != null);
    }

    @Test
    void theBodyAndHeadersAreRenderedEscapedAndSentWithTheMethod() throws Exception {
        PrintStream originalErr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        Map<String, Object> snapshot = new LinkedHashMap<>();
        snapshot.put("id", "inc-1");
        snapshot.put("commonLabels", Map.of("severity", "critical"));
        snapshot.put("alerts", List.of(Map.of("alertname", "High\"Latency"), Map.of("alertname", "ErrorRate")));
        Decision decision = Decision.of("incident-opened", "check\"out\n", "incidents", List.of("e1"))
                .withParam("incident", snapshot)
                .withParam("team", "pay\r\nX-Injected: 1")
                .stamped(T0.toEpochMilli());
        try {
            start(WebhookOptions.fromConfig("put", BODY,
                    "X-Team={{params.team}}, Authorization=Bearer HEADER-SECRET-TOKEN, X-List=a,b"));
            dispatcher.dispatch(decision);
            assertThat(awaitEntry(decision).status()).isEqualTo(AuditEntry.SENT);
            dispatcher.stop(WAIT);
            camel.stop();
        } finally {
            System.setErr(originalErr);
        }
        WebhookReceiver.Request request = receiver.requests.get(0);
        assertThat(request.method()).isEqualTo("PUT");
        assertThat(request.header("Content-Type")).startsWith("application/json");
        assertThat(request.header("Idempotency-Key")).isEqualTo(Action.idFor(decision.getId(), "webhook"));
        assertThat(request.header("X-Team")).isEqualTo("pay  X-Injected: 1");
        assertThat(request.header("X-Injected")).isNull();
        assertThat(request.header("Authorization")).isEqualTo("Bearer HEADER-SECRET-TOKEN");
        assertThat(request.header("X-List")).isEqualTo("a,b");
        JsonNode body = JSON.readTree(request.body());
        assertThat(body.path("summary").asText()).isEqualTo("incident-opened on check\"out\n");
        assertThat(body.path("team").asText()).isEqualTo("pay\r\nX-Injected: 1");
        assertThat(body.path("severity").asText()).isEqualTo("critical");
        assertThat(body.path("alerts")).extracting(JsonNode::asText).containsExactly("High\"Latency", "ErrorRate", "null");
        assertThat(body.path("params").path("incident").path("id").asText()).isEqualTo("inc-1");
        assertThat(body.path("decision").path("id").asText()).isEqualTo(decision.getId());
        String logs = captured.toString(StandardCharsets.UTF_8);
        assertThat(logs).contains("action dispatcher started").contains("headers=[X-Team, Authorization, X-List]");
        assertThat(logs).doesNotContain("HEADER-SECRET-TOKEN");
    }

    @Test
    void withoutATemplateTheBodyIsTheDecisionAsBefore() throws Exception {
        start(null);
        Decision decision = Decision.of("notify", "db-1", "r", List.of("e1")).stamped(T0.toEpochMilli());
        dispatcher.dispatch(decision);
        assertThat(awaitEntry(decision).status()).isEqualTo(AuditEntry.SENT);
        WebhookReceiver.Request request = receiver.requests.get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.body()).isEqualTo(ActionJson.decision(Action.of(decision, "webhook")));
    }

    @Test
    void aBodyThatRendersInvalidJsonForADecisionFailsTheActionWithoutSendingIt() throws Exception {
        // valid for the start-up samples (no params.raw), invalid when the param holds a string
        start(WebhookOptions.fromConfig("POST", "{\"v\": {{#params.raw}}{{{params.raw}}}x{{/params.raw}}{{^params.raw}}1{{/params.raw}}}", ""));
        Decision decision = Decision.of("notify", "db-1", "r", List.of("e1")).withParam("raw", "s")
                .stamped(T0.toEpochMilli());
        dispatcher.dispatch(decision);
        AuditEntry entry = awaitEntry(decision);
        assertThat(entry.status()).isEqualTo(AuditEntry.FAILED);
        assertThat(entry.reason()).contains("operon.actions.webhook.body-template rendered invalid JSON")
                .doesNotContain("after");
        assertThat(receiver.requests).isEmpty();
    }
}
