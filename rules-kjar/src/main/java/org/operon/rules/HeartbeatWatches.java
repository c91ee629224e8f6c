package org.operon.rules;

import org.operon.model.Event;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * The subjects whose heartbeats are being watched: the state behind {@code heartbeat-missed.drl}. One
 * instance is in working memory (a rule of that file inserts it); its rule hands it every heartbeat
 * once. It keeps each watched subject's last heartbeat, in the order they arrived, so the first is
 * the one to fall due first ({@link #WINDOW_MILLIS} after its arrival), and one
 * {@link HeartbeatCountdown} in working memory counts down to that moment for all subjects. A
 * heartbeat is one map operation here, with no timer work; the countdown fires once per missed
 * heartbeat (several subjects due at the same moment share a firing), and otherwise only when the
 * subject it counted for sent a heartbeat since, at most once per {@link #WINDOW_MILLIS} per
 * subject and usually far less. (Drools' pseudo clock scans its whole job queue, about one job per
 * live event, after every 1,000 cancelled or completed-and-removed timer jobs, so timers per
 * heartbeat or per subject are expensive.)
 *
 * <p>Heartbeats handed over out of arrival order (arriving before the session clock) keep the
 * latest arrival as the subject's last heartbeat, but take their place at the end of the order: the
 * miss of such a subject may be decided later than 2 minutes after it.
 *
 * <p>Not thread-safe; only the session's rules touch it (and {@link #size} in tests).
 */
public final class HeartbeatWatches {

    /** How long after a heartbeat without another one the heartbeat is missed. */
    public static final long WINDOW_MILLIS = 2 * 60_000L;

    /** By subject, its last heartbeat; in the order they were recorded. */
    private final LinkedHashMap<String, Event> last = new LinkedHashMap<>();
    /** Whether a countdown is in working memory. */
    private boolean counting;

    /**
     * Records a heartbeat at session time {@code now}. Returns the countdown to insert when none is
     * in working memory (it falls due {@link #WINDOW_MILLIS} after the heartbeat's arrival), or null.
     */
    public HeartbeatCountdown record(Event heartbeat, long now) {
        String subject = heartbeat.getSubject();
        Event previous = last.remove(subject);
        if (previous != null && (previous.getArrivalTime() > heartbeat.getArrivalTime()
                || previous.getArrivalTime() == heartbeat.getArrivalTime() && previous.getSeq() > heartbeat.getSeq())) {
            last.put(subject, previous);
        } else {
            last.put(subject, heartbeat);
        }
        if (counting) {
            return null;
        }
        counting = true;
        return next(now);
    }

    /**
     * The countdown fell due at session time {@code now}: returns the heartbeats missed, that is the
     * last heartbeats {@link #WINDOW_MILLIS} old or older, oldest first, and forgets their subjects.
     * Call {@link #next} then.
     */
    public List<Event> missed(long now) {
        List<Event> missed = new ArrayList<>(1);
        Iterator<Event> it = last.values().iterator();
        while (it.hasNext()) {
            Event heartbeat = it.next();
            if (heartbeat.getArrivalTime() + WINDOW_MILLIS > now) {
                break;
            }
            missed.add(heartbeat);
            it.remove();
        }
        return missed;
    }

    /** After {@link #missed}: the countdown to insert for the next subject to fall due, or null when none is watched. */
    public HeartbeatCountdown next(long now) {
        if (last.isEmpty()) {
            counting = false;
            return null;
        }
        Event first = last.values().iterator().next();
        return new HeartbeatCountdown(now, first.getArrivalTime() + WINDOW_MILLIS - now);
    }

    /** The subjects watched now. */
    public int size(long now) {
        return last.size();
    }

    @Override
    public String toString() {
        return "HeartbeatWatches{" + last.size() + " subjects}";
    }
}
