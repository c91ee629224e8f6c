package org.operon.rules;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.operon.model.AlertLimits;
import org.operon.model.Decision;
import org.operon.model.IncidentPolicy;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;
import static org.operon.rules.IncidentTimelines.acknowledge;
import static org.operon.rules.IncidentTimelines.alertsOf;
import static org.operon.rules.IncidentTimelines.at;
import static org.operon.rules.IncidentTimelines.expectedId;
import static org.operon.rules.IncidentTimelines.fingerprint;
import static org.operon.rules.IncidentTimelines.fires;
import static org.operon.rules.IncidentTimelines.labels;
import static org.operon.rules.IncidentTimelines.list;
import static org.operon.rules.IncidentTimelines.ofType;
import static org.operon.rules.IncidentTimelines.resolves;
import static org.operon.rules.IncidentTimelines.snapshot;
import static org.operon.rules.IncidentTimelines.time;
import static org.operon.rules.Timeline.minutes;
import static org.operon.rules.Timeline.seconds;

/**
 * incident-notifications.drl: the first notification after group wait, later ones only at group-interval
 * ticks and only for a change or the repeat interval, one final notification after the resolve. Warnings
 * of checkout escalate only after an hour, which keeps escalation out of most timelines here.
 */
class IncidentNotificationsTest {
    private static final Map<String, String> A = labels("HighLatency", "checkout", "warning");
    private static final Map<String, String> B = labels("ErrorRate", "checkout", "warning");

    private Timeline timeline = new Timeline();

    @AfterEach
    void close() {
        timeline.close();
    }

    private void seed(Object... facts) {
        timeline.close();
        timeline = Timeline.seeded(facts);
    }

    private List<Decision> notifications() {
        return ofType(timeline, "incident-notification");
    }

    /** (reason, time, alertnames firing, alertnames resolved) of each notification. */
    private List<org.assertj.core.groups.Tuple> sent() {
        return notifications().stream().map(d -> tuple(d.getParams().get("reason"), d.getTime(),
                list(d, "firing").stream().map(a -> a.get("alertname")).toList(),
                list(d, "resolved").stream().map(a -> a.get("alertname")).toList())).toList();
    }

    @Test
    void theFirstNotificationWaitsForTheGroupWaitAndNotAMillisecondLess() throws Exception {
        timeline.at(seconds(0), fires("r1", A)).until(Duration.ofMillis(29_999));
        assertThat(notifications()).isEmpty();
        assertThat(ofType(timeline, "incident-opened")).hasSize(1);

        timeline.until(seconds(30));

        assertThat(notifications()).singleElement().satisfies(d -> {
            assertThat(d.getTime()).isEqualTo(time(seconds(30)));
            assertThat(d.getSubject()).isEqualTo("checkout");
            assertThat(d.getRule()).isEqualTo("incident-notification");
            assertThat(d.getParams()).containsEntry("reason", "first")
                    .containsEntry("resolved", List.of())
                    .containsEntry("labels", A)
                    .doesNotContainKey("mutedBy");
            assertThat(list(d, "firing")).singleElement().satisfies(a -> assertThat(a)
                    .containsEntry("fingerprint", fingerprint(A)).containsEntry("status", "firing"));
            assertThat(snapshot(d)).containsEntry("id", expectedId("checkout", seconds(0)))
                    .containsEntry("lastNotifiedAt", at(seconds(30)))
                    .containsEntry("version", 2L);
        });
    }

    @Test
    void changesAreNotifiedAtTheNextIntervalTickOnlyAndAQuietTickSendsNothing() {
        timeline.at(seconds(0), fires("r1", A))
                .at(minutes(1), fires("r2", B))
                .until(Duration.ofMillis(330_000 - 1));
        assertThat(sent()).containsExactly(tuple("first", time(seconds(30)), List.of("HighLatency"), List.of()));

        timeline.until(minutes(5).plusSeconds(30))
                .at(minutes(6), resolves("r3", B, minutes(6)))
                .until(minutes(20));

        assertThat(sent()).containsExactly(
                tuple("first", time(seconds(30)), List.of("HighLatency"), List.of()),
                tuple("changed", time(minutes(5).plusSeconds(30)), List.of("HighLatency", "ErrorRate"), List.of()),
                tuple("changed", time(minutes(10).plusSeconds(30)), List.of("HighLatency"), List.of("ErrorRate")));
    }

