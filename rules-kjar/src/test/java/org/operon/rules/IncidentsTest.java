package org.operon.rules;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.operon.model.Decision;
import org.operon.model.Event;
import org.operon.model.IncidentPolicy;

import java.time.Duration;
import java.util.ArrayList;
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
import static org.operon.rules.IncidentTimelines.incidentDecisions;
import static org.operon.rules.IncidentTimelines.labels;
import static org.operon.rules.IncidentTimelines.resolveCommand;
import static org.operon.rules.IncidentTimelines.resolves;
import static org.operon.rules.IncidentTimelines.snapshot;
import static org.operon.rules.IncidentTimelines.time;
import static org.operon.rules.Timeline.minutes;
import static org.operon.rules.Timeline.seconds;

/**
 * incidents.drl: grouping by correlation key, lifecycle, reopen, commands, routing and storms.
 * Notification decisions (incident-notifications.drl) are left out where a test is about the lifecycle.
 */
class IncidentsTest {
    private static final Map<String, String> LATENCY = labels("HighLatency", "checkout", "critical");
    private static final Map<String, String> ERRORS = labels("ErrorRate", "checkout", "critical");
    private static final Map<String, String> PAYMENTS = labels("ErrorRate", "payments", "critical");

    private Timeline timeline = new Timeline();

    @AfterEach
    void close() {
        timeline.close();
    }

    /** The incident decisions other than notifications, as (type, subject, time). */
    private List<org.assertj.core.groups.Tuple> lifecycle() {
        return incidentDecisions(timeline).stream().filter(d -> !d.getType().equals("incident-notification"))
                .map(d -> tuple(d.getType(), d.getSubject(), d.getTime())).toList();
    }

    private List<Decision> lifecycleDecisions() {
        return incidentDecisions(timeline).stream().filter(d -> !d.getType().equals("incident-notification")).toList();
    }

    private Decision last() {
        List<Decision> all = lifecycleDecisions();
        return all.get(all.size() - 1);
    }

    @Test
    void theFirstFiringAlertOpensAnIncidentAtOnceWithItsRouting() throws Exception {
        timeline.at(seconds(0), fires("r1", LATENCY)).until(seconds(1));

        assertThat(lifecycle()).containsExactly(tuple("incident-opened", "checkout", time(seconds(0))));
        Decision opened = lifecycleDecisions().get(0);
        assertThat(opened.getRule()).isEqualTo("incident-opened");
        assertThat(opened.getEventIds()).containsExactly("r1");
        assertThat(opened.getParams()).containsEntry("labels", LATENCY);
        Map<String, Object> s = snapshot(opened);
        assertThat(s).containsEntry("id", expectedId("checkout", seconds(0)))
                .containsEntry("correlationKey", "checkout")
                .containsEntry("groupLabels", Map.of("service", "checkout"))
                .containsEntry("commonLabels", LATENCY)
                .containsEntry("status", "open")
                .containsEntry("kind", "alerts")
                .containsEntry("openedAt", at(seconds(0)))
                .containsEntry("updatedAt", at(seconds(0)))
                .containsEntry("acknowledgedAt", null)
                .containsEntry("acknowledgedBy", null)
                .containsEntry("resolvedAt", null)
                .containsEntry("resolvedBy", null)
                .containsEntry("reopenCount", 0)
                .containsEntry("escalationLevel", 1)
                .containsEntry("routing", Map.of("team", "payments", "priority", "P1",
                        "channels", List.of("pagerduty-payments", "slack-payments"), "escalationDelay", "PT10M"))
                .containsEntry("firingCount", 1)
                .containsEntry("resolvedCount", 0)
                .containsEntry("lastNotifiedAt", null)
                .containsEntry("version", 1L)
                .doesNotContainKey("stormCount");
        assertThat(alertsOf(opened)).singleElement().isEqualTo(Map.of("fingerprint", fingerprint(LATENCY),
                "alertname", "HighLatency", "status", "firing", "labels", LATENCY, "startsAt", at(seconds(0)),
                "inhibited", false, "flapping", false));
        assertThat(timeline.facts(Incident.class)).singleElement()
                .satisfies(i -> assertThat(i.getId()).isEqualTo(expectedId("checkout", seconds(0))));
        assertThat(timeline.facts(UngroupedAlert.class)).isEmpty();
    }

