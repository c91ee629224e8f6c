package org.operon.rules;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.operon.model.Decision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.operon.rules.Timeline.T0;
import static org.operon.rules.Timeline.critical;
import static org.operon.rules.Timeline.heartbeat;
import static org.operon.rules.Timeline.minutes;
import static org.operon.rules.Timeline.seconds;

/** heartbeat-missed.drl: a heartbeat followed by 2 minutes without one is a missed heartbeat. */
class HeartbeatMissedTest {

    private final Timeline timeline = new Timeline();

    @AfterEach
    void close() {
        timeline.close();
    }

    @Test
    void aHeartbeatThenNoneForTwoMinutesIsMissedExactlyTwoMinutesLater() {
        timeline.at(seconds(0), heartbeat("h1", "web1"))
                .until(minutes(1));
        assertThat(timeline.decisions()).isEmpty();

        timeline.until(minutes(30));

        assertThat(timeline.decisions()).singleElement().satisfies(d -> {
            assertThat(d.getType()).isEqualTo("heartbeat-missed");
            assertThat(d.getSubject()).isEqualTo("web1");
            assertThat(d.getRule()).isEqualTo("heartbeat-missed");
            assertThat(d.getEventIds()).containsExactly("h1");
            assertThat(d.getTime()).isEqualTo(T0 + 120_000);
        });
    }

    @Test
    void heartbeatsEveryMinuteForTenMinutesAreNeverMissed() {
        for (int m = 0; m <= 10; m++) {
            timeline.at(minutes(m), heartbeat("h" + m, "web1"));
        }
        timeline.until(seconds(10 * 60 + 119));

        assertThat(timeline.decisions()).isEmpty();
    }

    @Test
    void theMissIsReportedForTheLastHeartbeat() {
        timeline.at(seconds(0), heartbeat("h1", "web1"))
                .at(seconds(60), heartbeat("h2", "web1"))
                .at(seconds(120), heartbeat("h3", "web1"))
                .until(minutes(30));

        assertThat(timeline.decisions()).singleElement().satisfies(d -> {
            assertThat(d.getEventIds()).containsExactly("h3");
            assertThat(d.getTime()).isEqualTo(T0 + 240_000);
        });
    }

    @Test
    void heartbeatsThatResumeAndStopAgainAreMissedAgain() {
        timeline.at(seconds(0), heartbeat("h1", "web1"))
                .at(minutes(5), heartbeat("h2", "web1"))
                .at(minutes(6), heartbeat("h3", "web1"))
                .until(minutes(30));

        assertThat(timeline.decisions()).extracting(Decision::getTime)
                .containsExactly(T0 + 120_000, T0 + 480_000);
        assertThat(timeline.decisions()).extracting(d -> d.getEventIds().get(0)).containsExactly("h1", "h3");
    }

    @Test
    void aHeartbeatExactlyTwoMinutesAfterThePreviousOneIsLate() {
        timeline.at(seconds(0), heartbeat("h1", "web1"))
                .at(minutes(2), heartbeat("h2", "web1"))
                .until(minutes(30));

        assertThat(timeline.decisions()).extracting(d -> d.getEventIds().get(0)).containsExactly("h1", "h2");
    }

    @Test
    void otherEventsOfTheSubjectAreNoHeartbeats() {
        timeline.at(seconds(0), heartbeat("h1", "web1"))
                .at(seconds(60), critical("c1", "web1"))
                .at(seconds(90), critical("c2", "web1"))
                .until(minutes(30));

        assertThat(timeline.decisions()).filteredOn(d -> d.getType().equals("heartbeat-missed"))
                .singleElement().satisfies(d -> assertThat(d.getTime()).isEqualTo(T0 + 120_000));
    }

    @Test
    void subjectsAreIndependent() {
        timeline.at(seconds(0), heartbeat("a1", "web1"), heartbeat("b1", "web2"))
                .at(seconds(60), heartbeat("b2", "web2"))
                .at(seconds(120), heartbeat("b3", "web2"))
                .until(seconds(179));

        assertThat(timeline.decisions()).singleElement().satisfies(d -> {
            assertThat(d.getSubject()).isEqualTo("web1");
            assertThat(d.getTime()).isEqualTo(T0 + 120_000);
        });
    }

    @Test
    void aMissIsStampedWhenItFellDueEvenWhenTheClockJumpsFarBeyondIt() {
        timeline.at(seconds(0), heartbeat("h1", "web1"))
                .at(seconds(30), heartbeat("h2", "web2"));

        timeline.until(minutes(60));

        assertThat(timeline.decisions()).extracting(Decision::getTime)
                .containsExactly(T0 + 120_000, T0 + 150_000);
    }

    @Test
    void aMissIsStampedWhenItFellDueWhenTheNextEventArrivesMuchLater() {
        timeline.at(seconds(0), heartbeat("h1", "web1"))
                .at(minutes(45), critical("c1", "db1"));

        assertThat(timeline.decisions()).singleElement()
                .satisfies(d -> assertThat(d.getTime()).isEqualTo(T0 + 120_000));
    }

    @Test
    void noStateIsLeftOnceTheHeartbeatsExpired() {
        timeline.at(seconds(0), heartbeat("h1", "web1"))
                .at(seconds(60), heartbeat("h2", "web1"))
                .until(minutes(10));
        assertThat(timeline.factCount()).isPositive();

        timeline.until(seconds(60 + 10 * 60 + 1));

        assertThat(timeline.factCount()).isZero();
    }

    @Test
    void heartbeatsAtTheSameMomentAreMissedOnceNamingTheLastInTheJournal() {
        timeline.at(seconds(0), heartbeat("h1", "web1"), heartbeat("h2", "web1"))
                .until(minutes(30));

        assertThat(timeline.decisions()).singleElement().satisfies(d -> {
            assertThat(d.getEventIds()).containsExactly("h2");
            assertThat(d.getTime()).isEqualTo(T0 + 120_000);
        });
    }

    @Test
    void subjectsFallingDueAtDifferentMomentsAreEachMissedOnTime() {
        timeline.at(seconds(0), heartbeat("a1", "web1"))
                .at(seconds(30), heartbeat("b1", "web2"), heartbeat("c1", "web3"))
                .at(seconds(60), heartbeat("a2", "web1"))
                .at(seconds(100), heartbeat("c2", "web3"))
                .until(minutes(30));

        assertThat(timeline.decisions()).extracting(Decision::getSubject, Decision::getTime)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("web2", T0 + 150_000),
                        org.assertj.core.groups.Tuple.tuple("web1", T0 + 180_000),
                        org.assertj.core.groups.Tuple.tuple("web3", T0 + 220_000));
    }

    @Test
    void theDecisionNamesTheMissedHeartbeatInItsLineage() {
        timeline.at(seconds(0), heartbeat("h1", "web1"))
                .at(seconds(10), heartbeat("x1", "web2"))
                .until(seconds(125));

        assertThat(timeline.decisions()).singleElement().satisfies(d -> {
            assertThat(d.getLineage().getRule()).isEqualTo("heartbeat-missed");
            assertThat(d.getLineage().getFile()).isEqualTo("org/operon/rules/heartbeat-missed.drl");
            assertThat(d.getLineage().getFacts()).singleElement().satisfies(f ->
                    assertThat(f).containsEntry("kind", "HeartbeatMissed").containsEntry("key", "web1"));
            assertThat(d.getLineage().getEvents()).extracting(e -> e.get("id")).containsExactly("h1");
        });
    }
}