    @Test
    void anUnchangedOpenIncidentRepeatsAfterTheRepeatIntervalAtAnIntervalTick() {
        timeline.at(seconds(0), fires("r1", labels("HighLatency", "db", "warning"))) // db warnings never escalate
                .until(Duration.ofHours(4).plusSeconds(29));
        assertThat(sent()).extracting(t -> t.toList().get(0)).containsExactly("first");

        timeline.until(Duration.ofHours(9));

        assertThat(sent()).extracting(t -> t.toList().get(0), t -> t.toList().get(1)).containsExactly(
                tuple("first", time(seconds(30))),
                tuple("repeat", time(Duration.ofHours(4).plusSeconds(30))),
                tuple("repeat", time(Duration.ofHours(8).plusSeconds(30))));
    }

    @Test
    void theWorkedExampleOfTheDocsDecidesExactlyThis() {
        Duration h4 = Duration.ofHours(4);
        timeline.at(seconds(0), fires("r1", A))
                .at(minutes(1), fires("r2", B))
                .at(minutes(6), resolves("r3", B, minutes(6)))
                .at(h4.plusMinutes(12), resolves("r4", A, h4.plusMinutes(12)))
                .at(h4.plusMinutes(20), fires("r5", A))
                .until(h4.plusMinutes(40));

        assertThat(timeline.incidentDecisions()).filteredOn(d -> !d.getType().equals("incident-escalated"))
                .extracting(Decision::getType, Decision::getTime, d -> d.getParams().get("reason")).containsExactly(
                        tuple("incident-opened", time(seconds(0)), null),
                        tuple("incident-notification", time(seconds(30)), "first"),
                        tuple("incident-updated", time(minutes(1)), null),
                        tuple("incident-notification", time(minutes(5).plusSeconds(30)), "changed"),
                        tuple("incident-updated", time(minutes(6)), null),
                        tuple("incident-notification", time(minutes(10).plusSeconds(30)), "changed"),
                        tuple("incident-notification", time(h4.plusMinutes(10).plusSeconds(30)), "repeat"),
                        tuple("incident-resolved", time(h4.plusMinutes(12)), null),
                        tuple("incident-notification", time(h4.plusMinutes(15).plusSeconds(30)), "resolved"),
                        tuple("incident-reopened", time(h4.plusMinutes(20)), null),
                        tuple("incident-notification", time(h4.plusMinutes(20).plusSeconds(30)), "changed"));
        assertThat(snapshot(timeline.incidentDecisions().get(timeline.incidentDecisions().size() - 1)))
                .containsEntry("reopenCount", 1).containsEntry("status", "open");
    }

    @Test
    void anAcknowledgedIncidentIsNotRepeatedButItsChangesAreStillNotified() throws Exception {
        seed(new IncidentPolicy(List.of("service"), Duration.ofHours(24), minutes(30), seconds(30), minutes(5),
                minutes(20)));
        timeline.at(seconds(0), fires("r1", A))
                .at(minutes(1), acknowledge("c1", expectedId("checkout", seconds(0)), "alice", null))
                .until(minutes(61))
                .at(minutes(61), fires("r2", B))
                .until(minutes(70));

        assertThat(sent()).extracting(t -> t.toList().get(0), t -> t.toList().get(1)).containsExactly(
                tuple("first", time(seconds(30))),
                tuple("changed", time(minutes(65).plusSeconds(30))));
    }

    @Test
    void withoutAnAcknowledgementTheSameIncidentRepeatsEveryRepeatInterval() {
        seed(new IncidentPolicy(List.of("service"), Duration.ofHours(24), minutes(30), seconds(30), minutes(5),
                minutes(20)));
        timeline.at(seconds(0), fires("r1", A)).until(minutes(50));

        assertThat(sent()).extracting(t -> t.toList().get(0), t -> t.toList().get(1)).containsExactly(
                tuple("first", time(seconds(30))),
                tuple("repeat", time(minutes(20).plusSeconds(30))),
                tuple("repeat", time(minutes(40).plusSeconds(30))));
    }

