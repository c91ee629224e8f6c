package org.operon.rules;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.operon.model.Decision;
import org.operon.model.reference.Team;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;
import static org.operon.rules.IncidentTimelines.acknowledge;
import static org.operon.rules.IncidentTimelines.expectedId;
import static org.operon.rules.IncidentTimelines.fires;
import static org.operon.rules.IncidentTimelines.labels;
import static org.operon.rules.IncidentTimelines.ofType;
import static org.operon.rules.IncidentTimelines.resolveCommand;
import static org.operon.rules.IncidentTimelines.resolves;
import static org.operon.rules.IncidentTimelines.snapshot;
import static org.operon.rules.IncidentTimelines.time;
import static org.operon.rules.Timeline.minutes;
import static org.operon.rules.Timeline.seconds;

/**
 * escalation.drl: a critical checkout alert (routed to team payments, P1, escalating after 10 minutes on
 * this Saturday) escalates an open incident every 10 minutes while its team has levels left.
 */
class EscalationTest {
    private static final Map<String, String> CRITICAL = labels("HighLatency", "checkout", "critical");
    private static final List<String> CHANNELS = List.of("pagerduty-payments", "slack-payments");

    private Timeline timeline;

    @AfterEach
    void close() {
        timeline.close();
    }

    private static Team payments(String... onCall) {
        return new Team("payments", Arrays.asList(onCall));
    }

    /** (level, contact, time) of each escalation. */
    private List<org.assertj.core.groups.Tuple> escalations() {
        return ofType(timeline, "incident-escalated").stream()
                .map(d -> tuple(d.getParams().get("level"), d.getParams().get("contact"), d.getTime())).toList();
    }

    @Test
    void anOpenIncidentEscalatesAfterEachDelayUpTheTeamsOnCallList() {
        timeline = Timeline.seeded(payments("alice", "bob", "carol"));
        timeline.at(seconds(0), fires("r1", CRITICAL)).until(Duration.ofMillis(600_000 - 1));
        assertThat(escalations()).isEmpty();

        timeline.until(Duration.ofHours(2));

        assertThat(escalations()).containsExactly(
                tuple(2, "bob", time(minutes(10))),
                tuple(3, "carol", time(minutes(20))));
        Decision first = ofType(timeline, "incident-escalated").get(0);
        assertThat(first.getSubject()).isEqualTo("checkout");
        assertThat(first.getRule()).isEqualTo("incident-escalated");
        assertThat(first.getParams()).containsEntry("team", "payments").containsEntry("channels", CHANNELS);
        assertThat(snapshot(first)).containsEntry("escalationLevel", 2).containsEntry("status", "open");
    }

    @Test
    void withoutTheTeamOnRecordItEscalatesToLevelThreeWithoutContacts() {
        timeline = new Timeline();
        timeline.at(seconds(0), fires("r1", CRITICAL)).until(Duration.ofHours(2));

        assertThat(escalations()).containsExactly(
                tuple(2, null, time(minutes(10))),
                tuple(3, null, time(minutes(20))));
    }

    @Test
    void aTeamWithOneContactHasNoLevelToEscalateTo() {
        timeline = Timeline.seeded(payments("alice"));
        timeline.at(seconds(0), fires("r1", CRITICAL)).until(Duration.ofHours(2));

        assertThat(escalations()).isEmpty();
    }

    @Test
    void acknowledgingStopsTheClock() throws Exception {
        timeline = Timeline.seeded(payments("alice", "bob", "carol"));
        timeline.at(seconds(0), fires("r1", CRITICAL))
                .at(minutes(15), acknowledge("c1", expectedId("checkout", seconds(0)), "bob", "on it"))
                .until(Duration.ofHours(2));

        assertThat(escalations()).containsExactly(tuple(2, "bob", time(minutes(10))));
    }

    @Test
    void acknowledgingBeforeTheFirstDelayMeansNoEscalationAtAll() throws Exception {
        timeline = Timeline.seeded(payments("alice", "bob", "carol"));
        timeline.at(seconds(0), fires("r1", CRITICAL))
                .at(minutes(9), acknowledge("c1", expectedId("checkout", seconds(0)), "alice", null))
                .until(Duration.ofHours(2));

        assertThat(escalations()).isEmpty();
        assertThat(timeline.facts(IncidentTimer.class)).extracting(IncidentTimer::getKind)
                .doesNotContain(IncidentTimer.ESCALATE);
    }

    @Test
    void resolvingStopsTheClock() throws Exception {
        timeline = Timeline.seeded(payments("alice", "bob", "carol"));
        timeline.at(seconds(0), fires("r1", CRITICAL))
                .at(minutes(5), resolveCommand("c1", expectedId("checkout", seconds(0)), "alice"))
                .until(Duration.ofHours(2));

        assertThat(escalations()).isEmpty();
    }

    @Test
    void reopeningStartsTheClockAgainAtLevelOne() {
        timeline = Timeline.seeded(payments("alice", "bob", "carol"));
        timeline.at(seconds(0), fires("r1", CRITICAL))
                .at(minutes(12), resolves("r2", CRITICAL, minutes(12)))
                .at(minutes(13), fires("r3", CRITICAL))
                .until(minutes(40));

        assertThat(ofType(timeline, "incident-reopened")).singleElement()
                .satisfies(d -> assertThat(snapshot(d)).containsEntry("escalationLevel", 1));
        assertThat(escalations()).containsExactly(
                tuple(2, "bob", time(minutes(10))),
                tuple(2, "bob", time(minutes(23))),
                tuple(3, "carol", time(minutes(33))));
    }

    @Test
    void anIncidentWhoseRoutingNeverEscalatesDoesNot() {
        timeline = Timeline.seeded(new Team("db", List.of("dan", "erin")));
        timeline.at(seconds(0), fires("r1", labels("Slow", "db", "warning"))).until(Duration.ofHours(5));

        assertThat(escalations()).isEmpty();
    }
}
