package org.operon.model;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What became of one action (a decision carried to one target): performed, failed, held back, or
 * decided by an approver. The dispatcher reports it and the app journals it as a reserved event, so that
 * the session, and every replay of the journal, sees it as a fact (rules-kjar's {@code ActionResult}) in
 * order with the events. The intake refuses {@code operon.*} types from clients; only Operon's action
 * side creates these.
 *
 * <p>Event: type {@link #TYPE}, source {@link #SOURCE}, id {@code <action id>:<status>} (the same outcome
 * reported twice has the same id), subject the decision's subject, data a map with {@link #ACTION_ID},
 * {@link #DECISION_ID}, {@link #DECISION_TYPE}, {@link #RULE}, {@link #SUBJECT}, {@link #TARGET},
 * {@link #STATUS}, {@link #REASON} (null when sent or approved) and {@link #DETAILS} (what the target
 * reported, e.g. {@code httpStatus}, {@code exitCode}, {@code output}; empty when it reported nothing).
 */
public final class ActionOutcome {
    public static final String TYPE = "operon.action.result";
    public static final String SOURCE = "operon/actions";

    public static final String ACTION_ID = "actionId";
    public static final String DECISION_ID = "decisionId";
    public static final String DECISION_TYPE = "decisionType";
    public static final String RULE = "rule";
    public static final String SUBJECT = "subject";
    public static final String TARGET = "target";
    public static final String STATUS = "status";
    public static final String REASON = "reason";
    public static final String DETAILS = "details";

    /** The action was performed. */
    public static final String SENT = "sent";
    /** The action failed after its attempts. */
    public static final String FAILED = "failed";
    /** The action was muted (silence, maintenance window, inhibition, throttle) and not performed. */
    public static final String SUPPRESSED = "suppressed";
    /** An approver approved the action; it is performed next (a {@link #SENT} or {@link #FAILED} follows). */
    public static final String APPROVED = "approved";
    /** An approver rejected the action; it is never performed. */
    public static final String REJECTED = "rejected";
    /** Nobody approved the action in time; it is never performed. */
    public static final String EXPIRED = "expired";

    private static final Set<String> STATUSES = Set.of(SENT, FAILED, SUPPRESSED, APPROVED, REJECTED, EXPIRED);

    private final String actionId;
    private final String decisionId;
    private final String decisionType;
    private final String rule;
    private final String subject;
    private final String target;
    private final String status;
    private final String reason;
    private final Map<String, Object> details;

    /**
     * @param details what the target reported (values: strings, numbers, booleans); null for none
     * @throws IllegalArgumentException for a status that is none of the constants of this class
     */
    public ActionOutcome(String actionId, String decisionId, String decisionType, String rule, String subject,
                         String target, String status, String reason, Map<String, Object> details) {
        this.actionId = Objects.requireNonNull(actionId, "actionId");
        this.decisionId = Objects.requireNonNull(decisionId, "decisionId");
        this.decisionType = Objects.requireNonNull(decisionType, "decisionType");
        this.rule = rule;
        this.subject = Objects.requireNonNull(subject, "subject");
        this.target = Objects.requireNonNull(target, "target");
        if (!STATUSES.contains(status)) {
            throw new IllegalArgumentException("action outcome status must be one of " + STATUSES + ", not " + status);
        }
        this.status = status;
        this.reason = reason;
        this.details = details == null || details.isEmpty() ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }

    /** True for the event type of action outcomes. */
    public static boolean isOutcome(String type) {
        return TYPE.equals(type);
    }

    /** The id of the event carrying this outcome: {@code <action id>:<status>}. */
    public String eventId() {
        return actionId + ":" + status;
    }

    /** The reserved event carrying this outcome, reported at {@code time}. */
    public Event event(Instant time) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put(ACTION_ID, actionId);
        data.put(DECISION_ID, decisionId);
        data.put(DECISION_TYPE, decisionType);
        data.put(RULE, rule);
        data.put(SUBJECT, subject);
        data.put(TARGET, target);
        data.put(STATUS, status);
        data.put(REASON, reason);
        data.put(DETAILS, new LinkedHashMap<>(details));
        return Event.builder().id(eventId()).source(SOURCE).type(TYPE).subject(subject).time(time).data(data).build();
    }

    /** A string field of an outcome event's data, or null. */
    public static String field(Event event, String name) {
        return event.getData() instanceof Map<?, ?> m && m.get(name) instanceof String s ? s : null;
    }

    /** The {@link #DETAILS} of an outcome event's data with string keys; empty when it has none. */
    public static Map<String, Object> detailsOf(Event event) {
        if (!(event.getData() instanceof Map<?, ?> m) || !(m.get(DETAILS) instanceof Map<?, ?> d)) {
            return Map.of();
        }
        Map<String, Object> details = new LinkedHashMap<>();
        d.forEach((k, v) -> details.put(String.valueOf(k), v));
        return Collections.unmodifiableMap(details);
    }

    public String actionId() { return actionId; }

    public String decisionId() { return decisionId; }

    public String decisionType() { return decisionType; }

    public String rule() { return rule; }

    public String subject() { return subject; }

    public String target() { return target; }

    public String status() { return status; }

    public String reason() { return reason; }

    public Map<String, Object> details() { return details; }

    @Override
    public String toString() {
        return "ActionOutcome{" + actionId + " " + target + " " + decisionType + " " + subject + " " + status
                + (reason == null ? "" : " (" + reason + ")") + "}";
    }
}
