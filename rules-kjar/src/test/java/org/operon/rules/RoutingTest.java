package org.operon.rules;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.operon.model.AlertReport;
import org.operon.model.Event;
import org.operon.model.InvalidEventException;
import org.operon.model.Priority;
import org.operon.model.Routing;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.operon.rules.Timeline.T0;
import static org.operon.rules.Timeline.minutes;
import static org.operon.rules.Timeline.seconds;

/**
 * routing.drl with the packaged tables routing.drl.xlsx and routing-overrides.drl.csv: each firing alert
 * gets one Routing. T0 (2025-03-01 12:00 UTC) is a Saturday, outside the standard business hours;
 * {@link #MONDAY_10AM} is within them.
 */
class RoutingTest {
    static final Duration MONDAY_10AM = Duration.ofHours(46);

    private final Timeline timeline = new Timeline();

    @AfterEach
    void close() {
        timeline.close();
    }

    /** A firing report of an alert, as the alert intake journals it. */
    static Event firing(String id, Map<String, String> labels) {
        try {
            return AlertReport.fromData(Map.of("labels", labels)).toEvent(id, "/api/v2/alerts", null);
        } catch (InvalidEventException e) {
            throw new AssertionError(e);
        }
    }

    static Map<String, String> alert(String alertname, String service, String severity) {
        return Map.of("alertname", alertname, "service", service, "severity", severity, "instance", "host-1");
    }

    private Routing routingOf(Map<String, String> labels) {
        String fingerprint = new org.operon.model.Alert(labels, Map.of(), Instant.EPOCH, Instant.EPOCH, false, null,
                org.operon.model.AlertStatus.FIRING, Instant.EPOCH, null).getFingerprint();
        return timeline.facts(Routing.class).stream().filter(r -> r.getFingerprint().equals(fingerprint))
                .findFirst().orElseThrow(() -> new AssertionError("no Routing for " + labels + " in "
                        + timeline.facts(Routing.class)));
    }

    @Test
    void aCriticalDbAlertOutsideBusinessHoursPagesTheDbTeamAndItsOnCallPhone() {
        Map<String, String> labels = alert("HighLatency", "db", "critical");
        timeline.at(seconds(0), firing("r1", labels)).until(seconds(1));

        assertThat(routingOf(labels)).satisfies(r -> {
            assertThat(r.getTeam()).isEqualTo("db");
            assertThat(r.getPriority()).isEqualTo(Priority.P1);
            assertThat(r.getChannels()).containsExactly("pagerduty-db", "phone-db-oncall");
            assertThat(r.getEscalationDelay()).isEqualTo(Duration.ofMinutes(10));
            assertThat(r.isBusinessHours()).isFalse();
            assertThat(r.getRule()).isEqualTo("Routing_11");
            assertThat(r.getRoutedAt()).isEqualTo(Instant.ofEpochMilli(T0));
        });
        assertThat(timeline.facts(RoutingRequest.class)).isEmpty();
    }

    @Test
    void aCriticalDbAlertWithinBusinessHoursGoesToTheDbTeamsChannels() {
        Map<String, String> labels = alert("HighLatency", "db", "critical");
        timeline.at(MONDAY_10AM, firing("r1", labels)).until(MONDAY_10AM.plusSeconds(1));

        assertThat(routingOf(labels)).satisfies(r -> {
            assertThat(r.getTeam()).isEqualTo("db");
            assertThat(r.getPriority()).isEqualTo(Priority.P1);
            assertThat(r.getChannels()).containsExactly("pagerduty-db", "slack-db");
            assertThat(r.getEscalationDelay()).isEqualTo(Duration.ofMinutes(15));
            assertThat(r.isBusinessHours()).isTrue();
            assertThat(r.getRule()).isEqualTo("Routing_10");
        });
    }

