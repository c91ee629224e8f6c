package org.operon.rules;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.operon.model.Decision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.operon.rules.Timeline.T0;
import static org.operon.rules.Timeline.arrival;
import static org.operon.rules.Timeline.critical;
import static org.operon.rules.Timeline.minutes;
import static org.operon.rules.Timeline.seconds;
import static org.operon.rules.Timeline.warning;

/** critical-burst.drl: 3 critical events of one subject within 5 minutes notify once per burst. */
class CriticalBurstTest {

    private final Timeline timeline = new Timeline();

    @AfterEach
    void close() {
        timeline.close();
    }

    @Test
    void threeCriticalEventsWithinFiveMinutesNotifyOnceAtTheThird() {
        timeline.at(seconds(0), critical("e1", "db1"))
                .at(seconds(60), critical("e2", "db1"))
                .at(seconds(90), critical("e3", "db1"))
                .until(minutes(30));

        assertThat(timeline.decisions()).singleElement().satisfies(d -> {
            assertThat(d.getType()).isEqualTo("notify");
            assertThat(d.getSubject()).isEqualTo("db1");
            assertThat(d.getRule()).isEqualTo("critical-burst");
            assertThat(d.getTime()).isEqualTo(T0 + 90_000);
            assertThat(d.getEventIds()).containsExactly("e1", "e2", "e3");
            assertThat(d.getParams()).containsEntry("count", 3).containsEntry("window", "5m");
            assertThat(d.getId()).isNotNull();
        });
    }

    @Test
    void twoCriticalEventsAreNoBurst() {
        timeline.at(seconds(0), critical("e1", "db1"))
                .at(seconds(10), critical("e2", "db1"))
                .until(minutes(30));

        assertThat(timeline.decisions()).isEmpty();
    }

    @Test
    void threeCriticalEventsSpreadOverMoreThanFiveMinutesAreNoBurst() {
        timeline.at(seconds(0), critical("e1", "db1"))
                .at(minutes(3), critical("e2", "db1"))
                .at(seconds(301), critical("e3", "db1"))
                .until(minutes(30));

        assertThat(timeline.decisions()).isEmpty();
    }

    @Test
    void anEventExactlyFiveMinutesOldHasLeftTheWindow() {
        timeline.at(seconds(0), critical("e1", "db1"))
                .at(minutes(2), critical("e2", "db1"))
                .at(minutes(5), critical("e3", "db1"))
                .until(minutes(30));

        assertThat(timeline.decisions()).isEmpty();
    }

    @Test
    void warningEventsDoNotCount() {
        timeline.at(seconds(0), critical("e1", "db1"))
                .at(seconds(20), warning("w1", "db1"))
                .at(seconds(40), warning("w2", "db1"))
                .at(seconds(60), critical("e2", "db1"))
                .until(minutes(30));

        assertThat(timeline.decisions()).isEmpty();
    }

    @Test
    void subjectsAreIndependent() {
        timeline.at(seconds(0), critical("a1", "db1"), critical("b1", "db2"))
                .at(seconds(30), critical("a2", "db1"), critical("b2", "db2"))
                .at(seconds(60), critical("a3", "db1"))
                .until(minutes(30));

        assertThat(timeline.decisions()).singleElement().satisfies(d -> {
            assertThat(d.getSubject()).isEqualTo("db1");
            assertThat(d.getEventIds()).containsExactly("a1", "a2", "a3");
        });
    }

    @Test
    void aBurstContinuingForTwentyMinutesNotifiesOnce() {
        for (int s = 0; s <= 20 * 60; s += 20) {
            timeline.at(seconds(s), critical("e" + s, "db1"));
        }
        timeline.until(minutes(40));

        assertThat(timeline.decisions()).singleElement()
                .satisfies(d -> assertThat(d.getTime()).isEqualTo(T0 + 40_000));
    }

