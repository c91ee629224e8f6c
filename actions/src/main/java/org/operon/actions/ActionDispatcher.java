package org.operon.actions;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.operon.actions.approval.ApprovalDesk;
import org.operon.actions.mute.Muter;
import org.operon.model.ActionOutcome;
import org.operon.model.Decision;
import org.operon.state.AuditEntry;
import org.operon.state.AuditLog;
import org.operon.state.DecisionTrace;
import org.operon.state.FailedAction;
import org.operon.state.FailedActionStore;
import org.operon.state.LineageStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns decisions into actions: one action per (decision, target), performed through the target's
 * route in {@link ActionRoutes} and recorded in the {@link AuditLog}, one entry per action.
 *
 * <p><b>Hand-off.</b> {@link #dispatch} is meant to be called on the engine thread (the app adapts it
 * to the engine's decision listener with {@code dispatcher::dispatch}). It does no I/O: it puts one
 * action per target on that target's bounded queue ({@link ActionOptions#queueCapacity()}) and
 * returns. Each target has its own {@link TargetLane}: workers ({@link TargetPolicy#maxConcurrent()},
 * default one, which keeps the target's actions in decision order), a limit per decision subject and a
 * rate, so a slow or failing webhook never delays the log and file targets. An action id already
 * queued or running is not queued again, so each action id is only ever handled by one thread. When a target's queue is
 * full, {@code dispatch} <em>blocks</em> until there is room: back-pressure reaches the engine thread,
 * whose own bounded intake queue then fills, so intake answers 503 rather than Operon buffering
 * without bound.
 *
 * <p><b>At most once per action id.</b> Before performing an action the worker looks its id up in the
 * audit log. An entry with status {@code sent} or {@code suppressed} means it was already done (for
 * instance before a crash, and the decision is now replayed from the journal): it is skipped and no
 * new entry is written. An entry with status {@code failed} is tried again. After the attempts (see
 * {@link ActionRoutes} for retries) one entry with status {@code sent} or {@code failed} and its
 * reason is written. An action performed but whose entry could not be written may be performed again
 * after a restart; targets that {@linkplain ActionSink#deduplicatesByKey() drop a repeat by the action's key}
 * (the webhook's {@code Idempotency-Key}, PagerDuty's {@code dedup_key}, …) make that repeat harmless.
 * For those targets the worker does not wait for the disk: it writes the trace and then the entry
 * without waiting ({@link AuditLog#recordAsync}) and takes the next action, so that the records of
 * consecutive actions share the file store's forced writes (one fsync for many actions instead of two per
 * action); the action counts as done ({@link #awaitIdle}), its outcome is reported and its id can be
 * queued again only once its entry is durable.
 *
 * <p><b>In doubt.</b> For the other targets (exec, ansible, awx, chat) the worker first records the action
 * {@code running}, durably, and then performs it. An action whose audit entry is still {@code running} when
 * it comes round again (its decision replayed after a crash, an approved action re-driven at start) was
 * interrupted by a stop with its outcome unknown: it is not performed again but audited {@code failed} with
 * the reason {@value #STOPPED_WHILE_RUNNING}, kept in the failed actions and reported. Neither that nor any
 * other failure whose reason starts {@value OutcomeUnknownException#PREFIX} is performed again by a replay;
 * only {@link #retry(String)} (an operator) performs it, once. {@link #start()} also marks so the failed
 * actions whose retry was interrupted.
 *
 * <p><b>Failed actions.</b> With a {@link Delivery}, an action audited {@code failed} (after all its
 * attempts, or failed fast by its target's open circuit, see {@link TargetCircuits}) is kept in
 * {@link Delivery#failed()} with its decision and last error; {@link #retry(String)} queues it again and
 * its later success removes it. {@link #targets()} reports each target's circuit and queue.
 *
 * <p><b>Muting.</b> Before performing an action the worker asks the {@link Muter} (silences, see
 * {@link org.operon.actions.mute.SilenceMuter}) about the decision at the decision's time. When it gives
 * a reason, the action is not performed and one entry with status {@code suppressed} and that reason
 * (e.g. {@code silenced by <silence id>}) is written; being done, it is never performed later. A muter
 * that throws is logged and the action is performed, as Alertmanager sends when its silence query fails.
 *
 * <p><b>Lineage.</b> With a {@link LineageStore}, the worker of a decision's first target keeps the
 * decision's {@link DecisionTrace} (its action ids and {@link Decision#getLineage() lineage}) before it
 * writes that action's audit entry, so an action listed in the audit log can be explained: after the
 * action's send (so that its durable write does not delay the action), or before a muted action's entry
 * or an approval hold. A trace that
 * cannot be written is logged and the action goes on: explaining must never stop acting.
 *
 * <p><b>Outcomes.</b> After the audit entry of an action performed ({@code sent}), tried ({@code failed})
 * or muted ({@code suppressed}) is written, the worker tells the {@link ActionOutcomeListener}, with the
 * details the sink reported in {@value ActionOutcomeListener#DETAILS_PROPERTY}. An action skipped because
 * it was done already, or held for approval, is reported by nobody here.
 *
 * <p><b>Approvals.</b> With an {@link ApprovalDesk}, an action that is not muted is performed only if the
 * desk does not hold it (its decision type needs no approval, or it was approved): see {@link ApprovalDesk}.
 * An approved action comes back through {@link #dispatchApproved} and takes the same path. Actions audited
 * {@code rejected} are done, like sent and suppressed ones.
 *
 * <p><b>Lifecycle.</b> {@link #start()} after the CamelContext has started; {@link #stop(Duration)}
 * before the CamelContext stops (the routes must still run while the queues drain).
 * {@link #awaitIdle(Duration)} waits until every action handed off so far is done, e.g. on SIGTERM
 * after the engine has processed its last event.
 */
public final class ActionDispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(ActionDispatcher.class);
    /** The reason of an action found {@code running} after a restart. */
    public static final String STOPPED_WHILE_RUNNING =
            OutcomeUnknownException.PREFIX + "Operon stopped while the action was running";

    private enum State { NEW, RUNNING, STOPPING, STOPPED }

    private final CamelContext camel;
    private final AuditLog auditLog;
    private final ActionOptions options;
    private final Muter muter;
    private final LineageStore lineage;
    private final ActionOutcomeListener outcomes;
    private final ApprovalDesk approvals;
    private final Map<String, TargetLane> lanes = new LinkedHashMap<>();
    /** Targets in use whose sink cannot drop a repeat: their actions are recorded running first. */
    private final java.util.Set<String> guarded = new java.util.HashSet<>();
    /**
     * Per queued action of a target that drops repeats, its audit entry as looked up when it was queued, so
     * that the file store's lookups of consecutive actions overlap instead of each waiting in turn.
     */
    private final Map<String, CompletableFuture<Optional<AuditEntry>>> lookups = new ConcurrentHashMap<>();
    /** Actions queued by {@link #retry(String)}: performed even when their outcome is unknown. */
    private final java.util.Set<String> operatorRetries = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final Delivery delivery;
    private final AtomicLong pending = new AtomicLong();
    private final Object idle = new Object();
    private volatile State state = State.NEW;
    private ProducerTemplate producer;
    /**
     * Per target, one thread that settles the actions whose records were written without waiting, in the
     * order they were performed (see {@link #handle}); a task it can no longer take (stopped) runs at once.
     */
    private final Map<String, ExecutorService> settlers = new LinkedHashMap<>();
    /** Per target, the settling of its last action handed to its settler. */
    private final Map<String, CompletableFuture<Void>> settling = new java.util.HashMap<>();
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    /** A dispatcher that mutes nothing. */
    public ActionDispatcher(CamelContext camel, AuditLog auditLog, ActionOptions options) {
        this(camel, auditLog, options, Muter.NONE);
    }

    /** A dispatcher that asks {@code muter} before every action (see the class comment). */
    public ActionDispatcher(CamelContext camel, AuditLog auditLog, ActionOptions options, Muter muter) {
        this(camel, auditLog, options, muter, LineageStore.NONE);
    }

    /** A dispatcher that asks {@code muter} and keeps each decision's lineage in {@code lineage} (see the class comment). */
    public ActionDispatcher(CamelContext camel, AuditLog auditLog, ActionOptions options, Muter muter,
                            LineageStore lineage) {
        this(camel, auditLog, options, muter, lineage, ActionOutcomeListener.NONE, null, Delivery.none());
    }

    /**
     * A dispatcher that also reports every outcome to {@code outcomes} and lets {@code approvals} (null: none)
     * hold actions that need approval (see the class comment).
     */
    public ActionDispatcher(CamelContext camel, AuditLog auditLog, ActionOptions options, Muter muter,
                            LineageStore lineage, ActionOutcomeListener outcomes, ApprovalDesk approvals) {
        this(camel, auditLog, options, muter, lineage, outcomes, approvals, Delivery.none());
    }

    /**
     * A dispatcher that also delivers under {@code delivery}: each target's lane has the workers and rate
     * of its {@link TargetPolicy}, failed actions are kept in {@link Delivery#failed()} for
     * {@link #retry(String)}, and {@link #targets()} reports {@link Delivery#circuits()} (the instance
     * given to {@link ActionRoutes}).
     */
    public ActionDispatcher(CamelContext camel, AuditLog auditLog, ActionOptions options, Muter muter,
                            LineageStore lineage, Delivery delivery) {
        this(camel, auditLog, options, muter, lineage, ActionOutcomeListener.NONE, null, delivery);
    }

    /** A dispatcher with outcomes reported, approvals and delivery policies (see the other constructors). */
    public ActionDispatcher(CamelContext camel, AuditLog auditLog, ActionOptions options, Muter muter,
                            LineageStore lineage, ActionOutcomeListener outcomes, ApprovalDesk approvals,
                            Delivery delivery) {
        this.outcomes = Objects.requireNonNull(outcomes, "outcomes");
        this.approvals = approvals;
        this.delivery = Objects.requireNonNull(delivery, "delivery");
        this.camel = camel;
        this.auditLog = auditLog;
        this.options = options;
        this.muter = Objects.requireNonNull(muter, "muter");
        this.lineage = Objects.requireNonNull(lineage, "lineage");
        for (String target : options.targetsInUse()) {
            lanes.put(target, new TargetLane(target, options.queueCapacity(), delivery.options().policyFor(target),
                    delivery.clock(), this::handle, action -> finished(), () -> state == State.STOPPED));
            if (!ActionSinks.deduplicatesByKey(target, options)) {
                guarded.add(target);
            }
            settlers.put(target, new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                    r -> {
                        Thread t = new Thread(r, "operon-action-settle-" + target);
                        t.setDaemon(true);
                        return t;
                    }, (task, executor) -> task.run()));
        }
        delivery.circuits().onClosed(this::redriveHeldBack);
    }

    /** Starts one worker per target. Call once, after the CamelContext holding {@link ActionRoutes} started. */
    public synchronized void start() {
        if (state != State.NEW) {
            throw new IllegalStateException("ActionDispatcher can be started once; it is " + state);
        }
        producer = camel.createProducerTemplate();
        settleInterruptedRetries();
        lanes.values().forEach(TargetLane::start);
        state = State.RUNNING;
        LOG.info("action dispatcher started: {}", options);
    }

    /**
     * A failed action whose operator retry was running when Operon stopped: its decision is not replayed (it
     * is older than the checkpoint), so the failed list would keep its old reason. Marks it as in doubt.
     */
    private void settleInterruptedRetries() {
        if (guarded.isEmpty() || delivery.failed() == FailedActionStore.NONE) {
            return;
        }
        for (FailedAction f : delivery.failed().latest(1000)) {
            if (!guarded.contains(f.target())) {
                continue;
            }
            Optional<AuditEntry> entry = auditLog.find(f.id());
            if (entry.isPresent() && AuditEntry.RUNNING.equals(entry.get().status())) {
                Action action = new Action(f.id(), f.target(), decisionOf(f));
                LOG.warn("action {} ({} of decision {}) was running when Operon stopped; its outcome is unknown and "
                        + "it is not performed again unless retried", f.id(), f.target(), f.decisionId());
                auditLog.record(action.audit(AuditEntry.FAILED, STOPPED_WHILE_RUNNING));
                keepFailed(action);
                report(action.outcome(ActionOutcome.FAILED, STOPPED_WHILE_RUNNING, null));
            }
        }
    }

    /**
     * Hands the decision's actions to their targets' workers and returns; blocks while a target's queue
     * is full (see class comment). A type configured with no targets causes nothing.
     *
     * @throws IllegalArgumentException when the decision is not stamped (has no id)
     * @throws IllegalStateException    when the dispatcher is not running, or stopped while this call
     *                                  waited for room (the actions not yet queued are then not performed)
     */
    public void dispatch(Decision decision) {
        if (decision.getId() == null) {
            throw new IllegalArgumentException("decision is not stamped with the session clock: " + decision);
        }
        if (state != State.RUNNING) {
            throw new IllegalStateException("ActionDispatcher is " + state + "; cannot dispatch " + decision.getId());
        }
        for (String target : options.targetsFor(decision.getType())) {
            enqueue(lanes.get(target), Action.of(decision, target));
        }
    }

    /**
     * Hands an approved action (see {@link ApprovalDesk}) to its target's worker, as {@link #dispatch} does; it
     * is performed unless the audit log shows it done or a muter mutes it now.
     *
     * @throws IllegalStateException when the dispatcher is not running or the target is not in use any more
     */
    public void dispatchApproved(Action action) {
        if (state != State.RUNNING) {
            throw new IllegalStateException("ActionDispatcher is " + state + "; cannot dispatch " + action.id());
        }
        TargetLane lane = lanes.get(action.target());
        if (lane == null) {
            throw new IllegalStateException("target '" + action.target() + "' of approved action " + action.id()
                    + " is not configured any more");
        }
        enqueue(lane, action);
    }

    /**
     * Waits until every action handed off so far has been performed (or has failed) and recorded.
     *
     * @return true when idle, false when {@code maxWait} passed first
     */
    /** True when every action handed off so far is done (performed, failed or skipped) and audited. */
    public boolean isIdle() {
        return pending.get() == 0;
    }

    public boolean awaitIdle(Duration maxWait) throws InterruptedException {
        long deadline = System.nanoTime() + maxWait.toNanos();
        synchronized (idle) {
            while (pending.get() > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(idle, left);
            }
        }
        return true;
    }

    /**
     * Stops taking decisions, lets the workers finish what is queued for up to {@code maxWait}, then
     * stops them. Actions still queued after that are not performed and not recorded; they are logged
     * with their count. Safe to call more than once.
     *
     * @return true when everything handed off was done before the workers stopped
     */
    public boolean stop(Duration maxWait) {
        synchronized (this) {
            if (state == State.STOPPED || state == State.STOPPING) {
                return pending.get() == 0;
            }
            boolean wasRunning = state == State.RUNNING;
            state = State.STOPPING;
            if (!wasRunning) {
                state = State.STOPPED;
                return true;
            }
        }
        boolean drained;
        try {
            drained = awaitIdle(maxWait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            drained = false;
        }
        lanes.values().forEach(TargetLane::interrupt);
        lanes.values().forEach(lane -> lane.join(Duration.ofSeconds(5)));
        state = State.STOPPED;
        try {
            producer.stop();
        } catch (RuntimeException e) {
            LOG.warn("stopping the action producer failed: {}", e.toString());
        }
        // Settles still waiting for their records (a stop that timed out): given the rest of a few seconds.
        CompletableFuture<?>[] unsettled;
        synchronized (settling) {
            unsettled = settling.values().toArray(CompletableFuture[]::new);
        }
        try {
            CompletableFuture.allOf(unsettled).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("records of some actions were still being written when the dispatcher stopped: {}", e.toString());
        }
        settlers.values().forEach(ExecutorService::shutdown);
        long left = pending.get();
        if (left > 0) {
            LOG.warn("action dispatcher stopped with {} action(s) not performed", left);
        } else {
            LOG.info("action dispatcher stopped; every action handed off was done");
        }
        return drained && left == 0;
    }

    /**
     * Performs one action unless the audit log says it was done or the muter mutes it, then records the
     * outcome. Returns once the action is performed; the stage completes once its outcome is recorded. A
     * target that drops repeats (no {@code running} entry first) has its trace and outcome written without
     * waiting, so that the records of consecutive actions share the disk's forced writes: a crash before
     * they are written performs the action again, which such a target drops.
     */
    private Performed perform(Action action) {
        boolean byOperator = operatorRetries.remove(action.id());
        Optional<AuditEntry> previous = previousEntry(action);
        if (previous.isPresent() && isDone(previous.get().status())) {
            LOG.debug("action {} ({} of decision {}) already {}; not performing it again", action.id(),
                    action.target(), action.decision().getId(), previous.get().status());
            return Performed.SETTLED;
        }
        if (!byOperator && previous.isPresent() && inDoubt(action, previous.get())) {
            return Performed.SETTLED;
        }
        Optional<String> muted = muteReason(action);
        if (muted.isPresent()) {
            keepTrace(action);
            auditLog.record(action.audit(AuditEntry.SUPPRESSED, muted.get()));
            LOG.debug("action {} ({} {} for {}) suppressed: {}", action.id(), action.target(),
                    action.decision().getType(), action.decision().getSubject(), muted.get());
            report(action.outcome(ActionOutcome.SUPPRESSED, muted.get(), null));
            return Performed.SETTLED;
        }
        boolean traced = false;
        if (approvals != null && approvals.policy().timeoutFor(action.decision()).isPresent()) {
            keepTrace(action); // a held action is listed, so it must be explainable at once
            traced = true;
            if (approvals.holds(action)) {
                return Performed.SETTLED;
            }
        }
        boolean isGuarded = guarded.contains(action.target());
        if (isGuarded) {
            // Durable before the effect: a stop from here to the outcome's entry leaves the action in doubt.
            auditLog.record(action.audit(AuditEntry.RUNNING, null));
        }
        Exchange result = producer.send(ActionRoutes.endpointFor(action.target()),
                exchange -> exchange.getIn().setBody(action));
        AuditEntry entry;
        if (result.getException() == null) {
            entry = action.audit(AuditEntry.SENT, null);
            LOG.debug("action {} ({} {} for {}) sent", action.id(), action.target(), action.decision().getType(),
                    action.decision().getSubject());
        } else {
            int attempts = result.getIn().getHeader(Exchange.REDELIVERY_COUNTER, 0, Integer.class) + 1;
            String reason = FailureReason.of(result.getException(), attempts);
            entry = action.audit(AuditEntry.FAILED, reason);
            LOG.warn("action {} ({} {} for {}) failed: {}", action.id(), action.target(),
                    action.decision().getType(), action.decision().getSubject(), reason);
        }
        ActionOutcome outcome = action.outcome(entry.status(), entry.reason(), ActionOutcomeDetails.of(result));
        if (isGuarded) {
            if (!traced) {
                // After the send, not before: the trace's durable write would otherwise delay every action by
                // one fsync. It still precedes the audit entry, and a crash before either leaves it in doubt.
                keepTrace(action);
            }
            auditLog.record(entry);
            report(outcome);
            return Performed.SETTLED;
        }
        // The trace still precedes the audit entry; a crash before either performs the action again. The
        // outcome is reported once the entry is written (see handle).
        CompletableFuture<Void> trace = traced ? DONE : keepTraceAsync(action);
        return new Performed(trace.thenCompose(v -> auditLog.recordAsync(entry)), outcome);
    }

    /** What {@link #perform} did: when its records are written, and the outcome to report then (or null). */
    private record Performed(CompletableFuture<Void> recorded, ActionOutcome outcome) {
        static final Performed SETTLED = new Performed(DONE, null);
    }

    /**
     * Whether an action about to be performed automatically must not be, its earlier outcome being unknown
     * (see "In doubt" in the class comment). An action found {@code running} is audited failed and reported
     * here; one failed with an unknown outcome already is left as it is.
     */
    private boolean inDoubt(Action action, AuditEntry previous) {
        if (AuditEntry.RUNNING.equals(previous.status())) {
            LOG.warn("action {} ({} {} for {}) was running when Operon stopped; its outcome is unknown, so it is not "
                    + "performed again: it is listed as failed for an operator to retry", action.id(),
                    action.target(), action.decision().getType(), action.decision().getSubject());
            auditLog.record(action.audit(AuditEntry.FAILED, STOPPED_WHILE_RUNNING));
            report(action.outcome(ActionOutcome.FAILED, STOPPED_WHILE_RUNNING, null));
            return true;
        }
        if (AuditEntry.FAILED.equals(previous.status()) && OutcomeUnknownException.isOutcomeUnknown(previous.reason())) {
            LOG.debug("action {} ({} of decision {}) failed with its outcome unknown; only a retry performs it again",
                    action.id(), action.target(), action.decision().getId());
            return true;
        }
        return false;
    }

    /** Tells the outcome listener; what it throws is logged, the action stays recorded. */
    private void report(ActionOutcome outcome) {
        try {
            outcomes.outcome(outcome);
        } catch (RuntimeException e) {
            LOG.error("the outcome {} could not be reported: {}", outcome, FailureReason.describe(e), e);
        }
    }

    /** On the decision's first target only: its trace, once per decision (see the class comment). */
    private void keepTrace(Action action) {
        keepTrace(action, false).join();
    }

    /** {@link #keepTrace} without waiting for the disk; a failure is logged, and the future completes. */
    private CompletableFuture<Void> keepTraceAsync(Action action) {
        return keepTrace(action, true);
    }

    private CompletableFuture<Void> keepTrace(Action action, boolean async) {
        if (lineage == LineageStore.NONE) {
            return DONE;
        }
        Decision decision = action.decision();
        List<String> targets = options.targetsFor(decision.getType());
        if (targets.isEmpty() || !targets.get(0).equals(action.target())) {
            return DONE;
        }
        try {
            if (decision.getLineage() == null && lineage.find(decision.getId()).isPresent()) {
                return DONE; // a re-driven action: its decision's trace was kept when it was first dispatched
            }
            List<String> actionIds = targets.stream().map(t -> Action.idFor(decision.getId(), t)).toList();
            DecisionTrace trace = new DecisionTrace(decision.getId(), actionIds,
                    decision.getLineage() == null ? null : decision.getLineage().toMap());
            if (!async) {
                lineage.record(trace);
                return DONE;
            }
            return lineage.recordAsync(trace).exceptionally(e -> {
                traceNotKept(decision, e);
                return null;
            });
        } catch (RuntimeException e) {
            traceNotKept(decision, e);
            return DONE;
        }
    }

    private static void traceNotKept(Decision decision, Throwable e) {
        Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
        LOG.error("the lineage of decision {} could not be kept; its actions go on unexplained: {}",
                decision.getId(), FailureReason.describe(cause), cause);
    }

    private Optional<String> muteReason(Action action) {
        try {
            return muter.mutes(action.decision(), Instant.ofEpochMilli(action.decision().getTime()));
        } catch (RuntimeException e) {
            LOG.error("muter failed for action {} ({} of decision {}); performing it unmuted: {}", action.id(),
                    action.target(), action.decision().getId(), FailureReason.describe(e), e);
            return Optional.empty();
        }
    }

    private static boolean isDone(String status) {
        return AuditEntry.SENT.equals(status) || AuditEntry.SUPPRESSED.equals(status)
                || AuditEntry.REJECTED.equals(status);
    }

    private void finished() {
        if (pending.decrementAndGet() == 0) {
            synchronized (idle) {
                idle.notifyAll();
            }
        }
    }

    // ---- delivery: lanes, failed actions and their retry, target states ----

    /**
     * What the dispatcher needs beyond the audit log to deliver with guarantees.
     *
     * @param options  the per-target policies (workers, subject limit, rate, circuit)
     * @param circuits the circuit breakers, the same instance given to {@link ActionRoutes}
     * @param failed   where actions that failed all attempts are kept
     * @param clock    the clock of rates and of {@link FailedAction#failedAt()}
     */
    public record Delivery(DeliveryOptions options, TargetCircuits circuits, FailedActionStore failed, Clock clock) {
        public Delivery {
            Objects.requireNonNull(options, "options");
            Objects.requireNonNull(circuits, "circuits");
            Objects.requireNonNull(failed, "failed");
            Objects.requireNonNull(clock, "clock");
        }

        /** One worker per target, no limits, failed actions not kept. */
        public static Delivery none() {
            return new Delivery(DeliveryOptions.standard(), TargetCircuits.standard(), FailedActionStore.NONE,
                    Clock.systemUTC());
        }
    }

    /** The outcome of {@link #retry(String)}. */
    public enum RetryStatus {
        /** The failed action is queued again on its target. */
        QUEUED,
        /** No action with that id is known, neither failed nor in the audit log. */
        UNKNOWN,
        /** The action is known but not failed (sent or suppressed), or is queued or running already. */
        NOT_FAILED
    }

    /** {@code action} is set when {@code status} is {@link RetryStatus#QUEUED}. */
    public record RetryResult(RetryStatus status, Action action, String detail) {
    }

    /**
     * One target as {@code GET /api/v1/actions/targets} shows it.
     *
     * @param name                the target name
     * @param circuit             {@code closed}, {@code open} or {@code half-open}
     * @param consecutiveFailures failed actions in a row (each after all its attempts)
     * @param openUntil           ISO-8601 instant at which an open circuit lets its trial through; null when not open
     * @param queued              actions waiting in the target's queue
     * @param running             actions being performed now
     * @param maxConcurrent       the target's workers
     * @param rate                its rate limit as configured ({@code 10/s}), or null
     */
    public record TargetStatus(String name, String circuit, int consecutiveFailures, String openUntil, int queued,
                               int running, int maxConcurrent, String rate) {
    }

    /** The state of every target in use, in name order. */
    public List<TargetStatus> targets() {
        List<TargetStatus> out = new ArrayList<>();
        lanes.keySet().stream().sorted().forEach(name -> {
            TargetLane lane = lanes.get(name);
            CircuitBreaker breaker = delivery.circuits().breaker(name);
            Instant until = breaker.openUntil();
            out.add(new TargetStatus(name, breaker.state().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'),
                    breaker.consecutiveFailures(), until == null ? null : until.toString(), lane.queued(),
                    lane.running(), lane.policy().maxConcurrent(),
                    lane.policy().rate() == null ? null : lane.policy().rate().toString()));
        });
        return out;
    }

    /**
     * Performs a failed action again: it is queued on its target like a new one, let through even when
     * the target's circuit is open (an operator asked for it; its outcome counts as the circuit's trial),
     * and audited {@code sent} and dropped from the failed actions when it succeeds, or kept failed with
     * the new error when it fails again.
     *
     * @throws IllegalStateException when the dispatcher is not running
     */
    public RetryResult retry(String actionId) {
        if (state != State.RUNNING) {
            throw new IllegalStateException("ActionDispatcher is " + state + "; cannot retry " + actionId);
        }
        Optional<FailedAction> failed = actionId == null ? Optional.empty() : delivery.failed().find(actionId);
        if (failed.isEmpty()) {
            Optional<AuditEntry> audited = actionId == null ? Optional.empty() : auditLog.find(actionId);
            return audited.map(e -> new RetryResult(RetryStatus.NOT_FAILED, null, AuditEntry.FAILED.equals(e.status())
                            ? "action '" + actionId + "' failed but is not kept for a retry (its record expired)"
                            : "action '" + actionId + "' is " + e.status() + ", not failed"))
                    .orElseGet(() -> new RetryResult(RetryStatus.UNKNOWN, null, "no action '" + actionId + "'"));
        }
        Optional<AuditEntry> audited = auditLog.find(actionId);
        if (audited.isPresent() && isDone(audited.get().status())) {
            delivery.failed().remove(actionId);
            return new RetryResult(RetryStatus.NOT_FAILED, null, "action '" + actionId + "' is "
                    + audited.get().status() + ", not failed");
        }
        FailedAction f = failed.get();
        TargetLane lane = lanes.get(f.target());
        if (lane == null) {
            return new RetryResult(RetryStatus.NOT_FAILED, null, "target '" + f.target()
                    + "' of action '" + actionId + "' is no longer configured");
        }
        Action action = new Action(f.id(), f.target(), decisionOf(f));
        delivery.circuits().bypassOnce(action.id());
        operatorRetries.add(action.id());
        if (!enqueue(lane, action)) {
            operatorRetries.remove(action.id());
            return new RetryResult(RetryStatus.NOT_FAILED, null, "action '" + actionId + "' is queued or running already");
        }
        LOG.info("action {} ({} of decision {}) queued again by a retry", action.id(), action.target(),
                action.decision().getId());
        return new RetryResult(RetryStatus.QUEUED, action, null);
    }

    /**
     * When {@code target}'s circuit closes, its actions that the open circuit failed fast are queued again,
     * oldest first, as far as its queue has room now (this runs on the target's own worker, which must
     * not wait for room in its own queue); the others stay failed, for a retry.
     */
    private void redriveHeldBack(String target) {
        TargetLane lane = lanes.get(target);
        if (lane == null || state != State.RUNNING || delivery.failed() == FailedActionStore.NONE) {
            return;
        }
        String reason = new TargetCircuits.CircuitOpenException(target).getMessage();
        try {
            List<FailedAction> held = new ArrayList<>(delivery.failed().latest(1000).stream()
                    .filter(f -> target.equals(f.target()) && reason.equals(f.reason())).toList());
            java.util.Collections.reverse(held);
            int queued = 0;
            for (FailedAction f : held) {
                Action action = new Action(f.id(), f.target(), decisionOf(f));
                pending.incrementAndGet();
                TargetLane.Queued result = lane.tryEnqueue(action);
                if (result == TargetLane.Queued.QUEUED) {
                    queued++;
                } else {
                    finished();
                    if (result == TargetLane.Queued.FULL) {
                        break;
                    }
                }
            }
            if (!held.isEmpty()) {
                LOG.info("circuit of {} closed: {} of {} action(s) it failed fast queued again", target, queued,
                        held.size());
            }
        } catch (RuntimeException e) {
            LOG.error("circuit of {} closed but the actions it failed fast could not be queued again: {}", target,
                    FailureReason.describe(e), e);
        }
    }

    /** Counts the action as pending and queues it; false when its id is queued or running already. */
    private boolean enqueue(TargetLane lane, Action action) {
        pending.incrementAndGet();
        try {
            if (lane.enqueue(action, this::lookUpEarly) == TargetLane.Queued.DUPLICATE) {
                LOG.debug("action {} for {} is queued or running already; not queued twice", action.id(),
                        action.target());
                finished();
                return false;
            }
            return true;
        } catch (RuntimeException e) {
            finished();
            throw e;
        }
    }

    /**
     * For a target that drops repeats, starts looking up the action's audit entry as it is queued (under its
     * lane's lock, once every earlier run of its id has settled, so their entries are written), for its
     * worker to take at its turn. Such a target may see an action again anyway (see {@link #perform}): an
     * entry written between this lookup and the action's turn (which only another dispatcher could write)
     * costs at most a repeat it drops. A guarded target's worker looks up at the action's turn.
     */
    private void lookUpEarly(Action action) {
        if (guarded.contains(action.target())) {
            return;
        }
        try {
            lookups.put(action.id(), auditLog.findAsync(action.id()));
        } catch (RuntimeException e) {
            // the worker looks up at the action's turn, and reports what fails then
        }
    }

    /** The action's audit entry: as looked up when it was queued, else (or when that failed) now. */
    private Optional<AuditEntry> previousEntry(Action action) {
        CompletableFuture<Optional<AuditEntry>> early = lookups.remove(action.id());
        if (early != null) {
            try {
                return early.join();
            } catch (RuntimeException e) {
                LOG.debug("early audit lookup of action {} failed, looking up again: {}", action.id(), e.toString());
            }
        }
        return auditLog.find(action.id());
    }

    /**
     * A lane worker's job: perform, then (once its records are written) report the outcome and keep or drop
     * the failed record; the stage completes after that, and the lane counts the action done
     * ({@link #finished()}) once it no longer holds its id. The actions of a lane settle in the order they
     * were performed, on the lane's own settling thread, or at once on the worker when nothing of the lane
     * is still settling.
     */
    private CompletionStage<?> handle(Action action) {
        Performed p;
        try {
            p = perform(action);
        } catch (RuntimeException e) {
            notRecorded(action, e);
            p = Performed.SETTLED;
        }
        Performed performed = p;
        String target = action.target();
        CompletableFuture<Void> settled;
        synchronized (settling) {
            CompletableFuture<Void> previous = settling.getOrDefault(target, DONE);
            if (previous.isDone() && performed.recorded().isDone()) {
                settled = null;
            } else {
                settled = performed.recorded().handle((v, failure) -> failure)
                        .thenCombine(previous, (failure, ignored) -> failure)
                        .thenAcceptAsync(failure -> settle(action, performed, failure), settlers.get(target));
                settling.put(target, settled);
            }
        }
        if (settled == null) {
            Throwable failure = performed.recorded().handle((v, f) -> f).join();
            settle(action, performed, failure);
            return DONE;
        }
        return settled;
    }

    /** Once the action's records are written (or could not be): reports it, keeps or drops its failed record. */
    private void settle(Action action, Performed performed, Throwable failure) {
        try {
            if (failure != null) {
                Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                notRecorded(action, cause instanceof RuntimeException r ? r : new IllegalStateException(cause));
                return;
            }
            if (performed.outcome() != null) {
                report(performed.outcome());
            }
            keepFailed(action);
        } catch (RuntimeException e) {
            notRecorded(action, e);
        }
    }

    private static void notRecorded(Action action, RuntimeException e) {
        LOG.error("action {} for {} could not be performed or recorded: {}", action.id(), action.target(),
                FailureReason.describe(e), e);
    }

    /** After {@link #perform}: a failed action is kept with its last error; any other leaves the failed list. */
    private void keepFailed(Action action) {
        if (delivery.failed() == FailedActionStore.NONE) {
            return;
        }
        Optional<AuditEntry> entry = auditLog.find(action.id());
        if (entry.isPresent() && AuditEntry.FAILED.equals(entry.get().status())) {
            Decision d = action.decision();
            delivery.failed().record(new FailedAction(action.id(), action.target(), d.getId(), d.getType(),
                    d.getSubject(), d.getRule(), d.getEventIds(), d.getTime(), ActionJson.params(d),
                    entry.get().reason(), delivery.clock().instant().toString()));
        } else if (delivery.failed().find(action.id()).isPresent()) {
            delivery.failed().remove(action.id());
        }
    }

    /** The decision of a failed action, as stored: params as JSON values, no lineage (its trace is kept). */
    private static Decision decisionOf(FailedAction f) {
        Decision d = Decision.of(f.type(), f.subject(), f.rule(), f.eventIds());
        for (Map.Entry<String, Object> p : f.params().entrySet()) {
            d = d.withParam(p.getKey(), p.getValue());
        }
        return d.stamped(f.decisionTime());
    }
}
