package org.operon.actions.approval;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import org.operon.actions.Action;
import org.operon.actions.ActionOutcomeListener;
import org.operon.model.ActionOutcome;
import org.operon.model.Decision;
import org.operon.state.AuditEntry;
import org.operon.state.AuditLog;
import org.operon.state.approval.Approval;
import org.operon.state.approval.ApprovalStore;
import org.operon.state.approval.ApprovalStore.Transition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds the actions of decision types that need an approval ({@link ApprovalPolicy}) until an approver
 * approves or rejects them, or their time runs out.
 *
 * <ul>
 *   <li><b>Held.</b> The dispatcher asks {@link #holds} before performing an action (after muting: a
 *       muted action is suppressed, never held). An action of a type that needs approval, not approved yet,
 *       is kept in the {@link ApprovalStore} as pending, with its decision and an expiry of now plus the
 *       type's timeout, and audited {@code pending}. A replayed decision whose action is already held
 *       creates no second approval.</li>
 *   <li><b>Approved</b> ({@link #decide}): the approval becomes approved, the outcome {@code approved} goes
 *       to the listener, and the action is handed back to the dispatcher (the performer given to
 *       {@link #connect}); {@link #holds} now lets it through, and the dispatcher performs it at most once,
 *       as every action, and reports {@code sent} or {@code failed}.</li>
 *   <li><b>Rejected</b> ({@link #decide}) or <b>expired</b> ({@link #expireDue}, run by the app's scheduler
 *       on the injected clock): the action is audited {@code rejected} with the reason and never performed;
 *       the outcome is {@code rejected} or {@code expired}.</li>
 * </ul>
 * Each approval is decided once: {@link ApprovalStore#decide} is the only transition out of pending.
 */
public final class ApprovalDesk {
    private static final Logger LOG = LoggerFactory.getLogger(ApprovalDesk.class);
    /** Who decides an approval that expired. */
    public static final String EXPIRY = "operon";
    private static final ObjectMapper MAPPER = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private final ApprovalPolicy policy;
    private final ApprovalStore store;
    private final AuditLog auditLog;
    private final Clock clock;
    private final ActionOutcomeListener outcomes;
    private volatile Consumer<Action> performer;

    public ApprovalDesk(ApprovalPolicy policy, ApprovalStore store, AuditLog auditLog, Clock clock,
                        ActionOutcomeListener outcomes) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.store = Objects.requireNonNull(store, "store");
        this.auditLog = Objects.requireNonNull(auditLog, "auditLog");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.outcomes = Objects.requireNonNull(outcomes, "outcomes");
    }

    /** Where approved actions go to be performed: the dispatcher's {@code dispatchApproved}. Call once, before deciding. */
    public void connect(Consumer<Action> performer) {
        this.performer = Objects.requireNonNull(performer, "performer");
    }

    public ApprovalPolicy policy() {
        return policy;
    }

    /**
     * True when the action must not be performed now: its decision type needs approval and it is not approved
     * (it is then held, see the class comment), or its approval was rejected or expired. False when it needs
     * none (also when the configuration no longer asks for one) or is approved.
     */
    public boolean holds(Action action) {
        Optional<Duration> timeout = policy.timeoutFor(action.decision());
        if (timeout.isEmpty()) {
            return false;
        }
        Optional<Approval> kept = store.get(action.id());
        if (kept.isPresent()) {
            return !Approval.APPROVED.equals(kept.get().status());
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        Approval approval = Approval.pending(action.id(), action.target(), decisionData(action.decision()), now,
                now.plus(timeout.get()));
        if (store.hold(approval)) {
            auditLog.record(action.audit(AuditEntry.PENDING, "waiting for approval until " + approval.expiresAt()));
            LOG.info("action {} ({} {} for {}) waits for approval until {}", action.id(), action.target(),
                    action.decision().getType(), action.decision().getSubject(), approval.expiresAt());
        }
        return true;
    }

    /** The pending approvals, oldest first. */
    public List<Approval> pending() {
        return store.pending();
    }

    /**
     * Approves or rejects the pending approval {@code id} (see the class comment).
     *
     * @return {@link ApprovalStore.Result#DECIDED} with the approval as decided now;
     *         {@link ApprovalStore.Result#NOT_FOUND}; or {@link ApprovalStore.Result#ALREADY_DECIDED} with the
     *         approval as decided before (nothing changes)
     */
    public Transition decide(String id, boolean approve, String by, String comment) {
        Transition t = store.decide(id, approve ? Approval.APPROVED : Approval.REJECTED, by, comment,
                clock.instant().truncatedTo(ChronoUnit.MILLIS));
        if (t.result() != ApprovalStore.Result.DECIDED) {
            return t;
        }
        Action action = action(t.approval());
        if (approve) {
            LOG.info("action {} ({} {} for {}) approved by '{}'", id, action.target(), action.decision().getType(),
                    action.decision().getSubject(), by);
            report(action.outcome(ActionOutcome.APPROVED, null, approverDetails(t.approval())));
            try {
                perform(action);
            } catch (RuntimeException e) {
                // Approved and kept so: redriveApproved() performs it at the next start.
                LOG.error("approved action {} could not be handed to the dispatcher now; it is performed at the "
                        + "next start: {}", id, e.getMessage());
            }
        } else {
            String reason = "rejected by " + by + (comment == null || comment.isBlank() ? "" : ": " + comment);
            finish(action, ActionOutcome.REJECTED, reason, t.approval());
        }
        return t;
    }

    /**
     * Expires every pending approval whose time has come (by the injected clock): each is audited
     * {@code rejected} and reported {@code expired}.
     *
     * @return how many expired
     */
    public int expireDue() {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        int expired = 0;
        for (Approval a : store.pending()) {
            if (a.expiresAt().isAfter(now)) {
                continue;
            }
            Transition t = store.decide(a.id(), Approval.EXPIRED, EXPIRY, null, now);
            if (t.result() == ApprovalStore.Result.DECIDED) {
                Duration waited = Duration.between(a.createdAt(), a.expiresAt());
                finish(action(t.approval()), ActionOutcome.EXPIRED,
                        "approval expired: not approved within " + waited, t.approval());
                expired++;
            }
        }
        return expired;
    }

    /**
     * Hands again to the dispatcher every approved action that the audit log does not show done (approved just
     * before a stop, not yet performed, or still {@code running} when Operon stopped: the dispatcher then fails
     * it as in doubt instead of performing it again). Run once at start, after the dispatcher started.
     *
     * @return how many were handed on
     */
    public int redriveApproved() {
        int n = 0;
        for (Approval a : store.withStatus(Approval.APPROVED)) {
            Optional<AuditEntry> entry = auditLog.find(a.id());
            if (entry.isEmpty() || AuditEntry.PENDING.equals(entry.get().status())
                    || AuditEntry.RUNNING.equals(entry.get().status())) {
                perform(action(a));
                n++;
            }
        }
        return n;
    }

    private void finish(Action action, String status, String reason, Approval approval) {
        auditLog.record(action.audit(AuditEntry.REJECTED, reason));
        LOG.info("action {} ({} {} for {}) {}: {}", action.id(), action.target(), action.decision().getType(),
                action.decision().getSubject(), status, reason);
        report(action.outcome(status, reason, approverDetails(approval)));
    }

    private void perform(Action action) {
        Consumer<Action> p = performer;
        if (p == null) {
            throw new IllegalStateException("the approval desk is not connected to a dispatcher");
        }
        p.accept(action);
    }

    private void report(ActionOutcome outcome) {
        try {
            outcomes.outcome(outcome);
        } catch (RuntimeException e) {
            LOG.error("the outcome {} could not be reported: {}", outcome, e.toString(), e);
        }
    }

    private static Map<String, Object> approverDetails(Approval a) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("by", a.decidedBy());
        if (a.comment() != null) {
            details.put("comment", a.comment());
        }
        return details;
    }

    /** The decision as JSON-safe data (java.time params as ISO-8601 strings), as the store keeps it. */
    static Map<String, Object> decisionData(Decision d) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("id", d.getId());
        data.put("type", d.getType());
        data.put("subject", d.getSubject());
        data.put("rule", d.getRule());
        data.put("eventIds", d.getEventIds());
        data.put("params", MAPPER.convertValue(d.getParams(), new TypeReference<Map<String, Object>>() { }));
        data.put("time", d.getTime());
        return data;
    }

    /** The action an approval holds, its decision rebuilt from the stored data (the same decision id). */
    @SuppressWarnings("unchecked")
    static Action action(Approval a) {
        Map<String, Object> d = a.decision();
        Decision decision = Decision.of((String) d.get("type"), (String) d.get("subject"), (String) d.get("rule"),
                (List<String>) d.getOrDefault("eventIds", List.of()));
        if (d.get("params") instanceof Map<?, ?> params) {
            for (Map.Entry<?, ?> p : params.entrySet()) {
                decision = decision.withParam(String.valueOf(p.getKey()), p.getValue());
            }
        }
        decision = decision.stamped(((Number) d.get("time")).longValue());
        if (!decision.getId().equals(d.get("id"))) {
            throw new IllegalStateException("approval " + a.id() + " holds decision " + d.get("id")
                    + " but rebuilds " + decision.getId());
        }
        Action action = Action.of(decision, a.target());
        if (!action.id().equals(a.id())) {
            throw new IllegalStateException("approval " + a.id() + " rebuilds action " + action.id());
        }
        return action;
    }
}
