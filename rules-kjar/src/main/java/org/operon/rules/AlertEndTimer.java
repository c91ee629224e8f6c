package org.operon.rules;

import java.time.Instant;

/**
 * A countdown to the end of one firing alert: the state behind the resolve timer of {@code alerts.drl}.
 * While an alert fires, exactly one instance with its fingerprint is in working memory, counting down
 * to an end the alert had when the instance was inserted. When it falls due and the alert's end has
 * moved later (re-sends), the rules replace it by one for the rest of the time; when the end moves
 * earlier, they replace it at once. A fresh instance per countdown, because a Drools timer on a fact
 * that is modified keeps counting from when it was first armed.
 *
 * <p>Immutable.
 */
public final class AlertEndTimer {
    private final String fingerprint;
    private final Instant endsAt;
    private final long waitMillis;

    /**
     * @param waitMillis the time from now (the session clock when it is inserted) until {@code endsAt}
     */
    public AlertEndTimer(String fingerprint, Instant endsAt, long waitMillis) {
        this.fingerprint = fingerprint;
        this.endsAt = endsAt;
        this.waitMillis = Math.max(0, waitMillis);
    }

    public String getFingerprint() { return fingerprint; }

    public Instant getEndsAt() { return endsAt; }

    /** The timer's delay: milliseconds from its insertion until {@link #getEndsAt()}, never negative. */
    public long getWaitMillis() { return waitMillis; }

    @Override
    public String toString() {
        return "AlertEndTimer{fingerprint=" + fingerprint + ", endsAt=" + endsAt + ", waitMillis=" + waitMillis + "}";
    }
}
