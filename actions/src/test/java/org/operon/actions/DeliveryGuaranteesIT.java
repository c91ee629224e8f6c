package org.operon.actions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.operon.actions.ActionDispatcher.RetryStatus;
import org.operon.actions.ActionDispatcher.TargetStatus;
import org.operon.actions.mute.Muter;
import org.operon.model.Decision;
import org.operon.state.AuditEntry;
import org.operon.state.FailedAction;
import org.operon.state.OperonState;
import org.operon.testkit.MovableClock;

/**
 * Retries, circuit breaking, lanes (concurrency, subject limit, rate) and the failed actions with their
 * retry, through real Camel routes to a real HTTP server, audited and kept in a real Infinispan. The
 * breakers and rates read a clock the tests move by hand.
 */
class DeliveryGuaranteesIT {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Instant T0 = Instant.parse("2024-03-05T10:15:30Z");

    @TempDir
    Path dir;

    private final MovableClock clock = new MovableClock(T0);
    private WebhookReceiver receiver;
    private OperonState state;
    private CamelContext camel;
    private ActionDispatcher dispatcher;

    @BeforeEach
    void open() throws IOException {
        receiver = new WebhookReceiver();
        state = OperonState.open(dir.resolve("data"), clock);
    }

    @AfterEach
    void close() {
        if (dispatcher != null) {
            dispatcher.stop(Duration.ofSeconds(5));
        }
        if (camel != null) {
            camel.stop();
        }
        receiver.release();
        receiver.close();
        state.close();
    }

