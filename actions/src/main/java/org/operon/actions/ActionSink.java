package org.operon.actions;

import org.apache.camel.model.RouteDefinition;

/**
 * One kind of target, performed by a Camel route. Each implementation has a {@code NAME} constant (the
 * target name used in {@link ActionOptions}), a constructor taking the {@link ActionOptions}, and one
 * line in {@link ActionSinks}.
 *
 * <p>{@link ActionRoutes} starts each sink's route from {@code direct:operon-action-<name>} with the
 * {@link Action} as the message body, and declares retries and error handling once for all sinks.
 * A sink therefore only appends the steps that perform the action: the route completing normally
 * means the action was performed; an exception means it was not. Exceptions that are worth retrying
 * (I/O errors, HTTP 5xx) are retried by {@link ActionRoutes}, every other one fails the action at once.
 */
public interface ActionSink {

    /** Appends to {@code route} the steps that perform one action, whose body is the {@link Action}. */
    void perform(RouteDefinition route);

    /**
     * Whether a repeat of an action does no harm because the target (or whoever reads it) drops it by the
     * action's key: the webhook's {@code Idempotency-Key}, PagerDuty's {@code dedup_key}, Opsgenie's
     * {@code alias}, the ticket systems' search before a create, the CloudEvent id of a publish, the mail's
     * {@code Message-ID}, the action id on every log and file line. A repeat can happen when Operon stops
     * between an action's effect and its audit entry, and the decision is replayed after the restart.
     *
     * <p>A sink that answers false (the default: a new sink is guarded until it says otherwise) has its actions
     * recorded {@code running} durably before each is performed, and an action found {@code running} after a
     * restart is not performed again but failed with an {@link OutcomeUnknownException#PREFIX outcome unknown}
     * reason, for an operator to retry (see {@link ActionDispatcher}, "In doubt").
     */
    default boolean deduplicatesByKey() {
        return false;
    }
}
