package org.operon.toolkit.replay;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.operon.model.Decision;
import org.operon.state.AuditEntry;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One action a replay decided: what the audit log would hold for it ({@link #audit()}, status
 * {@code sent} or {@code suppressed}, never performed) and the decision behind it, with its
 * parameters.
 */
public record ReplayedAction(AuditEntry audit, Decision decision) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<LinkedHashMap<String, Object>> AS_MAP =
            new TypeReference<>() {
            };

    /**
     * The audit entry as one line of JSON, without a line break, fields in the audit log's order:
     * {@code id, decisionId, type, subject, target, status, reason, rule, eventIds, time}
     * ({@code reason} null when sent).
     */
    public String toJson() {
        try {
            return JSON.writeValueAsString(audit);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an audit entry holds only strings: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * As {@link #toJson()}, plus with {@code explain} a last field {@code lineage}: the decision's lineage
     * ({@code {rule: {name, package, file}, facts: [...], events: [...]}}, see {@code org.operon.model.Lineage})
     * as {@code GET /api/v1/actions/{id}/explain} shows it, or null when the decision carries none.
     */
    public String toJson(boolean explain) {
        if (!explain) {
            return toJson();
        }
        Map<String, Object> line = JSON.convertValue(audit, AS_MAP);
        line.put("lineage", decision.getLineage() == null ? null : decision.getLineage().toMap());
        try {
            return JSON.writeValueAsString(line);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a lineage holds only JSON values: " + e.getOriginalMessage(), e);
        }
    }

    public String type() {
        return audit.type();
    }

    public String subject() {
        return audit.subject();
    }

    public String target() {
        return audit.target();
    }

    public String status() {
        return audit.status();
    }

    /** Why it was suppressed; null when sent. */
    public String reason() {
        return audit.reason();
    }

    public String rule() {
        return audit.rule();
    }

    /** The decision's session time, epoch milliseconds. */
    public long time() {
        return decision.getTime();
    }

    public boolean isSuppressed() {
        return AuditEntry.SUPPRESSED.equals(audit.status());
    }
}
