package org.operon.integration.testing;

import org.operon.state.AuditEntry;
import org.operon.state.AuditLog;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** An {@link AuditLog} in a map, for tests; newest first by time, then id. */
public final class InMemoryAuditLog implements AuditLog {
    private final Map<String, AuditEntry> entries = new LinkedHashMap<>();

    @Override
    public synchronized void record(AuditEntry entry) {
        entries.put(entry.id(), entry);
    }

    @Override
    public synchronized Optional<AuditEntry> find(String id) {
        return Optional.ofNullable(entries.get(id));
    }

    @Override
    public synchronized List<AuditEntry> latest(int limit) {
        return entries.values().stream()
                .sorted(Comparator.comparing(AuditEntry::time).thenComparing(AuditEntry::id).reversed())
                .limit(limit)
                .toList();
    }
}
