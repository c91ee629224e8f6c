package org.operon.actions.approval;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.operon.model.Decision;

/**
 * Which decision types need an approval before their actions are performed, and how long an approval
 * may wait before it expires as rejected ({@code operon.actions.approval.<decision type>=30m}).
 * Immutable.
 */
public final class ApprovalPolicy {
    /** Nothing needs approval. */
    public static final ApprovalPolicy NONE = new ApprovalPolicy(Map.of());

    private final Map<String, Duration> timeouts;

    private ApprovalPolicy(Map<String, Duration> timeouts) {
        this.timeouts = Map.copyOf(timeouts);
    }

    /**
     * @param timeouts decision type to how long its approval waits; positive durations
     * @throws IllegalArgumentException for a blank type or a timeout that is not positive
     */
    public static ApprovalPolicy of(Map<String, Duration> timeouts) {
        for (Map.Entry<String, Duration> e : timeouts.entrySet()) {
            if (e.getKey() == null || e.getKey().isBlank()) {
                throw new IllegalArgumentException("an approval needs a decision type");
            }
            if (e.getValue() == null || e.getValue().isNegative() || e.getValue().isZero()) {
                throw new IllegalArgumentException("the approval timeout of decision type '" + e.getKey()
                        + "' must be positive, not " + e.getValue());
            }
        }
        return new ApprovalPolicy(timeouts);
    }

    /** How long the actions of {@code decision} wait for approval; empty when they need none. */
    public Optional<Duration> timeoutFor(Decision decision) {
        return Optional.ofNullable(timeouts.get(decision.getType()));
    }

    public boolean isEmpty() {
        return timeouts.isEmpty();
    }

    @Override
    public String toString() {
        return "ApprovalPolicy" + new TreeMap<>(timeouts);
    }
}
