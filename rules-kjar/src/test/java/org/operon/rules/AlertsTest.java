package org.operon.rules;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.operon.model.Alert;
import org.operon.model.AlertReport;
import org.operon.model.AlertStatus;
import org.operon.model.Decision;
import org.operon.model.Event;
import org.operon.model.InvalidEventException;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.operon.rules.Timeline.T0;
import static org.operon.rules.Timeline.arrival;
import static org.operon.rules.Timeline.critical;
import static org.operon.rules.Timeline.minutes;
import static org.operon.rules.Timeline.seconds;

/** alerts.drl: operon.alert reports keep one Alert per fingerprint and decide alert-firing / alert-resolved. */
class AlertsTest {
    private static final Map<String, String> HIGH_CPU = Map.of("alertname", "HighCpu", "instance", "web-01",
            "service", "checkout", "severity", "critical");
    private static final String HIGH_CPU_FP = "2bd0845d243bb57e";
    private static final Map<String, String> DISK_FULL = Map.of("alertname", "DiskFull", "instance", "db-01");

    private final Timeline timeline = new Timeline();

    @AfterEach
    void close() {
        timeline.close();
    }

    /** An RFC 3339 time at an offset from T0. */
    private static String at(Duration offset) {
        return Instant.ofEpochMilli(T0 + offset.toMillis()).toString();
    }

    /** A report as the alert intake journals it; null times are left out (unset). */
    private static Event report(String id, Map<String, String> labels, String startsAt, String endsAt) {
        Map<String, Object> alert = new LinkedHashMap<>();
        alert.put("labels", labels);
        alert.put("annotations", Map.of("summary", "report " + id));
        alert.put("startsAt", startsAt);
        alert.put("endsAt", endsAt);
        alert.put("generatorURL", "http://prometheus:9090/graph");
        try {
            return AlertReport.fromData(alert).toEvent(id, "/api/v2/alerts", null);
        } catch (InvalidEventException e) {
            throw new AssertionError(e);
        }
    }

    private static Event firing(String id, Map<String, String> labels) {
        return report(id, labels, null, null);
    }

    private List<Alert> alerts() {
        return timeline.facts(Alert.class);
    }

    @Test
    void aFiringAlertDecidesAlertFiringOnceWithItsLabels() {
        timeline.at(seconds(0), firing("r1", HIGH_CPU)).until(seconds(10));

        assertThat(timeline.decisions()).singleElement().satisfies(d -> {
            assertThat(d.getType()).isEqualTo("alert-firing");
            assertThat(d.getSubject()).isEqualTo(HIGH_CPU_FP);
            assertThat(d.getRule()).isEqualTo("alert-firing: first report");
            assertThat(d.getTime()).isEqualTo(T0);
            assertThat(d.getEventIds()).containsExactly("r1");
            assertThat(d.getParams()).containsEntry("labels", new java.util.TreeMap<>(HIGH_CPU))
                    .containsEntry("fingerprint", HIGH_CPU_FP)
                    .containsEntry("alertname", "HighCpu")
                    .containsEntry("status", "firing")
                    .containsEntry("startsAt", at(seconds(0)))
                    .containsEntry("endsAt", at(minutes(5)))
                    .containsEntry("annotations", Map.of("summary", "report r1"));
        });
        assertThat(alerts()).singleElement().satisfies(a -> {
            assertThat(a.getFingerprint()).isEqualTo(HIGH_CPU_FP);
            assertThat(a.getStatus()).isEqualTo(AlertStatus.FIRING);
            assertThat(a.getStartsAt()).isEqualTo(Instant.ofEpochMilli(T0));
            assertThat(a.getEndsAt()).isEqualTo(Instant.ofEpochMilli(T0 + 300_000));
            assertThat(a.isEndsByTimeout()).isTrue();
        });
    }

