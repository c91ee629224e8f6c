package org.operon.rules;

import org.operon.model.Event;

import java.util.Iterator;
import java.util.LinkedHashMap;

/**
 * The subjects with critical events in the last {@link #FORGET_AFTER_MILLIS}: the state behind
 * {@code critical-burst.drl}. One instance is in working memory (a rule of that file inserts it); its
 * rule hands it each critical event once. It keeps one {@link CriticalBurst} per subject, which
 * decides in plain Java; a subject is forgotten once its last critical event has expired (10 minutes
 * after its arrival, as events.drl expires events), on a later call. A subject forgotten and one
 * quiet for {@link CriticalBurst#WINDOW_MILLIS} behave alike: the next critical event starts afresh.
 *
 * <p>Not thread-safe; only the session's rules touch it (and {@link #size} in tests).
 */
public final class CriticalBursts {

    /** How long a subject is remembered after its last critical event: the events' expiry. */
    public static final long FORGET_AFTER_MILLIS = 10 * 60_000L;

    /** By subject, in the order of their last critical event (access order). */
    private final LinkedHashMap<String, CriticalBurst> bursts = new LinkedHashMap<>(64, 0.75f, true);

    /**
     * Records a critical event at session time {@code now}. Returns its subject's burst when that is
     * now due to be reported (see {@link CriticalBurst#record}): the caller inserts it, and the rule
     * that reports it deletes it again. Null otherwise.
     */
    public CriticalBurst record(Event event, long now) {
        forgetOlderThan(now);
        CriticalBurst burst = bursts.get(event.getSubject());
        if (burst == null) {
            burst = new CriticalBurst(event.getSubject());
            bursts.put(event.getSubject(), burst);
        }
        if (burst.record(event)) {
            burst.setDue(true);
            return burst;
        }
        return null;
    }

    /** The subjects remembered at session time {@code now} (forgetting the expired ones first). */
    public int size(long now) {
        forgetOlderThan(now);
        return bursts.size();
    }

    private void forgetOlderThan(long now) {
        Iterator<CriticalBurst> it = bursts.values().iterator();
        while (it.hasNext()) {
            CriticalBurst burst = it.next();
            if (burst.isDue() || burst.getLastArrival() + FORGET_AFTER_MILLIS >= now) {
                break;
            }
            it.remove();
        }
    }

    @Override
    public String toString() {
        return "CriticalBursts{" + bursts.size() + " subjects}";
    }
}
