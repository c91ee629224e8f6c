package org.operon.bench;

import org.operon.model.Event;

import java.util.HashMap;
import java.util.Map;

/**
 * The windowed-count workload's registry: one fact in the session, handed each critical event once,
 * keeping a {@link WindowCount} per subject. The same formulation as the packaged critical-burst rule's
 * {@code CriticalBursts}: the rule joins each event with this one fact (no per-subject join, no
 * {@code not}), and the counting is plain Java.
 */
public final class WindowCounts {
    private final Map<String, WindowCount> bySubject = new HashMap<>();

    /** Counts the critical event; true when its subject now has a burst (see {@link WindowCount#record}). */
    public boolean record(Event event) {
        return bySubject.computeIfAbsent(event.getSubject(), WindowCount::new)
                .record(event.getSeq(), event.getArrivalTime());
    }
}
