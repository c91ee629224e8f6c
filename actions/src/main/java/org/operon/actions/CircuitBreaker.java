package org.operon.actions;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * One target's circuit breaker, counting whole actions (an action fails once all its attempts failed),
 * reading time only from the injected clock.
 *
 * <ul>
 *   <li><b>closed</b>: every action is performed. After {@code failures} consecutive failed actions the
 *       circuit opens ({@code failures} 0: it never opens).</li>
 *   <li><b>open</b>: for {@code openFor} no action is performed: {@link #tryAcquire()} answers false and
 *       the action fails fast.</li>
 *   <li><b>half-open</b>: once {@code openFor} has passed, the next action is let through as the one
 *       trial; until it ends every other action still fails fast. The trial's success closes the circuit,
 *       its failure opens it for another {@code openFor}.</li>
 * </ul>
 * Thread-safe.
 */
final class CircuitBreaker {
    enum State { CLOSED, OPEN, HALF_OPEN }

    private final int failures;
    private final Duration openFor;
    private final Clock clock;
    private State state = State.CLOSED;
    private int consecutiveFailures;
    private Instant openedAt;
    private boolean trialInFlight;

    CircuitBreaker(int failures, Duration openFor, Clock clock) {
        this.failures = failures;
        this.openFor = openFor;
        this.clock = clock;
    }

    /** Whether an action may be performed now; true makes it the trial when the open interval has passed. */
    synchronized boolean tryAcquire() {
        switch (state) {
            case CLOSED:
                return true;
            case OPEN:
                if (clock.instant().isBefore(openedAt.plus(openFor))) {
                    return false;
                }
                state = State.HALF_OPEN;
                trialInFlight = true;
                return true;
            default:
                if (trialInFlight) {
                    return false;
                }
                trialInFlight = true;
                return true;
        }
    }

    /** Lets an action through whatever the state (an operator's retry); when not closed it is the trial. */
    synchronized void forceAcquire() {
        if (state != State.CLOSED) {
            state = State.HALF_OPEN;
            trialInFlight = true;
        }
    }

    /** An admitted action was performed: the circuit closes. True when it was not closed before. */
    synchronized boolean onSuccess() {
        boolean reopened = state != State.CLOSED;
        consecutiveFailures = 0;
        trialInFlight = false;
        state = State.CLOSED;
        openedAt = null;
        return reopened;
    }

    /** An admitted action failed all its attempts. */
    synchronized void onFailure() {
        consecutiveFailures++;
        if (state == State.HALF_OPEN || (state == State.CLOSED && failures > 0 && consecutiveFailures >= failures)) {
            state = State.OPEN;
            openedAt = clock.instant();
            trialInFlight = false;
        }
    }

    /** The state as it stands; an open circuit whose interval has passed shows as half-open. */
    synchronized State state() {
        if (state == State.OPEN && !clock.instant().isBefore(openedAt.plus(openFor))) {
            return State.HALF_OPEN;
        }
        return state;
    }

    synchronized int consecutiveFailures() {
        return consecutiveFailures;
    }

    /** When an open circuit lets its trial through; null when not open. */
    synchronized Instant openUntil() {
        return state == State.OPEN ? openedAt.plus(openFor) : null;
    }
}
