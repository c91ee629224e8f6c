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

import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.operon.model.Decision;
import org.operon.state.AuditEntry;

/** Decisions through the real {@code opsgenie} route to {@link FakeOpsgenie}, which checks the Alert API's shapes. */
class OpsgenieSinkIT {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Instant T0 = Instant.parse("2024-03-05T10:15:30Z");
    private static final String API_KEY = "0pSGENIE-SECRET-KEY-0123456789";

    @TempDir
    Path dir;

    private FakeOpsgenie opsgenie;
    private final InMemoryAuditLog audit = new InMemoryAuditLog();
    private CamelContext camel;
    private ActionDispatcher dispatcher;

    @BeforeEach
    void startServer() throws Exception {
        opsgenie = new FakeOpsgenie(API_KEY);
    }

    @AfterEach
    void stopAll() {
        if (dispatcher != null) {
            dispatcher.stop(Duration.ofSeconds(5));
        }
        if (camel != null) {
            camel.stop();
        }
        opsgenie.close();
    }

    private void start(OpsgenieOptions og) throws Exception {
        ActionOptions options = ActionOptions.defaults()
                .withFileDirectory(dir)
                .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(2))
                .withRetries(3, Duration.ofMillis(20))
                .withOpsgenie(og)
                .withDefaultTargets(List.of("opsgenie"));
        camel = new DefaultCamelContext();
        camel.addRoutes(new ActionRoutes(options));
        camel.start();
        dispatcher = new ActionDispatcher(camel, audit, options);
        dispatcher.start();
    }

    private static Decision incident(String type, String status, Instant at, String key) {
        Map<String, Object> snapshot = new LinkedHashMap<>();
        snapshot.put("id", "inc-3f1c0a9b27d4");
        snapshot.put("correlationKey", key);
        snapshot.put("commonLabels", Map.of("service", "checkout", "severity", "warning"));
        snapshot.put("status", status);
        snapshot.put("routing", Map.of("team", "payments", "priority", "P1"));
        snapshot.put("alerts", List.of(Map.of("alertname", "HighLatency", "status", "firing"),
                Map.of("alertname", "ErrorRate", "status", "resolved")));
        snapshot.put("firingCount", 1);
        snapshot.put("resolvedCount", 1);
        Decision d = Decision.of(type, key, "incidents", List.of("e1")).withParam("incident", snapshot);
        if (type.equals("incident-acknowledged")) {
            d = d.withParam("by", "alice").withParam("comment", "looking");
        }
        return d.stamped(at.toEpochMilli());
    }

    private AuditEntry awaitEntry(Decision decision) {
        return await().atMost(WAIT).until(() -> audit.find(Action.idFor(decision.getId(), "opsgenie")).orElse(null),
                e -> e != null);
    }

    @Test
    void anIncidentIsCreatedAcknowledgedAndClosedByItsIdAsAlias() throws Exception {
        start(new OpsgenieOptions(opsgenie.url(), API_KEY));
        String longKey = "checkout/" + "k".repeat(200);
        Decision opened = incident("incident-opened", "open", T0, longKey);
        Decision acked = incident("incident-acknowledged", "acknowledged", T0.plusSeconds(60), longKey);
        Decision resolved = incident("incident-resolved", "resolved", T0.plusSeconds(120), longKey);

        dispatcher.dispatch(opened);
        dispatcher.dispatch(acked);
        dispatcher.dispatch(resolved);

        assertThat(List.of(awaitEntry(opened), awaitEntry(acked), awaitEntry(resolved)))
                .extracting(AuditEntry::status).containsOnly(AuditEntry.SENT);
        assertThat(opsgenie.invalid).isEmpty();
        assertThat(opsgenie.requests).extracting(FakeOpsgenie.Request::path).containsExactly("/v2/alerts",
                "/v2/alerts/inc-3f1c0a9b27d4/acknowledge", "/v2/alerts/inc-3f1c0a9b27d4/close");
        assertThat(opsgenie.requests).allSatisfy(r -> assertThat(r.authorization()).isEqualTo("GenieKey " + API_KEY));
        JsonNode create = opsgenie.requests.get(0).body();
        assertThat(create.path("message").asText()).hasSize(130).startsWith("[incident-opened] checkout/kkk");
        assertThat(create.path("alias").asText()).isEqualTo("inc-3f1c0a9b27d4");
        assertThat(create.path("priority").asText()).isEqualTo("P1"); // the routing priority wins over the label
        assertThat(create.path("source").asText()).isEqualTo("operon");
        assertThat(create.path("description").asText()).contains("- HighLatency: firing").contains("- ErrorRate: resolved");
        assertThat(create.path("tags")).extracting(JsonNode::asText)
                .containsExactly("operon", "incident-opened", "severity:warning", "team:payments");
        assertThat(create.path("details").path("incidentId").asText()).isEqualTo("inc-3f1c0a9b27d4");
        assertThat(create.path("details").path("service").asText()).isEqualTo("checkout");
        JsonNode ack = opsgenie.requests.get(1).body();
        assertThat(ack.path("user").asText()).isEqualTo("alice");
        assertThat(ack.path("note").asText()).isEqualTo("looking");
        assertThat(opsgenie.requests.get(2).query()).isEqualTo("identifierType=alias");
    }

    @Test
    void otherDecisionsUseTheSubjectAsAliasTheSeverityForPriorityAndTheMessageTemplate() throws Exception {
        start(new OpsgenieOptions(opsgenie.url(), API_KEY, "{{subject}} is {{params.state}} ({{labels.severity}})", null));
        Decision notify = Decision.of("notify", "db 1/a", "disk-full", List.of("e1"))
                .withParam("labels", Map.of("severity", "info"))
                .withParam("state", "<full>")
                .stamped(T0.toEpochMilli());

        dispatcher.dispatch(notify);

        assertThat(awaitEntry(notify).status()).isEqualTo(AuditEntry.SENT);
        assertThat(opsgenie.invalid).isEmpty();
        JsonNode create = opsgenie.requests.get(0).body();
        assertThat(create.path("message").asText()).isEqualTo("db 1/a is <full> (info)");
        assertThat(create.path("alias").asText()).isEqualTo("db 1/a");
        assertThat(create.path("priority").asText()).isEqualTo("P5");
        assertThat(create.path("details").path("decisionId").asText()).isEqualTo(notify.getId());
    }

    @Test
    void aPathSafeAliasForAcknowledgeAndA5xxRetriedButA422NotAndTheKeyNeverLogged() throws Exception {
        PrintStream originalErr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        AuditEntry retried;
        AuditEntry rejected;
        try {
            start(new OpsgenieOptions(opsgenie.url() + "/", API_KEY));
            opsgenie.answer(503);
            Decision first = incident("incident-opened", "open", T0, "checkout");
            dispatcher.dispatch(first);
            retried = awaitEntry(first);
            opsgenie.answer(422);
            Decision second = incident("incident-opened", "open", T0.plusSeconds(1), "checkout");
            dispatcher.dispatch(second);
            rejected = awaitEntry(second);
            dispatcher.stop(WAIT);
            camel.stop();
        } finally {
            System.setErr(originalErr);
        }
        assertThat(retried.status()).isEqualTo(AuditEntry.SENT);
        assertThat(rejected.status()).isEqualTo(AuditEntry.FAILED);
        assertThat(rejected.reason()).startsWith("HTTP 422").doesNotContain("after");
        assertThat(opsgenie.requests).hasSize(3).allSatisfy(r -> assertThat(r.path()).isEqualTo("/v2/alerts"));
        String logs = captured.toString(StandardCharsets.UTF_8);
        assertThat(logs).contains("action dispatcher started").contains("apiKey=****").contains("attempt 2")
                .contains("failed: HTTP 422");
        assertThat(logs).doesNotContain("0pSGENIE").doesNotContain("SECRET-KEY");
        assertThat(audit.all()).isNotEmpty().allSatisfy(e -> assertThat(e.toString()).doesNotContain("0pSGENIE"));
    }

    @Test
    void anAliasWithSlashesAndSpacesIsEncodedInThePath() {
        OpsgenieSink sink = new OpsgenieSink(ActionOptions.defaults().withOpsgenie(new OpsgenieOptions("https://api.opsgenie.com", "k")));
        Decision resolved = Decision.of("incident-resolved", "a b/c", "incidents", List.of("e1"))
                .withParam("incident", Map.of("id", "inc a/b?c", "status", "resolved"))
                .withParam("by", "operon")
                .stamped(T0.toEpochMilli());
        OpsgenieSink.Request request = sink.request(Action.of(resolved, "opsgenie"));
        assertThat(request.path()).isEqualTo("/v2/alerts/inc%20a%2Fb%3Fc/close");
        assertThat(request.query()).isEqualTo("identifierType=alias");
        assertThat(request.body()).isEqualTo("{\"source\":\"operon\",\"user\":\"operon\",\"note\":\"incident-resolved by operon\"}");
    }
}