    @Test
    void alertsOfOneKeyJoinItsIncidentAndAnotherKeyOpensItsOwn() {
        timeline.at(seconds(0), fires("r1", LATENCY))
                .at(seconds(10), fires("r2", ERRORS))
                .at(seconds(20), fires("r3", PAYMENTS))
                .until(seconds(21));

        assertThat(lifecycle()).containsExactly(
                tuple("incident-opened", "checkout", time(seconds(0))),
                tuple("incident-updated", "checkout", time(seconds(10))),
                tuple("incident-opened", "payments", time(seconds(20))));
        Decision updated = lifecycleDecisions().get(1);
        assertThat(updated.getEventIds()).containsExactly("r2");
        assertThat(updated.getRule()).isEqualTo("incidents: join the incident of its key");
        assertThat(snapshot(updated)).containsEntry("firingCount", 2).containsEntry("version", 2L)
                .containsEntry("commonLabels", Map.of("service", "checkout", "severity", "critical",
                        "instance", "host-1"));
        assertThat(alertsOf(updated)).extracting(a -> a.get("alertname")).containsExactly("HighLatency", "ErrorRate");
        assertThat(snapshot(updated).get("id")).isEqualTo(snapshot(lifecycleDecisions().get(0)).get("id"));
    }

    @Test
    void alertsArrivingTogetherOpenOneIncidentWithOneDecision() {
        timeline.at(seconds(0), fires("r1", LATENCY), fires("r2", ERRORS)).until(seconds(1));

        assertThat(lifecycleDecisions()).singleElement().satisfies(d -> {
            assertThat(d.getType()).isEqualTo("incident-opened");
            assertThat(d.getEventIds()).containsExactlyInAnyOrder("r1", "r2");
            assertThat(snapshot(d)).containsEntry("firingCount", 2).containsEntry("version", 1L);
        });
    }

    @Test
    void theIncidentResolvesByOperonWhenItsLastAlertResolves() {
        timeline.at(seconds(0), fires("r1", LATENCY), fires("r2", ERRORS))
                .at(minutes(1), resolves("r3", LATENCY, minutes(1)))
                .at(minutes(2), resolves("r4", ERRORS, minutes(2)))
                .until(minutes(3));

        assertThat(lifecycle()).containsExactly(
                tuple("incident-opened", "checkout", time(seconds(0))),
                tuple("incident-updated", "checkout", time(minutes(1))),
                tuple("incident-resolved", "checkout", time(minutes(2))));
        assertThat(snapshot(lifecycleDecisions().get(1))).containsEntry("firingCount", 1)
                .containsEntry("resolvedCount", 1).containsEntry("status", "open");
        Decision resolved = last();
        assertThat(resolved.getParams()).containsEntry("by", "operon");
        assertThat(resolved.getEventIds()).containsExactly("r4");
        assertThat(snapshot(resolved)).containsEntry("status", "resolved")
                .containsEntry("resolvedBy", "operon")
                .containsEntry("resolvedAt", at(minutes(2)))
                .containsEntry("firingCount", 0)
                .containsEntry("resolvedCount", 2);
    }

    @Test
    void anAlertFiringAgainWhileItsIncidentIsActiveRejoinsIt() {
        timeline.at(seconds(0), fires("r1", LATENCY), fires("r2", ERRORS))
                .at(minutes(1), resolves("r3", LATENCY, minutes(1)))
                .at(minutes(2), fires("r4", LATENCY))
                .until(minutes(3));

        assertThat(lifecycle()).extracting(t -> t.toList().get(0)).containsExactly(
                "incident-opened", "incident-updated", "incident-updated");
        assertThat(last().getRule()).isEqualTo("incidents: rejoin its incident");
        assertThat(snapshot(last())).containsEntry("firingCount", 2).containsEntry("reopenCount", 0);
        assertThat(alertsOf(last())).hasSize(2);
        assertThat(timeline.facts(Incident.class)).hasSize(1);
    }