    @Test
    void aBurstContinuesWhileCriticalEventsComeLessThanFiveMinutesApart() {
        timeline.at(seconds(0), critical("e1", "db1"), critical("e2", "db1"), critical("e3", "db1"))
                .at(minutes(4), critical("e4", "db1"))
                .at(minutes(8), critical("e5", "db1"), critical("e6", "db1"))
                .until(minutes(30));

        assertThat(timeline.decisions()).hasSize(1);
    }

    @Test
    void aNewBurstAfterTheSubjectWasQuietNotifiesAgain() {
        timeline.at(seconds(0), critical("e1", "db1"))
                .at(seconds(30), critical("e2", "db1"))
                .at(seconds(60), critical("e3", "db1"))
                // quiet from 60s: no critical event for 5 minutes, until 6m
                .at(minutes(6), critical("e4", "db1"))
                .at(seconds(370), critical("e5", "db1"))
                .at(seconds(380), critical("e6", "db1"))
                .until(minutes(30));

        assertThat(timeline.decisions()).extracting(Decision::getTime)
                .containsExactly(T0 + 60_000, T0 + 380_000);
        assertThat(timeline.decisions().get(1).getEventIds()).containsExactly("e4", "e5", "e6");
    }

    @Test
    void eventsOfAnEarlierBurstDoNotCountTowardsTheNextOne() {
        timeline.at(seconds(0), critical("e1", "db1"), critical("e2", "db1"), critical("e3", "db1"))
                // still within 10 minutes of e1-e3 (they are in working memory) but after 5 quiet minutes
                .at(minutes(6), critical("e4", "db1"))
                .at(minutes(7), critical("e5", "db1"))
                .until(minutes(30));

        assertThat(timeline.decisions()).hasSize(1);
    }

    @Test
    void criticalEventsArrivingTogetherAreReportedTogetherOnce() {
        timeline.batch(arrival(seconds(0), critical("e1", "db1")),
                        arrival(seconds(0), critical("e2", "db1")),
                        arrival(seconds(0), critical("e3", "db1")),
                        arrival(seconds(0), critical("e4", "db1")))
                .until(minutes(30));

        assertThat(timeline.decisions()).singleElement().satisfies(d -> {
            assertThat(d.getTime()).isEqualTo(T0);
            assertThat(d.getEventIds()).containsExactly("e1", "e2", "e3", "e4");
            assertThat(d.getParams()).containsEntry("count", 4);
        });
    }

    @Test
    void theEventsOfTheBurstAreThoseInTheWindowWhenItIsReported() {
        timeline.at(seconds(0), critical("e1", "db1"))
                .at(minutes(4), critical("e2", "db1"))
                .at(minutes(6), critical("e3", "db1"))
                .at(minutes(7), critical("e4", "db1"))
                .until(minutes(30));

        assertThat(timeline.decisions()).singleElement().satisfies(d -> {
            assertThat(d.getTime()).isEqualTo(T0 + 7 * 60_000);
            assertThat(d.getEventIds()).containsExactly("e2", "e3", "e4");
        });
    }

    @Test
    void aBatchSpanningMinutesIsDecidedAtTheArrivalOfTheThirdEvent() {
        timeline.batch(arrival(seconds(0), critical("e1", "db1")),
                        arrival(seconds(60), critical("e2", "db1")),
                        arrival(seconds(90), critical("e3", "db1")),
                        arrival(seconds(200), warning("w1", "db1")))
                .until(minutes(30));

        assertThat(timeline.decisions()).singleElement()
                .satisfies(d -> assertThat(d.getTime()).isEqualTo(T0 + 90_000));
    }

    @Test
    void noStateIsLeftOnceTheSubjectHasBeenQuietAndItsEventsExpired() {
        timeline.at(seconds(0), critical("e1", "db1"), critical("e2", "db1"), critical("e3", "db1"))
                .at(seconds(1), critical("e4", "db1"))
                .until(minutes(5));
        assertThat(timeline.factCount()).isPositive();

        timeline.until(seconds(1 + 10 * 60 + 1));

        assertThat(timeline.factCount()).isZero();
    }
}
