package org.operon.integration.testing;

import org.operon.engine.EngineOverloadedException;
import org.operon.engine.EventAcceptor;
import org.operon.model.Event;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An {@link EventAcceptor} for tests: records what it is given and behaves as the test sets it to
 * (journal at once, hold the journal write until the test completes it, overloaded, journal failing,
 * not running, or throwing something unexpected).
 */
public final class RecordingAcceptor implements EventAcceptor {
    public enum Behaviour { JOURNAL, HOLD, OVERLOADED, JOURNAL_FAILS, NOT_RUNNING, THROWS }

    private final List<Event> accepted = new CopyOnWriteArrayList<>();
    private final List<CompletableFuture<Void>> held = new CopyOnWriteArrayList<>();
    private final AtomicLong seq = new AtomicLong();
    private volatile Behaviour behaviour = Behaviour.JOURNAL;
    private volatile boolean accepting = true;

    public void behave(Behaviour behaviour) {
        this.behaviour = behaviour;
    }

    public void accepting(boolean accepting) {
        this.accepting = accepting;
    }

    /** The events accepted (journaled) so far, stamped. */
    public List<Event> accepted() {
        return List.copyOf(accepted);
    }

    /** The journal writes held back in {@link Behaviour#HOLD}; completing one makes its events durable. */
    public List<CompletableFuture<Void>> held() {
        return List.copyOf(held);
    }

    public void reset() {
        accepted.clear();
        held.clear();
        seq.set(0);
        behaviour = Behaviour.JOURNAL;
        accepting = true;
    }

    @Override
    public CompletableFuture<List<Event>> accept(List<Event> events) throws EngineOverloadedException {
        switch (behaviour) {
            case OVERLOADED -> throw new EngineOverloadedException("the engine queue is full", 2);
            case NOT_RUNNING -> throw new IllegalStateException("the engine is not running");
            case THROWS -> throw new ArithmeticException("a bug");
            case JOURNAL_FAILS -> {
                return CompletableFuture.failedFuture(new IOException("disk full"));
            }
            default -> {
            }
        }
        List<Event> stamped = new ArrayList<>();
        for (Event e : events) {
            long n = seq.incrementAndGet();
            stamped.add(e.stamped(n, 1_000 + n));
        }
        CompletableFuture<Void> written = new CompletableFuture<>();
        CompletableFuture<List<Event>> durable = written.thenApply(ignored -> {
            accepted.addAll(stamped);
            return stamped;
        });
        if (behaviour == Behaviour.HOLD) {
            held.add(written);
        } else {
            written.complete(null);
        }
        return durable;
    }

    @Override
    public boolean isAccepting() {
        return accepting;
    }
}