    @Test
    void theMoreSpecificRowWinsOverTheServiceRowAndTheDefault() {
        Map<String, String> warning = alert("SlowQueries", "db", "warning");
        Map<String, String> info = alert("Vacuum", "db", "info");
        timeline.at(seconds(0), firing("r1", warning), firing("r2", info)).until(seconds(1));

        assertThat(routingOf(warning)).satisfies(r -> {
            assertThat(r.getRule()).isEqualTo("Routing_12");
            assertThat(r.getPriority()).isEqualTo(Priority.P3);
            assertThat(r.getEscalationDelay()).as("never").isNull();
        });
        assertThat(routingOf(info)).satisfies(r -> {
            assertThat(r.getRule()).isEqualTo("Routing_13");
            assertThat(r.getPriority()).isEqualTo(Priority.P4);
        });
    }

    @Test
    void anUnknownServiceFallsToTheDefaultRow() {
        Map<String, String> unknown = alert("Odd", "billing-legacy", "warning");
        Map<String, String> noService = Map.of("alertname", "NoLabels");
        timeline.at(seconds(0), firing("r1", unknown), firing("r2", noService)).until(seconds(1));

        for (Map<String, String> labels : java.util.List.of(unknown, noService)) {
            assertThat(routingOf(labels)).satisfies(r -> {
                assertThat(r.getTeam()).isEqualTo("operations");
                assertThat(r.getPriority()).isEqualTo(Priority.P4);
                assertThat(r.getChannels()).containsExactly("slack-ops");
                assertThat(r.getEscalationDelay()).isNull();
                assertThat(r.getRule()).isEqualTo("Routing_18");
            });
        }
    }

    @Test
    void anUnknownServiceThatIsCriticalGetsTheAnyServiceCriticalRow() {
        Map<String, String> labels = alert("Down", "billing-legacy", "critical");
        timeline.at(seconds(0), firing("r1", labels)).until(seconds(1));

        assertThat(routingOf(labels)).satisfies(r -> {
            assertThat(r.getTeam()).isEqualTo("operations");
            assertThat(r.getPriority()).isEqualTo(Priority.P2);
            assertThat(r.getRule()).isEqualTo("Routing_17");
        });
    }

    @Test
    void theCsvOverrideWinsForItsAlertname() {
        Map<String, String> diskFull = alert("DiskFull", "db", "critical");
        timeline.at(seconds(0), firing("r1", diskFull)).until(seconds(1));

        assertThat(routingOf(diskFull)).satisfies(r -> {
            assertThat(r.getTeam()).isEqualTo("storage");
            assertThat(r.getPriority()).isEqualTo(Priority.P2);
            assertThat(r.getChannels()).containsExactly("pagerduty-storage", "slack-storage");
            assertThat(r.getEscalationDelay()).isEqualTo(Duration.ofMinutes(30));
            assertThat(r.getRule()).isEqualTo("Routing overrides_10");
        });
    }

    @Test
    void anAlertKeepsOneRoutingWhileItIsReSentResolvedAndFiresAgainAndLosesItWhenForgotten() {
        Map<String, String> labels = alert("HighLatency", "db", "critical");
        timeline.at(seconds(0), firing("r1", labels))
                .at(minutes(1), firing("r2", labels))
                .at(minutes(2), firing("r3", labels))
                .until(minutes(8)); // resolved at 7m (no re-send for 5 minutes)
        assertThat(timeline.facts(Routing.class)).singleElement()
                .satisfies(r -> assertThat(r.getRoutedAt()).isEqualTo(Instant.ofEpochMilli(T0)));

        timeline.at(minutes(9), firing("r4", labels)).until(minutes(10));
        assertThat(timeline.facts(Routing.class)).as("kept when it fires again").singleElement()
                .satisfies(r -> assertThat(r.getRoutedAt()).isEqualTo(Instant.ofEpochMilli(T0)));

        timeline.until(minutes(40)); // resolved at 14m, forgotten 15 minutes later
        assertThat(timeline.facts(Routing.class)).isEmpty();
        assertThat(timeline.facts(RoutingRequest.class)).isEmpty();
    }

    @Test
    void routingDecidesNothingOnTheDecisionsChannel() {
        timeline.at(seconds(0), firing("r1", alert("HighLatency", "db", "critical"))).until(seconds(1));

        assertThat(timeline.decisions()).extracting(d -> d.getType()).containsExactly("alert-firing");
    }
}
