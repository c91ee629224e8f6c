package org.operon.rules;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.operon.model.AlertFingerprint;
import org.operon.model.AlertReport;
import org.operon.model.Decision;
import org.operon.model.Event;
import org.operon.model.InhibitRule;
import org.operon.model.InvalidEventException;
import org.operon.model.Matcher;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.operon.rules.Timeline.T0;
import static org.operon.rules.Timeline.arrival;
import static org.operon.rules.Timeline.minutes;
import static org.operon.rules.Timeline.seconds;

/**
 * inhibition.drl with inhibit rules: while a source alert fires, the alert-firing / alert-resolved
 * decisions of the alerts it inhibits leave muted, and those alerts have an InhibitedAlert fact.
 */
class InhibitionTest {
    private static final Map<String, String> NODE_DOWN = Map.of("alertname", "NodeDown", "instance", "web-01",
            "severity", "critical");
    private static final Map<String, String> NODE_UNREACHABLE = Map.of("alertname", "NodeUnreachable",
            "instance", "web-01", "severity", "critical");
    private static final Map<String, String> DISK_SLOW = Map.of("alertname", "DiskSlow", "instance", "web-01",
            "severity", "warning");
    private static final Map<String, String> DISK_SLOW_WEB02 = Map.of("alertname", "DiskSlow", "instance", "web-02",
            "severity", "warning");
    private static final String NODE_DOWN_FP = AlertFingerprint.of(NODE_DOWN);
    private static final String NODE_UNREACHABLE_FP = AlertFingerprint.of(NODE_UNREACHABLE);
    private static final String DISK_SLOW_FP = AlertFingerprint.of(DISK_SLOW);

    /** NodeDown inhibits the warnings of its instance. */
    private static final InhibitRule NODE_DOWN_RULE = new InhibitRule("node-down",
            List.of(Matcher.equal("alertname", "NodeDown")), List.of(Matcher.equal("severity", "warning")),
            List.of("instance"));
    private static final String BY_NODE_DOWN = "inhibited by alert " + NODE_DOWN_FP + " (rule node-down)";

    private final Timeline timeline = new Timeline();

    @AfterEach
    void close() {
        timeline.close();
    }

    @Test
    void aFiringSourceMutesTheTargetWithTheSameEqualLabels() {
        timeline.withFacts(NODE_DOWN_RULE)
                .at(seconds(0), firing("r1", NODE_DOWN))
                .at(seconds(30), firing("r2", DISK_SLOW));

        Decision diskSlow = Alerts.only(timeline, "alert-firing", DISK_SLOW_FP);
        assertThat(Alerts.mutedBy(diskSlow)).isEqualTo(BY_NODE_DOWN);
        assertThat(diskSlow.getParams()).containsEntry("alertname", "DiskSlow");
        assertThat(Alerts.mutedBy(Alerts.only(timeline, "alert-firing", NODE_DOWN_FP)))
                .as("the source itself is not muted").isNull();
        assertThat(timeline.facts(InhibitedAlert.class))
                .containsExactly(new InhibitedAlert(DISK_SLOW_FP, BY_NODE_DOWN));
    }

    @Test
    void anEqualLabelWithDifferentValuesDoesNotInhibit() {
        timeline.withFacts(NODE_DOWN_RULE)
                .at(seconds(0), firing("r1", NODE_DOWN))
                .at(seconds(30), firing("r2", DISK_SLOW_WEB02));

        assertThat(Alerts.mutedBy(Alerts.only(timeline, "alert-firing", AlertFingerprint.of(DISK_SLOW_WEB02))))
                .isNull();
        assertThat(timeline.facts(InhibitedAlert.class)).isEmpty();
    }

    @Test
    void anEqualLabelBothSidesLackCountsAsEqualButOneSideLackingDoesNot() {
        InhibitRule byCluster = new InhibitRule("cluster", List.of(Matcher.equal("alertname", "NodeDown")),
                List.of(Matcher.equal("severity", "warning")), List.of("cluster"));
        Map<String, String> withCluster = Map.of("alertname", "QueueSlow", "severity", "warning", "cluster", "eu-1");
        timeline.withFacts(byCluster)
                .at(seconds(0), firing("r1", NODE_DOWN), firing("r2", DISK_SLOW), firing("r3", withCluster));

        assertThat(Alerts.mutedBy(Alerts.only(timeline, "alert-firing", DISK_SLOW_FP)))
                .isEqualTo("inhibited by alert " + NODE_DOWN_FP + " (rule cluster)");
        assertThat(Alerts.mutedBy(Alerts.only(timeline, "alert-firing", AlertFingerprint.of(withCluster))))
                .as("cluster=eu-1 is not equal to no cluster").isNull();
    }

