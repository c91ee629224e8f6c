package org.operon.actions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.operon.model.Decision;
import org.operon.state.AuditEntry;

/**
 * Decisions through the real {@code chat} route to a real HTTP server that checks each request against
 * Slack's incoming-webhook format (https://api.slack.com/messaging/webhooks): a JSON POST with a
 * non-empty {@code text}, and {@code blocks}, when present, a list of typed blocks; otherwise it answers
 * 400 {@code invalid_payload}.
 */
class ChatSinkIT {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Instant T0 = Instant.parse("2024-03-05T10:15:30Z");
    private static final String HOOK_PATH = "/services/T000/B000/XOXB-SECRET-TOKEN";

    @TempDir
    Path dir;

    private FakeApiServer slack;
    private final InMemoryAuditLog audit = new InMemoryAuditLog();
    private CamelContext camel;
    private ActionDispatcher dispatcher;

    static List<String> incomingWebhook(FakeApiServer.Request r) {
        List<String> problems = new ArrayList<>();
        if (!"POST".equals(r.method())) problems.add("method " + r.method());
        if (r.contentType() == null || !r.contentType().startsWith("application/json")) problems.add("content type");
        JsonNode text = r.body().path("text");
        if (!text.isTextual() || text.asText().isBlank()) problems.add("text");
        JsonNode blocks = r.body().path("blocks");
        if (!blocks.isMissingNode()) {
            if (!blocks.isArray()) {
                problems.add("blocks");
            }
            blocks.forEach(b -> {
                if (!b.path("type").isTextual()) problems.add("block type");
            });
        }
        return problems;
    }

    @BeforeEach
    void startServer() throws Exception {
        slack = new FakeApiServer(200, ChatSinkIT::incomingWebhook);
    }

    @AfterEach
    void stopAll() {
        if (dispatcher != null) {
            dispatcher.stop(Duration.ofSeconds(5));
        }
        if (camel != null) {
            camel.stop();
        }
        slack.close();
    }

    private void start(String template) throws Exception {
        ActionOptions options = ActionOptions.defaults()
                .withFileDirectory(dir)
                .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(2))
                .withRetries(3, Duration.ofMillis(20))
                .withChat(new ChatOptions(slack.url(HOOK_PATH), template))
                .withDefaultTargets(List.of("chat"));
        camel = new DefaultCamelContext();
        camel.addRoutes(new ActionRoutes(options));
        camel.start();
        dispatcher = new ActionDispatcher(camel, audit, options);
        dispatcher.start();
    }

    private static Decision incidentOpened(Instant at) {
        Map<String, Object> snapshot = new LinkedHashMap<>();
        snapshot.put("id", "inc-3f1c0a9b27d4");
        snapshot.put("correlationKey", "checkout");
        snapshot.put("status", "open");
        snapshot.put("alerts", List.of(Map.of("alertname", "HighLatency", "status", "firing"),
                Map.of("alertname", "ErrorRate", "status", "firing"),
                Map.of("alertname", "Old", "status", "resolved")));
        snapshot.put("firingCount", 2);
        return Decision.of("incident-opened", "checkout", "incidents", List.of("e1"))
                .withParam("incident", snapshot)
                .stamped(at.toEpochMilli());
    }

    private AuditEntry awaitEntry(Decision decision) {
        return await().atMost(WAIT).until(() -> audit.find(Action.idFor(decision.getId(), "chat")).orElse(null),
                e -> e != null);
    }

    @Test
    void theDefaultMessagesDescribeTheIncidentOrTheDecision() throws Exception {
        start(null);
        Decision opened = incidentOpened(T0);
        Decision notify = Decision.of("notify", "db-1", "critical-burst", List.of("e1")).stamped(T0.toEpochMilli());

        dispatcher.dispatch(opened);
        dispatcher.dispatch(notify);

        assertThat(awaitEntry(opened).status()).isEqualTo(AuditEntry.SENT);
        assertThat(awaitEntry(notify).status()).isEqualTo(AuditEntry.SENT);
        assertThat(slack.invalid).isEmpty();
        assertThat(slack.requests).hasSize(2).allSatisfy(r -> assertThat(r.path()).isEqualTo(HOOK_PATH));
        JsonNode first = slack.requests.get(0).body();
        assertThat(first.path("text").asText()).isEqualTo(
                "*incident-opened* incident checkout (inc-3f1c0a9b27d4) is open: 2 firing [HighLatency, ErrorRate]");
        assertThat(first.path("blocks").get(0).path("text").path("type").asText()).isEqualTo("mrkdwn");
        assertThat(first.path("blocks").get(0).path("text").path("text").asText()).isEqualTo(first.path("text").asText());
        assertThat(slack.requests.get(1).body().path("text").asText()).isEqualTo("*notify* for db-1 (rule critical-burst)");
    }

    @Test
    void aCustomTemplateEscapesValuesSoADecisionCannotMentionOrLink() throws Exception {
        start("{{subject}} says {{params.note}} ({{incident.correlationKey}})");
        Decision decision = Decision.of("notify", "a&b", "r", List.of("e1"))
                .withParam("note", "<!channel> see <http://evil.example|here> {{rule}}")
                .stamped(T0.toEpochMilli());

        dispatcher.dispatch(decision);

        assertThat(awaitEntry(decision).status()).isEqualTo(AuditEntry.SENT);
        assertThat(slack.requests.get(0).body().path("text").asText()).isEqualTo(
                "a&amp;b says &lt;!channel&gt; see &lt;http://evil.example|here&gt; {{rule}} ()");
    }

    @Test
    void a5xxIsRetriedAndDeliveredOnceA4xxIsNotAndTheTokenIsNeverLogged() throws Exception {
        PrintStream originalErr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        AuditEntry retried;
        AuditEntry rejected;
        try {
            slack.answer(500, 200, 404);
            start(null);
            Decision first = incidentOpened(T0);
            Decision second = incidentOpened(T0.plusSeconds(1));
            dispatcher.dispatch(first);
            retried = awaitEntry(first);
            dispatcher.dispatch(second);
            rejected = awaitEntry(second);
            dispatcher.stop(WAIT);
            camel.stop();
        } finally {
            System.setErr(originalErr);
        }
        assertThat(retried.status()).isEqualTo(AuditEntry.SENT);
        assertThat(rejected.status()).isEqualTo(AuditEntry.FAILED);
        assertThat(rejected.reason()).startsWith("HTTP 404").doesNotContain("after");
        assertThat(slack.requests).hasSize(3);
        String logs = captured.toString(StandardCharsets.UTF_8);
        assertThat(logs).contains("action dispatcher started").contains("attempt 2").contains("failed: HTTP 404");
        assertThat(logs).doesNotContain("XOXB").doesNotContain("SECRET-TOKEN");
        assertThat(audit.all()).hasSize(2).allSatisfy(e -> assertThat(e.toString()).doesNotContain("XOXB"));
    }
}