    @Test
    void aReSentFiringAlertDecidesNothingNewAndStaysOneFact() {
        timeline.at(seconds(0), report("r1", HIGH_CPU, at(seconds(-30)), null))
                .at(seconds(60), report("r2", HIGH_CPU, at(seconds(-30)), null))
                .at(seconds(120), report("r3", HIGH_CPU, at(seconds(-30)), null))
                .until(seconds(150));

        assertThat(timeline.decisions()).extracting(Decision::getType).containsExactly("alert-firing");
        assertThat(alerts()).singleElement().satisfies(a -> {
            assertThat(a.getReceivedCount()).isEqualTo(3);
            assertThat(a.getLastEventId()).isEqualTo("r3");
            assertThat(a.getUpdatedAt()).isEqualTo(Instant.ofEpochMilli(T0 + 120_000));
            assertThat(a.getStartsAt()).isEqualTo(Instant.ofEpochMilli(T0 - 30_000));
            assertThat(a.getAnnotations()).containsEntry("summary", "report r3");
        });
        assertThat(timeline.facts(Event.class)).as("reports leave working memory").isEmpty();
        assertThat(timeline.facts(ReceivedAlert.class)).isEmpty();
        assertThat(timeline.facts(AlertEndTimer.class)).as("one resolve timer").hasSize(1);
        assertThat(alerts().get(0).getEndsAt()).isEqualTo(Instant.ofEpochMilli(T0 + 420_000));
    }

