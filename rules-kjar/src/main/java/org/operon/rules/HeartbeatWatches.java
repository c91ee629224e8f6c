package org.operon.rules;

import org.operon.model.Event;

import java.util.HashMap;
import java.util.Map;

/**
 * The subjects whose heartbeats are being watched: the state behind {@code heartbeat-missed.drl}. One
 * instance is in working memory (a rule of that file inserts it); its rule hands it every heartbeat
 * once. It keeps one {@link HeartbeatWatch} per subject that sent a heartbeat in the last
 * {@link #WINDOW_MILLIS}: the subject's last heartbeat and the one countdown in working memory for it.
 * A heartbeat of a watched subject is one field write here, with no timer work; a watch is dropped
 * when its subject's heartbeat is missed.
 *
 * <p>Not thread-safe; only the session's rules touch it (and {@link #size} in tests).
 */
public final class HeartbeatWatches {

    /** How long after a heartbeat without another one the heartbeat is missed. */
    public static final long WINDOW_MILLIS = 2 * 60_000L;

    private final Map<String, HeartbeatWatch> watches = new HashMap<>();

    /**
     * Records a heartbeat at session time {@code now}. Returns the countdown to insert when its
     * subject was not watched (it falls due {@link #WINDOW_MILLIS} after the heartbeat's arrival), or
     * null when the subject's countdown is already in working memory (it gives the subject the rest
     * of its time when it falls due).
     */
    public HeartbeatWatch record(Event heartbeat, long now) {
        HeartbeatWatch watch = watches.get(heartbeat.getSubject());
        if (watch != null) {
            watch.seen(heartbeat);
            return null;
        }
        watch = new HeartbeatWatch(this, heartbeat, now, heartbeat.getArrivalTime() + WINDOW_MILLIS - now);
        watches.put(heartbeat.getSubject(), watch);
        return watch;
    }

    /** The countdown {@code watch} fell due: from now on {@code next} counts for its subject, or none. */
    void replaced(HeartbeatWatch watch, HeartbeatWatch next) {
        if (next == null) {
            watches.remove(watch.getSubject(), watch);
        } else {
            watches.put(watch.getSubject(), next);
        }
    }

    /** The subjects watched now. */
    public int size(long now) {
        return watches.size();
    }

    @Override
    public String toString() {
        return "HeartbeatWatches{" + watches.size() + " subjects}";
    }
}
