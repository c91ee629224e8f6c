package org.operon.integration.source.messaging;

import java.time.Duration;

/**
 * How a broker source retries a message Operon cannot accept now (engine queue full, journal not
 * confirming, starting or stopping): after {@code initialDelay}, then twice as long each time up to
 * {@code maxDelay}, for as long as Operon runs. The message stays unacknowledged meanwhile, so the
 * consumer holds it (back-pressure on the broker) instead of losing it.
 */
public record IntakeRetry(Duration initialDelay, Duration maxDelay) {

    public IntakeRetry {
        if (initialDelay == null || initialDelay.isNegative() || initialDelay.isZero()) {
            throw new IllegalArgumentException("initialDelay must be positive, not " + initialDelay);
        }
        if (maxDelay == null || maxDelay.compareTo(initialDelay) < 0) {
            throw new IllegalArgumentException("maxDelay must be at least initialDelay, not " + maxDelay);
        }
    }

    /** 200 ms, doubling up to 5 s. */
    public static IntakeRetry defaults() {
        return new IntakeRetry(Duration.ofMillis(200), Duration.ofSeconds(5));
    }
}
