package org.operon.actions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.operon.actions.mute.MutedByParamMuter;
import org.operon.model.ActionOutcome;
import org.operon.model.Decision;
import org.operon.state.AuditEntry;
import org.operon.state.LineageStore;

/** Outcomes of real dispatch (real Camel routes, a real HTTP server) reported to the listener after the audit entry. */
class ActionOutcomeDispatchIT {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Instant T0 = Instant.parse("2024-03-05T10:15:30Z");

    @TempDir
    Path dir;

    private WebhookReceiver receiver;
    private final InMemoryAuditLog audit = new InMemoryAuditLog();
    private final List<ActionOutcome> outcomes = new CopyOnWriteArrayList<>();
    private CamelContext camel;
    private ActionDispatcher dispatcher;

    @BeforeEach
    void startReceiver() throws IOException {
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

    private void start(ActionOutcomeListener listener) throws Exception {
        ActionOptions options = ActionOptions.defaults()
                .withWebhookUrl(receiver.url("/hook"))
                .withFileDirectory(dir)
                .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(2))
                .withRetries(2, Duration.ofMillis(10))
                .withTargets("remediate", List.of("webhook", "log"));
        camel = new DefaultCamelContext();
        camel.addRoutes(new ActionRoutes(options));
        camel.start();
        dispatcher = new ActionDispatcher(camel, audit, options, new MutedByParamMuter(), LineageStore.NONE,
                listener, null);
        dispatcher.start();
    }

    private static Decision remediate(String subject) {
        return Decision.of("remediate", subject, "restart-service", List.of("e1")).stamped(T0.toEpochMilli());
    }

    private ActionOutcome outcomeOf(Decision d, String target) {
        return outcomes.stream().filter(o -> o.actionId().equals(Action.idFor(d.getId(), target))).findFirst()
                .orElseThrow();
    }

    @Test
    void aSentActionIsReportedWithTheTargetsDetailsAfterItsAuditEntry() throws Exception {
        start(outcome -> {
            assertThat(audit.find(outcome.actionId())).as("audited before reported").isPresent();
            outcomes.add(outcome);
        });
        Decision d = remediate("web1");

        dispatcher.dispatch(d);

        await().atMost(WAIT).until(() -> outcomes.size() == 2);
        ActionOutcome webhook = outcomeOf(d, "webhook");
        assertThat(webhook.status()).isEqualTo(ActionOutcome.SENT);
        assertThat(webhook.reason()).isNull();
        assertThat(webhook.details()).containsExactly(Map.entry("httpStatus", 200));
        assertThat(webhook.decisionId()).isEqualTo(d.getId());
        assertThat(webhook.decisionType()).isEqualTo("remediate");
        assertThat(webhook.rule()).isEqualTo("restart-service");
        assertThat(webhook.subject()).isEqualTo("web1");
        assertThat(webhook.event(T0).getId()).isEqualTo(webhook.actionId() + ":sent");
        assertThat(outcomeOf(d, "log").details()).isEmpty();
    }

    @Test
    void aFailedActionIsReportedWithItsReasonAndHttpStatus() throws Exception {
        start(outcomes::add);
        receiver.answer(404);
        Decision d = remediate("web1");

        dispatcher.dispatch(d);

        await().atMost(WAIT).until(() -> outcomes.size() == 2);
        ActionOutcome webhook = outcomeOf(d, "webhook");
        assertThat(webhook.status()).isEqualTo(ActionOutcome.FAILED);
        assertThat(webhook.reason()).contains("404");
        assertThat(webhook.details()).containsEntry("httpStatus", 404);
        assertThat(audit.find(webhook.actionId()).orElseThrow().status()).isEqualTo(AuditEntry.FAILED);
    }

    @Test
    void aSuppressedActionIsReportedWithTheMuteReason() throws Exception {
        start(outcomes::add);
        Decision d = remediate("web1").mutedBy("throttled: once within PT10M per subject");

        dispatcher.dispatch(d);

        await().atMost(WAIT).until(() -> outcomes.size() == 2);
        assertThat(outcomes).allSatisfy(o -> {
            assertThat(o.status()).isEqualTo(ActionOutcome.SUPPRESSED);
            assertThat(o.reason()).isEqualTo("throttled: once within PT10M per subject");
        });
        assertThat(receiver.requests).isEmpty();
    }

    @Test
    void anActionSkippedBecauseItWasDoneIsNotReportedAgain() throws Exception {
        start(outcomes::add);
        Decision d = remediate("web1");
        dispatcher.dispatch(d);
        assertThat(dispatcher.awaitIdle(WAIT)).isTrue();
        assertThat(outcomes).hasSize(2);

        dispatcher.dispatch(d); // the same decision replayed after a restart
        assertThat(dispatcher.awaitIdle(WAIT)).isTrue();

        assertThat(outcomes).hasSize(2);
        assertThat(receiver.requests).hasSize(1);
    }

    @Test
    void aListenerThatThrowsDoesNotUndoTheAction() throws Exception {
        start(outcome -> {
            throw new IllegalStateException("listener broken");
        });
        Decision d = remediate("web1");
        dispatcher.dispatch(d);
        assertThat(dispatcher.awaitIdle(WAIT)).isTrue();

        assertThat(audit.find(Action.idFor(d.getId(), "webhook")).orElseThrow().status()).isEqualTo(AuditEntry.SENT);
        assertThat(receiver.requests).hasSize(1);
    }
}
