package org.operon.rules;

/**
 * The countdown of {@code heartbeat-missed.drl} to the moment the next watched subject's last
 * heartbeat is 2 minutes old (see {@link HeartbeatWatches}): a fact with a timer of
 * {@link #getWaitMillis()} from its insertion. At most one is in working memory. (A fresh instance
 * per countdown, because a Drools timer on a fact that is modified keeps counting from when it was
 * first armed.)
 *
 * <p>Immutable.
 */
public final class HeartbeatCountdown {
    private final long dueAt;
    private final long waitMillis;

    /**
     * @param now        the session time when it is inserted
     * @param waitMillis how long from {@code now} it falls due (0 when negative)
     */
    public HeartbeatCountdown(long now, long waitMillis) {
        this.waitMillis = Math.max(0, waitMillis);
        this.dueAt = now + this.waitMillis;
    }

    /** The session time (epoch milliseconds) it falls due: when its rule fires, the session time now. */
    public long getDueAt() {
        return dueAt;
    }

    /** The timer's delay from insertion, never negative. */
    public long getWaitMillis() {
        return waitMillis;
    }

    @Override
    public String toString() {
        return "HeartbeatCountdown{dueAt=" + dueAt + "}";
    }
}
