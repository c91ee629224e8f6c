package org.operon.state;

import java.util.List;
import java.util.Map;

/**
 * An action that failed all its attempts (or was failed fast by its target's open circuit), kept with
 * everything needed to perform it again, as {@code GET /api/v1/actions?status=failed} lists it and
 * {@code POST /api/v1/actions/{id}/retry} re-drives it.
 *
 * @param id           the action id (as in the audit log)
 * @param target       the target it failed on, e.g. {@code webhook}
 * @param decisionId   the id of the decision it carries out
 * @param type         the decision type
 * @param subject      the decision subject
 * @param rule         the rule that decided
 * @param eventIds     the ids of the events behind the decision
 * @param decisionTime the decision's session-clock time, epoch milliseconds
 * @param params       the decision params as JSON values (times as ISO-8601 strings)
 * @param reason       the last error, log-safe (never a URL query or user info), e.g. {@code HTTP 503 after 3 attempts}
 * @param failedAt     ISO-8601 instant (Operon's clock) when it failed last
 */
public record FailedAction(String id, String target, String decisionId, String type, String subject, String rule,
                           List<String> eventIds, long decisionTime, Map<String, Object> params, String reason,
                           String failedAt) {
    public FailedAction {
        eventIds = eventIds == null ? List.of() : List.copyOf(eventIds);
        params = params == null ? Map.of() : params;
    }
}
