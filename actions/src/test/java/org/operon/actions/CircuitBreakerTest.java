package org.operon.actions;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.operon.actions.CircuitBreaker.State;
import org.operon.testkit.MovableClock;

/** The breaker as a timeline on a clock moved by hand. */
class CircuitBreakerTest {
    private static final Instant T0 = Instant.parse("2024-03-05T10:00:00Z");
    private final MovableClock clock = new MovableClock(T0);
    private final CircuitBreaker breaker = new CircuitBreaker(3, Duration.ofSeconds(30), clock);

    private void failOnce() {
        assertThat(breaker.tryAcquire()).isTrue();
        breaker.onFailure();
    }

    @Test
    void opensAfterThreeConsecutiveFailuresAndASuccessInBetweenStartsTheCountAgain() {
        failOnce();
        failOnce();
        assertThat(breaker.tryAcquire()).isTrue();
        breaker.onSuccess();
        failOnce();
        failOnce();
        assertThat(breaker.state()).isEqualTo(State.CLOSED);
        failOnce();
        assertThat(breaker.state()).isEqualTo(State.OPEN);
        assertThat(breaker.openUntil()).isEqualTo(T0.plusSeconds(30));
        assertThat(breaker.tryAcquire()).isFalse();
    }

    @Test
    void afterTheIntervalOneTrialPassesAndItsSuccessCloses() {
        failOnce();
        failOnce();
        failOnce();
        clock.advance(Duration.ofSeconds(29));
        assertThat(breaker.tryAcquire()).isFalse();
        clock.advance(Duration.ofSeconds(1));
        assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
        assertThat(breaker.tryAcquire()).isTrue();
        assertThat(breaker.tryAcquire()).as("only one trial at a time").isFalse();
        breaker.onSuccess();
        assertThat(breaker.state()).isEqualTo(State.CLOSED);
        assertThat(breaker.consecutiveFailures()).isZero();
        assertThat(breaker.tryAcquire()).isTrue();
    }

    @Test
    void aFailedTrialOpensForAnotherInterval() {
        failOnce();
        failOnce();
        failOnce();
        clock.advance(Duration.ofSeconds(30));
        failOnce();
        assertThat(breaker.state()).isEqualTo(State.OPEN);
        assertThat(breaker.openUntil()).isEqualTo(T0.plusSeconds(60));
    }

    @Test
    void aForcedActionPassesAnOpenCircuitAsItsTrial() {
        failOnce();
        failOnce();
        failOnce();
        breaker.forceAcquire();
        assertThat(breaker.tryAcquire()).isFalse();
        breaker.onSuccess();
        assertThat(breaker.state()).isEqualTo(State.CLOSED);
    }

    @Test
    void withZeroFailuresItNeverOpens() {
        CircuitBreaker never = new CircuitBreaker(0, Duration.ofSeconds(30), clock);
        for (int i = 0; i < 100; i++) {
            assertThat(never.tryAcquire()).isTrue();
            never.onFailure();
        }
        assertThat(never.state()).isEqualTo(State.CLOSED);
        assertThat(never.consecutiveFailures()).isEqualTo(100);
    }
}
