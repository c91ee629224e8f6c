package org.operon.integration.http;

import java.time.Duration;

/**
 * Limits of the event intake ({@code POST /api/v1/events}).
 *
 * @param maxBodyBytes           the largest request body the intake accepts; a larger one is answered 413
 *                               {@code body_too_large} and dead-lettered with its first
 *                               {@code deadLetterPayloadBytes}
 * @param deadLetterPayloadBytes how much of a rejected payload a dead letter keeps (the rest is counted in
 *                               {@code payloadBytes} and the letter is marked truncated)
 * @param serverMaxBodySize      the value the application must give {@code camel.server.maxBodySize}: the
 *                               Vert.x HTTP server reads at most this many bytes of a body into memory. It is
 *                               larger than {@code maxBodyBytes} so that a body somewhat over the intake limit
 *                               still reaches the route and its prefix is dead-lettered; a body over this size
 *                               is refused by Vert.x before the route runs, and Operon answers it with the same
 *                               413 JSON error and a dead letter without payload (see {@link EventIntakeRoutes})
 * @param acceptTimeout          how long a request waits for the event journal to confirm a write before it is
 *                               answered 503 {@code journal_unavailable}
 */
public record IntakeOptions(long maxBodyBytes, int deadLetterPayloadBytes, long serverMaxBodySize,
                            Duration acceptTimeout) {

    public static final long DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
    public static final int DEFAULT_DEAD_LETTER_PAYLOAD_BYTES = 64 * 1024;
    public static final Duration DEFAULT_ACCEPT_TIMEOUT = Duration.ofSeconds(10);

    /** @throws IllegalArgumentException naming the component that is out of range */
    public IntakeOptions {
        if (maxBodyBytes <= 0) {
            throw new IllegalArgumentException("maxBodyBytes must be positive, not " + maxBodyBytes);
        }
        if (deadLetterPayloadBytes < 0) {
            throw new IllegalArgumentException("deadLetterPayloadBytes must not be negative, not "
                    + deadLetterPayloadBytes);
        }
        if (serverMaxBodySize <= maxBodyBytes) {
            throw new IllegalArgumentException("serverMaxBodySize (" + serverMaxBodySize
                    + ") must be larger than maxBodyBytes (" + maxBodyBytes
                    + ") so that the intake sees over-limit bodies and can dead-letter them");
        }
        if (acceptTimeout == null || acceptTimeout.isNegative() || acceptTimeout.isZero()) {
            throw new IllegalArgumentException("acceptTimeout must be positive, not " + acceptTimeout);
        }
    }

    /** 1 MiB bodies, 64 KiB of a rejected payload kept, Vert.x limit 2 MiB, 10 s journal timeout. */
    public static IntakeOptions defaults() {
        return of(DEFAULT_MAX_BODY_BYTES, DEFAULT_DEAD_LETTER_PAYLOAD_BYTES);
    }

    /** The given limits, with the server limit at twice the body limit and the default journal timeout. */
    public static IntakeOptions of(long maxBodyBytes, int deadLetterPayloadBytes) {
        return new IntakeOptions(maxBodyBytes, deadLetterPayloadBytes, 2 * maxBodyBytes, DEFAULT_ACCEPT_TIMEOUT);
    }
}
