package org.operon.state.incident;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.infinispan.notifications.Listener;
import org.infinispan.notifications.cachelistener.annotation.CacheEntryCreated;
import org.infinispan.notifications.cachelistener.annotation.CacheEntryModified;
import org.infinispan.notifications.cachelistener.event.CacheEntryEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.operon.model.Decision;
import org.operon.state.OperonState;
import org.operon.state.incident.IncidentQuery.StatusFilter;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.Collections;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The incident store on a real Infinispan with its file store, across close and reopen. */
class IncidentStoreIT {
    private static final Instant T0 = Instant.parse("2026-11-27T20:00:00Z");
    private static final Clock CLOCK = Clock.fixed(T0, ZoneOffset.UTC);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One state for the class (opening Infinispan takes most of a second); each test empties the cache. */
    @TempDir
    static Path dataDir;
    private static OperonState state;

    private IncidentStore store;

    @BeforeEach
    void open() {
        if (state == null) {
            state = OperonState.open(dataDir, CLOCK);
        }
        state.durableCache(IncidentStore.CACHE).clear();
        state.durableCache(IncidentStore.ALERTS_CACHE).clear();
        store = IncidentStore.open(state);
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    @AfterAll
    static void close() {
        if (state != null) {
            state.close();
            state = null;
        }
    }

    private void reopen() {
        store.close();
        state.close();
        state = OperonState.open(dataDir, CLOCK);
        store = IncidentStore.open(state);
    }

    /** A snapshot as the rules send it (mutable, with a Long version, nested alerts and labels). */
    private static Map<String, Object> snapshot(String id, String key, String status, long version, Instant updatedAt) {
        Map<String, Object> alert = new LinkedHashMap<>();
        alert.put("fingerprint", "2bd0845d243bb57e");
        alert.put("alertname", "HighLatency");
        alert.put("status", "firing");
        alert.put("labels", new HashMap<>(Map.of("service", key)));
        alert.put("inhibited", false);
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("id", id);
        s.put("correlationKey", key);
        s.put("status", status);
        s.put("openedAt", T0.toString());
        s.put("updatedAt", updatedAt == null ? null : updatedAt.toString());
        s.put("resolvedAt", "resolved".equals(status) && updatedAt != null ? updatedAt.toString() : null);
        s.put("routing", null);
        s.put("alerts", new ArrayList<>(List.of(alert)));
        s.put("version", version);
        return s;
    }

    private static Map<String, Object> snapshot(String id, String status, long version) {
        return snapshot(id, "checkout", status, version, T0.plusSeconds(version));
    }

    private static List<String> ids(List<Map<String, Object>> snapshots) {
        return snapshots.stream().map(s -> (String) s.get("id")).toList();
    }

    @Test
    void keepsTheHighestVersionWhateverTheOrderOfArrival() {
        assertThat(store.apply(snapshot("inc-a", "acknowledged", 3))).isTrue();
        assertThat(store.apply(snapshot("inc-a", "open", 1))).isFalse();
        assertThat(store.apply(snapshot("inc-a", "resolved", 3))).as("equal version changes nothing").isFalse();
        assertThat(store.get("inc-a")).hasValueSatisfying(s -> {
            assertThat(s.get("status")).isEqualTo("acknowledged");
            assertThat(((Number) s.get("version")).longValue()).isEqualTo(3);
        });

        assertThat(store.apply(snapshot("inc-a", "resolved", 4))).isTrue();
        assertThat(store.get("inc-a").orElseThrow().get("status")).isEqualTo("resolved");
        assertThat(store.get("inc-b")).isEmpty();
        assertThat(store.get(null)).isEmpty();
    }

    @Test
    void keepsAnUnmodifiableCopyOfWhatItIsGiven() {
        Map<String, Object> given = snapshot("inc-a", "open", 1);
        store.apply(given);
        given.put("status", "resolved");
        ((List<Object>) given.get("alerts")).clear();

        Map<String, Object> kept = store.get("inc-a").orElseThrow();
        assertThat(kept.get("status")).isEqualTo("open");
        assertThat((List<?>) kept.get("alerts")).hasSize(1);
        assertThat(kept).containsEntry("routing", null);
        assertThatThrownBy(() -> kept.put("status", "x")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> ((List<?>) kept.get("alerts")).clear())
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void refusesSnapshotsWithoutIdVersionOrStatus() {
        Map<String, Object> noId = snapshot("inc-a", "open", 1);
        noId.remove("id");
        Map<String, Object> blankId = snapshot(" ", "open", 1);
        Map<String, Object> noVersion = snapshot("inc-a", "open", 1);
        noVersion.remove("version");
        Map<String, Object> fractionalVersion = snapshot("inc-a", "open", 1);
        fractionalVersion.put("version", 1.5);
        Map<String, Object> textVersion = snapshot("inc-a", "open", 1);
        textVersion.put("version", "2");
        Map<String, Object> noStatus = snapshot("inc-a", "open", 1);
        noStatus.remove("status");
        Map<String, Object> badStatus = snapshot("inc-a", "closed", 1);

        assertThatThrownBy(() -> store.apply(noId)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'id'");
        assertThatThrownBy(() -> store.apply(blankId)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'id'");
        for (Map<String, Object> bad : List.of(noVersion, fractionalVersion, textVersion)) {
            assertThatThrownBy(() -> store.apply(bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'version'");
        }
        assertThatThrownBy(() -> store.apply(noStatus)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'status'");
        assertThatThrownBy(() -> store.apply(badStatus)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("closed");
        assertThat(store.list(IncidentQuery.all())).isEmpty();
        assertThat(state.durableCache(IncidentStore.CACHE).isEmpty()).isTrue();
    }

    @Test
    void listsNewestUpdateFirstThenByIdFilteredByStatusAndKey() {
        store.apply(snapshot("inc-open-old", "checkout", "open", 1, T0));
        store.apply(snapshot("inc-ack", "checkout", "acknowledged", 2, T0.plusSeconds(20)));
        store.apply(snapshot("inc-resolved", "checkout", "resolved", 5, T0.plusSeconds(30)));
        store.apply(snapshot("inc-b-tie", "payments", "open", 1, T0.plusSeconds(10)));
        store.apply(snapshot("inc-a-tie", "payments", "open", 1, T0.plusSeconds(10)));
        store.apply(snapshot("inc-undated", "payments", "open", 1, null));

        assertThat(ids(store.list(IncidentQuery.all()))).containsExactly(
                "inc-resolved", "inc-ack", "inc-a-tie", "inc-b-tie", "inc-open-old", "inc-undated");
        assertThat(ids(store.list(IncidentQuery.all().withStatus(StatusFilter.OPEN))))
                .containsExactly("inc-a-tie", "inc-b-tie", "inc-open-old", "inc-undated");
        assertThat(ids(store.list(IncidentQuery.all().withStatus(StatusFilter.ACKNOWLEDGED)))).containsExactly("inc-ack");
        assertThat(ids(store.list(IncidentQuery.all().withStatus(StatusFilter.RESOLVED)))).containsExactly("inc-resolved");
        assertThat(ids(store.list(IncidentQuery.all().withStatus(StatusFilter.ACTIVE))))
                .containsExactly("inc-ack", "inc-a-tie", "inc-b-tie", "inc-open-old", "inc-undated");
        assertThat(ids(store.list(IncidentQuery.all().withCorrelationKey("checkout"))))
                .containsExactly("inc-resolved", "inc-ack", "inc-open-old");
        assertThat(ids(store.list(IncidentQuery.all().withCorrelationKey("checkout").withStatus(StatusFilter.ACTIVE))))
                .containsExactly("inc-ack", "inc-open-old");
        assertThat(store.list(IncidentQuery.all().withCorrelationKey("nothing"))).isEmpty();
        assertThat(ids(store.list(IncidentQuery.all().withLimit(2)))).containsExactly("inc-resolved", "inc-ack");
    }

    @Test
    void queriesRefuseLimitsAndStatusesOutOfRange() {
        assertThat(IncidentQuery.all().limit()).isEqualTo(100);
        assertThat(IncidentQuery.all().withLimit(1000).limit()).isEqualTo(1000);
        assertThatThrownBy(() -> IncidentQuery.all().withLimit(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> IncidentQuery.all().withLimit(1001)).isInstanceOf(IllegalArgumentException.class);
        assertThat(StatusFilter.parse("active")).isEqualTo(StatusFilter.ACTIVE);
        assertThatThrownBy(() -> StatusFilter.parse("ACTIVE")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("open, acknowledged, resolved, active");
        assertThatThrownBy(() -> StatusFilter.parse(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void appliesTheSnapshotOfIncidentDecisionsOnly() {
        Decision opened = Decision.of("incident-opened", "checkout", "incidents: open", List.of("e1"))
                .withParam("incident", snapshot("inc-a", "open", 1)).stamped(T0.toEpochMilli());
        Decision notIncident = Decision.of("notify", "checkout", "other", List.of("e2"))
                .withParam("incident", snapshot("inc-b", "open", 1)).stamped(T0.toEpochMilli());
        Decision noSnapshot = Decision.of("incident-opened", "checkout", "incidents: open", List.of("e3"))
                .withParam("incident", "inc-c").stamped(T0.toEpochMilli());
        Map<String, Object> invalid = snapshot("inc-d", "open", 1);
        invalid.remove("version");
        Decision invalidSnapshot = Decision.of("incident-updated", "checkout", "incidents: update", List.of("e4"))
                .withParam("incident", invalid).stamped(T0.toEpochMilli());

        assertThat(store.applyDecision(opened)).isTrue();
        assertThat(store.applyDecision(opened)).as("replayed: same version").isFalse();
        assertThat(store.applyDecision(notIncident)).isFalse();
        assertThat(store.applyDecision(noSnapshot)).isFalse();
        assertThat(store.applyDecision(invalidSnapshot)).as("logged and ignored, not thrown").isFalse();

        assertThat(ids(store.list(IncidentQuery.all()))).containsExactly("inc-a");
    }

    @Test
    void incidentsSurviveCloseAndReopen() {
        Map<String, Object> ack = snapshot("inc-a", "acknowledged", 7);
        store.apply(ack);
        store.apply(snapshot("inc-b", "resolved", 2));

        reopen();

        assertThat(ids(store.list(IncidentQuery.all()))).containsExactly("inc-a", "inc-b");
        Map<String, Object> read = store.get("inc-a").orElseThrow();
        assertThat(read).containsEntry("status", "acknowledged").containsEntry("correlationKey", "checkout")
                .containsEntry("updatedAt", T0.plusSeconds(7).toString());
        assertThat(((Number) read.get("version")).longValue()).isEqualTo(7);
        assertThat(store.apply(snapshot("inc-a", "open", 6))).as("an older version after restart").isFalse();
        assertThat(store.get("inc-a").orElseThrow().get("status")).isEqualTo("acknowledged");
    }

    @Test
    void collectsResolvedIncidentsOlderThanTheRetentionOnly() {
        Duration retention = store.retention();
        assertThat(retention).isEqualTo(state.retention());
        Instant now = T0.plus(retention).plusSeconds(100);
        store.apply(snapshot("inc-resolved-old", "checkout", "resolved", 3, T0.plusSeconds(100)));
        store.apply(snapshot("inc-resolved-recent", "checkout", "resolved", 3, T0.plusSeconds(101)));
        store.apply(snapshot("inc-open-old", "checkout", "open", 1, T0));
        store.apply(snapshot("inc-ack-old", "checkout", "acknowledged", 2, T0));

        assertThat(store.collectGarbage(now)).isEqualTo(1);

        assertThat(store.get("inc-resolved-old")).isEmpty();
        assertThat(ids(store.list(IncidentQuery.all())))
                .containsExactlyInAnyOrder("inc-resolved-recent", "inc-open-old", "inc-ack-old");
        reopen();
        assertThat(store.get("inc-resolved-old")).as("removed from disk too").isEmpty();
        assertThat(store.collectGarbage(now)).isZero();
        assertThat(store.collectGarbage(now.plusSeconds(1))).isEqualTo(1);
        assertThat(ids(store.list(IncidentQuery.all()))).containsExactlyInAnyOrder("inc-open-old", "inc-ack-old");
    }

    @Test
    void awaitingASnapshotCompletesWhenOneSatisfiesTheCondition() {
        store.apply(snapshot("inc-a", "open", 1));
        CompletableFuture<Map<String, Object>> alreadyOpen = store.awaitSnapshot("inc-a", s -> "open".equals(s.get("status")));
        CompletableFuture<Map<String, Object>> acknowledged =
                store.awaitSnapshot("inc-a", s -> "acknowledged".equals(s.get("status")));
        CompletableFuture<Map<String, Object>> cancelled =
                store.awaitSnapshot("inc-a", s -> "acknowledged".equals(s.get("status")));
        CompletableFuture<Map<String, Object>> otherIncident =
                store.awaitSnapshot("inc-b", s -> "acknowledged".equals(s.get("status")));

        assertThat(alreadyOpen).isCompleted();
        assertThat(acknowledged).isNotDone();
        cancelled.cancel(false);

        store.apply(snapshot("inc-a", "open", 2));
        assertThat(acknowledged).as("a newer snapshot that does not satisfy the condition").isNotDone();
        store.apply(snapshot("inc-a", "acknowledged", 3));

        assertThat(acknowledged).isCompletedWithValueMatching(s -> ((Number) s.get("version")).longValue() == 3);
        assertThat(cancelled).isCancelled();
        assertThat(otherIncident).isNotDone();
    }

    /** A member alert as the rules' snapshots hold it: an unmodifiable map, shared until the member changes. */
    private static Map<String, Object> member(String fingerprint, String status) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("fingerprint", fingerprint);
        m.put("alertname", "HighLatency");
        m.put("status", status);
        m.put("labels", Map.of("service", "checkout", "instance", fingerprint));
        m.put("startsAt", T0.toString());
        m.put("inhibited", false);
        m.put("flapping", false);
        return Collections.unmodifiableMap(m);
    }

    private static Map<String, Object> withMembers(String id, long version, List<Map<String, Object>> alerts,
                                                   Map<String, String> notified) {
        Map<String, Object> s = snapshot(id, "open", version);
        s.put("alerts", alerts);
        s.put("notifiedAlerts", notified);
        return s;
    }

    private static String json(Map<String, Object> snapshot) throws Exception {
        return JSON.writeValueAsString(snapshot);
    }

    private void flushed() throws InterruptedException {
        assertThat(store.flush(Duration.ofSeconds(30))).as("written to disk").isTrue();
        assertThat(store.isSettled()).isTrue();
    }

    @Test
    void memberAlertsAreKeptApartAndReadBackAsGivenAfterARestart() throws Exception {
        Map<String, Object> a = member("fp-a", "firing");
        Map<String, Object> b = member("fp-b", "firing");
        store.apply(withMembers("inc-a", 1, List.of(a, b), Map.of()));
        Map<String, String> notified = new LinkedHashMap<>();
        notified.put("fp-a", "firing");
        notified.put("fp-c", "firing");
        Map<String, Object> v2 = withMembers("inc-a", 2, List.of(a, member("fp-b", "resolved"), member("fp-c", "firing")),
                notified);
        store.apply(v2);
        String given = json(v2);
        assertThat(json(store.get("inc-a").orElseThrow())).as("the same fields in the same order").isEqualTo(given);
        assertThat(store.get("inc-a").orElseThrow().get("version")).isInstanceOf(Integer.class);
        flushed();
        assertThat(state.durableCache(IncidentStore.ALERTS_CACHE).size()).as("one entry per member").isEqualTo(3);

        reopen();
        assertThat(json(store.get("inc-a").orElseThrow())).isEqualTo(given);
        assertThat(store.get("inc-a").orElseThrow().get("version")).as("the same types after a restart")
                .isInstanceOf(Integer.class);

        Map<String, Object> fewer = withMembers("inc-a", 3, List.of(member("fp-c", "firing")), Map.of("fp-c", "firing"));
        store.apply(fewer);
        flushed();
        assertThat(state.durableCache(IncidentStore.ALERTS_CACHE).size()).as("members left out are removed").isEqualTo(1);
        reopen();
        assertThat(json(store.get("inc-a").orElseThrow())).isEqualTo(json(fewer));
    }

    @Test
    void snapshotsOfAnotherShapeAreKeptWholeAndReplaceTheMembersKeptApart() throws Exception {
        Map<String, Object> a = member("fp-a", "firing");
        store.apply(withMembers("inc-a", 1, List.of(a, member("fp-b", "firing")), Map.of()));
        flushed();
        assertThat(state.durableCache(IncidentStore.ALERTS_CACHE).size()).isEqualTo(2);

        Map<String, Object> duplicated = withMembers("inc-a", 2, List.of(a, a), Map.of());
        Map<String, String> outOfOrder = new LinkedHashMap<>();
        outOfOrder.put("fp-b", "firing");
        outOfOrder.put("fp-a", "firing");
        Map<String, Object> notifiedOutOfOrder = withMembers("inc-b", 1, List.of(a, member("fp-b", "firing")), outOfOrder);
        Map<String, Object> notifiedUnknown = withMembers("inc-c", 1, List.of(a), Map.of("fp-x", "firing"));
        store.apply(duplicated);
        store.apply(notifiedOutOfOrder);
        store.apply(notifiedUnknown);
        flushed();
        assertThat(state.durableCache(IncidentStore.ALERTS_CACHE).size()).as("no member kept apart").isZero();

        reopen();
        assertThat(json(store.get("inc-a").orElseThrow())).isEqualTo(json(duplicated));
        assertThat(json(store.get("inc-b").orElseThrow())).isEqualTo(json(notifiedOutOfOrder));
        assertThat(json(store.get("inc-c").orElseThrow())).isEqualTo(json(notifiedUnknown));
    }

    @Test
    void aChangeWritesTheMembersThatChangedOnly() throws Exception {
        Map<String, Object> a = member("fp-a", "firing");
        Map<String, Object> b = member("fp-b", "firing");
        store.apply(withMembers("inc-a", 1, List.of(a, b), Map.of()));
        flushed();
        WrittenKeys written = new WrittenKeys();
        state.durableCache(IncidentStore.ALERTS_CACHE).addListener(written);
        try {
            Map<String, String> notified = new LinkedHashMap<>();
            notified.put("fp-a", "firing");
            store.apply(withMembers("inc-a", 2, List.of(a, b, member("fp-c", "firing")), Map.of()));
            store.apply(withMembers("inc-a", 3, List.of(a, member("fp-b", "resolved"), member("fp-c", "firing")), Map.of()));
            flushed();
            assertThat(written.keys).as("fp-b changed, fp-c joined; fp-a is the same map").hasSize(2)
                    .noneMatch(k -> k.contains("fp-a@"));
            written.keys.clear();

            store.apply(withMembers("inc-a", 4, List.of(a, member("fp-b", "resolved"), member("fp-c", "firing")), notified));
            flushed();
            assertThat(written.keys).as("fp-a's notified state changed; the others are equal maps")
                    .singleElement().matches(k -> k.contains("fp-a@"));
        } finally {
            state.durableCache(IncidentStore.ALERTS_CACHE).removeListener(written);
        }
    }

    @Test
    void aStormJoiningOneByOneIsKeptAsGivenAtEveryChange() throws Exception {
        List<Map<String, Object>> alerts = new ArrayList<>();
        Map<String, String> notified = new LinkedHashMap<>();
        long version = 0;
        for (int i = 0; i < 300; i++) {
            alerts.add(member("fp-" + i, "firing"));
            if (i == 100) {
                // A notification: from now on the very same notifiedAlerts map, as the rules send it.
                for (Map<String, Object> m : alerts) {
                    notified.put((String) m.get("fingerprint"), "firing");
                }
                notified = Collections.unmodifiableMap(notified);
            }
            if (i % 7 == 3) {
                // A member changed in place (resolved), the others the very maps they were.
                int changed = i / 2;
                alerts.set(changed, member("fp-" + changed, "resolved"));
            }
            Map<String, Object> v = withMembers("inc-storm", ++version, List.copyOf(alerts), notified);
            store.apply(v);
            assertThat(json(store.get("inc-storm").orElseThrow())).as("version %d", version).isEqualTo(json(v));
        }
        Map<String, Object> last = store.get("inc-storm").orElseThrow();
        flushed();
        assertThat(state.durableCache(IncidentStore.ALERTS_CACHE).size()).as("one entry per member").isEqualTo(300);

        reopen();
        assertThat(json(store.get("inc-storm").orElseThrow())).isEqualTo(json(last));

        // Shapes the rules never send, each after the storm's shape again: each still kept exactly as given.
        List<Map<String, Object>> swapped = new ArrayList<>(alerts);
        Collections.swap(swapped, 1, 2);
        List<List<Map<String, Object>>> shapes = List.of(
                concat(alerts, member("fp-new", "firing"), member("fp-new", "firing")),
                concat(alerts, member("fp-7", "firing")),
                swapped,
                alerts.subList(0, 299));
        for (List<Map<String, Object>> shape : shapes) {
            store.apply(withMembers("inc-storm", ++version, List.copyOf(alerts), notified));
            Map<String, Object> odd = withMembers("inc-storm", ++version, shape, notified);
            store.apply(odd);
            assertThat(json(store.get("inc-storm").orElseThrow())).isEqualTo(json(odd));
        }
        store.apply(withMembers("inc-storm", ++version, List.copyOf(alerts), Map.of()));
        Map<String, Object> fewer = withMembers("inc-storm", ++version, alerts.subList(1, 300), Map.of());
        store.apply(fewer);
        flushed();
        reopen();
        assertThat(json(store.get("inc-storm").orElseThrow())).isEqualTo(json(fewer));
        assertThat(state.durableCache(IncidentStore.ALERTS_CACHE).size()).as("the first one left out").isEqualTo(299);
    }

    @Test
    void aSnapshotThatCannotBeKeptChangesNothing() throws Exception {
        Map<String, Object> a = member("fp-a", "firing");
        Map<String, Object> b = member("fp-b", "firing");
        store.apply(withMembers("inc-a", 1, List.of(a, b), Map.of()));
        // Appended, reordered, duplicated: each shape fails on a head value JSON cannot represent.
        for (List<Map<String, Object>> shape : List.of(List.of(a, b, member("fp-c", "firing")), List.of(b, a), List.of(a, a))) {
            Map<String, Object> unwritable = withMembers("inc-a", 2, shape, Map.of());
            unwritable.put("routing", new Object());
            assertThatThrownBy(() -> store.apply(unwritable)).isInstanceOf(IllegalArgumentException.class);
        }

        Map<String, Object> appended = withMembers("inc-a", 2, List.of(a, b, member("fp-c", "firing")), Map.of());
        store.apply(appended);
        assertThat(json(store.get("inc-a").orElseThrow())).isEqualTo(json(appended));
        Map<String, Object> reordered = withMembers("inc-a", 3, List.of(b, a, member("fp-c", "firing")), Map.of());
        store.apply(reordered);
        flushed();
        reopen();
        assertThat(json(store.get("inc-a").orElseThrow())).isEqualTo(json(reordered));
        assertThat(state.durableCache(IncidentStore.ALERTS_CACHE).size()).isEqualTo(3);
    }

    @SafeVarargs
    private static List<Map<String, Object>> concat(List<Map<String, Object>> list, Map<String, Object>... more) {
        List<Map<String, Object>> all = new ArrayList<>(list);
        all.addAll(List.of(more));
        return all;
    }

    @Test
    void aWriteCutShortByACrashLeavesTheIncidentAsItsLastHeadSays() throws Exception {
        store.apply(withMembers("inc-a", 1, List.of(member("fp-a", "firing"), member("fp-b", "firing")), Map.of()));
        flushed();
        String asWritten = json(store.get("inc-a").orElseThrow());
        // What a crash between a batch's member entries and its head leaves: fp-a resolved at version 2, no head 2.
        Map<String, Object> cutShort = new LinkedHashMap<>();
        cutShort.put("incident", "inc-a");
        cutShort.put("fingerprint", "fp-a");
        cutShort.put("version", 2);
        cutShort.put("position", 0);
        cutShort.put("notified", null);
        cutShort.put("alert", member("fp-a", "resolved"));
        state.durableCache(IncidentStore.ALERTS_CACHE).put("5:inc-afp-a@2", JSON.writeValueAsString(cutShort));

        reopen();
        assertThat(json(store.get("inc-a").orElseThrow())).as("as version 1 left it").isEqualTo(asWritten);
        Map<String, Object> v2 = withMembers("inc-a", 2, List.of(member("fp-a", "firing"), member("fp-b", "resolved")), Map.of());
        store.apply(v2);
        flushed();
        assertThat(state.durableCache(IncidentStore.ALERTS_CACHE).size()).as("the left-over entry removed").isEqualTo(2);
        reopen();
        assertThat(json(store.get("inc-a").orElseThrow())).isEqualTo(json(v2));
    }

    /** The keys written to a cache. */
    @Listener(sync = true)
    public static final class WrittenKeys {
        final List<String> keys = new CopyOnWriteArrayList<>();

        @CacheEntryCreated
        @CacheEntryModified
        public void written(CacheEntryEvent<String, String> event) {
            if (!event.isPre()) {
                keys.add(event.getKey());
            }
        }
    }
}
