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
}