    @Test
    void anEndsAtInThePastResolvesTheAlertNow() {
        timeline.at(seconds(0), firing("r1", HIGH_CPU))
                .at(seconds(60), report("r2", HIGH_CPU, at(seconds(0)), at(seconds(50))))
                .until(minutes(10));

        assertThat(timeline.decisions()).extracting(Decision::getType, Decision::getTime, Decision::getEventIds)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("alert-firing", T0, List.of("r1")),
                        org.assertj.core.groups.Tuple.tuple("alert-resolved", T0 + 60_000, List.of("r2")));
        Decision resolved = timeline.decisions().get(1);
        assertThat(resolved.getRule()).isEqualTo("alert-resolved: resolved by its sender");
        assertThat(resolved.getParams()).containsEntry("status", "resolved").containsEntry("endsAt", at(seconds(50)));
        assertThat(alerts()).singleElement()
                .satisfies(a -> assertThat(a.getStatus()).isEqualTo(AlertStatus.RESOLVED));
    }

    @Test
    void anAlertNotReSentWithinFiveMinutesResolvesItselfAtExactlyFiveMinutes() {
        timeline.at(seconds(0), firing("r1", HIGH_CPU))
                .until(Duration.ofMillis(300_000 - 1));
        assertThat(timeline.decisions()).extracting(Decision::getType).containsExactly("alert-firing");

        timeline.until(minutes(10));

        assertThat(timeline.decisions()).hasSize(2);
        assertThat(timeline.decisions().get(1)).satisfies(d -> {
            assertThat(d.getType()).isEqualTo("alert-resolved");
            assertThat(d.getRule()).isEqualTo("alert-resolved: end passed");
            assertThat(d.getTime()).isEqualTo(T0 + 300_000);
            assertThat(d.getEventIds()).containsExactly("r1");
            assertThat(d.getSubject()).isEqualTo(HIGH_CPU_FP);
        });
    }

    @Test
    void eachReSendMovesTheResolveTimeout() {
        timeline.at(seconds(0), firing("r1", HIGH_CPU))
                .at(minutes(3), firing("r2", HIGH_CPU))
                .at(minutes(6), firing("r3", HIGH_CPU))
                .until(minutes(30));

        assertThat(timeline.decisions()).extracting(Decision::getType, Decision::getTime).containsExactly(
                org.assertj.core.groups.Tuple.tuple("alert-firing", T0),
                org.assertj.core.groups.Tuple.tuple("alert-resolved", T0 + 11 * 60_000));
        assertThat(timeline.decisions().get(1).getEventIds()).containsExactly("r3");
    }

    @Test
    void anEndsAtInTheFutureKeepsTheAlertFiringUntilThen() {
        timeline.at(seconds(0), report("r1", HIGH_CPU, null, at(minutes(20))))
                // a later report without endsAt does not shorten the end its sender gave
                .at(minutes(1), firing("r2", HIGH_CPU))
                .until(Duration.ofMillis(20 * 60_000 - 1));
        assertThat(timeline.decisions()).extracting(Decision::getType).containsExactly("alert-firing");

        timeline.until(minutes(30));

        assertThat(timeline.decisions()).extracting(Decision::getType, Decision::getTime).containsExactly(
                org.assertj.core.groups.Tuple.tuple("alert-firing", T0),
                org.assertj.core.groups.Tuple.tuple("alert-resolved", T0 + 20 * 60_000));
    }

    @Test
    void aReSentEndsAtEarlierThanBeforeResolvesEarlier() {
        timeline.at(seconds(0), report("r1", HIGH_CPU, null, at(minutes(20))))
                .at(minutes(1), report("r2", HIGH_CPU, null, at(minutes(4))))
                .until(minutes(30));

        assertThat(timeline.decisions()).extracting(Decision::getTime).containsExactly(T0, T0 + 4 * 60_000);
    }

    @Test
    void theZeroTimeAsEndsAtMeansFiring() {
        timeline.at(seconds(0), report("r1", HIGH_CPU, "0001-01-01T00:00:00Z", "0001-01-01T00:00:00.000Z"))
                .until(minutes(1));

        assertThat(timeline.decisions()).extracting(Decision::getType).containsExactly("alert-firing");
        assertThat(alerts()).singleElement().satisfies(a -> {
            assertThat(a.getStartsAt()).isEqualTo(Instant.ofEpochMilli(T0));
            assertThat(a.getEndsAt()).isEqualTo(Instant.ofEpochMilli(T0 + 300_000));
        });
    }

    @Test
    void anAlertFiringAgainAfterItResolvedDecidesAlertFiringAgain() {
        timeline.at(seconds(0), firing("r1", HIGH_CPU))
                .at(seconds(30), report("r2", HIGH_CPU, null, at(seconds(30))))
                .at(minutes(2), report("r3", HIGH_CPU, at(minutes(2)), null))
                .until(minutes(3));

        assertThat(timeline.decisions()).extracting(Decision::getType, Decision::getTime).containsExactly(
                org.assertj.core.groups.Tuple.tuple("alert-firing", T0),
                org.assertj.core.groups.Tuple.tuple("alert-resolved", T0 + 30_000),
                org.assertj.core.groups.Tuple.tuple("alert-firing", T0 + 120_000));
        assertThat(timeline.decisions().get(2).getRule()).isEqualTo("alert-firing: fires again");
        assertThat(timeline.decisions().get(2).getParams()).containsEntry("startsAt", at(minutes(2)));
        assertThat(alerts()).singleElement().satisfies(a -> {
            assertThat(a.getStatus()).isEqualTo(AlertStatus.FIRING);
            assertThat(a.getStartsAt()).isEqualTo(Instant.ofEpochMilli(T0 + 120_000));
        });
    }

    @Test
    void alertReportsAreInvisibleToCriticalBurst() {
        // Three critical reports of one alert (subject = its fingerprint) within 5 minutes would be a burst.
        timeline.at(seconds(0), firing("r1", HIGH_CPU))
                .at(seconds(30), firing("r2", HIGH_CPU))
                .at(seconds(60), firing("r3", HIGH_CPU))
                .until(minutes(30));

        assertThat(timeline.decisions()).extracting(Decision::getType).doesNotContain("notify");
        assertThat(timeline.facts(Event.class)).isEmpty();
        assertThat(timeline.facts(CriticalBurst.class)).isEmpty();
    }

    @Test
    void alertReportsDoNotDisturbABurstOfOrdinaryEvents() {
        Event alertOfTheSameSubject = firing("r1", HIGH_CPU);
        timeline.at(seconds(0), critical("e1", HIGH_CPU_FP))
                .at(seconds(10), alertOfTheSameSubject, critical("e2", HIGH_CPU_FP))
                .at(seconds(20), critical("e3", HIGH_CPU_FP))
                .until(minutes(1));

        assertThat(timeline.decisions()).filteredOn(d -> d.getType().equals("notify")).singleElement()
                .satisfies(d -> assertThat(d.getEventIds()).containsExactly("e1", "e2", "e3"));
    }

    @Test
    void alertsAreKeptApartByFingerprint() {
        timeline.at(seconds(0), firing("r1", HIGH_CPU), firing("d1", DISK_FULL))
                .at(seconds(30), report("d2", DISK_FULL, null, at(seconds(30))))
                .until(minutes(1));

        assertThat(timeline.decisions()).extracting(Decision::getType, Decision::getEventIds).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("alert-firing", List.of("r1")),
                org.assertj.core.groups.Tuple.tuple("alert-firing", List.of("d1")),
                org.assertj.core.groups.Tuple.tuple("alert-resolved", List.of("d2")));
        assertThat(alerts()).hasSize(2);
    }

    @Test
    void reportsOfOneAlertArrivingTogetherAreAppliedInJournalOrder() {
        timeline.batch(arrival(seconds(0), firing("r1", HIGH_CPU)),
                        arrival(seconds(0), report("r2", HIGH_CPU, null, at(seconds(0)))),
                        arrival(seconds(0), firing("r3", HIGH_CPU)))
                .until(minutes(1));

        assertThat(timeline.decisions()).extracting(Decision::getType, Decision::getEventIds).containsExactly(
                org.assertj.core.groups.Tuple.tuple("alert-firing", List.of("r1")),
                org.assertj.core.groups.Tuple.tuple("alert-resolved", List.of("r2")),
                org.assertj.core.groups.Tuple.tuple("alert-firing", List.of("r3")));
        assertThat(alerts()).singleElement().satisfies(a -> assertThat(a.getReceivedCount()).isEqualTo(3));
    }

    @Test
    void anAlertFirstReportedResolvedIsKeptButDecidesNothing() {
        timeline.at(minutes(1), report("r1", HIGH_CPU, at(seconds(0)), at(seconds(30))))
                .until(minutes(2));

        assertThat(timeline.decisions()).isEmpty();
        assertThat(alerts()).singleElement()
                .satisfies(a -> assertThat(a.getStatus()).isEqualTo(AlertStatus.RESOLVED));
    }

    @Test
    void aResolvedReportAboutAnEarlierFiringChangesNothing() {
        timeline.at(minutes(10), report("r1", HIGH_CPU, at(minutes(9)), null))
                .at(minutes(11), report("old", HIGH_CPU, at(minutes(1)), at(minutes(2))))
                .until(minutes(12));

        assertThat(timeline.decisions()).extracting(Decision::getType).containsExactly("alert-firing");
        assertThat(alerts()).singleElement().satisfies(a -> assertThat(a.getStatus()).isEqualTo(AlertStatus.FIRING));
    }

    @Test
    void aResolvedAlertIsForgottenFifteenMinutesAfterItResolved() {
        timeline.at(seconds(0), firing("r1", HIGH_CPU))
                .at(minutes(1), report("r2", HIGH_CPU, null, at(minutes(1))))
                .at(minutes(2), report("r3", HIGH_CPU, null, at(minutes(1))))
                .until(Duration.ofMillis(16 * 60_000 - 1));
        assertThat(alerts()).singleElement().satisfies(a -> assertThat(a.getReceivedCount()).isEqualTo(3));

        timeline.until(minutes(16));

        assertThat(alerts()).isEmpty();
        assertThat(timeline.factCount()).isZero();
        assertThat(timeline.decisions()).extracting(Decision::getType).containsExactly("alert-firing", "alert-resolved");
    }

    @Test
    void anAlertThatResolvedByItselfLeavesNothingBehindAfterItsRetention() {
        timeline.at(seconds(0), firing("r1", HIGH_CPU)).until(minutes(20));

        assertThat(timeline.factCount()).isZero();
    }

    @Test
    void aReportWithItsOwnResolveTimeoutStaysFiringThatLong() throws Exception {
        // As the Alertmanager webhook journals firing alerts: Alertmanager repeats them only every 4 h.
        Event webhookFiring = AlertReport.fromData(Map.of("labels", HIGH_CPU))
                .withResolveTimeout(Duration.ofHours(4).plusMinutes(10)).toEvent("w1", "/api/v1/alertmanager", null);
        timeline.at(seconds(0), webhookFiring).until(Duration.ofMinutes(249).plusSeconds(59));
        assertThat(timeline.decisions()).extracting(Decision::getType).containsExactly("alert-firing");

        timeline.until(minutes(300));

        assertThat(timeline.decisions()).extracting(Decision::getType, Decision::getTime).containsExactly(
                org.assertj.core.groups.Tuple.tuple("alert-firing", T0),
                org.assertj.core.groups.Tuple.tuple("alert-resolved", T0 + 250 * 60_000));
    }

    @Test
    void aFiringAlertIsNotForgotten() {
        for (int m = 0; m <= 60; m++) {
            timeline.at(minutes(m), firing("r" + m, HIGH_CPU));
        }
        timeline.until(seconds(60 * 60 + 30));

        assertThat(alerts()).singleElement().satisfies(a -> assertThat(a.getStatus()).isEqualTo(AlertStatus.FIRING));
        assertThat(timeline.decisions()).hasSize(1);
    }
}
