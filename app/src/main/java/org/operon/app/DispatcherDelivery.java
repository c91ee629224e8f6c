package org.operon.app;

import java.util.List;
import java.util.function.Supplier;

import org.operon.actions.ActionDispatcher;
import org.operon.actions.ActionJson;
import org.operon.integration.api.ActionDelivery;

/**
 * The {@link ActionDispatcher} as the API's {@link ActionDelivery}. The dispatcher is looked up on each
 * call because it is created after the API routes (once Camel runs); before that a retry is refused as
 * "not running" (503).
 */
final class DispatcherDelivery implements ActionDelivery {
    private final Supplier<ActionDispatcher> dispatcher;

    DispatcherDelivery(Supplier<ActionDispatcher> dispatcher) {
        this.dispatcher = dispatcher;
    }

    @Override
    public Retry retry(String actionId) {
        ActionDispatcher d = dispatcher.get();
        if (d == null) {
            throw new IllegalStateException("the action dispatcher is not started");
        }
        ActionDispatcher.RetryResult result = d.retry(actionId);
        return switch (result.status()) {
            case QUEUED -> new Retry(Outcome.QUEUED, ActionJson.actionValues(result.action()), null);
            case UNKNOWN -> new Retry(Outcome.UNKNOWN, null, result.detail());
            case NOT_FAILED -> new Retry(Outcome.NOT_FAILED, null, result.detail());
        };
    }

    @Override
    public List<?> targets() {
        ActionDispatcher d = dispatcher.get();
        return d == null ? List.of() : d.targets();
    }
}
