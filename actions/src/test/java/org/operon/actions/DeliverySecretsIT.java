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
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.operon.actions.ActionDispatcher.RetryStatus;
import org.operon.actions.mute.Muter;
import org.operon.model.Decision;
import org.operon.state.AuditEntry;
import org.operon.state.OperonState;

/**
 * The targets' secrets (the webhook URL's query token and user info, the chat URL's path token, the
 * PagerDuty routing key) reach neither the logs, nor the audit entries, nor the failed actions, nor what
 * the API shows of targets and retried actions, even when the target fails with an answer that echoes
 * the request (URL, headers, body) and when the connection is refused. The log output is captured
 * whole (slf4j-simple writes to System.err), at info level as in production.
 */
class DeliverySecretsIT {
    private static final List<String> SECRETS = List.of("WEBHOOK-TOKEN-7f3a", "PASSWORD-9c1e", "CHAT-TOKEN-4d2b",
            "PD-ROUTING-KEY-8e5f", "REFUSED-TOKEN-1a9d");
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
                    .withFileDirectory(dir.resolve("files"))
                    .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(2))
                    .withRetries(2, Duration.ofMillis(10))
                    .withTargets("notify", List.of("webhook", "chat", "pagerduty", "log"));
            DeliveryOptions delivery = DeliveryOptions.standard()
                    .withDefaults(TargetPolicy.defaults().withCircuit(1, Duration.ofHours(1)));
            TargetCircuits circuits = new TargetCircuits(delivery, Clock.systemUTC());
            CamelContext camel = new DefaultCamelContext();
            camel.addRoutes(new ActionRoutes(options, circuits));
            camel.start();
            ActionDispatcher dispatcher = new ActionDispatcher(camel, state.auditLog(), options, Muter.NONE,
                    state.lineage(), new ActionDispatcher.Delivery(delivery, circuits, state.failedActions(),
                    Clock.systemUTC()));
            dispatcher.start();
            try {
                Decision first = Decision.of("notify", "db-1", "critical-burst", List.of("e1"))
                        .withParam("count", 3).stamped(Instant.parse("2024-03-05T10:15:30Z").toEpochMilli());
                Decision second = Decision.of("notify", "db-2", "critical-burst", List.of("e2"))
                        .stamped(Instant.parse("2024-03-05T10:16:30Z").toEpochMilli());
                dispatcher.dispatch(first);
                dispatcher.dispatch(second); // fails fast: each circuit opened on the first failure
                assertThat(dispatcher.awaitIdle(WAIT)).isTrue();
                // Every HTTP target was called twice (retried) and echoed its secrets back.
                assertThat(echo.requestLines).hasSize(6);
                assertThat(String.join("\n", echo.requestLines)).contains("WEBHOOK-TOKEN-7f3a").contains("CHAT-TOKEN-4d2b");

                for (String target : List.of("webhook", "chat", "pagerduty")) {
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
                assertThat(echo.requestLines).hasSize(8);
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
    }
}
