package org.operon.state;

/**
 * Options of the {@link FileEventJournal}.
 *
 * @param segmentBytes  a segment file is closed and the next one started once it holds this many bytes
 *                      or more (a segment exceeds it by less than one record); default 64 MiB
 * @param maxGroupBytes the writer stops gathering appends into one write and one fsync once the
 *                      gathered events hold this many bytes (a group always takes at least one append);
 *                      default 8 MiB. It bounds the writer's buffer, not the queue of waiting appends:
 *                      callers bound that (the engine reserves queue room before it appends).
 */
public record JournalOptions(long segmentBytes, int maxGroupBytes) {
    public JournalOptions {
        if (segmentBytes < 1) {
            throw new IllegalArgumentException("segmentBytes must be positive, not " + segmentBytes);
        }
        if (maxGroupBytes < 1) {
            throw new IllegalArgumentException("maxGroupBytes must be positive, not " + maxGroupBytes);
        }
    }

    public static JournalOptions defaults() {
        return new JournalOptions(64L * 1024 * 1024, 8 * 1024 * 1024);
    }

    public JournalOptions withSegmentBytes(long segmentBytes) {
        return new JournalOptions(segmentBytes, maxGroupBytes);
    }
}