    /** The webhook target only, {@code attempts} attempts 10 ms (then 20 ms, ...) apart. */
    private ActionOptions options(int attempts) {
        return ActionOptions.defaults()
                .withWebhookUrl(receiver.url("/hook"))
                .withFileDirectory(dir.resolve("files"))
                .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(2))
                .withRetries(attempts, Duration.ofMillis(10))
                .withTargets("notify", List.of("webhook"));
    }

    private void start(ActionOptions options, TargetPolicy webhook) throws Exception {
        DeliveryOptions delivery = DeliveryOptions.standard().with("webhook", webhook);
        TargetCircuits circuits = new TargetCircuits(delivery, clock);
        camel = new DefaultCamelContext();
        camel.addRoutes(new ActionRoutes(options, circuits));
        camel.start();
        dispatcher = new ActionDispatcher(camel, state.auditLog(), options, Muter.NONE, state.lineage(),
                new ActionDispatcher.Delivery(delivery, circuits, state.failedActions(), clock));
        dispatcher.start();
    }

    private static Decision notify(String subject, int second) {
        return Decision.of("notify", subject, "critical-burst", List.of("e1"))
                .withParam("count", 3)
                .withParam("at", T0)
                .stamped(T0.plusSeconds(second).toEpochMilli());
    }

    private static String id(Decision d) {
        return Action.idFor(d.getId(), "webhook");
    }

    private AuditEntry awaitStatus(Decision d, String status) {
        await().atMost(WAIT).until(() -> state.auditLog().find(id(d)).map(AuditEntry::status).orElse("")
                .equals(status));
        return state.auditLog().find(id(d)).orElseThrow();
    }

    private TargetStatus webhook() {
        return dispatcher.targets().stream().filter(t -> t.name().equals("webhook")).findFirst().orElseThrow();
    }

    @Test
    void aTargetThatFailsTwiceThenAnswersGetsTheActionDeliveredOnce() throws Exception {
        receiver.answer(503, 429);
        start(options(3), TargetPolicy.defaults());
        Decision d = notify("web-1", 0);

        dispatcher.dispatch(d);

        awaitStatus(d, AuditEntry.SENT);
        assertThat(dispatcher.awaitIdle(WAIT)).isTrue();
        assertThat(receiver.requests).hasSize(3)
                .allSatisfy(r -> assertThat(r.header("Idempotency-Key")).isEqualTo(id(d)));
        assertThat(state.failedActions().latest(10)).isEmpty();
        assertThat(webhook().circuit()).isEqualTo("closed");
        assertThat(webhook().consecutiveFailures()).isZero();
    }

    @Test
    void aClientErrorIsNotRetriedAndTheActionIsKeptFailedWithItsDecision() throws Exception {
        receiver.answer(400);
        start(options(3), TargetPolicy.defaults());
        Decision d = notify("web-1", 0);

        dispatcher.dispatch(d);

        AuditEntry entry = awaitStatus(d, AuditEntry.FAILED);
        assertThat(dispatcher.awaitIdle(WAIT)).isTrue();
        assertThat(entry.reason()).isEqualTo("HTTP 400 Bad Request");
        assertThat(receiver.requests).hasSize(1);
        FailedAction failed = state.failedActions().find(id(d)).orElseThrow();
        assertThat(failed.reason()).isEqualTo("HTTP 400 Bad Request");
        assertThat(failed.target()).isEqualTo("webhook");
        assertThat(failed.decisionId()).isEqualTo(d.getId());
        assertThat(failed.subject()).isEqualTo("web-1");
        assertThat(failed.params()).containsEntry("count", 3).containsEntry("at", T0.toString());
        assertThat(failed.failedAt()).isEqualTo(T0.toString());
    }

    @Test
    void theCircuitOpensAfterTwoFailedActionsFailsFastWhileOpenAndClosesOnASuccessfulTrialSendingWhatItHeldBack() throws Exception {
        receiver.answer(500, 500);
        start(options(1), TargetPolicy.defaults().withCircuit(2, Duration.ofMinutes(1)));
        Decision first = notify("a", 0);
        Decision second = notify("b", 1);
        Decision whileOpen = notify("c", 2);
        Decision trial = notify("d", 3);
        Decision after = notify("e", 4);

        dispatcher.dispatch(first);
        awaitStatus(first, AuditEntry.FAILED);
        assertThat(webhook().circuit()).isEqualTo("closed");
        dispatcher.dispatch(second);
        awaitStatus(second, AuditEntry.FAILED);
        assertThat(dispatcher.awaitIdle(WAIT)).isTrue();
        assertThat(webhook().circuit()).isEqualTo("open");
        assertThat(webhook().consecutiveFailures()).isEqualTo(2);
        assertThat(webhook().openUntil()).isEqualTo(T0.plusSeconds(60).toString());

        dispatcher.dispatch(whileOpen);
        AuditEntry failedFast = awaitStatus(whileOpen, AuditEntry.FAILED);
        assertThat(failedFast.reason()).isEqualTo("circuit open for webhook");
        assertThat(receiver.requests).hasSize(2);
        assertThat(state.failedActions().find(id(whileOpen))).isPresent();

        clock.advance(Duration.ofSeconds(59));
        assertThat(webhook().circuit()).isEqualTo("open");
        clock.advance(Duration.ofSeconds(1));
        assertThat(webhook().circuit()).isEqualTo("half-open");
        dispatcher.dispatch(trial);
        awaitStatus(trial, AuditEntry.SENT);
        // The closed circuit sends what it failed fast; what failed on the target stays for a retry.
        awaitStatus(whileOpen, AuditEntry.SENT);
        assertThat(dispatcher.awaitIdle(WAIT)).isTrue();
        assertThat(webhook().circuit()).isEqualTo("closed");
        assertThat(webhook().consecutiveFailures()).isZero();
        assertThat(state.failedActions().latest(10)).extracting(FailedAction::id)
                .containsExactlyInAnyOrder(id(first), id(second));
        assertThat(receiver.requests).extracting(r -> r.header("Idempotency-Key"))
                .containsExactly(id(first), id(second), id(trial), id(whileOpen));
        dispatcher.dispatch(after);
        awaitStatus(after, AuditEntry.SENT);
        assertThat(receiver.requests).hasSize(5);
    }

    @Test
    void aFailedTrialOpensTheCircuitForAnotherInterval() throws Exception {
        receiver.answer(500, 500);
        start(options(1), TargetPolicy.defaults().withCircuit(1, Duration.ofMinutes(1)));
        Decision first = notify("a", 0);
        Decision trial = notify("b", 1);
        Decision whileOpenAgain = notify("c", 2);

        dispatcher.dispatch(first);
        awaitStatus(first, AuditEntry.FAILED);
        assertThat(dispatcher.awaitIdle(WAIT)).isTrue();
        assertThat(webhook().circuit()).isEqualTo("open");
        clock.advance(Duration.ofMinutes(1));
        dispatcher.dispatch(trial);
        assertThat(awaitStatus(trial, AuditEntry.FAILED).reason()).isEqualTo("HTTP 500 Internal Server Error");
        assertThat(dispatcher.awaitIdle(WAIT)).isTrue();
        assertThat(webhook().circuit()).isEqualTo("open");
        assertThat(webhook().openUntil()).isEqualTo(T0.plusSeconds(120).toString());
        dispatcher.dispatch(whileOpenAgain);
        assertThat(awaitStatus(whileOpenAgain, AuditEntry.FAILED).reason()).isEqualTo("circuit open for webhook");
        assertThat(receiver.requests).hasSize(2);
    }

    @Test
    void aRetriedActionThatSucceedsIsAuditedSentAndLeavesTheFailedList() throws Exception {
        receiver.answer(503);
        start(options(1), TargetPolicy.defaults());
        Decision d = notify("web-1", 0);
        dispatcher.dispatch(d);
        awaitStatus(d, AuditEntry.FAILED);
        assertThat(dispatcher.awaitIdle(WAIT)).isTrue();
        assertThat(state.failedActions().latest(10)).extracting(FailedAction::id).containsExactly(id(d));

        ActionDispatcher.RetryResult result = dispatcher.retry(id(d));

        assertThat(result.status()).isEqualTo(RetryStatus.QUEUED);
        assertThat(result.action().id()).isEqualTo(id(d));
        assertThat(result.action().decision().getId()).isEqualTo(d.getId());
        awaitStatus(d, AuditEntry.SENT);
        assertThat(dispatcher.awaitIdle(WAIT)).isTrue();
        assertThat(state.failedActions().latest(10)).isEmpty();
        assertThat(receiver.requests).hasSize(2)
                .allSatisfy(r -> assertThat(r.header("Idempotency-Key")).isEqualTo(id(d)));
        assertThat(receiver.requests.get(1).body()).isEqualTo(receiver.requests.get(0).body());
        // Sent now: not failed any more; an id nobody knows: unknown.
        assertThat(dispatcher.retry(id(d)).status()).isEqualTo(RetryStatus.NOT_FAILED);
        assertThat(dispatcher.retry("0123456789abcdef01234567").status()).isEqualTo(RetryStatus.UNKNOWN);
    }

    @Test
    void aRetryIsLetThroughAnOpenCircuitAndItsSuccessClosesIt() throws Exception {
        receiver.answer(500);
        start(options(1), TargetPolicy.defaults().withCircuit(1, Duration.ofHours(1)));
        Decision d = notify("web-1", 0);
        dispatcher.dispatch(d);
        awaitStatus(d, AuditEntry.FAILED);
        assertThat(dispatcher.awaitIdle(WAIT)).isTrue();
        assertThat(webhook().circuit()).isEqualTo("open");

        assertThat(dispatcher.retry(id(d)).status()).isEqualTo(RetryStatus.QUEUED);

        awaitStatus(d, AuditEntry.SENT);
        assertThat(dispatcher.awaitIdle(WAIT)).isTrue();
        assertThat(webhook().circuit()).isEqualTo("closed");
        assertThat(receiver.requests).hasSize(2);
    }

    @Test
    void theRateLimitSpacesStartsByTheClock() throws Exception {
        start(options(1), TargetPolicy.defaults().withRate(Rate.parse("1/m")));
        Decision a = notify("a", 0);
        Decision b = notify("b", 1);
        Decision c = notify("c", 2);

        dispatcher.dispatch(a);
        dispatcher.dispatch(b);
        dispatcher.dispatch(c);

        awaitStatus(a, AuditEntry.SENT);
        await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> receiver.requests.size() == 1);
        assertThat(webhook().queued()).isEqualTo(2);
        clock.advance(Duration.ofSeconds(30));
        await().during(Duration.ofMillis(200)).atMost(WAIT).until(() -> receiver.requests.size() == 1);
        clock.advance(Duration.ofSeconds(30));
        awaitStatus(b, AuditEntry.SENT);
        await().during(Duration.ofMillis(200)).atMost(WAIT).until(() -> receiver.requests.size() == 2);
        clock.advance(Duration.ofMinutes(1));
        awaitStatus(c, AuditEntry.SENT);
        assertThat(receiver.requests).hasSize(3);
    }

    @Test
    void atMostOneActionPerSubjectRunsAtOnceWhileOtherSubjectsGoOn() throws Exception {
        receiver.holdResponses();
        start(options(1), TargetPolicy.defaults().withMaxConcurrent(3).withMaxConcurrentPerSubject(1));
        Decision a1 = notify("host-a", 0);
        Decision a2 = notify("host-a", 1);
        Decision b1 = notify("host-b", 2);

        dispatcher.dispatch(a1);
        dispatcher.dispatch(a2);
        dispatcher.dispatch(b1);

        await().atMost(WAIT).until(() -> receiver.requests.size() == 2);
        await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> receiver.requests.size() == 2);
        assertThat(receiver.requests).extracting(r -> r.header("Idempotency-Key"))
                .containsExactlyInAnyOrder(id(a1), id(b1));
        assertThat(webhook().running()).isEqualTo(2);
        assertThat(webhook().queued()).isEqualTo(1);
        receiver.release();
        awaitStatus(a2, AuditEntry.SENT);
        assertThat(dispatcher.awaitIdle(WAIT)).isTrue();
        assertThat(receiver.requests).hasSize(3);
    }

    @Test
    void withSeveralWorkersOneActionIdStillRunsOnce() throws Exception {
        receiver.holdResponses();
        start(options(1), TargetPolicy.defaults().withMaxConcurrent(3));
        Decision d = notify("web-1", 0);
        Decision other = notify("web-2", 1);

        dispatcher.dispatch(d);
        dispatcher.dispatch(d);
        dispatcher.dispatch(other);

        await().atMost(WAIT).until(() -> receiver.requests.size() == 2);
        await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> receiver.requests.size() == 2);
        receiver.release();
        assertThat(dispatcher.awaitIdle(WAIT)).isTrue();
        Set<String> keys = receiver.requests.stream().map(r -> r.header("Idempotency-Key")).collect(Collectors.toSet());
        assertThat(keys).containsExactlyInAnyOrder(id(d), id(other));
        assertThat(receiver.requests).hasSize(2);
    }
}
