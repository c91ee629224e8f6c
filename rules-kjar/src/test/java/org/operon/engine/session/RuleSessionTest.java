package org.operon.engine.session;

import org.junit.jupiter.api.Test;
import org.operon.model.Decision;
import org.operon.model.Event;
import org.operon.model.Severity;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The contract of {@link RuleSession}, on the packaged rules (which is why it lives beside the kjar). */
class RuleSessionTest {

    private static final long T0 = Instant.parse("2025-03-01T12:00:00Z").toEpochMilli();

    private long seq;

    private Event critical(String id, String subject, long arrival) {
        return Event.builder().id(id).source("/test").type("alert").subject(subject).severity(Severity.CRITICAL)
                .build().stamped(++seq, arrival);
    }

    private List<Event> burst(String subject, long arrival) {
        return List.of(critical(subject + "-1", subject, arrival), critical(subject + "-2", subject, arrival),
                critical(subject + "-3", subject, arrival));
    }

    @Test
    void theClockStartsAtTheStartTimeAndOnlyMovesForward() {
        try (RuleSession session = RuleSession.openPackaged(T0, d -> { })) {
            assertThat(session.clockTime()).isEqualTo(T0);

            session.advanceTo(T0 + 5_000);
            session.advanceTo(T0 + 1_000);

            assertThat(session.clockTime()).isEqualTo(T0 + 5_000);
        }
    }

    @Test
    void eventsMoveTheClockToTheirArrivalTime() {
        try (RuleSession session = RuleSession.openPackaged(T0, d -> { })) {
            session.process(List.of(critical("e1", "db1", T0 + 7_000)));

            assertThat(session.clockTime()).isEqualTo(T0 + 7_000);
            // the registries of heartbeat-missed and critical-burst (HeartbeatWatches, CriticalBursts); the
            // default AlertLimits and IncidentPolicy; not the event, which left once the rules had fired on it
            assertThat(session.factCount()).isEqualTo(4);
        }
    }

    @Test
    void anEventEarlierThanTheClockIsInsertedWithoutMovingTheClockBack() {
        List<Decision> decisions = new ArrayList<>();
        try (RuleSession session = RuleSession.openPackaged(T0, decisions::add)) {
            session.advanceTo(T0 + 10_000);

            session.process(burst("db1", T0 + 9_000));

            assertThat(session.clockTime()).isEqualTo(T0 + 10_000);
            assertThat(decisions).singleElement().satisfies(d -> assertThat(d.getTime()).isEqualTo(T0 + 10_000));
        }
    }

    @Test
    void decisionsAreStampedWithTheSessionClock() {
        List<Decision> decisions = new ArrayList<>();
        try (RuleSession session = RuleSession.openPackaged(T0, decisions::add)) {
            session.process(burst("db1", T0 + 42));

            assertThat(decisions).singleElement().satisfies(d -> {
                assertThat(d.getTime()).isEqualTo(T0 + 42);
                assertThat(d.getId()).isEqualTo(Decision.of("notify", "db1", "critical-burst", List.of())
                        .stamped(T0 + 42).getId());
            });
        }
    }

    @Test
    void aListenerExceptionPropagatesUnchangedAndTheSessionCarriesOn() {
        IllegalStateException refused = new IllegalStateException("queue closed");
        List<Decision> delivered = new ArrayList<>();
        boolean[] refuse = {true};
        try (RuleSession session = RuleSession.openPackaged(T0, d -> {
            if (refuse[0]) {
                throw refused;
            }
            delivered.add(d);
        })) {
            assertThatThrownBy(() -> session.process(burst("db1", T0))).isSameAs(refused);

            refuse[0] = false;
            session.process(burst("db2", T0 + 1_000));

            assertThat(delivered).extracting(Decision::getSubject).containsExactly("db2");
        }
    }

    @Test
    void aClosedSessionRefusesWork() {
        RuleSession session = RuleSession.openPackaged(T0, d -> { });
        session.close();
        session.close();

        assertThatThrownBy(() -> session.process(List.of())).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> session.advanceTo(T0 + 1)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void anUnknownKbaseIsNamedInTheError() {
        assertThatThrownBy(() -> RuleSession.open("no-such-kbase", T0, d -> { }))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no-such-kbase");
    }

    @Test
    void thePackagedKbaseOpensOnlyAsThePackagedRules() {
        // Its sessions let events go once the rules fired, so its events do not expire: a session of it that
        // kept every event (open by name keeps them) would hold them forever.
        assertThatThrownBy(() -> RuleSession.open(RuleSession.PACKAGED_KBASE, T0, d -> { }))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("openPackaged");

        List<Decision> decisions = new ArrayList<>();
        try (RuleSession session = RuleSession.openPackaged(T0, decisions::add)) {
            session.process(burst("db1", T0));

            assertThat(decisions).hasSize(1);
            assertThat(session.keepsEvents()).isFalse();
        }
    }
}
