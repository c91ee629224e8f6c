package org.operon.state;

import org.operon.model.Event;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Reads records across segments lazily, one segment file open at a time: those with a sequence number
 * above {@code afterSeq} and an arrival time at or after {@code fromArrival}, up to and including
 * {@code upToSeq} (the last durable record when the read began; later records are not returned). Records
 * that are skipped cost only a parse of their two header fields.
 *
 * <p>Between its first and last record a read never skips a sequence number: a torn, garbled or
 * missing record inside that range ends the read with an {@link IllegalStateException} naming the file
 * and offset.
 */
final class JournalReader implements Iterator<Event>, AutoCloseable {
    private final JournalRecords records;
    private final List<JournalSegment> segments;
    private final long afterSeq;
    private final long fromArrival;
    private final long upToSeq;
    private int nextSegment;
    private JournalSegment segment;
    private LineScanner lines;
    private long lastSeq = -1;
    private Event next;
    private boolean done;

    JournalReader(JournalRecords records, List<JournalSegment> segments, int startSegment, long afterSeq,
                  long fromArrival, long upToSeq) {
        this.records = records;
        this.segments = segments;
        this.nextSegment = startSegment;
        this.afterSeq = afterSeq;
        this.fromArrival = fromArrival;
        this.upToSeq = upToSeq;
    }

    @Override
    public boolean hasNext() {
        if (next == null && !done) {
            next = advance();
            done = next == null;
            if (done) {
                close();
            }
        }
        return next != null;
    }

    @Override
    public Event next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        Event event = next;
        next = null;
        return event;
    }

    private Event advance() {
        try {
            while (lastSeq < upToSeq) { // not a line further: after it, the writer may be writing
                if (lines == null) {
                    if (nextSegment >= segments.size()) {
                        return null;
                    }
                    segment = segments.get(nextSegment++);
                    lines = new LineScanner(new BufferedInputStream(Files.newInputStream(segment.path()), 1 << 16));
                }
                if (!lines.next()) {
                    lines.close();
                    lines = null;
                    continue;
                }
                if (!lines.terminated()) {
                    throw broken("a torn record", null);
                }
                JournalRecords.Header header;
                try {
                    header = records.header(lines.bytes(), lines.length(), false);
                } catch (IOException e) {
                    throw broken("an invalid record", e);
                }
                if (header.seq() > upToSeq) {
                    return null;
                }
                if (lastSeq >= 0 && header.seq() != lastSeq + 1) {
                    throw broken("seq " + header.seq() + " after seq " + lastSeq, null);
                }
                lastSeq = header.seq();
                if (header.seq() <= afterSeq || header.arrivalTime() < fromArrival) {
                    continue;
                }
                try {
                    return records.event(lines.bytes(), lines.length());
                } catch (IOException e) {
                    throw broken("an invalid record", e);
                }
            }
            return null;
        } catch (IOException e) {
            close();
            throw new UncheckedIOException("cannot read journal segment " + (segment == null ? "" : segment.path()), e);
        }
    }

    private IllegalStateException broken(String what, Exception cause) {
        String message = "journal segment " + segment.path() + " has " + what + " at byte " + lines.lineStart()
                + (cause == null ? "" : ": " + cause.getMessage());
        close();
        return new IllegalStateException(message, cause);
    }

    @Override
    public void close() {
        if (lines != null) {
            try {
                lines.close();
            } catch (IOException ignored) {
                // Read-only file; nothing is lost by a failed close.
            }
            lines = null;
        }
        nextSegment = segments.size();
    }
}
