package org.operon.actions.mute;

import org.operon.model.Decision;

import java.time.Instant;
import java.util.Optional;

/**
 * Decides whether a decision's actions must be held back, like Alertmanager's {@code Muter}: silences,
 * maintenance windows and the rules' own muting ({@link MutedByParamMuter}) each implement this one method, and
 * {@link org.operon.actions.ActionDispatcher} asks it before performing any action. A muted action is
 * not performed; it is recorded in the audit log with status {@code suppressed} and the reason.
 *
 * <p>Implementations are called on the dispatcher's worker threads, once per action, and must be
 * thread-safe and quick (no I/O on the hot path).
 */
@FunctionalInterface
public interface Muter {
    /** Mutes nothing. */
    Muter NONE = (decision, at) -> Optional.empty();

    /**
     * Why the decision's actions must not be performed, e.g. {@code "silenced by <id>"}, or empty when
     * they may be.
     *
     * @param decision the stamped decision
     * @param at       the decision's time (session clock), at which the muting is judged
     */
    Optional<String> mutes(Decision decision, Instant at);
}
