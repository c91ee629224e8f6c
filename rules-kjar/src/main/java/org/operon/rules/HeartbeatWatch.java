package org.operon.rules;

import org.operon.model.Event;
import org.operon.model.Explainable;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The countdown for one subject's heartbeats ({@code heartbeat-missed.drl}): a fact with a timer of
 * {@link #getWaitMillis()} from its insertion, and the subject's last heartbeat, which the
 * {@link HeartbeatWatches} moves on as heartbeats arrive (a field no rule constraint reads, so
 * nothing in the network re-evaluates). When it falls due, {@link #fallDue()} says whether the last
 * heartbeat is {@link HeartbeatWatches#WINDOW_MILLIS} old (missed) or gives the rest of the time to a
 * new countdown. (A fresh instance per countdown, because a Drools timer on a fact that is modified
 * keeps counting from when it was first armed.) So a subject costs one timer firing per two minutes
 * at most, not a timer scheduled and cancelled per heartbeat.
 *
 * <p>Not thread-safe; only the session's rules touch it.
 */
public final class HeartbeatWatch implements Explainable {

    private final HeartbeatWatches watches;
    private final String subject;
    private final long dueAt;
    private final long waitMillis;
    private Event last;

    HeartbeatWatch(HeartbeatWatches watches, Event last, long now, long waitMillis) {
        this.watches = watches;
        this.subject = last.getSubject();
        this.last = last;
        this.waitMillis = Math.max(0, waitMillis);
        this.dueAt = now + this.waitMillis;
    }

    public String getSubject() {
        return subject;
    }

    /** The subject's last heartbeat (by arrival time, then journal order). */
    public Event getLast() {
        return last;
    }

    /** The session time (epoch milliseconds) it falls due: when its rule fires, the session time now. */
    public long getDueAt() {
        return dueAt;
    }

    /** The timer's delay from insertion, never negative. */
    public long getWaitMillis() {
        return waitMillis;
    }

    void seen(Event heartbeat) {
        if (heartbeat.getArrivalTime() > last.getArrivalTime()
                || heartbeat.getArrivalTime() == last.getArrivalTime() && heartbeat.getSeq() > last.getSeq()) {
            last = heartbeat;
        }
    }

    /**
     * Called when the countdown falls due (the session time is {@link #getDueAt()}); the caller deletes
     * it. Returns the countdown to insert for the rest of the time when a heartbeat came since, or
     * null when the last heartbeat is {@link HeartbeatWatches#WINDOW_MILLIS} old: it is missed, and the
     * subject is no longer watched.
     */
    public HeartbeatWatch fallDue() {
        long rest = last.getArrivalTime() + HeartbeatWatches.WINDOW_MILLIS - dueAt;
        HeartbeatWatch next = rest > 0 ? new HeartbeatWatch(watches, last, dueAt, rest) : null;
        watches.replaced(this, next);
        return next;
    }

    @Override
    public String explainKey() {
        return subject;
    }

    /** {@code subject} and the {@code window}. */
    @Override
    public Map<String, Object> explain() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("subject", subject);
        fields.put("window", DurationText.of(HeartbeatWatches.WINDOW_MILLIS));
        return fields;
    }

    /** The subject's last heartbeat. */
    @Override
    public List<Event> explainEvents() {
        return List.of(last);
    }

    @Override
    public String toString() {
        return "HeartbeatWatch{subject=" + subject + ", last=" + last.getId() + ", dueAt=" + dueAt + "}";
    }
}
