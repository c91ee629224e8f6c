package org.operon.actions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
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
import org.operon.actions.approval.ApprovalDesk;
import org.operon.actions.approval.ApprovalPolicy;
import org.operon.actions.mute.MutedByParamMuter;
import org.operon.model.ActionOutcome;
import org.operon.model.Decision;
import org.operon.state.AuditEntry;
import org.operon.state.LineageStore;
import org.operon.state.OperonState;
import org.operon.state.approval.Approval;
import org.operon.state.approval.ApprovalStore;
import org.operon.testkit.MovableClock;

/**
 * Actions held for approval: a real Infinispan approval store and audit log, real Camel routes and a real
 * HTTP webhook. "remediate" needs approval within 30 minutes; "notify" needs none.
 */
class ApprovalDispatchIT {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Instant T0 = Instant.parse("2026-11-27T20:00:00Z");

    @TempDir
    Path dir;

    private final MovableClock clock = new MovableClock(T0);
    private final List<ActionOutcome> outcomes = new CopyOnWriteArrayList<>();
    private WebhookReceiver receiver;
    private OperonState state;
    private ApprovalDesk desk;
    private CamelContext camel;
    private ActionDispatcher dispatcher;

    @BeforeEach
    void start() throws Exception {
        receiver = new WebhookReceiver();
        startOperon();
    }

    private void startOperon() throws Exception {
        state = OperonState.open(dir.resolve("data"), clock);
        ActionOptions options = ActionOptions.defaults()
                .withWebhookUrl(receiver.url("/hook"))
                .withFileDirectory(dir.resolve("actions"))
                .withRetries(1, Duration.ofMillis(10))
                .withTargets("remediate", List.of("webhook"))
                .withTargets("notify", List.of("webhook"));
        desk = new ApprovalDesk(ApprovalPolicy.of(Map.of("remediate", Duration.ofMinutes(30))),
                ApprovalStore.open(state), state.auditLog(), clock, outcomes::add);
        camel = new DefaultCamelContext();
        camel.addRoutes(new ActionRoutes(options));
        camel.start();
        dispatcher = new ActionDispatcher(camel, state.auditLog(), options, new MutedByParamMuter(), LineageStore.NONE,
                outcomes::add, desk);
        desk.connect(dispatcher::dispatchApproved);
        dispatcher.start();
    }

    private void stopOperon() {
        dispatcher.stop(WAIT);
        camel.stop();
        state.close();
    }

    @AfterEach
    void stop() {
        stopOperon();
        receiver.close();
    }

    private static Decision remediate(String subject) {
        return Decision.of("remediate", subject, "restart-service", List.of("e1")).withParam("service", "nginx")
                .withParam("at", T0).stamped(T0.toEpochMilli());
    }

    private static String actionId(Decision d) {
        return Action.idFor(d.getId(), "webhook");
    }

    private String auditStatus(Decision d) {
        return state.auditLog().find(actionId(d)).map(AuditEntry::status).orElse(null);
    }

    private void held(Decision d) throws InterruptedException {
        dispatcher.dispatch(d);
        assertThat(dispatcher.awaitIdle(WAIT)).isTrue();
    }

    @Test
    void anActionNeedingApprovalIsHeldNotPerformedAndAReplayHoldsItOnce() throws Exception {
        Decision d = remediate("web1");
        held(d);
        held(d); // the decision replayed

        assertThat(receiver.requests).isEmpty();
        assertThat(auditStatus(d)).isEqualTo(AuditEntry.PENDING);
        assertThat(desk.pending()).singleElement().satisfies(a -> {
            assertThat(a.id()).isEqualTo(actionId(d));
            assertThat(a.target()).isEqualTo("webhook");
            assertThat(a.expiresAt()).isEqualTo(T0.plus(Duration.ofMinutes(30)));
            assertThat(a.decisionField("type")).isEqualTo("remediate");
            assertThat(a.decisionField("subject")).isEqualTo("web1");
        });
        assertThat(outcomes).as("held is no outcome").isEmpty();
    }

    @Test
    void anActionNeedingNoApprovalIsPerformedAtOnce() throws Exception {
        Decision d = Decision.of("notify", "web1", "r", List.of()).stamped(T0.toEpochMilli());
        held(d);
        assertThat(receiver.requests).hasSize(1);
        assertThat(desk.pending()).isEmpty();
    }

    @Test
    void approvedItIsPerformedOnceAndReportedApprovedThenSent() throws Exception {
        Decision d = remediate("web1");
        held(d);

        ApprovalStore.Transition t = desk.decide(actionId(d), true, "alice", "go ahead");
        assertThat(dispatcher.awaitIdle(WAIT)).isTrue();

        assertThat(t.result()).isEqualTo(ApprovalStore.Result.DECIDED);
        assertThat(t.approval().status()).isEqualTo(Approval.APPROVED);
        assertThat(t.approval().decidedBy()).isEqualTo("alice");
        assertThat(receiver.requests).hasSize(1);
        assertThat(receiver.requests.get(0).header("Idempotency-Key")).isEqualTo(actionId(d));
        assertThat(receiver.requests.get(0).body()).contains("\"service\":\"nginx\"").contains(d.getId());
        assertThat(auditStatus(d)).isEqualTo(AuditEntry.SENT);
        assertThat(outcomes).extracting(ActionOutcome::status).containsExactly("approved", "sent");
        assertThat(outcomes.get(0).details()).containsEntry("by", "alice").containsEntry("comment", "go ahead");
        assertThat(desk.pending()).isEmpty();

        assertThat(desk.decide(actionId(d), true, "bob", null).result())
                .isEqualTo(ApprovalStore.Result.ALREADY_DECIDED);
        assertThat(desk.decide(actionId(d), false, "bob", null).result())
                .isEqualTo(ApprovalStore.Result.ALREADY_DECIDED);
        held(d); // replayed once more
        assertThat(receiver.requests).hasSize(1);
    }

