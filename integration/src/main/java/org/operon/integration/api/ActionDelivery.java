package org.operon.integration.api;

import java.util.List;

/**
 * What the API needs from the action side for {@link ActionDeliveryRoutes}: re-driving a failed action and
 * the state of the targets. The app adapts the actions module's dispatcher to it.
 */
public interface ActionDelivery {

    /** The outcome of a retry. */
    enum Outcome {
        /** Queued again on its target: answered 202 with the action. */
        QUEUED,
        /** No action with that id: 404. */
        UNKNOWN,
        /** Known but not failed (sent, suppressed, or queued or running already): 409. */
        NOT_FAILED
    }

    /**
     * @param action the action as JSON-ready values when queued, else null
     * @param detail why it was not queued, else null
     */
    record Retry(Outcome outcome, Object action, String detail) {
    }

    /** Queues the failed action {@code actionId} again. */
    Retry retry(String actionId);

    /** One JSON-ready record per target: name, circuit, consecutive failures, queue depth and so on. */
    List<?> targets();
}
