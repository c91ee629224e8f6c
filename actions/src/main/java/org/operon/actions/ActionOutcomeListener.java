package org.operon.actions;

import org.operon.model.ActionOutcome;

/**
 * Told what became of each action, so that the outcome can go back into the session as a fact (the app
 * journals it as an {@code operon.action.result} event, see {@link ActionOutcome}).
 *
 * <p>The {@link ActionDispatcher} calls it on the target's worker thread, after the audit entry is
 * written, for every action it performed ({@code sent}), tried ({@code failed}) or muted
 * ({@code suppressed}); the approval desk calls it for {@code approved}, {@code rejected} and
 * {@code expired}. It is not called for an action skipped because the audit log shows it done (a replay
 * after a restart): that outcome is already in the journal. An implementation must return at once (hand
 * the outcome to a queue of its own) and must not throw; what it throws is logged and ignored.
 */
@FunctionalInterface
public interface ActionOutcomeListener {
    /**
     * The exchange property in which a sink MAY report details of the result as a
     * {@code Map<String,Object>}, e.g. {@code httpStatus}, {@code exitCode}, {@code output} (at most
     * {@value #MAX_DETAIL_CHARS} characters are kept of a text), {@code ticketId}.
     */
    String DETAILS_PROPERTY = "operonActionResult";
    /** The longest text detail kept; longer ones are cut. */
    int MAX_DETAIL_CHARS = 4096;

    /** Ignores every outcome. */
    ActionOutcomeListener NONE = outcome -> { };

    void outcome(ActionOutcome outcome);
}
