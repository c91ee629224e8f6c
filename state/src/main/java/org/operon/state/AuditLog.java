package org.operon.state;

import java.util.List;
import java.util.Optional;

/** The durable record of every action Operon dispatched, one entry per action. */
public interface AuditLog {
    /** Stores or replaces the entry with the same id. Durable in the file store when this returns. */
    void record(AuditEntry entry);

    Optional<AuditEntry> find(String id);

    /** At most {@code limit} entries, newest first (by time, then id). */
    List<AuditEntry> latest(int limit);
}
