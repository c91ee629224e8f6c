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
import java.util.Set;

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
 * Decisions through the real {@code pagerduty} route to a real HTTP server that checks each request
 * against the Events API v2 (https://developer.pagerduty.com/docs/events-api-v2/trigger-events/): it
 * answers 400 to an event without routing_key, a valid event_action, a dedup_key, or, for a trigger,
 * payload.summary (at most 1,024 characters), payload.source and a valid payload.severity.
 */
class PagerDutySinkIT {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Instant T0 = Instant.parse("2024-03-05T10:15:30Z");
    private static final String ROUTING_KEY = "R0UTINGKEY-SECRET-0123456789abcd";
    private static final Set<String> ACTIONS = Set.of("trigger", "acknowledge", "resolve");
    private static final Set<String> SEVERITIES = Set.of("critical", "error", "warning", "info");

    @TempDir
    Path dir;

    private FakeApiServer pagerDuty;
    private final InMemoryAuditLog audit = new InMemoryAuditLog();
    private CamelContext camel;
    private ActionDispatcher dispatcher;

    /** The documented shape of an Events API v2 request; the problems found, empty when valid. */
    static List<String> eventsApiV2(FakeApiServer.Request r) {
        List<String> problems = new ArrayList<>();
        JsonNode b = r.body();
        if (!"POST".equals(r.method())) problems.add("method " + r.method());
        if (!"/v2/enqueue".equals(r.path())) problems.add("path " + r.path());
        if (r.contentType() == null || !r.contentType().startsWith("application/json")) problems.add("content type");
        if (!b.path("routing_key").isTextual() || b.path("routing_key").asText().isBlank()) problems.add("routing_key");
        if (!ACTIONS.contains(b.path("event_action").asText())) problems.add("event_action");
        if (!b.path("dedup_key").isTextual() || b.path("dedup_key").asText().isBlank()
                || b.path("dedup_key").asText().length() > 255) problems.add("dedup_key");
        if ("trigger".equals(b.path("event_action").asText())) {
            JsonNode p = b.path("payload");
            String summary = p.path("summary").asText("");
            if (summary.isBlank() || summary.length() > 1024) problems.add("payload.summary");
            if (p.path("source").asText("").isBlank()) problems.add("payload.source");
            if (!SEVERITIES.contains(p.path("severity").asText())) problems.add("payload.severity");
        }
        return problems;
    }

    @BeforeEach
    void startServer() throws Exception {
        pagerDuty = new FakeApiServer(202, PagerDutySinkIT::eventsApiV2);
    }

    @AfterEach
    void stopAll() {
        if (dispatcher != null) {
            dispatcher.stop(Duration.ofSeconds(5));
        }
        if (camel != null) {
            camel.stop();
        }
        pagerDuty.close();
    }

    private void start() throws Exception {
        ActionOptions options = ActionOptions.defaults()
                .withFileDirectory(dir)
                .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(2))
                .withRetries(3, Duration.ofMillis(20))
                .withPagerDuty(new PagerDutyOptions(pagerDuty.url("/v2/enqueue"), ROUTING_KEY))
                .withDefaultTargets(List.of("pagerduty"));
        camel = new DefaultCamelContext();
        camel.addRoutes(new ActionRoutes(options));
        camel.start();
        dispatcher = new ActionDispatcher(camel, audit, options);
        dispatcher.start();
    }

    private static Decision incident(String type, String status, Instant at, String severity) {
        Map<String, Object> snapshot = new LinkedHashMap<>();
        snapshot.put("id", "inc-3f1c0a9b27d4");
        snapshot.put("correlationKey", "checkout");
        snapshot.put("commonLabels", Map.of("service", "checkout", "severity", severity));
        snapshot.put("status", status);
        snapshot.put("routing", Map.of("team", "payments", "priority", "P3"));
        snapshot.put("alerts", List.of(Map.of("alertname", "HighLatency", "status", "firing")));
        snapshot.put("firingCount", 1);
        return Decision.of(type, "checkout", "incidents", List.of("e1"))
                .withParam("incident", snapshot)
                .stamped(at.toEpochMilli());
    }

    private AuditEntry awaitEntry(Decision decision) {
        return await().atMost(WAIT).until(() -> audit.find(Action.idFor(decision.getId(), "pagerduty")).orElse(null),
                e -> e != null);
    }

    @Test
    void anIncidentsLifeIsTriggerAcknowledgeResolveUnderOneDedupKey() throws Exception {
        start();
        Decision opened = incident("incident-opened", "open", T0, "critical");
        Decision acked = incident("incident-acknowledged", "acknowledged", T0.plusSeconds(60), "critical");
        Decision resolved = incident("incident-resolved", "resolved", T0.plusSeconds(120), "critical");

        dispatcher.dispatch(opened);
        dispatcher.dispatch(acked);
        dispatcher.dispatch(resolved);

        assertThat(List.of(awaitEntry(opened), awaitEntry(acked), awaitEntry(resolved)))
                .extracting(AuditEntry::status).containsOnly(AuditEntry.SENT);
        assertThat(pagerDuty.invalid).isEmpty();
        assertThat(pagerDuty.requests).extracting(r -> r.body().path("event_action").asText())
                .containsExactly("trigger", "acknowledge", "resolve");
        assertThat(pagerDuty.requests).allSatisfy(r -> {
            assertThat(r.body().path("routing_key").asText()).isEqualTo(ROUTING_KEY);
            assertThat(r.body().path("dedup_key").asText()).isEqualTo("inc-3f1c0a9b27d4");
        });
        JsonNode trigger = pagerDuty.requests.get(0).body().path("payload");
        assertThat(trigger.path("severity").asText()).isEqualTo("critical");
        assertThat(trigger.path("source").asText()).isEqualTo("checkout");
        assertThat(trigger.path("summary").asText()).contains("checkout").contains("HighLatency");
        assertThat(trigger.path("custom_details").path("id").asText()).isEqualTo("inc-3f1c0a9b27d4");
        // acknowledge and resolve carry no payload
        assertThat(pagerDuty.requests.get(1).body().has("payload")).isFalse();
    }

    @Test
    void severityFallsBackToThePriorityAndOtherDecisionsUseTheirOwnIdWithATruncatedSummary() throws Exception {
        start();
        Decision escalated = incident("incident-escalated", "open", T0, "sev-unknown");
        Decision notify = Decision.of("notify", "x".repeat(3000), "critical-burst", List.of("e1"))
                .stamped(T0.toEpochMilli());

        dispatcher.dispatch(escalated);
        dispatcher.dispatch(notify);

        assertThat(awaitEntry(escalated).status()).isEqualTo(AuditEntry.SENT);
        assertThat(awaitEntry(notify).status()).isEqualTo(AuditEntry.SENT);
        assertThat(pagerDuty.invalid).isEmpty();
        JsonNode first = pagerDuty.requests.get(0).body();
        assertThat(first.path("event_action").asText()).isEqualTo("trigger");
        assertThat(first.path("payload").path("severity").asText()).isEqualTo("warning"); // P3
        JsonNode second = pagerDuty.requests.get(1).body();
        assertThat(second.path("dedup_key").asText()).isEqualTo(notify.getId());
        assertThat(second.path("payload").path("summary").asText()).hasSize(1024).startsWith("[notify] xxx");
    }

    @Test
    void a429IsRetriedAndDeliveredOnceButA400IsNotRetried() throws Exception {
        start();
        pagerDuty.answer(429);
        Decision throttled = incident("incident-opened", "open", T0, "error");
        dispatcher.dispatch(throttled);
        assertThat(awaitEntry(throttled).status()).isEqualTo(AuditEntry.SENT);
        assertThat(pagerDuty.requests).hasSize(2);

        pagerDuty.answer(400);
        Decision rejected = incident("incident-opened", "open", T0.plusSeconds(5), "error");
        dispatcher.dispatch(rejected);
        AuditEntry entry = awaitEntry(rejected);
        assertThat(entry.status()).isEqualTo(AuditEntry.FAILED);
        assertThat(entry.reason()).startsWith("HTTP 400").doesNotContain("after");
        assertThat(dispatcher.awaitIdle(WAIT)).isTrue();
        assertThat(pagerDuty.requests).hasSize(3);
    }

    @Test
    void theRoutingKeyReachesNeitherTheLogsNorTheAuditLog() throws Exception {
        PrintStream originalErr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        AuditEntry entry;
        try {
            pagerDuty.answer(500, 503, 500);
            start();
            Decision opened = incident("incident-opened", "open", T0, "critical");
            dispatcher.dispatch(opened);
            entry = awaitEntry(opened);
            dispatcher.stop(WAIT);
            camel.stop();
        } finally {
            System.setErr(originalErr);
        }
        assertThat(entry.status()).isEqualTo(AuditEntry.FAILED);
        assertThat(entry.reason()).startsWith("HTTP 500").endsWith("after 3 attempts");
        assertThat(pagerDuty.requests).hasSize(3)
                .allSatisfy(r -> assertThat(r.body().path("routing_key").asText()).isEqualTo(ROUTING_KEY));
        String logs = captured.toString(StandardCharsets.UTF_8);
        // The capture works: start-up (with the options), retries and the failure were logged.
        assertThat(logs).contains("action dispatcher started").contains("routingKey=****")
                .contains("attempt 3").contains("failed: HTTP 500");
        assertThat(logs).doesNotContain("R0UTINGKEY").doesNotContain("SECRET-0123");
        assertThat(audit.all()).isNotEmpty().allSatisfy(e -> assertThat(e.toString()).doesNotContain("R0UTINGKEY"));
    }
}
