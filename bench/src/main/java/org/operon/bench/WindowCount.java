package org.operon.bench;

import java.util.ArrayDeque;

/**
 * The windowed-count workload's per-subject tracker: the arrival times of the subject's critical
 * events within the last minute. A fact of the benchmark's rules only; the rule hands it each critical
 * event once and decides in plain Java, as the packaged critical-burst rule does with its tracker.
 */
public final class WindowCount {
    /** The window: 1 minute. */
    public static final long WINDOW_MILLIS = 60_000L;
    /** Critical events within the window that make a decision. */
    public static final int THRESHOLD = 3;

    private final String subject;
    private final ArrayDeque<Long> arrivals = new ArrayDeque<>();
    private long lastSeq = Long.MIN_VALUE;

    public WindowCount(String subject) {
        this.subject = subject;
    }

    public String getSubject() {
        return subject;
    }

    /**
     * Counts a critical event (once: an event seen before, by sequence number, is ignored) and answers
     * whether the subject now has {@link #THRESHOLD} of them within the window; if so the count
     * starts again, so that one burst makes one decision.
     */
    public boolean record(long seq, long arrival) {
        if (seq <= lastSeq) {
            return false;
        }
        lastSeq = seq;
        while (!arrivals.isEmpty() && arrivals.peekFirst() <= arrival - WINDOW_MILLIS) {
            arrivals.pollFirst();
        }
        arrivals.addLast(arrival);
        if (arrivals.size() >= THRESHOLD) {
            arrivals.clear();
            return true;
        }
        return false;
    }
}
