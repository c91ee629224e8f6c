package org.operon.state.approval;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One action held for approval, as the {@link ApprovalStore} keeps it.
 *
 * @param id        the action's id (the approval is known by it)
 * @param target    the action's target name
 * @param decision  the decision the action carries out, as data: {@code id}, {@code type}, {@code subject},
 *                  {@code rule}, {@code eventIds}, {@code params}, {@code time} (session epoch millis), enough to
 *                  perform the action once approved, also after a restart
 * @param createdAt when it was held
 * @param expiresAt when it expires as rejected unless decided before
 * @param status    {@link #PENDING}, {@link #APPROVED}, {@link #REJECTED} or {@link #EXPIRED}
 * @param decidedBy who approved or rejected it; null while pending, {@code operon} when expired
 * @param comment   the approver's comment, or null
 * @param decidedAt when it was decided; null while pending
 */
public record Approval(String id, String target, Map<String, Object> decision, Instant createdAt, Instant expiresAt,
                       String status, String decidedBy, String comment, Instant decidedAt) {
    public static final String PENDING = "pending";
    public static final String APPROVED = "approved";
    public static final String REJECTED = "rejected";
    public static final String EXPIRED = "expired";

    public Approval {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(target, "target");
        decision = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(decision, "decision")));
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        if (!List.of(PENDING, APPROVED, REJECTED, EXPIRED).contains(status)) {
            throw new IllegalArgumentException("approval status must be pending, approved, rejected or expired, not "
                    + status);
        }
    }

    /** A new pending approval. */
    public static Approval pending(String id, String target, Map<String, Object> decision, Instant createdAt,
                                   Instant expiresAt) {
        return new Approval(id, target, decision, createdAt, expiresAt, PENDING, null, null, null);
    }

    public boolean isPending() {
        return PENDING.equals(status);
    }

    /** A copy decided: {@code status} by {@code by} at {@code at}. */
    public Approval decided(String status, String by, String comment, Instant at) {
        return new Approval(id, target, decision, createdAt, expiresAt, status, by, comment, at);
    }

    /** A string field of the decision, or null. */
    public String decisionField(String name) {
        return decision.get(name) instanceof String s ? s : null;
    }
}
