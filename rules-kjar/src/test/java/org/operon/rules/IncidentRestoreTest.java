package org.operon.rules;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.operon.model.Decision;
import org.operon.model.Event;
import org.operon.model.IncidentSnapshot;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.operon.rules.IncidentTimelines.acknowledge;
import static org.operon.rules.IncidentTimelines.expectedId;
import static org.operon.rules.IncidentTimelines.fingerprint;
import static org.operon.rules.IncidentTimelines.fires;
import static org.operon.rules.IncidentTimelines.labels;
import static org.operon.rules.IncidentTimelines.list;
import static org.operon.rules.IncidentTimelines.ofType;
import static org.operon.rules.IncidentTimelines.resolves;
import static org.operon.rules.IncidentTimelines.snapshot;
import static org.operon.rules.IncidentTimelines.time;
import static org.operon.rules.Timeline.T0;
import static org.operon.rules.Timeline.minutes;
import static org.operon.rules.Timeline.seconds;

/**
 * incident-restore.drl: an incident kept in the store continues in a new session (a restart or a switch of
 * rules) with the same id, whether the replayed journal still reaches its opening or not.
 *
 * <p>Each test first runs the story before the restart in one session and keeps the latest snapshot of each
 * incident as the store does (highest version, through JSON); the session after the restart starts with
 * those snapshots.
 */
class IncidentRestoreTest {
    private static final Map<String, String> LATENCY = labels("HighLatency", "checkout", "critical");
    private static final Map<String, String> ERRORS = labels("ErrorRate", "checkout", "warning");
    private static final ObjectMapper JSON = new ObjectMapper();

    private Timeline timeline;

    @AfterEach
    void close() {
        if (timeline != null) {
            timeline.close();
        }
    }

    /** HighLatency fires at 0s (incident checkout; notified at 30s; escalations at 10m and 20m, to level 3). */
    private static final Consumer<Timeline> LATENCY_SINCE_0 = t -> t.at(seconds(0), fires("r1", LATENCY));

    /** The latest snapshot of each incident after {@code story} ran until {@code crash}, as the store keeps it. */
    private static List<Map<String, Object>> storedAfter(Consumer<Timeline> story, Duration crash) throws Exception {
        try (Timeline before = new Timeline()) {
            story.accept(before);
            before.until(crash);
            return stored(before);
        }
    }

    private static List<Map<String, Object>> stored(Timeline t) throws Exception {
        Map<String, Map<String, Object>> latest = new LinkedHashMap<>();
        for (Decision d : t.incidentDecisions()) {
            Map<String, Object> s = snapshot(d);
            Map<String, Object> kept = latest.get((String) s.get("id"));
            if (kept == null || ((Number) kept.get("version")).longValue() < ((Number) s.get("version")).longValue()) {
                latest.put((String) s.get("id"), s);
            }
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> s : latest.values()) {
            out.add(JSON.readValue(JSON.writeValueAsString(s), new TypeReference<LinkedHashMap<String, Object>>() {
            }));
        }
        return out;
    }

    private static IncidentSnapshot restored(Map<String, Object> stored, Duration readAt) {
        return IncidentSnapshot.of(stored, Instant.ofEpochMilli(T0 + readAt.toMillis()));
    }

    private static long version(Map<String, Object> snapshot) {
        return ((Number) snapshot.get("version")).longValue();
    }

    private static Duration at(long minutes, long seconds) {
        return minutes(minutes).plusSeconds(seconds);
    }

