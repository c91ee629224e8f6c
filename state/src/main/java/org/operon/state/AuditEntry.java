package org.operon.state;

import java.util.List;

/**
 * One dispatched action, as the audit log keeps it and {@code GET /api/v1/actions} shows it.
 *
 * @param id        the action's id: deterministic from the decision id and the target, so a replayed
 *                  decision maps to the same entry
 * @param decisionId the id of the decision the action carries out
 * @param type      the decision type, e.g. {@code notify}
 * @param subject   the host, service or correlation key the action is about
 * @param target    the configured target name, e.g. {@code log}, {@code webhook}, {@code file}
 * @param status    {@code sent}, {@code failed}, {@code suppressed}, {@code pending} (held for approval),
 *                  {@code rejected} (by an approver, or its approval expired) or {@code running} (being performed
 *                  on a target that cannot drop a repeat; written before the effect, replaced by the outcome)
 * @param reason    why it failed or was suppressed; null when sent
 * @param rule      the rule that decided
 * @param eventIds  the ids of the events behind the decision
 * @param time      ISO-8601 instant of the decision (session clock)
 */
public record AuditEntry(String id, String decisionId, String type, String subject, String target, String status,
                         String reason, String rule, List<String> eventIds, String time) {
    public static final String SENT = "sent";
    public static final String FAILED = "failed";
    public static final String SUPPRESSED = "suppressed";
    /** Held for approval (see the actions' approval desk); performed once approved. */
    public static final String PENDING = "pending";
    /** Rejected by an approver, or its approval expired: never performed. */
    public static final String REJECTED = "rejected";
    /**
     * Being performed now, on a target that cannot drop a repeat (exec, ansible, awx, chat): written durably
     * before the effect and replaced by its outcome. Found after a restart, it means Operon stopped while the
     * action ran: its outcome is unknown.
     */
    public static final String RUNNING = "running";
}