    @Test
    void aNewFiringAlertWithinTheReopenWindowReopensTheSameIncidentAtLevelOne() {
        timeline.at(seconds(0), fires("r1", LATENCY))
                .at(minutes(2), resolves("r2", LATENCY, minutes(2)))
                .at(minutes(31), fires("r3", ERRORS)) // 29 minutes after the resolve: within 30
                .until(minutes(32));

        assertThat(lifecycle()).containsExactly(
                tuple("incident-opened", "checkout", time(seconds(0))),
                tuple("incident-resolved", "checkout", time(minutes(2))),
                tuple("incident-reopened", "checkout", time(minutes(31))));
        Decision reopened = last();
        assertThat(reopened.getEventIds()).containsExactly("r3");
        assertThat(snapshot(reopened)).containsEntry("id", snapshot(lifecycleDecisions().get(0)).get("id"))
                .containsEntry("status", "open")
                .containsEntry("reopenCount", 1)
                .containsEntry("escalationLevel", 1)
                .containsEntry("resolvedAt", null)
                .containsEntry("resolvedBy", null)
                .containsEntry("openedAt", at(seconds(0)))
                .containsEntry("firingCount", 1)
                .containsEntry("resolvedCount", 1);
    }

    @Test
    void aNewFiringAlertAfterTheReopenWindowOpensANewIncidentWithANewId() throws Exception {
        timeline.at(seconds(0), fires("r1", LATENCY))
                .at(minutes(2), resolves("r2", LATENCY, minutes(2)))
                .at(minutes(32), fires("r3", LATENCY)) // exactly 30 minutes after the resolve
                .until(minutes(33));

        assertThat(lifecycle()).containsExactly(
                tuple("incident-opened", "checkout", time(seconds(0))),
                tuple("incident-resolved", "checkout", time(minutes(2))),
                tuple("incident-opened", "checkout", time(minutes(32))));
        assertThat(snapshot(last())).containsEntry("id", expectedId("checkout", minutes(32)))
                .containsEntry("reopenCount", 0);
        assertThat(expectedId("checkout", minutes(32))).isNotEqualTo(expectedId("checkout", seconds(0)));
        assertThat(timeline.facts(Incident.class)).as("the old incident is forgotten").hasSize(1);
    }

    @Test
    void afterTheGroupingWindowANewAlertOpensANewIncidentWhileTheOldOneStaysOpen() throws Exception {
        timeline.close();
        timeline = Timeline.seeded(new IncidentPolicy(List.of("service"), minutes(10), minutes(30), seconds(30),
                minutes(5), Duration.ofHours(4)));
        // warnings of checkout escalate after 1 hour: no escalation within this test
        timeline.at(seconds(0), fires("r1", labels("HighLatency", "checkout", "warning")))
                .at(minutes(9), fires("r2", labels("ErrorRate", "checkout", "warning")))
                .at(minutes(10), fires("r3", labels("Saturation", "checkout", "warning")))
                .until(minutes(11));

        assertThat(lifecycle()).containsExactly(
                tuple("incident-opened", "checkout", time(seconds(0))),
                tuple("incident-updated", "checkout", time(minutes(9))),
                tuple("incident-opened", "checkout", time(minutes(10))));
        assertThat(snapshot(last())).containsEntry("id", expectedId("checkout", minutes(10)));
        assertThat(timeline.facts(Incident.class)).extracting(Incident::getStatus).containsOnly("open").hasSize(2);
    }

    @Test
    void theCorrelationKeyFollowsTheGroupByLabelsAndAMissingLabelCountsAsADash() throws Exception {
        timeline.close();
        timeline = Timeline.seeded(new IncidentPolicy(List.of("service", "alertname"), Duration.ofHours(24),
                minutes(30), seconds(30), minutes(5), Duration.ofHours(4)));
        timeline.at(seconds(0), fires("r1", LATENCY), fires("r2", ERRORS))
                .at(seconds(10), fires("r3", labels("HighLatency", null, "critical")))
                .until(seconds(11));

        assertThat(lifecycle()).containsExactlyInAnyOrder(
                tuple("incident-opened", "checkout/HighLatency", time(seconds(0))),
                tuple("incident-opened", "checkout/ErrorRate", time(seconds(0))),
                tuple("incident-opened", "-/HighLatency", time(seconds(10))));
        assertThat(snapshot(last())).containsEntry("groupLabels", Map.of("alertname", "HighLatency"))
                .containsEntry("id", expectedId("-/HighLatency", seconds(10)));
    }

