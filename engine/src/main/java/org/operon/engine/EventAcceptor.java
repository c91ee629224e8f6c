package org.operon.engine;

import org.operon.model.Event;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Where intake hands valid events. Implemented by the engine. */
public interface EventAcceptor {
    /**
     * Accepts the events for processing. The future completes, with the events stamped with their
     * journal sequence number and arrival time, once they are durable in the event journal: from then
     * on they will be processed even if Operon crashes.
     *
     * @throws EngineOverloadedException at once, without journaling anything, when the engine's queue
     *                                   has no room for all of them; the caller should answer 503
     * @throws IllegalStateException     when the engine is not running
     */
    CompletableFuture<List<Event>> accept(List<Event> events) throws EngineOverloadedException;

    /** True once the engine has restored its state and accepts events. */
    boolean isAccepting();
}