    @Test
    void alertsMatchingBothSidesDoNotInhibitEachOtherButAOneSidedSourceInhibitsThem() {
        // Every Disk* alert is a source and a target: without the two-sided exclusion, both would be muted.
        InhibitRule disks = new InhibitRule("disks", List.of(Matcher.regex("alertname", "Disk.*|NodeDown")),
                List.of(Matcher.regex("alertname", "Disk.*")), List.of("instance"));
        Map<String, String> diskFull = Map.of("alertname", "DiskFull", "instance", "web-01", "severity", "critical");
        timeline.withFacts(disks)
                .at(seconds(0), firing("r1", DISK_SLOW), firing("r2", diskFull));

        assertThat(timeline.decisions()).hasSize(2).allSatisfy(d -> assertThat(Alerts.mutedBy(d)).isNull());
        assertThat(timeline.facts(InhibitedAlert.class)).isEmpty();

        // NodeDown matches the source side only, so it inhibits both.
        timeline.at(seconds(30), firing("r3", NODE_DOWN));
        assertThat(timeline.facts(InhibitedAlert.class)).extracting(InhibitedAlert::getFingerprint)
                .containsExactlyInAnyOrder(DISK_SLOW_FP, AlertFingerprint.of(diskFull));
        assertThat(Alerts.mutedBy(Alerts.only(timeline, "alert-firing", NODE_DOWN_FP))).isNull();
    }

    @Test
    void theSourceResolvingLiftsTheInhibitionAndTheTargetsLaterResolveIsNotMuted() {
        timeline.withFacts(NODE_DOWN_RULE)
                .at(seconds(0), firing("r1", NODE_DOWN))
                .at(seconds(30), firing("r2", DISK_SLOW))
                .at(minutes(2), Alerts.resolved("r3", NODE_DOWN, minutes(2)));

        assertThat(timeline.facts(InhibitedAlert.class)).isEmpty();
        assertThat(Alerts.mutedBy(Alerts.only(timeline, "alert-resolved", NODE_DOWN_FP))).isNull();

        timeline.at(minutes(3), Alerts.resolved("r4", DISK_SLOW, minutes(3)));
        assertThat(Alerts.mutedBy(Alerts.only(timeline, "alert-resolved", DISK_SLOW_FP))).isNull();
    }

    @Test
    void aTargetReportedInTheSameBatchAsItsSourceIsMutedWhicheverComesFirst() {
        timeline.withFacts(NODE_DOWN_RULE)
                .batch(arrival(seconds(0), firing("r1", DISK_SLOW)), arrival(seconds(0), firing("r2", NODE_DOWN)));

        assertThat(Alerts.mutedBy(Alerts.only(timeline, "alert-firing", DISK_SLOW_FP))).isEqualTo(BY_NODE_DOWN);
        assertThat(Alerts.mutedBy(Alerts.only(timeline, "alert-firing", NODE_DOWN_FP))).isNull();
    }

    @Test
    void aTargetFiringBeforeItsSourceWasAnnouncedButItsLaterChangesAreMuted() {
        timeline.withFacts(NODE_DOWN_RULE)
                .at(seconds(0), firing("r1", DISK_SLOW))
                .at(minutes(1), firing("r2", NODE_DOWN))
                .at(minutes(2), Alerts.resolved("r3", DISK_SLOW, minutes(2)));

        assertThat(Alerts.mutedBy(Alerts.only(timeline, "alert-firing", DISK_SLOW_FP)))
                .as("it fired before its source").isNull();
        assertThat(Alerts.mutedBy(Alerts.only(timeline, "alert-resolved", DISK_SLOW_FP)))
                .as("resolved while its source fires").isEqualTo(BY_NODE_DOWN);
        assertThat(timeline.facts(InhibitedAlert.class)).as("a resolved alert is not held inhibited").isEmpty();

        timeline.at(minutes(3), firing("r4", DISK_SLOW));
        assertThat(Alerts.all(timeline, "alert-firing", DISK_SLOW_FP)).extracting(Alerts::mutedBy)
                .containsExactly(null, BY_NODE_DOWN);
    }

    @Test
    void aSourceResolvingInTheSameBatchAsItsTargetDoesNotMuteTheTargetsResolve() {
        timeline.withFacts(NODE_DOWN_RULE)
                .at(seconds(0), firing("r1", NODE_DOWN))
                .at(seconds(30), firing("r2", DISK_SLOW))
                .batch(arrival(minutes(2), Alerts.resolved("r3", DISK_SLOW, minutes(2))),
                        arrival(minutes(2), Alerts.resolved("r4", NODE_DOWN, minutes(2))));

        assertThat(Alerts.mutedBy(Alerts.only(timeline, "alert-firing", DISK_SLOW_FP))).isEqualTo(BY_NODE_DOWN);
        assertThat(Alerts.mutedBy(Alerts.only(timeline, "alert-resolved", DISK_SLOW_FP))).isNull();
    }