    @Test
    void theOperatorAcknowledgesAndResolvesAndRepeatedOrUnknownCommandsChangeNothing() throws Exception {
        String id = expectedId("checkout", seconds(0));
        timeline.at(seconds(0), fires("r1", LATENCY))
                .at(minutes(1), acknowledge("c1", id, "alice", "looking"))
                .at(minutes(2), acknowledge("c2", id, "bob", null))
                .at(minutes(3), acknowledge("c3", "inc-000000000000", "bob", null),
                        resolveCommand("c4", "inc-000000000000", "bob"))
                .at(minutes(4), resolveCommand("c5", id, "carol"))
                .at(minutes(5), resolveCommand("c6", id, "dave"), acknowledge("c7", id, "dave", null))
                .until(minutes(6));

        assertThat(lifecycle()).containsExactly(
                tuple("incident-opened", "checkout", time(seconds(0))),
                tuple("incident-acknowledged", "checkout", time(minutes(1))),
                tuple("incident-resolved", "checkout", time(minutes(4))));
        Decision acked = lifecycleDecisions().get(1);
        assertThat(acked.getEventIds()).containsExactly("c1");
        assertThat(acked.getParams()).containsEntry("by", "alice").containsEntry("comment", "looking");
        assertThat(snapshot(acked)).containsEntry("status", "acknowledged")
                .containsEntry("acknowledgedBy", "alice")
                .containsEntry("acknowledgedAt", at(minutes(1)));
        Decision resolved = last();
        assertThat(resolved.getParams()).containsEntry("by", "carol");
        assertThat(snapshot(resolved)).containsEntry("status", "resolved").containsEntry("resolvedBy", "carol")
                .containsEntry("firingCount", 1);
        assertThat(timeline.facts(Event.class)).as("commands never stay as events").isEmpty();
        assertThat(timeline.facts(ReceivedIncidentCommand.class)).isEmpty();
    }

    @Test
    void aForgottenAlertStaysInTheIncidentsListAsResolved() {
        timeline.at(seconds(0), fires("r1", LATENCY), fires("r2", ERRORS))
                .at(minutes(1), resolves("r3", LATENCY, minutes(1)))
                .until(minutes(20)); // HighLatency's Alert fact is forgotten at 16m
        assertThat(timeline.facts(org.operon.model.Alert.class)).hasSize(1);
        assertThat(timeline.facts(IncidentMember.class)).extracting(IncidentMember::getFingerprint)
                .containsExactly(fingerprint(ERRORS));

        timeline.at(minutes(21), resolves("r4", ERRORS, minutes(21))).until(minutes(22));

        assertThat(last().getType()).isEqualTo("incident-resolved");
        assertThat(alertsOf(last())).extracting(a -> a.get("alertname"), a -> a.get("status"))
                .containsExactlyInAnyOrder(tuple("HighLatency", "resolved"), tuple("ErrorRate", "resolved"));
    }

    @Test
    void theIncidentTakesTheRoutingOfItsMostUrgentAlertAndNeverFallsBack() {
        timeline.at(seconds(0), fires("r1", labels("Slow", "checkout", "warning")))
                .at(minutes(1), fires("r2", LATENCY))
                .at(minutes(2), fires("r3", labels("Saturation", "checkout", "warning")))
                .at(minutes(3), resolves("r4", LATENCY, minutes(3)))
                .until(minutes(4));

        List<Decision> all = lifecycleDecisions();
        assertThat(all).extracting(d -> (Object) ((Map<?, ?>) snapshot(d).get("routing")).get("priority"))
                .containsExactly("P3", "P1", "P1", "P1");
        assertThat(all).hasSize(4);
    }

    @Test
    void withTheDefaultGroupingAStormMakesTheServicesIncidentAStormIncident() {
        for (int n = 1; n <= 22; n++) {
            timeline.at(seconds(n), fires("s" + n, labels("A" + n, "checkout", "warning")));
        }
        timeline.until(seconds(30));

        List<Decision> all = lifecycleDecisions();
        assertThat(all).extracting(Decision::getType).containsOnly("incident-opened", "incident-updated");
        assertThat(timeline.facts(Incident.class)).singleElement().satisfies(i -> {
            assertThat(i.getKind()).isEqualTo("storm");
            assertThat(i.getStormCount()).isEqualTo(22);
        });
        assertThat(snapshot(all.get(19))).containsEntry("kind", "alerts"); // 20 alerts: no storm yet
        assertThat(snapshot(all.get(20))).containsEntry("kind", "storm").containsEntry("stormCount", 21)
                .containsEntry("firingCount", 21);
        assertThat(snapshot(all.get(21))).containsEntry("stormCount", 22);
    }

