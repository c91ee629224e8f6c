package org.operon.integration.incident;

import org.operon.engine.EngineOverloadedException;
import org.operon.engine.EventAcceptor;
import org.operon.model.Event;
import org.operon.model.IncidentCommand;
import org.operon.state.incident.IncidentStore;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Stands in for the engine and its incident rules: records the command events it accepts (journaled at
 * once) and, on a thread of its own as the engine thread would, applies to the store the snapshot the
 * rules would send: the new status, who and when, version + 1. The real rules are tested end to end
 * elsewhere.
 */
final class CommandApplyingAcceptor implements EventAcceptor, AutoCloseable {
    enum Behaviour { APPLY, JOURNAL_ONLY, OVERLOADED, NOT_RUNNING }

    private final IncidentStore store;
    private final ExecutorService engineThread = Executors.newSingleThreadExecutor();
    private final List<Event> accepted = new CopyOnWriteArrayList<>();
    private final AtomicLong seq = new AtomicLong();
    private volatile Behaviour behaviour = Behaviour.APPLY;

    CommandApplyingAcceptor(IncidentStore store) {
        this.store = store;
    }

    void behave(Behaviour behaviour) {
        this.behaviour = behaviour;
    }

    List<Event> accepted() {
        return List.copyOf(accepted);
    }

    void reset() {
        accepted.clear();
        behaviour = Behaviour.APPLY;
    }

    @Override
    public CompletableFuture<List<Event>> accept(List<Event> events) throws EngineOverloadedException {
        if (behaviour == Behaviour.OVERLOADED) {
            throw new EngineOverloadedException("the engine queue is full", 2);
        }
        List<Event> stamped = new ArrayList<>();
        for (Event e : events) {
            long n = seq.incrementAndGet();
            stamped.add(e.stamped(n, 1_000 + n));
        }
        accepted.addAll(stamped);
        if (behaviour == Behaviour.APPLY) {
            engineThread.execute(() -> stamped.forEach(this::applyCommand));
        }
        return CompletableFuture.completedFuture(stamped);
    }

    @Override
    public boolean isAccepting() {
        return behaviour != Behaviour.NOT_RUNNING;
    }

    private void applyCommand(Event command) {
        Map<String, Object> current = store.get(IncidentCommand.incidentOf(command)).orElseThrow();
        Map<String, Object> next = new LinkedHashMap<>(current);
        String time = command.getTime().toString();
        if (IncidentCommand.TYPE_ACKNOWLEDGE.equals(command.getType())) {
            next.put("status", "acknowledged");
            next.put("acknowledgedAt", time);
            next.put("acknowledgedBy", IncidentCommand.byOf(command));
        } else {
            next.put("status", "resolved");
            next.put("resolvedAt", time);
            next.put("resolvedBy", IncidentCommand.byOf(command));
        }
        next.put("updatedAt", time);
        next.put("version", ((Number) current.get("version")).longValue() + 1);
        store.apply(next);
    }

    @Override
    public void close() {
        engineThread.shutdownNow();
    }
}
