package org.operon.rules;

/**
 * A countdown to the moment a tracker of {@code flapping.drl} ({@link AlertFlapping}) or
 * {@code alert-storm.drl} ({@link AlertStorm}) may have been quiet for its window. One instance per
 * tracker is in working memory; when it falls due, the rules ask the tracker when it becomes quiet:
 * if that is now or past, the tracker ends; otherwise they replace the countdown by one for the rest
 * of the time. So a tracker's activity costs no timer work at all, and a tracker costs at most one
 * timer firing per window. (A fresh instance per countdown, because a Drools timer on a fact that is
 * modified keeps counting from when it was first armed.)
 *
 * <p>Immutable.
 */
public final class QuietTimer {
    private final String behaviour;
    private final String key;
    private final long dueAt;
    private final long waitMillis;

    /**
     * @param behaviour  which rule file's tracker it counts for: {@link AlertFlapping#FLAPPING} or
     *                   {@link AlertStorm#STORM}
     * @param key        the tracker's key: a fingerprint, or a service
     * @param now        the session time when it is inserted
     * @param waitMillis how long from {@code now} it falls due
     */
    public QuietTimer(String behaviour, String key, long now, long waitMillis) {
        this.behaviour = behaviour;
        this.key = key;
        this.waitMillis = Math.max(0, waitMillis);
        this.dueAt = now + this.waitMillis;
    }

    public String getBehaviour() { return behaviour; }

    public String getKey() { return key; }

    /** The session time (epoch milliseconds) it falls due: when its rule fires, the session time now. */
    public long getDueAt() { return dueAt; }

    /** The timer's delay from insertion, never negative. */
    public long getWaitMillis() { return waitMillis; }

    @Override
    public String toString() {
        return "QuietTimer{" + behaviour + ", key=" + key + ", dueAt=" + dueAt + "}";
    }
}