    @Test
    void alertsPostedTogetherAsAStormOpenOneStormIncident() {
        List<Event> batch = new ArrayList<>();
        for (int n = 1; n <= 25; n++) {
            batch.add(fires("s" + n, labels("A" + n, "checkout", "warning")));
        }
        timeline.at(seconds(0), batch.toArray(Event[]::new)).until(seconds(1));

        assertThat(lifecycleDecisions()).singleElement().satisfies(d -> {
            assertThat(d.getType()).isEqualTo("incident-opened");
            assertThat(snapshot(d)).containsEntry("kind", "storm").containsEntry("stormCount", 25)
                    .containsEntry("firingCount", 25);
            assertThat(d.getEventIds()).hasSize(25);
        });
        assertThat(timeline.facts(Incident.class)).singleElement()
                .satisfies(i -> assertThat(i.getService()).isEqualTo("checkout"));
    }

    @Test
    void withAnotherGroupingTheAlertsStartingDuringAStormJoinOneStormIncident() {
        timeline.close();
        timeline = Timeline.seeded(new IncidentPolicy(List.of("service", "alertname"), Duration.ofHours(24),
                minutes(30), seconds(30), minutes(5), Duration.ofHours(4)));
        List<String> names = List.of("HighLatency", "ErrorRate", "PodCrashLooping");
        for (int n = 1; n <= 23; n++) {
            Map<String, String> l = labels(names.get(n % 3), "checkout", "warning");
            l.put("instance", "pod-" + n);
            timeline.at(seconds(n), fires("s" + n, l));
        }
        timeline.until(seconds(30));

        List<Incident> incidents = new ArrayList<>(timeline.facts(Incident.class));
        assertThat(incidents).extracting(Incident::getCorrelationKey).containsExactlyInAnyOrder(
                "checkout/HighLatency", "checkout/ErrorRate", "checkout/PodCrashLooping", "checkout/storm");
        Incident storm = incidents.stream().filter(i -> i.getCorrelationKey().equals("checkout/storm")).findFirst()
                .orElseThrow();
        assertThat(storm.getKind()).isEqualTo("storm");
        assertThat(storm.getFiringCount()).isEqualTo(3); // alerts 21, 22, 23
        assertThat(storm.getStormCount()).isEqualTo(23);
        assertThat(storm.getGroupLabels()).isEqualTo(Map.of("service", "checkout"));
        assertThat(incidents).filteredOn(i -> !i.getCorrelationKey().endsWith("/storm"))
                .extracting(Incident::getKind).containsOnly("alerts");
        Decision opened = lifecycleDecisions().stream().filter(d -> d.getSubject().equals("checkout/storm"))
                .findFirst().orElseThrow();
        assertThat(opened.getType()).isEqualTo("incident-opened");
        assertThat(opened.getTime()).isEqualTo(time(seconds(21)));
    }

    @Test
    void theSameJournalGivesTheSameIncidentsAndDecisionIds() {
        List<Decision> first = runScenario(timeline);
        try (Timeline again = new Timeline()) {
            List<Decision> second = runScenario(again);
            assertThat(second).extracting(Decision::getId).containsExactlyElementsOf(
                    first.stream().map(Decision::getId).toList());
            assertThat(second).extracting(d -> snapshot(d).get("id")).containsExactlyElementsOf(
                    first.stream().map(d -> snapshot(d).get("id")).toList());
        }
        assertThat(first).hasSizeGreaterThan(5);
    }

    private static List<Decision> runScenario(Timeline t) {
        t.at(seconds(0), fires("r1", LATENCY))
                .at(seconds(5), fires("r2", PAYMENTS))
                .at(minutes(1), resolves("r3", LATENCY, minutes(1)))
                .at(minutes(3), fires("r4", ERRORS))
                .until(Duration.ofHours(1));
        return incidentDecisions(t);
    }

    @Test
    void nothingIsLeftOnceEverythingResolvedAndTheWindowsPassed() {
        timeline.at(seconds(0), fires("r1", LATENCY), fires("r2", PAYMENTS))
                .at(minutes(1), resolves("r3", LATENCY, minutes(1)), resolves("r4", PAYMENTS, minutes(1)))
                .until(Duration.ofHours(2));

        assertThat(timeline.facts(Incident.class)).isEmpty();
        assertThat(timeline.facts(IncidentMember.class)).isEmpty();
        assertThat(timeline.facts(IncidentTimer.class)).isEmpty();
        assertThat(timeline.facts(UngroupedAlert.class)).isEmpty();
    }
}