    @Test
    void regexAndNegativeMatchersSelectTheTargets() {
        InhibitRule rule = new InhibitRule("node", List.of(Matcher.regex("alertname", "Node(Down|Unreachable)")),
                List.of(Matcher.notEqual("severity", "critical"), Matcher.notRegex("alertname", "Watchdog|Heartbeat.*")),
                List.of("instance"));
        Map<String, String> heartbeat = Map.of("alertname", "HeartbeatLost", "instance", "web-01", "severity", "info");
        Map<String, String> diskFull = Map.of("alertname", "DiskFull", "instance", "web-01", "severity", "critical");
        Map<String, String> nodeUp = Map.of("alertname", "NodeUpgrade", "instance", "web-01", "severity", "info");
        Map<String, String> info = Map.of("alertname", "CacheCold", "instance", "web-01", "severity", "info");
        timeline.withFacts(rule)
                .at(seconds(0), firing("r1", NODE_UNREACHABLE))
                .at(seconds(30), firing("r2", DISK_SLOW), firing("r3", heartbeat), firing("r4", diskFull),
                        firing("r5", info));

        assertThat(timeline.facts(InhibitedAlert.class)).extracting(InhibitedAlert::getFingerprint)
                .containsExactlyInAnyOrder(DISK_SLOW_FP, AlertFingerprint.of(info));
        assertThat(Alerts.mutedBy(Alerts.only(timeline, "alert-firing", AlertFingerprint.of(heartbeat)))).isNull();
        assertThat(Alerts.mutedBy(Alerts.only(timeline, "alert-firing", AlertFingerprint.of(diskFull)))).isNull();

        // NodeUpgrade matches no source (the regex is anchored), so it inhibits nothing.
        timeline.at(minutes(1), Alerts.resolved("r6", NODE_UNREACHABLE, minutes(1)), firing("r7", nodeUp));
        assertThat(timeline.facts(InhibitedAlert.class)).isEmpty();
    }

    @Test
    void twoSourcesEachInhibitAndOneResolvingLeavesTheTargetInhibitedByTheOther() {
        InhibitRule rule = new InhibitRule("node", List.of(Matcher.regex("alertname", "Node(Down|Unreachable)")),
                List.of(Matcher.equal("severity", "warning")), List.of("instance"));
        String byDown = "inhibited by alert " + NODE_DOWN_FP + " (rule node)";
        String byUnreachable = "inhibited by alert " + NODE_UNREACHABLE_FP + " (rule node)";
        timeline.withFacts(rule)
                .at(seconds(0), firing("r1", NODE_DOWN), firing("r2", NODE_UNREACHABLE))
                .at(seconds(30), firing("r3", DISK_SLOW));

        assertThat(Alerts.mutedBy(Alerts.only(timeline, "alert-firing", DISK_SLOW_FP)))
                .as("the first reason in sorted order, and a count of the others")
                .isEqualTo((byDown.compareTo(byUnreachable) < 0 ? byDown : byUnreachable) + " (and 1 more)");
        assertThat(timeline.facts(InhibitedAlert.class)).extracting(InhibitedAlert::getReason)
                .containsExactlyInAnyOrder(byDown, byUnreachable);

        timeline.at(minutes(1), Alerts.resolved("r4", NODE_DOWN, minutes(1)));
        assertThat(timeline.facts(InhibitedAlert.class))
                .containsExactly(new InhibitedAlert(DISK_SLOW_FP, byUnreachable));

        timeline.at(minutes(2), Alerts.resolved("r5", DISK_SLOW, minutes(2)));
        assertThat(Alerts.mutedBy(Alerts.only(timeline, "alert-resolved", DISK_SLOW_FP))).isEqualTo(byUnreachable);
    }

    @Test
    void oneReasonJustifiedTwiceIsOneFactDespiteIdentityEquality() {
        // The same rule configured twice justifies the same (fingerprint, reason) twice. The kbase compares
        // facts by identity, but truth maintenance looks InhibitedAlert up by equals: one fact, held while
        // either justification holds.
        InhibitRule again = new InhibitRule("node-down", NODE_DOWN_RULE.getSource(), NODE_DOWN_RULE.getTarget(),
                NODE_DOWN_RULE.getEqual());
        timeline.withFacts(NODE_DOWN_RULE, again)
                .at(seconds(0), firing("r1", NODE_DOWN), firing("r2", DISK_SLOW));

        assertThat(Alerts.mutedBy(Alerts.only(timeline, "alert-firing", DISK_SLOW_FP))).isEqualTo(BY_NODE_DOWN);
        assertThat(timeline.facts(InhibitedAlert.class)).hasSize(1);

        timeline.at(minutes(1), Alerts.resolved("r3", NODE_DOWN, minutes(1)));
        assertThat(timeline.facts(InhibitedAlert.class)).isEmpty();
    }

