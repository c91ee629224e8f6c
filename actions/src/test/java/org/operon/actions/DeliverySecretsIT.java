package org.operon.actions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.operon.actions.ActionDispatcher.RetryStatus;
import org.operon.actions.exec.AwxOptions;
import org.operon.actions.exec.AwxSink;
import org.operon.actions.mute.Muter;
import org.operon.actions.ticket.JiraTicketOptions;
import org.operon.actions.ticket.RedmineTicketOptions;
import org.operon.actions.ticket.ServiceNowTicketOptions;
import org.operon.actions.ticket.TicketOptions;
import org.operon.actions.ticket.TicketSink;
import org.operon.model.Decision;
import org.operon.state.AuditEntry;
import org.operon.state.OperonState;
import org.operon.state.ticket.TicketLinkStore;

/**
 * The targets' secrets (the webhook URL's query token and user info, the chat URL's path token, the
 * PagerDuty routing key, the Opsgenie API key, the AWX token, the Jira API token, the ServiceNow password, the
 * Redmine API key) reach neither the logs, nor the audit entries, nor the failed actions, nor what
 * the API shows of targets and retried actions, even when the target fails with an answer that echoes
 * the request (URL, headers, body) and when the connection is refused. The log output is captured
 * whole (slf4j-simple writes to System.err), at info level as in production.
 */
class DeliverySecretsIT {
    private static final List<String> SECRETS = List.of("WEBHOOK-TOKEN-7f3a", "PASSWORD-9c1e", "CHAT-TOKEN-4d2b",
            "PD-ROUTING-KEY-8e5f", "REFUSED-TOKEN-1a9d", "OPSGENIE-KEY-2b7c", "AWX-TOKEN-5e8d", "JIRA-TOKEN-3f6a",
            "SNOW-PASSWORD-6d1b", "REDMINE-KEY-9a4c");
    /** Jira's email and token, ServiceNow's user and password, as their basic {@code Authorization} carries them. */
    private static final List<String> BASIC_CREDENTIALS = List.of(basic("operon@example.com:JIRA-TOKEN-3f6a"),
            basic("operon:SNOW-PASSWORD-6d1b"));
    /** The targets that are called over HTTP, per decision type. */
    private static final List<String> NOTIFY_TARGETS = List.of("webhook", "chat", "pagerduty", "opsgenie", "awx");
    private static final List<String> TICKET_TARGETS = List.of("jira", "servicenow", "redmine");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir
    Path dir;