    @Test
    void rejectedItIsNeverPerformed() throws Exception {
        Decision d = remediate("web1");
        held(d);

        assertThat(desk.decide(actionId(d), false, "bob", "not now").result()).isEqualTo(ApprovalStore.Result.DECIDED);
        held(d);

        assertThat(receiver.requests).isEmpty();
        AuditEntry entry = state.auditLog().find(actionId(d)).orElseThrow();
        assertThat(entry.status()).isEqualTo(AuditEntry.REJECTED);
        assertThat(entry.reason()).isEqualTo("rejected by bob: not now");
        assertThat(outcomes).singleElement().satisfies(o -> {
            assertThat(o.status()).isEqualTo(ActionOutcome.REJECTED);
            assertThat(o.reason()).isEqualTo("rejected by bob: not now");
        });
    }

    @Test
    void unknownIdsAreNotFound() {
        assertThat(desk.decide("nope", true, "alice", null).result()).isEqualTo(ApprovalStore.Result.NOT_FOUND);
        assertThat(outcomes).isEmpty();
    }

    @Test
    void notApprovedInTimeItExpiresAsRejected() throws Exception {
        Decision d = remediate("web1");
        held(d);

        clock.advance(Duration.ofMinutes(29));
        assertThat(desk.expireDue()).isZero();
        clock.advance(Duration.ofMinutes(1));
        assertThat(desk.expireDue()).isEqualTo(1);

        assertThat(desk.pending()).isEmpty();
        AuditEntry entry = state.auditLog().find(actionId(d)).orElseThrow();
        assertThat(entry.status()).isEqualTo(AuditEntry.REJECTED);
        assertThat(entry.reason()).isEqualTo("approval expired: not approved within PT30M");
        assertThat(outcomes).extracting(ActionOutcome::status).containsExactly("expired");
        assertThat(desk.decide(actionId(d), true, "alice", null).result())
                .isEqualTo(ApprovalStore.Result.ALREADY_DECIDED);
        held(d);
        assertThat(receiver.requests).isEmpty();
    }

    @Test
    void aPendingApprovalSurvivesARestartAndIsPerformedWhenApprovedAfterIt() throws Exception {
        Decision d = remediate("web1");
        held(d);
        stopOperon();

        startOperon();
        held(d); // the restart replays the decision: still one approval
        assertThat(desk.pending()).extracting(Approval::id).containsExactly(actionId(d));

        desk.decide(actionId(d), true, "alice", null);
        assertThat(dispatcher.awaitIdle(WAIT)).isTrue();
        assertThat(receiver.requests).hasSize(1);
        assertThat(auditStatus(d)).isEqualTo(AuditEntry.SENT);
    }

    @Test
    void anApprovedActionNotYetPerformedAtAStopIsRedrivenAtStart() throws Exception {
        Decision d = remediate("web1");
        held(d);
        ApprovalStore store = ApprovalStore.open(state);
        store.decide(actionId(d), Approval.APPROVED, "alice", null, T0); // approved, then Operon stopped
        stopOperon();

        startOperon();
        assertThat(desk.redriveApproved()).isEqualTo(1);
        assertThat(dispatcher.awaitIdle(WAIT)).isTrue();
        assertThat(receiver.requests).hasSize(1);
        assertThat(desk.redriveApproved()).as("done now").isZero();
    }

    @Test
    void anApprovedActionRunningAtAStopIsNotPerformedAgainButFailedInDoubt() throws Exception {
        Decision d = remediate("web1");
        held(d);
        ApprovalStore.open(state).decide(actionId(d), Approval.APPROVED, "alice", null, T0);
        // As the dispatcher records an action of a target that cannot drop a repeat (exec, awx, …) before
        // performing it; then Operon stopped.
        state.auditLog().record(Action.of(d, "webhook").audit(AuditEntry.RUNNING, null));
        stopOperon();

        startOperon();
        assertThat(desk.redriveApproved()).isEqualTo(1);
        assertThat(dispatcher.awaitIdle(WAIT)).isTrue();

        assertThat(receiver.requests).isEmpty();
        AuditEntry entry = state.auditLog().find(actionId(d)).orElseThrow();
        assertThat(entry.status()).isEqualTo(AuditEntry.FAILED);
        assertThat(entry.reason()).isEqualTo(ActionDispatcher.STOPPED_WHILE_RUNNING);
        assertThat(outcomes).extracting(ActionOutcome::status).endsWith(ActionOutcome.FAILED);
        assertThat(desk.redriveApproved()).as("failed in doubt: an operator retries it").isZero();
    }

    @Test
    void timeoutsMustBePositive() {
        assertThatThrownBy(() -> ApprovalPolicy.of(Map.of("remediate", Duration.ZERO)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("remediate");
    }
}
