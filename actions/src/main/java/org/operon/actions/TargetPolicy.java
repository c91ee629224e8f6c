package org.operon.actions;

import java.time.Duration;
import java.util.Optional;

/**
 * How one target's actions are delivered: its lane's workers, its rate and its circuit breaker. Set per
 * target with {@code operon.actions.<target>.<setting>}, each setting defaulting to
 * {@code operon.actions.<setting>} (see {@link DeliveryOptions}).
 *
 * @param maxConcurrent           workers of the target's lane; 1 (the default) performs its actions one
 *                                at a time in the order they were decided
 * @param maxConcurrentPerSubject at most this many of the target's actions for one decision subject run
 *                                at once (0: no limit besides {@code maxConcurrent})
 * @param rate                    the target's rate limit, or null for none
 * @param circuitFailures         consecutive failed actions that open the target's circuit (0: never opens)
 * @param circuitOpenFor          how long an open circuit fails actions fast before it lets one trial through
 */
public record TargetPolicy(int maxConcurrent, int maxConcurrentPerSubject, Rate rate, int circuitFailures,
                           Duration circuitOpenFor) {
    public static final String MAX_CONCURRENT = "max-concurrent";
    public static final String MAX_CONCURRENT_PER_SUBJECT = "max-concurrent-per-subject";
    public static final String RATE = "rate";
    public static final String CIRCUIT_FAILURES = "circuit.failures";
    public static final String CIRCUIT_OPEN_FOR = "circuit.open-for";

    public TargetPolicy {
        if (maxConcurrent < 1) {
            throw new IllegalArgumentException(MAX_CONCURRENT + " must be at least 1, was " + maxConcurrent);
        }
        if (maxConcurrentPerSubject < 0) {
            throw new IllegalArgumentException(MAX_CONCURRENT_PER_SUBJECT + " must be 0 (no limit) or more, was "
                    + maxConcurrentPerSubject);
        }
        if (circuitFailures < 0) {
            throw new IllegalArgumentException(CIRCUIT_FAILURES + " must be 0 (never open) or more, was "
                    + circuitFailures);
        }
        if (circuitOpenFor == null || circuitOpenFor.isZero() || circuitOpenFor.isNegative()) {
            throw new IllegalArgumentException(CIRCUIT_OPEN_FOR + " must be a positive duration, was "
                    + circuitOpenFor);
        }
    }

    /** One worker, no subject limit, no rate limit, circuit opening after 5 failed actions for 1 minute. */
    public static TargetPolicy defaults() {
        return new TargetPolicy(1, 0, null, 5, Duration.ofMinutes(1));
    }

    public Optional<Rate> rateLimit() {
        return Optional.ofNullable(rate);
    }

    public TargetPolicy withMaxConcurrent(int n) {
        return new TargetPolicy(n, maxConcurrentPerSubject, rate, circuitFailures, circuitOpenFor);
    }

    public TargetPolicy withMaxConcurrentPerSubject(int n) {
        return new TargetPolicy(maxConcurrent, n, rate, circuitFailures, circuitOpenFor);
    }

    /** A copy with this rate limit; null removes it. */
    public TargetPolicy withRate(Rate r) {
        return new TargetPolicy(maxConcurrent, maxConcurrentPerSubject, r, circuitFailures, circuitOpenFor);
    }

    public TargetPolicy withCircuit(int failures, Duration openFor) {
        return new TargetPolicy(maxConcurrent, maxConcurrentPerSubject, rate, failures, openFor);
    }
}