    @Test
    void noSecretLeaksWhenTargetsFailEchoingTheirRequestOrRefuseTheConnection() throws Exception {
        int refusedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            refusedPort = s.getLocalPort();
        }
        PrintStream originalErr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        List<String> shown = new ArrayList<>();
        try (EchoingFailureServer echo = new EchoingFailureServer();
             OperonState state = OperonState.open(dir.resolve("data"), Clock.systemUTC())) {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            String base = "http://127.0.0.1:" + echo.port();
            ActionOptions options = ActionOptions.defaults()
                    .withWebhookUrl("http://ops:PASSWORD-9c1e@127.0.0.1:" + echo.port() + "/hook?token=WEBHOOK-TOKEN-7f3a")
                    .withChat(new ChatOptions(base + "/services/T1/B2/CHAT-TOKEN-4d2b", null))
                    .withPagerDuty(new PagerDutyOptions(base + "/v2/enqueue", "PD-ROUTING-KEY-8e5f"))
                    .withOpsgenie(new OpsgenieOptions(base, "OPSGENIE-KEY-2b7c"))
                    .withTargetSettings(new AwxOptions(base + "/", "AWX-TOKEN-5e8d", Set.of(42)))
                    .withTickets(new TicketOptions(
                            new RedmineTicketOptions(base, "REDMINE-KEY-9a4c", "ops", null, null, 3),
                            new JiraTicketOptions(base, "operon@example.com", "JIRA-TOKEN-3f6a", "OPS", null, null),
                            new ServiceNowTicketOptions(base, "operon", "SNOW-PASSWORD-6d1b", null, null)))
                    .withFileDirectory(dir.resolve("files"))
                    .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(2))
                    .withRetries(2, Duration.ofMillis(10))
                    .withTargets("notify", List.of("webhook", "chat", "pagerduty", "opsgenie", "awx", "log"))
                    .withTargets("incident-opened", TICKET_TARGETS);
            DeliveryOptions delivery = DeliveryOptions.standard()
                    .withDefaults(TargetPolicy.defaults().withCircuit(1, Duration.ofHours(1)));
            TargetCircuits circuits = new TargetCircuits(delivery, Clock.systemUTC());
            CamelContext camel = new DefaultCamelContext();
            camel.getRegistry().bind(TicketSink.LINKS, TicketLinkStore.open(state));
            camel.addRoutes(new ActionRoutes(options, circuits));
            camel.start();
            ActionDispatcher dispatcher = new ActionDispatcher(camel, state.auditLog(), options, Muter.NONE,
                    state.lineage(), new ActionDispatcher.Delivery(delivery, circuits, state.failedActions(),
                    Clock.systemUTC()));
            dispatcher.start();
            try {
                Decision first = Decision.of("notify", "db-1", "critical-burst", List.of("e1"))
                        .withParam("count", 3).withParam(AwxSink.JOB_TEMPLATE_PARAM, 42)
                        .stamped(Instant.parse("2024-03-05T10:15:30Z").toEpochMilli());
                Decision opened = incidentOpened(Instant.parse("2024-03-05T10:15:40Z"));
                Decision second = Decision.of("notify", "db-2", "critical-burst", List.of("e2"))
                        .stamped(Instant.parse("2024-03-05T10:16:30Z").toEpochMilli());
                dispatcher.dispatch(first);
                dispatcher.dispatch(second); // fails fast: each circuit opened on the first failure
                dispatcher.dispatch(opened);
                assertThat(dispatcher.awaitIdle(WAIT)).isTrue();
                // Every HTTP target was called twice (retried) and echoed its secrets back.
                assertThat(echo.requestLines).hasSize(2 * (NOTIFY_TARGETS.size() + TICKET_TARGETS.size()));
                assertThat(String.join("\n", echo.requestLines)).contains("WEBHOOK-TOKEN-7f3a").contains("CHAT-TOKEN-4d2b");
                assertThat(String.join("\n", echo.headers)).contains("OPSGENIE-KEY-2b7c").contains("AWX-TOKEN-5e8d")
                        .contains("REDMINE-KEY-9a4c");
                assertThat(echo.headers).as("basic auth reached the ticket systems").contains(
                        "Authorization: Basic " + BASIC_CREDENTIALS.get(0), "Authorization: Basic " + BASIC_CREDENTIALS.get(1));

                for (String target : TICKET_TARGETS) {
                    AuditEntry entry = state.auditLog().find(Action.idFor(opened.getId(), target)).orElseThrow();
                    assertThat(entry.status()).as(target).isEqualTo(AuditEntry.FAILED);
                    assertThat(entry.reason()).as(target).isEqualTo("HTTP 503 Service Unavailable after 2 attempts");
                }
                for (String target : NOTIFY_TARGETS) {
                    AuditEntry entry = state.auditLog().find(Action.idFor(first.getId(), target)).orElseThrow();
                    assertThat(entry.status()).isEqualTo(AuditEntry.FAILED);
                    assertThat(entry.reason()).isEqualTo("HTTP 503 Service Unavailable after 2 attempts");
                    assertThat(state.auditLog().find(Action.idFor(second.getId(), target)).orElseThrow().reason())
                            .isEqualTo("circuit open for " + target);
                }
                // What the API shows: the failed list, the targets, and a retried action.
                shown.add(JSON.writeValueAsString(state.failedActions().latest(100)));
                shown.add(JSON.writeValueAsString(state.auditLog().latest(100)));
                shown.add(JSON.writeValueAsString(dispatcher.targets()));
                ActionDispatcher.RetryResult retried = dispatcher.retry(Action.idFor(first.getId(), "webhook"));
                assertThat(retried.status()).isEqualTo(RetryStatus.QUEUED);
                shown.add(JSON.writeValueAsString(ActionJson.actionValues(retried.action())));
                assertThat(dispatcher.awaitIdle(WAIT)).isTrue();
                assertThat(echo.requestLines).hasSize(2 * (NOTIFY_TARGETS.size() + TICKET_TARGETS.size()) + 2);
            } finally {
                dispatcher.stop(WAIT);
                camel.stop();
            }

