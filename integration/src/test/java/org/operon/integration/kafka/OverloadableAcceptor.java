package org.operon.integration.kafka;

import org.operon.engine.EngineOverloadedException;
import org.operon.engine.EventAcceptor;
import org.operon.model.Event;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A stand-in for the engine: journals at once (completed futures) and records the ids it accepted, or,
 * while told to be overloaded (or for a given number of calls), refuses as a full queue does and records the
 * ids it refused.
 */
final class OverloadableAcceptor implements EventAcceptor {
    private final List<String> accepted = new CopyOnWriteArrayList<>();
    private final List<String> refused = new CopyOnWriteArrayList<>();
    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final AtomicLong seq = new AtomicLong();
    private volatile boolean overloaded;
    private final java.util.concurrent.atomic.AtomicInteger refuseNext = new java.util.concurrent.atomic.AtomicInteger();

    void overloaded(boolean overloaded) {
        this.overloaded = overloaded;
    }

    /** Refuses the next {@code calls} calls as a full queue does, then accepts again. */
    void refuseNext(int calls) {
        refuseNext.set(calls);
    }

    /** The ids of the events accepted, in order, once per acceptance (a repeat shows as a duplicate). */
    List<String> accepted() {
        return List.copyOf(accepted);
    }

    /** The events accepted, in order. */
    List<Event> events() {
        return List.copyOf(events);
    }

    /** The ids of the events refused while overloaded, once per attempt. */
    List<String> refused() {
        return List.copyOf(refused);
    }

    @Override
    public CompletableFuture<List<Event>> accept(List<Event> events) throws EngineOverloadedException {
        if (overloaded || refuseNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            events.forEach(e -> refused.add(e.getId()));
            throw new EngineOverloadedException("the engine queue is full", 1);
        }
        List<Event> stamped = new ArrayList<>();
        for (Event e : events) {
            long n = seq.incrementAndGet();
            stamped.add(e.stamped(n, 1_000 + n));
            accepted.add(e.getId());
            this.events.add(e);
        }
        return CompletableFuture.completedFuture(stamped);
    }

    @Override
    public boolean isAccepting() {
        return true;
    }
}
