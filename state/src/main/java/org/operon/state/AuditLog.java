package org.operon.state;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** The durable record of every action Operon dispatched, one entry per action. */
public interface AuditLog {
    /** Stores or replaces the entry with the same id. Durable in the file store when this returns. */
    void record(AuditEntry entry);

    /**
     * {@link #record} without waiting: the future completes once the entry is durable (fails with what
     * recording threw). Entries recorded this way by one thread are written in the order given only as far
     * as the file store forces them together; callers order dependent writes through the futures. By
     * default it records on the calling thread.
     */
    default CompletableFuture<Void> recordAsync(AuditEntry entry) {
        try {
            record(entry);
            return CompletableFuture.completedFuture(null);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    Optional<AuditEntry> find(String id);

    /**
     * {@link #find} without waiting: the future completes with what {@code find} would answer at some moment
     * between this call and its completion (fails with what finding threw). By default it finds on the
     * calling thread.
     */
    default CompletableFuture<Optional<AuditEntry>> findAsync(String id) {
        try {
            return CompletableFuture.completedFuture(find(id));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** At most {@code limit} entries, newest first (by time, then id). */
    List<AuditEntry> latest(int limit);
}