    @Test
    void anInhibitedSourceStillInhibitsAsInAlertmanager() {
        Map<String, String> diskSlowInfo = Map.of("alertname", "DiskSlowInfo", "instance", "web-01", "severity", "info");
        InhibitRule slowInfo = new InhibitRule("slow-info", List.of(Matcher.equal("alertname", "DiskSlow")),
                List.of(Matcher.equal("severity", "info")), List.of("instance"));
        timeline.withFacts(NODE_DOWN_RULE, slowInfo)
                .at(seconds(0), firing("r1", NODE_DOWN), firing("r2", DISK_SLOW), firing("r3", diskSlowInfo));

        assertThat(Alerts.mutedBy(Alerts.only(timeline, "alert-firing", DISK_SLOW_FP))).isEqualTo(BY_NODE_DOWN);
        assertThat(Alerts.mutedBy(Alerts.only(timeline, "alert-firing", AlertFingerprint.of(diskSlowInfo))))
                .isEqualTo("inhibited by alert " + DISK_SLOW_FP + " (rule slow-info)");
    }

    @Test
    void withoutInhibitRulesNothingIsMuted() {
        timeline.at(seconds(0), firing("r1", NODE_DOWN), firing("r2", DISK_SLOW));

        assertThat(timeline.decisions()).hasSize(2).allSatisfy(d -> assertThat(Alerts.mutedBy(d)).isNull());
        assertThat(timeline.facts(InhibitedAlert.class)).isEmpty();
    }

    @Test
    void aMutedFiringStillCountsForFlappingAndAFlappingAlertStaysHeldBack() {
        // The mute comes after flapping's hold-back: a held-back decision is not sent at all.
        timeline.withFacts(NODE_DOWN_RULE).at(seconds(0), firing("r1", NODE_DOWN), firing("r2", DISK_SLOW));
        for (int m = 1; m <= 4; m++) {
            timeline.at(minutes(m), m % 2 == 1 ? Alerts.resolved("r" + (m + 2), DISK_SLOW, minutes(m))
                    : firing("r" + (m + 2), DISK_SLOW));
        }

        assertThat(timeline.decisions()).filteredOn(d -> d.getSubject().equals(DISK_SLOW_FP))
                .extracting(Decision::getType)
                .containsExactly("alert-firing", "alert-resolved", "alert-firing", "alert-resolved", "alert-flapping");
        assertThat(timeline.decisions()).filteredOn(d -> d.getType().startsWith("alert-")
                        && !d.getType().equals("alert-flapping") && d.getSubject().equals(DISK_SLOW_FP))
                .allSatisfy(d -> assertThat(Alerts.mutedBy(d)).isEqualTo(BY_NODE_DOWN));
    }

    private static Event firing(String id, Map<String, String> labels) {
        return Alerts.firing(id, labels);
    }

    /** Alert reports and decision look-ups shared by the inhibition tests. */
    static final class Alerts {
        private Alerts() {
        }

        /** A firing report without endsAt (it resolves by itself 5 minutes after its last report). */
        static Event firing(String id, Map<String, String> labels) {
            return report(id, labels, null);
        }

        /** A report that resolves the alert at {@code offset}, its arrival. */
        static Event resolved(String id, Map<String, String> labels, Duration offset) {
            return report(id, labels, Instant.ofEpochMilli(T0 + offset.toMillis()).toString());
        }

        private static Event report(String id, Map<String, String> labels, String endsAt) {
            Map<String, Object> alert = new LinkedHashMap<>();
            alert.put("labels", labels);
            alert.put("endsAt", endsAt);
            try {
                return AlertReport.fromData(alert).toEvent(id, "/api/v2/alerts", null);
            } catch (InvalidEventException e) {
                throw new AssertionError(e);
            }
        }

        /** The decisions of a type about one alert, in the order sent. */
        static List<Decision> all(Timeline timeline, String type, String fingerprint) {
            return timeline.decisions().stream()
                    .filter(d -> d.getType().equals(type) && d.getSubject().equals(fingerprint)).toList();
        }

        /** The one decision of a type about one alert; fails when there is none or more. */
        static Decision only(Timeline timeline, String type, String fingerprint) {
            List<Decision> found = all(timeline, type, fingerprint);
            assertThat(found).as(type + " of " + fingerprint).hasSize(1);
            return found.get(0);
        }

        /** The decision's mute reason, or null when it is not muted. */
        static String mutedBy(Decision decision) {
            return (String) decision.getParams().get(Decision.MUTED_BY_PARAM);
        }
    }
}
