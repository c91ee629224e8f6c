package org.operon.rules;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.operon.model.AlertReport;
import org.operon.model.Decision;
import org.operon.model.Event;
import org.operon.model.InvalidEventException;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;
import static org.operon.rules.Timeline.T0;
import static org.operon.rules.Timeline.arrival;
import static org.operon.rules.Timeline.minutes;
import static org.operon.rules.Timeline.seconds;

/** flapping.drl: 4 state changes within 10 minutes mark an alert flapping; 10 quiet minutes end it. */
class FlappingTest {
    private static final Map<String, String> HIGH_CPU = Map.of("alertname", "HighCpu", "instance", "web-01");
    private static final Map<String, String> DISK_FULL = Map.of("alertname", "DiskFull", "instance", "db-01");
    private static final String HIGH_CPU_FP = AlertReportsForTest.fingerprint(HIGH_CPU);

    private final Timeline timeline = new Timeline();

    @AfterEach
    void close() {
        timeline.close();
    }

    private static String at(Duration offset) {
        return Instant.ofEpochMilli(T0 + offset.toMillis()).toString();
    }

    /** A firing report without endsAt (resolves by itself 5 minutes after its last report). */
    private static Event firing(String id, Map<String, String> labels) {
        return AlertReportsForTest.report(id, labels, null, null);
    }

    /** A report that resolves the alert at {@code offset}, its arrival. */
    private static Event resolved(String id, Map<String, String> labels, Duration offset) {
        return AlertReportsForTest.report(id, labels, null, at(offset));
    }

    /** HighCpu fires at 0s, then changes state every minute: resolved at 1m, firing at 2m, ... up to {@code changes}. */
    private Timeline flipEveryMinute(Map<String, String> labels, String prefix, int changes) {
        timeline.at(seconds(0), firing(prefix + "0", labels));
        for (int m = 1; m <= changes; m++) {
            timeline.at(minutes(m), m % 2 == 1 ? resolved(prefix + m, labels, minutes(m)) : firing(prefix + m, labels));
        }
        return timeline;
    }

    private List<String> types() {
        return timeline.decisions().stream().map(Decision::getType).toList();
    }

    @Test
    void threeStateChangesWithinTheWindowAreNotFlapping() {
        flipEveryMinute(HIGH_CPU, "r", 3).until(minutes(30));

        assertThat(types()).containsExactly("alert-firing", "alert-resolved", "alert-firing", "alert-resolved");
        assertThat(timeline.facts(AlertFlapping.class)).as("forgotten after 10 quiet minutes").isEmpty();
    }

    @Test
    void theFourthStateChangeMarksTheAlertFlappingAndSendsOneNoticeInsteadOfItsDecision() {
        flipEveryMinute(HIGH_CPU, "r", 4).until(minutes(4).plusSeconds(1));

        assertThat(timeline.decisions()).extracting(Decision::getType, Decision::getTime).containsExactly(
                tuple("alert-firing", T0),
                tuple("alert-resolved", T0 + 60_000),
                tuple("alert-firing", T0 + 120_000),
                tuple("alert-resolved", T0 + 180_000),
                tuple("alert-flapping", T0 + 240_000));
        Decision flapping = timeline.decisions().get(4);
        assertThat(flapping.getSubject()).isEqualTo(HIGH_CPU_FP);
        assertThat(flapping.getRule()).isEqualTo("alert-flapping");
        assertThat(flapping.getEventIds()).containsExactly("r1", "r2", "r3", "r4");
        assertThat(flapping.getParams()).containsEntry("fingerprint", HIGH_CPU_FP)
                .containsEntry("alertname", "HighCpu")
                .containsEntry("labels", new TreeMap<>(HIGH_CPU))
                .containsEntry("changes", 4)
                .containsEntry("window", "10m");
        assertThat(timeline.facts(AlertFlapping.class)).singleElement()
                .satisfies(f -> assertThat(f.isFlapping()).isTrue());
    }

    @Test
    void whileFlappingItsDecisionsAreHeldBackAndTheNoticeIsNotRepeated() {
        flipEveryMinute(HIGH_CPU, "r", 9).until(minutes(9).plusSeconds(30));

        assertThat(types()).containsExactly("alert-firing", "alert-resolved", "alert-firing", "alert-resolved",
                "alert-flapping");
        assertThat(timeline.facts(AlertNotice.class)).isEmpty();
    }

    @Test
    void flappingEndsAfterTenMinutesWithoutAStateChangeAndDecisionsResume() {
        // changes at 1m..6m; the last (6m) leaves it firing, re-sent every minute (no state change).
        flipEveryMinute(HIGH_CPU, "r", 6);
        for (int m = 7; m <= 15; m++) {
            timeline.at(minutes(m), firing("s" + m, HIGH_CPU));
        }
        timeline.until(Duration.ofMillis(16 * 60_000 - 1));
        assertThat(types()).as("%s", timeline.decisions()).doesNotContain("alert-flapping-ended");

        timeline.until(minutes(16));

        assertThat(timeline.decisions()).last().satisfies(d -> {
            assertThat(d.getType()).isEqualTo("alert-flapping-ended");
            assertThat(d.getTime()).isEqualTo(T0 + 16 * 60_000);
            assertThat(d.getSubject()).isEqualTo(HIGH_CPU_FP);
            assertThat(d.getParams()).containsEntry("status", "firing")
                    .containsEntry("changes", 6) // 1m..4m made it flap, then 5m and 6m
                    .containsEntry("since", at(minutes(4)))
                    .containsEntry("labels", new TreeMap<>(HIGH_CPU));
        });
        assertThat(timeline.facts(AlertFlapping.class)).isEmpty();

        timeline.at(minutes(17), resolved("end", HIGH_CPU, minutes(17))).until(minutes(18));

        assertThat(timeline.decisions()).last().satisfies(d -> {
            assertThat(d.getType()).isEqualTo("alert-resolved");
            assertThat(d.getEventIds()).containsExactly("end");
        });
        assertThat(types()).filteredOn("alert-flapping"::equals).hasSize(1);
    }

