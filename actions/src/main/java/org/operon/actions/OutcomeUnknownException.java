package org.operon.actions;

/**
 * An attempt whose effect may or may not have happened at the target, on a target that cannot drop a repeat
 * (for instance an AWX launch request sent whose answer never came). It is never retried automatically, since a
 * retry could double the effect: the action fails with a reason starting {@value #PREFIX}, is kept in the failed
 * actions, and only an operator's {@code POST /api/v1/actions/{id}/retry} performs it again. The dispatcher
 * reports an action found {@code running} after a restart with the same prefix (see {@link ActionDispatcher}).
 *
 * <p>Deliberately not an {@link java.io.IOException} and without a cause, so the shared error handling
 * ({@link ActionRoutes#isRetryable}) never retries it.
 */
public final class OutcomeUnknownException extends RuntimeException {
    /** How the reason of every action whose outcome is unknown starts. */
    public static final String PREFIX = "outcome unknown: ";

    /** @param detail what happened, log-safe (no URL query, no secret); the message is {@value #PREFIX} + detail */
    public OutcomeUnknownException(String detail) {
        super(PREFIX + detail, null, false, false);
    }

    /** True when {@code reason} (an audit or failed-action reason) says the outcome is unknown. */
    public static boolean isOutcomeUnknown(String reason) {
        return reason != null && reason.startsWith(PREFIX);
    }
}
