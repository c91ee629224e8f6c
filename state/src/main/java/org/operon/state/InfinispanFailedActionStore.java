package org.operon.state;

import org.infinispan.Cache;
import org.infinispan.commons.util.CloseableIterator;
import org.infinispan.context.Flag;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Failed actions in an Infinispan cache: key the action id, value the {@link FailedAction} as JSON. The
 * cache expires entries as the audit log's does (see {@link OperonState}). {@link #latest(int)} reads
 * every entry, as {@link InfinispanAuditLog#latest(int)} does: fine for the few actions that fail.
 */
final class InfinispanFailedActionStore implements FailedActionStore {
    private static final Comparator<FailedAction> OLDEST_FIRST =
            Comparator.comparing((FailedAction f) -> Objects.toString(f.failedAt(), "")).thenComparing(FailedAction::id);

    private final Cache<String, String> cache;
    private final JsonCodec json;

    InfinispanFailedActionStore(Cache<String, String> cache, JsonCodec json) {
        this.cache = cache;
        this.json = json;
    }

    @Override
    public void record(FailedAction failed) {
        Objects.requireNonNull(failed.id(), "a failed action needs an id");
        cache.getAdvancedCache().withFlags(Flag.IGNORE_RETURN_VALUES).put(failed.id(), json.write(failed));
    }

    @Override
    public Optional<FailedAction> find(String actionId) {
        String value = actionId == null ? null : cache.get(actionId);
        return value == null ? Optional.empty() : Optional.of(json.read(value, FailedAction.class));
    }

    @Override
    public void remove(String actionId) {
        if (actionId != null) {
            cache.getAdvancedCache().withFlags(Flag.IGNORE_RETURN_VALUES).remove(actionId);
        }
    }

    @Override
    public List<FailedAction> latest(int limit) {
        NewestFirst<FailedAction> top = new NewestFirst<>(limit, OLDEST_FIRST);
        try (CloseableIterator<String> values = cache.values().iterator()) {
            while (values.hasNext()) {
                top.offer(json.read(values.next(), FailedAction.class));
            }
        }
        return top.newestFirst();
    }
}