    @Test
    void aReSentAlertOfARestoredIncidentIsTheSameAlertContinuing() throws Exception {
        Map<String, Object> stored = storedAfter(LATENCY_SINCE_0, minutes(40)).get(0);
        assertThat(stored).containsEntry("status", "open").containsEntry("escalationLevel", 3)
                .containsEntry("lastNotifiedAt", IncidentTimelines.at(seconds(30)));

        timeline = Timeline.startingAt(minutes(40), restored(stored, minutes(40)));
        timeline.at(at(40, 30), fires("r2", LATENCY))
                .at(at(41, 30), fires("r3", LATENCY))
                .until(minutes(60));

        assertThat(ofType(timeline, "alert-firing")).isEmpty();
        assertThat(timeline.incidentDecisions()).isEmpty();
        assertThat(timeline.facts(Incident.class)).singleElement().satisfies(i -> {
            assertThat(i.getId()).isEqualTo(expectedId("checkout", seconds(0)));
            assertThat(i.getVersion()).isEqualTo(version(stored));
            assertThat(i.getStatus()).isEqualTo(Incident.OPEN);
        });
        assertThat(timeline.facts(IncidentMember.class)).singleElement().satisfies(m -> {
            assertThat(m.isFiring()).isTrue();
            assertThat(m.isRestored()).isFalse();
        });
    }

    @Test
    void aNewAlertOfItsKeyJoinsTheRestoredIncidentAndIsNotifiedAsAChange() throws Exception {
        Map<String, Object> stored = storedAfter(LATENCY_SINCE_0, minutes(40)).get(0);

        timeline = Timeline.startingAt(minutes(40), restored(stored, minutes(40)));
        timeline.at(at(40, 30), fires("r2", LATENCY))
                .at(minutes(41), fires("r3", ERRORS))
                .until(minutes(50));

        assertThat(ofType(timeline, "alert-firing")).singleElement()
                .satisfies(d -> assertThat(d.getSubject()).isEqualTo(fingerprint(ERRORS)));
        assertThat(ofType(timeline, "incident-opened")).isEmpty();
        assertThat(ofType(timeline, "incident-updated")).singleElement().satisfies(d -> {
            assertThat(d.getTime()).isEqualTo(time(minutes(41)));
            assertThat(snapshot(d)).containsEntry("id", stored.get("id"))
                    .containsEntry("firingCount", 2).containsEntry("version", version(stored) + 1);
        });
        // On the group-interval grid of the last notification (30s): 40m30s had nothing new, 45m30s has.
        assertThat(ofType(timeline, "incident-notification")).singleElement().satisfies(d -> {
            assertThat(d.getTime()).isEqualTo(time(at(45, 30)));
            assertThat(d.getParams()).containsEntry("reason", "changed");
            assertThat(list(d, "firing")).extracting(a -> a.get("alertname"))
                    .containsExactly("HighLatency", "ErrorRate");
        });
    }

    @Test
    void aFirstReportThatIsResolvedResolvesTheRestoredAlertAndItsIncident() throws Exception {
        Map<String, Object> stored = storedAfter(LATENCY_SINCE_0, minutes(40)).get(0);

        timeline = Timeline.startingAt(minutes(40), restored(stored, minutes(40)));
        timeline.at(at(40, 30), resolves("r2", LATENCY, at(40, 30))).until(minutes(50));

        assertThat(ofType(timeline, "alert-firing")).isEmpty();
        assertThat(ofType(timeline, "alert-resolved")).singleElement().satisfies(d -> {
            assertThat(d.getSubject()).isEqualTo(fingerprint(LATENCY));
            assertThat(d.getEventIds()).containsExactly("r2");
        });
        assertThat(ofType(timeline, "incident-resolved")).singleElement().satisfies(d -> {
            assertThat(d.getTime()).isEqualTo(time(at(40, 30)));
            assertThat(d.getParams()).containsEntry("by", "operon");
            assertThat(snapshot(d)).containsEntry("id", stored.get("id")).containsEntry("firingCount", 0);
        });
        assertThat(ofType(timeline, "incident-notification")).singleElement().satisfies(d -> {
            assertThat(d.getTime()).isEqualTo(time(at(45, 30)));
            assertThat(d.getParams()).containsEntry("reason", "resolved");
        });
    }

