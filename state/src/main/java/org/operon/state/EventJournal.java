package org.operon.state;

import org.operon.model.Event;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The append-only log of every accepted event, in the data directory. "Accepted" means written here
 * and forced to disk; the engine's checkpoint says how far it has processed, and on restart it
 * resumes from there. Replay reads the same files.
 *
 * <p>Appends from many threads are grouped into one write and one fsync (group commit). The journal
 * stamps each event with its sequence number (1, 2, 3, ... without gaps) and its arrival time from
 * Operon's clock, never decreasing.
 */
public interface EventJournal extends AutoCloseable {

    /**
     * Registers the one consumer of durable batches. It is called on the journal's writer thread, in
     * sequence order, after the batch is on disk and before the append futures complete. It must not
     * block for long. Call before the first append.
     */
    void onDurable(Consumer<List<Event>> consumer);

    /**
     * Appends the events. The future completes, with the stamped events in the given order, once they
     * are on disk; it completes exceptionally if they could not be written.
     */
    CompletableFuture<List<Event>> append(List<Event> events);

    /** The highest sequence number written so far, or 0 for an empty journal. */
    long lastSeq();

    /** The events with sequence number greater than {@code seq}, in order. Close the stream. */
    Stream<Event> readAfter(long seq);

    /**
     * The events that arrived at or after {@code arrivalTime} (epoch milliseconds), in order. Close the
     * stream.
     */
    Stream<Event> readFromArrival(long arrivalTime);

    /** Flushes and closes; appends after close fail. */
    @Override
    void close();
}
