package org.operon.actions;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;

import org.operon.model.ActionOutcome;
import org.operon.model.Decision;
import org.operon.state.AuditEntry;

/**
 * One decision carried to one target. Its id is a digest of the decision id and the target, so the
 * same decision replayed after a restart maps to the same action, and so to the same audit entry and
 * the same webhook {@code Idempotency-Key}.
 *
 * @param id       24 hex characters: the start of SHA-256 over decision id and target
 * @param target   the configured target name, e.g. {@code webhook}
 * @param decision the stamped decision the action carries out
 */
public record Action(String id, String target, Decision decision) {

    public Action {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(decision, "decision");
    }

    /** The action that carries {@code decision} to {@code target}; the decision must be stamped. */
    public static Action of(Decision decision, String target) {
        if (decision.getId() == null) {
            throw new IllegalArgumentException("decision is not stamped with the session clock: " + decision);
        }
        return new Action(idFor(decision.getId(), target), target, decision);
    }

    /** The deterministic action id for a decision id and a target. */
    public static String idFor(String decisionId, String target) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(decisionId.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(target.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest(), 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** The decision's session-clock time as an ISO-8601 instant. */
    public String time() {
        return Instant.ofEpochMilli(decision.getTime()).toString();
    }

    /** The audit entry recording this action's outcome; {@code reason} is null when sent. */
    public AuditEntry audit(String status, String reason) {
        return new AuditEntry(id, decision.getId(), decision.getType(), decision.getSubject(), target, status, reason,
                decision.getRule(), decision.getEventIds(), time());
    }

    /** The outcome of this action with {@code status} (an {@link ActionOutcome} constant), for the listener. */
    public ActionOutcome outcome(String status, String reason, Map<String, Object> details) {
        return new ActionOutcome(id, decision.getId(), decision.getType(), decision.getRule(), decision.getSubject(),
                target, status, reason, details);
    }
}