    @Test
    void aRestoredAlertNeverReportedResolvesAfterTheResolveTimeoutAndTheIncidentCanReopen() throws Exception {
        Map<String, Object> stored = storedAfter(LATENCY_SINCE_0, minutes(40)).get(0);

        timeline = Timeline.startingAt(minutes(40), restored(stored, minutes(40)));
        timeline.until(minutes(45).minusMillis(1));
        assertThat(timeline.incidentDecisions()).isEmpty();

        timeline.until(minutes(46)).at(minutes(50), fires("r2", LATENCY));

        assertThat(ofType(timeline, "incident-resolved")).singleElement().satisfies(d -> {
            assertThat(d.getTime()).isEqualTo(time(minutes(45)));
            assertThat(d.getParams()).containsEntry("by", "operon");
            assertThat(d.getRule()).isEqualTo("incidents: a restored alert is not reported within the resolve timeout");
        });
        assertThat(ofType(timeline, "alert-resolved")).isEmpty();
        assertThat(ofType(timeline, "incident-reopened")).singleElement()
                .satisfies(d -> assertThat(snapshot(d)).containsEntry("id", stored.get("id"))
                        .containsEntry("reopenCount", 1));
        assertThat(ofType(timeline, "incident-opened")).isEmpty();
    }

    @Test
    void theResolveTimeoutCountsFromWhenTheStoreWasReadWhenThatIsLater() throws Exception {
        Map<String, Object> stored = storedAfter(LATENCY_SINCE_0, minutes(40)).get(0);

        // The session replays from 40m, but Operon was stopped until 52m: the alerts were not heard before.
        timeline = Timeline.startingAt(minutes(40), restored(stored, minutes(52)));
        timeline.until(minutes(57).minusMillis(1));
        assertThat(ofType(timeline, "incident-resolved")).isEmpty();

        timeline.until(minutes(58));
        assertThat(ofType(timeline, "incident-resolved")).singleElement()
                .satisfies(d -> assertThat(d.getTime()).isEqualTo(time(minutes(57))));
    }

    @Test
    void aRestoredIncidentCanBeAcknowledged() throws Exception {
        Map<String, Object> stored = storedAfter(LATENCY_SINCE_0, minutes(40)).get(0);

        timeline = Timeline.startingAt(minutes(40), restored(stored, minutes(40)));
        timeline.at(at(40, 30), fires("r2", LATENCY))
                .at(minutes(41), acknowledge("c1", (String) stored.get("id"), "bob", "looking"))
                .at(minutes(42), acknowledge("c2", (String) stored.get("id"), "carol", null))
                .until(minutes(50));

        assertThat(ofType(timeline, "incident-acknowledged")).singleElement().satisfies(d -> {
            assertThat(d.getParams()).containsEntry("by", "bob").containsEntry("comment", "looking");
            assertThat(snapshot(d)).containsEntry("id", stored.get("id")).containsEntry("status", "acknowledged")
                    .containsEntry("version", version(stored) + 1);
        });
    }

    @Test
    void theEscalationContinuesWithTheRestOfItsCountdown() throws Exception {
        // Escalated to level 2 at 10m; the next is due at 20m. Restarted at 17m.
        Map<String, Object> stored = storedAfter(LATENCY_SINCE_0, minutes(15)).get(0);
        assertThat(stored).containsEntry("escalationLevel", 2)
                .containsEntry("escalatesAt", IncidentTimelines.at(minutes(20)));

        timeline = Timeline.startingAt(minutes(17), restored(stored, minutes(17)));
        timeline.at(at(17, 30), fires("r2", LATENCY)).until(minutes(40));

        assertThat(ofType(timeline, "incident-escalated")).singleElement().satisfies(d -> {
            assertThat(d.getTime()).isEqualTo(time(minutes(20)));
            assertThat(d.getParams()).containsEntry("level", 3);
        });
    }

    @Test
    void anOverdueEscalationHappensAtOnce() throws Exception {
        Map<String, Object> stored = storedAfter(LATENCY_SINCE_0, minutes(15)).get(0);

        timeline = Timeline.startingAt(minutes(25), restored(stored, minutes(25)));
        timeline.at(at(25, 30), fires("r2", LATENCY)).until(minutes(60));

        assertThat(ofType(timeline, "incident-escalated")).singleElement().satisfies(d -> {
            assertThat(d.getTime()).isEqualTo(time(minutes(25)));
            assertThat(d.getParams()).containsEntry("level", 3);
        });
    }

