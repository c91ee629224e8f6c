package org.operon.actions;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.operon.state.AuditEntry;
import org.operon.state.AuditLog;

/** A test stand-in for the Infinispan audit log; it also keeps every write in order. */
public final class InMemoryAuditLog implements AuditLog {
    private final Map<String, AuditEntry> entries = new ConcurrentHashMap<>();
    final List<AuditEntry> writes = new CopyOnWriteArrayList<>();

    @Override
    public void record(AuditEntry entry) {
        entries.put(entry.id(), entry);
        writes.add(entry);
    }

    @Override
    public Optional<AuditEntry> find(String id) {
        return Optional.ofNullable(entries.get(id));
    }

    @Override
    public List<AuditEntry> latest(int limit) {
        return entries.values().stream()
                .sorted(Comparator.comparing(AuditEntry::time).thenComparing(AuditEntry::id).reversed())
                .limit(limit)
                .toList();
    }

    public List<AuditEntry> all() {
        return List.copyOf(entries.values());
    }
}
