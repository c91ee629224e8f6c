package org.operon.integration.alertmanager;

import org.operon.engine.Engine;
import org.operon.model.Alert;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Where {@code GET /api/v2/alerts} reads the alerts the rules keep. */
@FunctionalInterface
public interface AlertReader {
    /**
     * Every {@link Alert} fact in the session now, firing and resolved, in no particular order. The
     * future fails when the engine is stopped.
     */
    CompletableFuture<List<ListedAlert>> alerts();

    /** Reads the engine's session, on the engine thread, between batches. */
    static AlertReader of(Engine engine) {
        return () -> engine.inspect(view -> view.facts(Alert.class).stream().map(ListedAlert::of).toList());
    }
}