    @Test
    void aSnapshotOfAnIncidentTheSessionAlreadyHasIsDropped() throws Exception {
        timeline = new Timeline();
        timeline.at(seconds(0), fires("r1", LATENCY)).until(minutes(1));
        Map<String, Object> stored = stored(timeline).get(0);
        int decisions = timeline.allDecisions().size();

        timeline.withFacts(restored(stored, minutes(1))).until(minutes(2));

        assertThat(timeline.facts(IncidentSnapshot.class)).isEmpty();
        assertThat(timeline.facts(Incident.class)).hasSize(1);
        assertThat(timeline.facts(IncidentMember.class)).singleElement()
                .satisfies(m -> assertThat(m.isRestored()).isFalse());
        assertThat(timeline.allDecisions()).hasSize(decisions);
    }

    /**
     * The story up to the crash at 10m, replayed from 0s (the restore horizon) into a session that starts
     * with the incident restored: the replay changes nothing, and from the crash on the session decides
     * exactly what the first one went on to decide.
     */
    private void assertReplayMatchesTheOriginal(List<Duration> offsets, List<Event> story) throws Exception {
        List<Map<String, Object>> stored;
        List<String> original;
        int crash = 0;
        while (crash < story.size() && offsets.get(crash).compareTo(minutes(10)) <= 0) {
            crash++;
        }
        try (Timeline first = new Timeline()) {
            for (int i = 0; i < crash; i++) {
                first.at(offsets.get(i), story.get(i));
            }
            first.until(minutes(10));
            stored = stored(first);
            for (int i = crash; i < story.size(); i++) {
                first.at(offsets.get(i), story.get(i));
            }
            first.until(minutes(45));
            original = after(first, minutes(10));
        }
        assertThat(stored).hasSize(1);

        timeline = Timeline.startingAt(Duration.ZERO, restored(stored.get(0), minutes(10)));
        for (int i = 0; i < crash; i++) {
            timeline.at(offsets.get(i), story.get(i));
        }
        timeline.until(minutes(10));

        assertThat(timeline.incidentDecisions()).isEmpty();
        assertThat(timeline.facts(Incident.class)).singleElement().satisfies(incident -> assertThat(
                JSON.readValue(JSON.writeValueAsString(incident.snapshot()),
                        new TypeReference<LinkedHashMap<String, Object>>() {
                        })).isEqualTo(stored.get(0)));

        for (int i = crash; i < story.size(); i++) {
            timeline.at(offsets.get(i), story.get(i));
        }
        timeline.until(minutes(45));
        assertThat(after(timeline, minutes(10))).isNotEmpty().isEqualTo(original);
    }

    /** The incident decisions after {@code offset}: type, time, version and the per-type params. */
    private static List<String> after(Timeline t, Duration offset) {
        return t.incidentDecisions().stream().filter(d -> d.getTime() > time(offset))
                .map(d -> d.getType() + "@" + (d.getTime() - T0) + " v" + snapshot(d).get("version") + " "
                        + d.getParams().get("reason") + " " + d.getParams().get("level") + " "
                        + snapshot(d).get("status") + " " + snapshot(d).get("firingCount"))
                .toList();
    }

    @Test
    void aReplayIntoARestoredIncidentChangesNothingAndItGoesOnAsBefore() throws Exception {
        // Opened at 5m inside the replayed journal; ErrorRate joins and resolves; escalations at 15m, 25m.
        assertReplayMatchesTheOriginal(
                List.of(minutes(5), minutes(6), minutes(8), minutes(12), minutes(20)),
                List.of(fires("r1", LATENCY), fires("r2", ERRORS), resolves("r3", ERRORS, minutes(8)),
                        fires("r4", ERRORS), resolves("r5", LATENCY, minutes(20))));
    }

    @Test
    void anAcknowledgementAlreadyInTheSnapshotIsNotAppliedAgain() throws Exception {
        String id = expectedId("checkout", minutes(5));
        assertReplayMatchesTheOriginal(
                List.of(minutes(5), minutes(7), minutes(13), minutes(20)),
                List.of(fires("r1", LATENCY), acknowledge("c1", id, "bob", null), fires("r2", ERRORS),
                        resolves("r3", LATENCY, minutes(20))));
    }
}