            // A refused connection to a URL with a token in its query.
            ActionOptions refused = ActionOptions.defaults()
                    .withWebhookUrl("http://127.0.0.1:" + refusedPort + "/hook?token=REFUSED-TOKEN-1a9d")
                    .withFileDirectory(dir.resolve("files"))
                    .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(2))
                    .withRetries(2, Duration.ofMillis(10))
                    .withTargets("notify", List.of("webhook"));
            CamelContext camel2 = new DefaultCamelContext();
            camel2.addRoutes(new ActionRoutes(refused));
            camel2.start();
            ActionDispatcher dispatcher2 = new ActionDispatcher(camel2, state.auditLog(), refused, Muter.NONE,
                    state.lineage(), new ActionDispatcher.Delivery(DeliveryOptions.standard(),
                    TargetCircuits.standard(), state.failedActions(), Clock.systemUTC()));
            dispatcher2.start();
            Decision third = Decision.of("notify", "db-3", "critical-burst", List.of("e3"))
                    .stamped(Instant.parse("2024-03-05T10:17:30Z").toEpochMilli());
            try {
                dispatcher2.dispatch(third);
                await().atMost(WAIT).until(() -> state.failedActions().find(Action.idFor(third.getId(), "webhook"))
                        .isPresent());
                shown.add(JSON.writeValueAsString(state.failedActions().latest(100)));
                shown.add(JSON.writeValueAsString(state.auditLog().latest(100)));
            } finally {
                dispatcher2.stop(WAIT);
                camel2.stop();
            }
        } finally {
            System.setErr(originalErr);
        }
        String logs = captured.toString(StandardCharsets.UTF_8);
        // The capture works: the retries and failures were logged, with the targets' hosts.
        assertThat(logs).contains("attempt 2").contains("failed: HTTP 503 Service Unavailable after 2 attempts")
                .contains("circuit open for chat").contains("127.0.0.1:");
        String everything = logs + "\n" + String.join("\n", shown);
        assertThat(String.join("\n", shown)).contains("\"status\":\"failed\"").contains("\"circuit\":\"open\"");
        for (String secret : SECRETS) {
            assertThat(everything).as("no " + secret).doesNotContain(secret);
        }
        for (String secret : BASIC_CREDENTIALS) {
            assertThat(everything).as("no basic credentials " + secret).doesNotContain(secret);
        }
    }

    private static String basic(String userAndSecret) {
        return java.util.Base64.getEncoder().encodeToString(userAndSecret.getBytes(StandardCharsets.UTF_8));
    }

    /** An {@code incident-opened} decision with its incident snapshot, as the ticket targets need it. */
    private static Decision incidentOpened(Instant at) {
        Map<String, Object> snapshot = new LinkedHashMap<>();
        snapshot.put("id", "inc-3f1c0a9b27d4");
        snapshot.put("correlationKey", "checkout");
        snapshot.put("status", "open");
        snapshot.put("openedAt", at.toString());
        snapshot.put("reopenCount", 0);
        snapshot.put("commonLabels", Map.of("service", "checkout", "severity", "critical"));
        snapshot.put("routing", Map.of("team", "payments", "priority", "P1"));
        snapshot.put("alerts", List.of(Map.of("alertname", "HighLatency", "status", "firing",
                "labels", Map.of("alertname", "HighLatency", "service", "checkout"))));
        return Decision.of("incident-opened", "checkout", "incidents", List.of("e4")).withParam("incident", snapshot)
                .stamped(at.toEpochMilli());
    }
}