    @Test
    void aFlappingAlertThatResolvesEndsResolved() {
        flipEveryMinute(HIGH_CPU, "r", 5).until(minutes(30));

        assertThat(timeline.decisions()).extracting(Decision::getType, Decision::getTime).endsWith(
                tuple("alert-flapping", T0 + 4 * 60_000),
                tuple("alert-flapping-ended", T0 + 15 * 60_000));
        assertThat(timeline.decisions()).last()
                .satisfies(d -> assertThat(d.getParams()).containsEntry("status", "resolved"));
    }

    @Test
    void fourStateChangesSpanningTheWholeWindowAreNotFlapping() {
        // changes at 1m, 4m, 7m and 11m: the first and the fourth are exactly 10 minutes apart.
        timeline.at(seconds(0), firing("r0", HIGH_CPU))
                .at(minutes(1), resolved("r1", HIGH_CPU, minutes(1)))
                .at(minutes(4), firing("r2", HIGH_CPU))
                .at(minutes(7), resolved("r3", HIGH_CPU, minutes(7)))
                .at(minutes(11), firing("r4", HIGH_CPU))
                .until(minutes(40));

        assertThat(types()).containsExactly("alert-firing", "alert-resolved", "alert-firing", "alert-resolved",
                "alert-firing", "alert-resolved");
    }

    @Test
    void resolvesByTimeoutCountAsStateChanges() {
        // Each firing report gives an end 30 s ahead; the alert resolves when it passes.
        timeline.at(seconds(0), AlertReportsForTest.report("r0", HIGH_CPU, null, at(seconds(30))))
                .at(seconds(60), AlertReportsForTest.report("r1", HIGH_CPU, null, at(seconds(90))))
                .at(seconds(120), AlertReportsForTest.report("r2", HIGH_CPU, null, at(seconds(150))))
                .until(minutes(3));

        assertThat(timeline.decisions()).extracting(Decision::getType, Decision::getTime).containsExactly(
                tuple("alert-firing", T0),
                tuple("alert-resolved", T0 + 30_000),
                tuple("alert-firing", T0 + 60_000),
                tuple("alert-resolved", T0 + 90_000),
                tuple("alert-flapping", T0 + 120_000));
    }

    @Test
    void anotherAlertIsNotHeldBackByAFlappingOne() {
        flipEveryMinute(HIGH_CPU, "r", 4);
        timeline.at(minutes(5), firing("d1", DISK_FULL))
                .at(minutes(6), resolved("d2", DISK_FULL, minutes(6)))
                .until(minutes(7));

        assertThat(timeline.decisions()).extracting(Decision::getType, Decision::getEventIds).endsWith(
                tuple("alert-flapping", List.of("r1", "r2", "r3", "r4")),
                tuple("alert-firing", List.of("d1")),
                tuple("alert-resolved", List.of("d2")));
    }

    @Test
    void changesArrivingTogetherAreHeldBackTogether() {
        timeline.batch(arrival(seconds(0), firing("r0", HIGH_CPU)),
                        arrival(seconds(0), resolved("r1", HIGH_CPU, seconds(0))),
                        arrival(seconds(0), firing("r2", HIGH_CPU)),
                        arrival(seconds(0), resolved("r3", HIGH_CPU, seconds(0))),
                        arrival(seconds(0), firing("r4", HIGH_CPU)),
                        arrival(seconds(0), resolved("r5", HIGH_CPU, seconds(0))))
                .until(minutes(1));

        assertThat(timeline.decisions()).singleElement().satisfies(d -> {
            assertThat(d.getType()).isEqualTo("alert-flapping");
            assertThat(d.getParams()).containsEntry("changes", 5);
            assertThat(d.getEventIds()).containsExactly("r1", "r2", "r3", "r4", "r5");
        });
    }

    @Test
    void noFlappingStateIsLeftOnceTheAlertIsForgotten() {
        flipEveryMinute(HIGH_CPU, "r", 5).until(minutes(60));

        assertThat(timeline.facts(AlertFlapping.class)).isEmpty();
        assertThat(timeline.facts(QuietTimer.class)).isEmpty();
        assertThat(timeline.facts(AlertNotice.class)).isEmpty();
    }

    /** Reports as the alert intake journals them. */
    static final class AlertReportsForTest {
        private AlertReportsForTest() {
        }

        static Event report(String id, Map<String, String> labels, String startsAt, String endsAt) {
            Map<String, Object> alert = new LinkedHashMap<>();
            alert.put("labels", labels);
            alert.put("startsAt", startsAt);
            alert.put("endsAt", endsAt);
            try {
                return AlertReport.fromData(alert).toEvent(id, "/api/v2/alerts", null);
            } catch (InvalidEventException e) {
                throw new AssertionError(e);
            }
        }

        static String fingerprint(Map<String, String> labels) {
            return org.operon.model.AlertFingerprint.of(labels);
        }
    }
}
