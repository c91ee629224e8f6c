package org.operon.state;

import org.infinispan.Cache;
import org.infinispan.context.Flag;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The lineage store in an Infinispan cache: key the decision id, value the {@link DecisionTrace} as JSON.
 * The cache expires entries as the audit log's does (see {@link OperonState}), so a decision is explained
 * as long as its actions are listed.
 */
final class InfinispanLineageStore implements LineageStore {
    private final Cache<String, String> cache;
    private final JsonCodec json;

    InfinispanLineageStore(Cache<String, String> cache, JsonCodec json) {
        this.cache = cache;
        this.json = json;
    }

    @Override
    public void record(DecisionTrace trace) {
        Objects.requireNonNull(trace.decisionId(), "a decision trace needs a decision id");
        cache.getAdvancedCache().withFlags(Flag.IGNORE_RETURN_VALUES).put(trace.decisionId(), json.write(trace));
    }

    /** Concurrent calls share the file store's forced writes. */
    @Override
    public CompletableFuture<Void> recordAsync(DecisionTrace trace) {
        Objects.requireNonNull(trace.decisionId(), "a decision trace needs a decision id");
        return cache.getAdvancedCache().withFlags(Flag.IGNORE_RETURN_VALUES)
                .putAsync(trace.decisionId(), json.write(trace)).thenApply(previous -> null);
    }

    @Override
    public Optional<DecisionTrace> find(String decisionId) {
        String value = decisionId == null ? null : cache.get(decisionId);
        return value == null ? Optional.empty() : Optional.of(json.read(value, DecisionTrace.class));
    }
}
