package org.operon.actions;

import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import org.apache.camel.Exchange;
import org.apache.camel.support.SynchronizationAdapter;

/**
 * The circuit breakers of the targets, one {@link CircuitBreaker} per target with its
 * {@link TargetPolicy}'s settings. {@link ActionRoutes} asks it at the start of every action's route
 * ({@link #admit}) and tells it the action's outcome when the route completes, after all its attempts.
 * An action refused by an open circuit fails with {@link CircuitOpenException}, which is not retried and
 * does not count as a failure of the target; {@link ActionDispatcher} keeps it with the failed actions
 * and queues it again when the circuit closes ({@link #onClosed}).
 */
public final class TargetCircuits {
    private final DeliveryOptions delivery;
    private final Clock clock;
    private final Map<String, CircuitBreaker> breakers = new ConcurrentHashMap<>();
    private final Set<String> bypassing = ConcurrentHashMap.newKeySet();
    private volatile Consumer<String> onClosed = target -> { };

    /** @param clock the only source of time for the breakers: tests move it by hand */
    public TargetCircuits(DeliveryOptions delivery, Clock clock) {
        this.delivery = delivery;
        this.clock = clock;
    }

    /** Circuits with {@link DeliveryOptions#standard()} and the system clock. */
    public static TargetCircuits standard() {
        return new TargetCircuits(DeliveryOptions.standard(), Clock.systemUTC());
    }

    /** Thrown for an action its target's open circuit refuses; its message is the audit reason. */
    public static final class CircuitOpenException extends RuntimeException {
        CircuitOpenException(String target) {
            super("circuit open for " + target, null, false, false);
        }
    }

    CircuitBreaker breaker(String target) {
        return breakers.computeIfAbsent(target, t -> {
            TargetPolicy p = delivery.policyFor(t);
            return new CircuitBreaker(p.circuitFailures(), p.circuitOpenFor(), clock);
        });
    }

    /**
     * Tells {@code listener} the target's name whenever its circuit closes after being open (a trial or a
     * retry succeeded). Called on the thread that performed that action; it must not block.
     */
    void onClosed(Consumer<String> listener) {
        this.onClosed = listener;
    }

    /** The next performance of {@code actionId} is let through even when its target's circuit is open. */
    void bypassOnce(String actionId) {
        bypassing.add(actionId);
    }

    /**
     * Lets the exchange's action through, or throws {@link CircuitOpenException}. An admitted action's
     * outcome is reported to the breaker when the exchange completes.
     */
    void admit(Action action, Exchange exchange) {
        CircuitBreaker breaker = breaker(action.target());
        if (bypassing.remove(action.id())) {
            breaker.forceAcquire();
        } else if (!breaker.tryAcquire()) {
            throw new CircuitOpenException(action.target());
        }
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onComplete(Exchange done) {
                if (breaker.onSuccess()) {
                    onClosed.accept(action.target());
                }
            }

            @Override
            public void onFailure(Exchange done) {
                breaker.onFailure();
            }
        });
    }
}
