package org.operon.state;

import org.infinispan.Cache;
import org.infinispan.commons.util.CloseableIterator;
import org.infinispan.context.Flag;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The audit log in an Infinispan cache: key the entry's id, value the entry as JSON. Recording an entry
 * with an id already present replaces it, so a decision replayed after a crash maps to the same entry.
 *
 * <p>{@link #latest(int)} reads every entry of the cache, memory and file store, parsing each one's
 * JSON, and keeps a bounded top-N: O(n log limit) time and O(limit) memory for n entries kept within
 * the retention. That is fine for an operator's page of recent actions; a caller that needs it often
 * over many entries should keep its own time index.
 */
final class InfinispanAuditLog implements AuditLog {
    private static final Comparator<Ranked> OLDEST_FIRST =
            Comparator.comparing(Ranked::time).thenComparing(r -> r.entry().id());

    private final Cache<String, String> cache;
    private final JsonCodec json;

    InfinispanAuditLog(Cache<String, String> cache, JsonCodec json) {
        this.cache = cache;
        this.json = json;
    }

    @Override
    public void record(AuditEntry entry) {
        Objects.requireNonNull(entry.id(), "an audit entry needs an id");
        cache.getAdvancedCache().withFlags(Flag.IGNORE_RETURN_VALUES).put(entry.id(), json.write(entry));
    }

    /** Concurrent calls share the file store's forced writes. */
    @Override
    public CompletableFuture<Void> recordAsync(AuditEntry entry) {
        Objects.requireNonNull(entry.id(), "an audit entry needs an id");
        return cache.getAdvancedCache().withFlags(Flag.IGNORE_RETURN_VALUES)
                .putAsync(entry.id(), json.write(entry)).thenApply(previous -> null);
    }

    @Override
    public Optional<AuditEntry> find(String id) {
        return entry(cache.get(id));
    }

    /** Concurrent calls look up the file store concurrently. */
    @Override
    public CompletableFuture<Optional<AuditEntry>> findAsync(String id) {
        return cache.getAsync(id).thenApply(this::entry);
    }

    private Optional<AuditEntry> entry(String value) {
        return value == null ? Optional.empty() : Optional.of(json.read(value, AuditEntry.class));
    }

    /**
     * At most {@code limit} entries (capped at 1000; none when not positive), newest first: by time
     * descending, entries of the same time by id descending. An entry whose time is missing or not an
     * ISO-8601 instant sorts as the oldest.
     */
    @Override
    public List<AuditEntry> latest(int limit) {
        if (limit <= 0) {
            return List.of();
        }
        NewestFirst<Ranked> top = new NewestFirst<>(limit, OLDEST_FIRST);
        try (CloseableIterator<String> values = cache.values().iterator()) {
            while (values.hasNext()) {
                AuditEntry entry = json.read(values.next(), AuditEntry.class);
                top.offer(new Ranked(timeOf(entry), entry));
            }
        }
        return top.newestFirst().stream().map(Ranked::entry).toList();
    }

    private static Instant timeOf(AuditEntry entry) {
        if (entry.time() == null) {
            return Instant.MIN;
        }
        try {
            return Instant.parse(entry.time());
        } catch (DateTimeParseException e) {
            return Instant.MIN;
        }
    }

    private record Ranked(Instant time, AuditEntry entry) {
    }
}
