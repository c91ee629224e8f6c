package org.operon.engine;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * How the engine runs.
 *
 * @param queueCapacity      how many accepted events may wait for the engine (journal writes in
 *                           flight included); beyond it intake answers 503
 * @param batchSize          how many queued events the engine inserts before it fires and checkpoints
 * @param tickInterval       how often an idle engine moves the session clock to the wall clock, which
 *                           is what makes absence rules (timers) fire
 * @param restoreHorizon     how much journal history before the checkpoint is replayed (muted) on
 *                           start to rebuild windows; at least the longest window of any rule, and of
 *                           any throttle
 * @param checkpointInterval at most how often the checkpoint is written while events flow
 * @param retryAfterSeconds  what the 503 tells clients when the queue is full
 * @param throttles          the {@link DecisionThrottle throttles} applied to the session's decisions,
 *                           at most one per decision type; none by default
 */
public record EngineOptions(int queueCapacity, int batchSize, Duration tickInterval, Duration restoreHorizon,
                            Duration checkpointInterval, int retryAfterSeconds, List<ThrottlePolicy> throttles) {

    public EngineOptions {
        if (queueCapacity < 1) throw new IllegalArgumentException("queue capacity must be at least 1, not " + queueCapacity);
        if (batchSize < 1) throw new IllegalArgumentException("batch size must be at least 1, not " + batchSize);
        if (tickInterval.isNegative() || tickInterval.isZero()) throw new IllegalArgumentException("tick interval must be positive");
        if (restoreHorizon.isNegative()) throw new IllegalArgumentException("restore horizon must not be negative");
        if (checkpointInterval.isNegative()) throw new IllegalArgumentException("checkpoint interval must not be negative");
        if (retryAfterSeconds < 1) throw new IllegalArgumentException("retry-after must be at least 1 second");
        throttles = throttles == null ? List.of() : List.copyOf(throttles);
        Set<String> types = new HashSet<>();
        for (ThrottlePolicy t : throttles) {
            if (!types.add(t.decisionType())) {
                throw new IllegalArgumentException("more than one throttle for decision type '" + t.decisionType()
                        + "': give each type at most one");
            }
        }
    }

    /** Options without throttles. */
    public EngineOptions(int queueCapacity, int batchSize, Duration tickInterval, Duration restoreHorizon,
                         Duration checkpointInterval, int retryAfterSeconds) {
        this(queueCapacity, batchSize, tickInterval, restoreHorizon, checkpointInterval, retryAfterSeconds, List.of());
    }

    /** A copy with these throttles in place of the current ones. */
    public EngineOptions withThrottles(List<ThrottlePolicy> throttles) {
        return new EngineOptions(queueCapacity, batchSize, tickInterval, restoreHorizon, checkpointInterval,
                retryAfterSeconds, throttles);
    }

    public static EngineOptions defaults() {
        return new EngineOptions(100_000, 1_000, Duration.ofMillis(200), Duration.ofMinutes(15), Duration.ofSeconds(1), 1);
    }
}
