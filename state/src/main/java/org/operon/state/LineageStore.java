package org.operon.state;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The lineage of every dispatched decision, by decision id: why it was decided and which actions carried it
 * out, for {@code GET /api/v1/actions/{id}/explain}. Kept as long as the audit log keeps its entries.
 */
public interface LineageStore {
    /** Keeps nothing: for dispatchers that explain nothing. */
    LineageStore NONE = new LineageStore() {
        @Override
        public void record(DecisionTrace trace) {
        }

        @Override
        public Optional<DecisionTrace> find(String decisionId) {
            return Optional.empty();
        }
    };

    /** Stores or replaces the trace of {@link DecisionTrace#decisionId()}. Durable when this returns. */
    void record(DecisionTrace trace);

    /**
     * {@link #record} without waiting: the future completes once the trace is durable (fails with what
     * recording threw). By default it records on the calling thread.
     */
    default CompletableFuture<Void> recordAsync(DecisionTrace trace) {
        try {
            record(trace);
            return CompletableFuture.completedFuture(null);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    Optional<DecisionTrace> find(String decisionId);
}
