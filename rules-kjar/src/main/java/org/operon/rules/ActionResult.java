package org.operon.rules;

import java.util.Map;

import org.operon.model.ActionOutcome;
import org.operon.model.Event;

/**
 * What became of one action, as it arrived (an {@code operon.action.result} event, see {@link ActionOutcome}):
 * the fact {@code action-results.drl} keeps for rules to match (an event on the arrival timeline, kept one
 * hour). Immutable.
 *
 * <p>Match it by {@code status} ({@link ActionOutcome#SENT}, {@link ActionOutcome#FAILED},
 * {@link ActionOutcome#SUPPRESSED}, {@link ActionOutcome#APPROVED}, {@link ActionOutcome#REJECTED},
 * {@link ActionOutcome#EXPIRED}), {@code decisionType}, {@code subject} and {@code target}; the target's
 * report is in {@code details} ({@code httpStatus}, {@code exitCode}, {@code output}, … when the target gives
 * them).
 */
public final class ActionResult {
    private final String eventId;
    private final long seq;
    private final String actionId;
    private final String decisionId;
    private final String decisionType;
    private final String rule;
    private final String subject;
    private final String target;
    private final String status;
    private final String reason;
    private final Map<String, Object> details;
    private final long arrivalTime;

    private ActionResult(Event event) {
        this.eventId = event.getId();
        this.seq = event.getSeq();
        this.actionId = ActionOutcome.field(event, ActionOutcome.ACTION_ID);
        this.decisionId = ActionOutcome.field(event, ActionOutcome.DECISION_ID);
        this.decisionType = ActionOutcome.field(event, ActionOutcome.DECISION_TYPE);
        this.rule = ActionOutcome.field(event, ActionOutcome.RULE);
        String s = ActionOutcome.field(event, ActionOutcome.SUBJECT);
        this.subject = s == null ? event.getSubject() : s;
        this.target = ActionOutcome.field(event, ActionOutcome.TARGET);
        this.status = ActionOutcome.field(event, ActionOutcome.STATUS);
        this.reason = ActionOutcome.field(event, ActionOutcome.REASON);
        this.details = ActionOutcome.detailsOf(event);
        this.arrivalTime = event.getArrivalTime();
    }

    /** The fact of an {@code operon.action.result} event. */
    public static ActionResult of(Event event) {
        return new ActionResult(event);
    }

    /** The id of the event that carried it ({@code <action id>:<status>}). */
    public String getEventId() { return eventId; }

    /** The journal sequence number of that event: later results have higher ones. */
    public long getSeq() { return seq; }

    public String getActionId() { return actionId; }

    public String getDecisionId() { return decisionId; }

    /** The type of the decision the action carried out, e.g. {@code remediate}. */
    public String getDecisionType() { return decisionType; }

    /** The rule that made that decision. */
    public String getRule() { return rule; }

    public String getSubject() { return subject; }

    /** The target name, e.g. {@code webhook}. */
    public String getTarget() { return target; }

    /** sent, failed, suppressed, approved, rejected or expired. */
    public String getStatus() { return status; }

    public boolean isFailed() { return ActionOutcome.FAILED.equals(status); }

    /** Why it failed, was suppressed, rejected or expired; null otherwise. */
    public String getReason() { return reason; }

    /** What the target reported (httpStatus, exitCode, output, …); empty when nothing. */
    public Map<String, Object> getDetails() { return details; }

    /** One detail, or null. */
    public Object detail(String name) { return details.get(name); }

    public long getArrivalTime() { return arrivalTime; }

    @Override
    public String toString() {
        return "ActionResult{" + actionId + " " + target + " " + decisionType + " " + subject + " " + status + "}";
    }
}
