package org.operon.state;

/**
 * Options of the {@link FileEventJournal}.
 *
 * @param segmentBytes   a segment file is closed and the next one started once it holds this many bytes
 *                       or more (a segment exceeds it by less than one record); default 64 MiB
 * @param maxGroupBytes  the writer stops gathering appends into one write and one fsync once the
 *                       gathered events hold this many bytes (a group always takes at least one append);
 *                       default 8 MiB. It bounds the writer's buffer, not the queue of waiting appends:
 *                       callers bound that (the engine reserves queue room before it appends).
 * @param forceEachGroup true (the default): each group is forced to disk ({@code fdatasync}) before its
 *                       appends complete, so an accepted event survives a power loss. False (opt-in,
 *                       {@code operon.journal.durability=os}): a group is complete once written to the
 *                       operating system, which keeps it through a crash of Operon's process but may lose
 *                       the last seconds of events (those the kernel had not yet written back) if the
 *                       machine itself fails; segments are still forced when they are closed, and the
 *                       directory when a segment is created.
 */
public record JournalOptions(long segmentBytes, int maxGroupBytes, boolean forceEachGroup) {
    public JournalOptions {
        if (segmentBytes < 1) {
            throw new IllegalArgumentException("segmentBytes must be positive, not " + segmentBytes);
        }
        if (maxGroupBytes < 1) {
            throw new IllegalArgumentException("maxGroupBytes must be positive, not " + maxGroupBytes);
        }
    }

    /** Options that force each group to disk. */
    public JournalOptions(long segmentBytes, int maxGroupBytes) {
        this(segmentBytes, maxGroupBytes, true);
    }

    public static JournalOptions defaults() {
        return new JournalOptions(64L * 1024 * 1024, 8 * 1024 * 1024, true);
    }

    public JournalOptions withSegmentBytes(long segmentBytes) {
        return new JournalOptions(segmentBytes, maxGroupBytes, forceEachGroup);
    }

    /** These options with each group forced to disk ({@code true}) or only written to the OS ({@code false}). */
    public JournalOptions withForceEachGroup(boolean forceEachGroup) {
        return new JournalOptions(segmentBytes, maxGroupBytes, forceEachGroup);
    }
}
