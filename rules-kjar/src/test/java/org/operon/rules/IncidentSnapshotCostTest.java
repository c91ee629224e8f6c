package org.operon.rules;

import org.junit.jupiter.api.Test;
import org.operon.model.Alert;
import org.operon.model.AlertStatus;
import org.operon.model.Decision;
import org.operon.model.IncidentPolicy;
import org.operon.model.IncidentSnapshot;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What keeps an incident's snapshots cheap for a storm of many alerts: consecutive snapshots share the
 * map of every member that did not change (the incident store writes only the others), and the counts
 * and common labels follow each change without walking the members.
 */
class IncidentSnapshotCostTest {
    private static final Instant T0 = Instant.parse("2026-11-29T02:00:00Z");
    private static final long NOW = T0.toEpochMilli();
    private static final String RULE = "test";

    private static UngroupedAlert alert(String instance, String zone, String eventId) {
        Alert a = new Alert(Map.of("alertname", "HighLatency", "service", "checkout", "instance", instance, "zone", zone),
                Map.of(), T0, T0.plusSeconds(300), true, null, AlertStatus.FIRING, T0, eventId);
        return UngroupedAlert.of(a, IncidentPolicy.defaults(), null, NOW);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> members(Map<String, Object> snapshot) {
        return (List<Map<String, Object>>) snapshot.get("alerts");
    }

    @Test
    void snapshotsShareTheMapsOfMembersThatDidNotChange() {
        UngroupedAlert a = alert("a", "eu", "e1");
        UngroupedAlert b = alert("b", "eu", "e2");
        Incident incident = Incident.open(a, NOW, RULE);
        incident.join(b, NOW + 1, RULE);
        List<Map<String, Object>> first = members(incident.snapshot());

        incident.markInhibited(b.getFingerprint(), true, NOW + 2, RULE);
        List<Map<String, Object>> second = members(incident.snapshot());

        assertThat(second.get(0)).as("a did not change: the same map").isSameAs(first.get(0));
        assertThat(second.get(1)).as("b changed").isNotSameAs(first.get(1)).containsEntry("inhibited", true);
        assertThat(first.get(1)).as("an earlier snapshot is not changed afterwards").containsEntry("inhibited", false);
    }

    @Test
    void eachSnapshotListsEveryMemberAsItWasThenThoughOnlyChangedOnesAreRebuilt() {
        UngroupedAlert a = alert("a", "eu", "e1");
        UngroupedAlert b = alert("b", "eu", "e2");
        UngroupedAlert c = alert("c", "eu", "e3");
        Incident incident = Incident.open(a, NOW, RULE);
        List<Map<String, Object>> first = members(incident.snapshot());

        incident.join(b, NOW + 1, RULE);
        incident.join(c, NOW + 2, RULE);
        incident.markFlapping(a.getFingerprint(), true, NOW + 3, RULE);
        List<Map<String, Object>> second = members(incident.snapshot());
        assertThat(second).extracting(m -> m.get("fingerprint"))
                .containsExactly(a.getFingerprint(), b.getFingerprint(), c.getFingerprint());
        assertThat(second.get(0)).containsEntry("flapping", true);
        assertThat(first).as("an earlier snapshot keeps its list").hasSize(1);
        assertThat(first.get(0)).containsEntry("flapping", false);

        // More changes between two snapshots than the incident has members.
        for (int i = 0; i < 3; i++) {
            incident.markInhibited(b.getFingerprint(), true, NOW + 4, RULE);
            incident.markInhibited(b.getFingerprint(), false, NOW + 4, RULE);
        }
        incident.markInhibited(c.getFingerprint(), true, NOW + 5, RULE);
        incident.memberResolved(a.getFingerprint(), "e4", NOW + 6, RULE);
        List<Map<String, Object>> third = members(incident.snapshot());
        assertThat(third).hasSize(3);
        assertThat(third.get(0)).containsEntry("status", "resolved").containsEntry("flapping", true);
        assertThat(third.get(1)).containsEntry("inhibited", false);
        assertThat(third.get(2)).containsEntry("inhibited", true);
        assertThat(second.get(2)).as("unchanged afterwards").containsEntry("inhibited", false);

        incident.join(alert("d", "eu", "e5"), NOW + 7, RULE);
        List<Map<String, Object>> fourth = members(incident.snapshot());
        assertThat(fourth).hasSize(4);
        assertThat(fourth.subList(0, 3)).as("the maps of members that did not change")
                .zipSatisfy(third, (now, before) -> assertThat(now).isSameAs(before));
        assertThat(incident.snapshot().get("alerts")).as("a snapshot with no change lists the same members")
                .isEqualTo(fourth);
    }

    @Test
    void countsAndCommonLabelsFollowEveryChange() {
        UngroupedAlert a = alert("a", "eu", "e1");
        Incident incident = Incident.open(a, NOW, RULE);
        assertThat(incident.getCommonLabels()).containsEntry("instance", "a").containsEntry("zone", "eu");

        incident.join(alert("b", "eu", "e2"), NOW + 1, RULE);
        assertThat(incident.getCommonLabels()).doesNotContainKey("instance").containsEntry("zone", "eu");
        incident.join(alert("c", "us", "e3"), NOW + 2, RULE);
        assertThat(incident.getCommonLabels()).containsOnlyKeys("alertname", "service");
        assertThat(incident.getFiringCount()).isEqualTo(3);

        incident.memberResolved(a.getFingerprint(), "e4", NOW + 3, RULE);
        incident.memberResolved(a.getFingerprint(), "e4", NOW + 3, RULE);
        assertThat(incident.getFiringCount()).as("resolving twice counts once").isEqualTo(2);
        incident.join(a, NOW + 4, RULE);
        assertThat(incident.getFiringCount()).isEqualTo(3);
        assertThat(incident.snapshot()).containsEntry("firingCount", 3).containsEntry("resolvedCount", 0);

        Incident restored = Incident.restore(IncidentSnapshot.of(incident.snapshot(), T0));
        assertThat(restored.getFiringCount()).isEqualTo(3);
        assertThat(restored.getCommonLabels()).isEqualTo(incident.getCommonLabels());
    }

    @Test
    void updatesMergedIntoOneDecisionListEachEventOnceInOrder() {
        Incident incident = Incident.open(alert("a", "eu", "e1"), NOW, RULE);
        for (int i = 2; i <= 500; i++) {
            incident.join(alert("host-" + i, "eu", "e" + i), NOW, RULE);
        }
        incident.join(alert("host-2", "eu", "e2"), NOW, RULE);

        Decision opened = incident.takePending();
        assertThat(opened.getType()).isEqualTo(IncidentDecisions.OPENED);
        assertThat(opened.getEventIds()).hasSize(500).startsWith("e1", "e2", "e3").endsWith("e500");
        assertThat(incident.isPending()).isFalse();
    }

    @Test
    void itsExplanationNamesTheFirstAlertsAndCountsThemAll() {
        Incident incident = Incident.open(alert("host-0", "eu", "e0"), NOW, RULE);
        for (int i = 1; i < 50; i++) {
            incident.join(alert("host-" + i, "eu", "e" + i), NOW, RULE);
        }
        Map<String, Object> explained = incident.explain();
        assertThat(explained).containsEntry("alertCount", 50);
        assertThat((List<?>) explained.get("alerts")).hasSize(Incident.EXPLAINED_ALERTS)
                .first().isEqualTo(alert("host-0", "eu", "e0").getFingerprint());
    }
}