    @Test
    void aResolvedIncidentGetsOneFinalNotificationAtTheNextTickAndThenItsTicksStop() {
        timeline.at(seconds(0), fires("r1", A))
                .at(minutes(7), resolves("r2", A, minutes(7)))
                .until(Duration.ofHours(3));

        assertThat(sent()).containsExactly(
                tuple("first", time(seconds(30)), List.of("HighLatency"), List.of()),
                tuple("resolved", time(minutes(10).plusSeconds(30)), List.of(), List.of("HighLatency")));
        assertThat(snapshot(notifications().get(1))).containsEntry("status", "resolved");
        assertThat(timeline.facts(IncidentTimer.class)).isEmpty();
        assertThat(timeline.facts(Incident.class)).as("forgotten after the reopen window").isEmpty();
    }

    @Test
    void anIncidentResolvedBeforeItsFirstNotificationSendsNone() {
        timeline.at(seconds(0), fires("r1", A))
                .at(seconds(10), resolves("r2", A, seconds(10)))
                .until(Duration.ofHours(1));

        assertThat(notifications()).isEmpty();
        assertThat(ofType(timeline, "incident-resolved")).hasSize(1);
    }

    @Test
    void aReopenedIncidentIsNotifiedAfterTheGroupWaitAgain() {
        timeline.at(seconds(0), fires("r1", A))
                .at(minutes(1), resolves("r2", A, minutes(1)))
                .at(minutes(10), fires("r3", A))
                .until(minutes(20));

        assertThat(ofType(timeline, "incident-reopened")).hasSize(1);
        assertThat(sent()).containsExactly(
                tuple("first", time(seconds(30)), List.of("HighLatency"), List.of()),
                tuple("resolved", time(minutes(5).plusSeconds(30)), List.of(), List.of("HighLatency")),
                tuple("changed", time(minutes(10).plusSeconds(30)), List.of("HighLatency"), List.of()));
    }

    /** A fires for good; B fires at 1s, then resolves at 1m, fires at 2m and resolves at 3m: three state changes. */
    private void flapB() {
        timeline.at(seconds(0), fires("a1", A))
                .at(seconds(1), fires("b0", B))
                .at(minutes(1), resolves("b1", B, minutes(1)))
                .at(minutes(2), fires("b2", B))
                .at(minutes(3), resolves("b3", B, minutes(3)))
                .until(minutes(12));
    }

    @Test
    void theChangesOfAFlappingAlertAreNotNotified() {
        seed(new AlertLimits(2, minutes(10), 20, minutes(2))); // flapping at its second change (2m)
        flapB();

        assertThat(sent()).containsExactly(
                tuple("first", time(seconds(30)), List.of("HighLatency", "ErrorRate"), List.of()));
        List<Decision> updates = ofType(timeline, "incident-updated");
        assertThat(alertsOf(updates.get(updates.size() - 1))).filteredOn(a -> a.get("alertname")
                .equals("ErrorRate")).singleElement().satisfies(a -> assertThat(a).containsEntry("flapping", true));
    }

    @Test
    void theSameChangesOfAnAlertThatIsNotFlappingAreNotified() {
        flapB(); // with the default limits, 3 changes are no flapping

        assertThat(sent()).containsExactly(
                tuple("first", time(seconds(30)), List.of("HighLatency", "ErrorRate"), List.of()),
                tuple("changed", time(minutes(5).plusSeconds(30)), List.of("HighLatency"), List.of("ErrorRate")));
    }

    @Test
    void whenEveryFiringAlertIsInhibitedTheNotificationIsSentMuted() {
        seed(new InhibitedAlert(fingerprint(A), "inhibited by test"));
        timeline.at(seconds(0), fires("r1", A)).until(minutes(1));

        assertThat(notifications()).singleElement().satisfies(d -> {
            assertThat(d.getParams()).containsEntry("mutedBy", "all alerts inhibited")
                    .containsEntry("firing", List.of())
                    .containsEntry("reason", "first");
            assertThat(alertsOf(d)).singleElement().satisfies(a -> assertThat(a).containsEntry("inhibited", true));
        });
    }

    @Test
    void inhibitedAlertsAreLeftOutOfANotificationThatIsSent() {
        seed(new InhibitedAlert(fingerprint(A), "inhibited by test"));
        timeline.at(seconds(0), fires("r1", A), fires("r2", B)).until(minutes(1));

        assertThat(notifications()).singleElement().satisfies(d -> {
            assertThat(d.getParams()).doesNotContainKey("mutedBy");
            assertThat(list(d, "firing")).extracting(a -> a.get("alertname")).containsExactly("ErrorRate");
        });
    }
}
