package org.operon.rules;

import org.operon.model.Event;
import org.operon.model.Explainable;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The critical events of one subject: the state behind {@code critical-burst.drl}, kept by
 * {@link CriticalBursts}, which hands it each critical event of its subject exactly once. It decides
 * in plain Java: one cheap call per critical event instead of recounting a window per event, and
 * without any sliding window, whose per-retraction cost grows with its size.
 *
 * <p>It is in working memory only while a burst is {@linkplain #isDue() due}: inserted when the
 * event that makes the burst is recorded, deleted by the rule that reports it, which has a lower
 * salience than the recording rule. So a burst is reported once all critical events of the moment
 * are recorded, and events arriving together are reported together, whatever order the engine hands
 * them over in.
 *
 * <p>Whether the subject was quiet (no critical event for {@link #WINDOW_MILLIS}) is decided when
 * the next critical event arrives, from the gap since the previous one; the end of a burst needs
 * no decision of its own, so it needs no timer.
 *
 * <p>Not thread-safe; only the session's rules touch it.
 */
public final class CriticalBurst implements Explainable {

    /** How far back events count towards a burst: events younger than this, by arrival time. */
    public static final long WINDOW_MILLIS = 5 * 60_000L;
    /** How many critical events within the window make a burst. */
    public static final int THRESHOLD = 3;

    private final String subject;
    /** Events of the window not yet reported, in journal order. */
    private final List<Event> pending = new ArrayList<>(THRESHOLD);
    private long lastArrival = Long.MIN_VALUE;
    private boolean notified;
    private boolean due;
    /** The events of the burst last reported, for the lineage of its decision. */
    private List<Event> reported = List.of();

    public CriticalBurst(String subject) {
        this.subject = subject;
    }

    public String getSubject() {
        return subject;
    }

    /** True while the current burst has been reported; it is not reported again until the subject was quiet. */
    public boolean isNotified() {
        return notified;
    }

    /** True when the window holds a burst that is not reported yet (it is in working memory then). */
    public boolean isDue() {
        return due;
    }

    public void setDue(boolean due) {
        this.due = due;
    }

    /** The latest arrival time of the critical events recorded; {@link Long#MIN_VALUE} before the first. */
    public long getLastArrival() {
        return lastArrival;
    }

    /**
     * Records one critical event of this subject. Returns true when the subject's burst is now due
     * to be reported: the window holds {@link #THRESHOLD} events, the burst was not reported and
     * is not already due. Events recorded after that, until {@link #takeBurst}, join the burst.
     *
     * <p>A gap of {@link #WINDOW_MILLIS} or more since the previous critical event means the subject
     * was quiet: the burst (if any) is over and the next one is reported again. Events recorded
     * together may come slightly out of order; they are kept in journal order and the window is
     * measured back from the newest of them.
     */
    public boolean record(Event event) {
        long arrival = event.getArrivalTime();
        if (lastArrival != Long.MIN_VALUE && arrival - lastArrival >= WINDOW_MILLIS) {
            notified = false;
            pending.clear();
        }
        lastArrival = Math.max(lastArrival, arrival);
        if (notified) {
            return false;
        }
        int at = pending.size();
        while (at > 0 && pending.get(at - 1).getSeq() > event.getSeq()) {
            at--;
        }
        pending.add(at, event);
        long newest = pending.get(pending.size() - 1).getArrivalTime();
        pending.removeIf(e -> e.getArrivalTime() <= newest - WINDOW_MILLIS);
        return !due && pending.size() >= THRESHOLD;
    }

    /**
     * Marks the burst reported and returns its events, oldest first: every event in the window
     * when it is reported. Nothing more is reported until the subject was quiet.
     */
    public List<Event> takeBurst() {
        notified = true;
        due = false;
        List<Event> burst = List.copyOf(pending);
        pending.clear();
        reported = burst;
        return burst;
    }

    @Override
    public String explainKey() {
        return subject;
    }

    /** {@code subject}, whether the burst is {@code notified}, the {@code threshold} and the {@code window}. */
    @Override
    public Map<String, Object> explain() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("subject", subject);
        fields.put("notified", notified);
        fields.put("threshold", THRESHOLD);
        fields.put("window", DurationText.of(WINDOW_MILLIS));
        return fields;
    }

    /** The events of the burst last reported ({@link #takeBurst}), oldest first. */
    @Override
    public List<Event> explainEvents() {
        return reported;
    }

    @Override
    public String toString() {
        return "CriticalBurst{subject=" + subject + ", pending=" + pending.size() + ", notified=" + notified
                + ", due=" + due + "}";
    }
}
