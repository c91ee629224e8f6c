package org.operon.engine;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.operon.model.AlertReport;
import org.operon.model.Decision;
import org.operon.model.Event;
import org.operon.model.IncidentSnapshot;
import org.operon.model.InvalidEventException;
import org.operon.state.OperonState;
import org.operon.state.incident.IncidentQuery;
import org.operon.state.incident.IncidentStore;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.operon.engine.EngineHarness.T0;

/**
 * An incident opened long before a restart (beyond the 15 minutes the engine replays) continues after it,
 * through the real engine, journal and incident store: the sessions start with the store's active
 * incidents, the way the application's session facts give them.
 */
class IncidentsAcrossRestartIT {
    private static final Map<String, String> LATENCY = Map.of("alertname", "HighLatency", "service", "checkout",
            "severity", "critical");
    private static final Map<String, String> ERRORS = Map.of("alertname", "ErrorRate", "service", "checkout",
            "severity", "warning");

    @TempDir
    Path tmp;

    private OperonState state;
    private IncidentStore store;
    /** The wall clock the session facts stamp as the time the store was read. */
    private final AtomicLong readAt = new AtomicLong(T0);

    @BeforeEach
    void open() {
        state = OperonState.open(tmp.resolve("state"), Clock.fixed(Instant.ofEpochMilli(T0), ZoneOffset.UTC));
        store = IncidentStore.open(state);
    }

    @AfterEach
    void close() {
        store.close();
        state.close();
    }

    /** The store's active incidents, as the application hands them to every new session. */
    private final SessionFacts restoredIncidents = new SessionFacts() {
        @Override
        public List<Object> load() {
            return store.list(new IncidentQuery(IncidentQuery.StatusFilter.ACTIVE, null, IncidentQuery.MAX_LIMIT))
                    .stream().<Object>map(s -> IncidentSnapshot.of(s, Instant.ofEpochMilli(readAt.get()))).toList();
        }

        @Override
        public String fingerprint() {
            return "";
        }
    };

    private EngineHarness start(EngineHarness.MemoryCheckpoints checkpoints, Duration at) throws Exception {
        readAt.set(T0 + at.toMillis());
        return new EngineHarness(tmp.resolve("rules"), tmp.resolve("data"), checkpoints, at, restoredIncidents,
                store::applyDecision);
    }

    /** A Prometheus report of a firing alert: no end, so it resolves 5 minutes after its last re-send. */
    private static Event firing(String id, Map<String, String> labels) {
        Map<String, Object> alert = new LinkedHashMap<>();
        alert.put("labels", labels);
        alert.put("startsAt", Instant.ofEpochMilli(T0).toString());
        try {
            return AlertReport.fromData(alert).toEvent(id, "/api/v2/alerts", null);
        } catch (InvalidEventException e) {
            throw new AssertionError(e);
        }
    }

    private List<Map<String, Object>> active() {
        return store.list(new IncidentQuery(IncidentQuery.StatusFilter.ACTIVE, null, IncidentQuery.MAX_LIMIT));
    }

    @SuppressWarnings("unchecked")
    private static Object incidentId(Decision d) {
        return ((Map<String, Object>) d.getParams().get("incident")).get("id");
    }

    @Test
    void anIncidentOpenedBeyondTheRestoreHorizonContinuesAfterARestartAndARulesReload() throws Exception {
        EngineHarness.MemoryCheckpoints checkpoints = new EngineHarness.MemoryCheckpoints();
        String id;
        try (EngineHarness first = start(checkpoints, Duration.ZERO)) {
            first.send(firing("r0", LATENCY));
            for (int minute = 1; minute <= 40; minute++) {
                first.at(Duration.ofMinutes(minute)).send(firing("r" + minute, LATENCY));
            }
            assertThat(first.decisions("incident-opened")).hasSize(1);
            id = (String) incidentId(first.decisions("incident-opened").get(0));
        }
        assertThat(active()).singleElement().satisfies(s -> assertThat(s).containsEntry("id", id));
        long versionBefore = ((Number) store.get(id).orElseThrow().get("version")).longValue();

        // Restarted a minute later: the journal is replayed from 25m only, where HighLatency looks new.
        try (EngineHarness second = start(checkpoints, Duration.ofMinutes(41))) {
            second.send(firing("s1", LATENCY));
            assertThat(second.decisions("alert-firing")).isEmpty();
            assertThat(second.decisions("incident-opened")).isEmpty();
            assertThat(second.decisions).noneMatch(d -> d.getType().startsWith("incident-"));

            second.at(Duration.ofMinutes(42)).send(firing("s2", ERRORS), firing("s3", LATENCY));
            assertThat(second.decisions("alert-firing")).singleElement()
                    .satisfies(d -> assertThat(d.getSubject()).isEqualTo(org.operon.model.AlertFingerprint.of(ERRORS)));
            assertThat(second.decisions("incident-updated")).singleElement()
                    .satisfies(d -> assertThat(incidentId(d)).isEqualTo(id));

            // A reload of the rules restores the incident again (now with both alerts) into the new session.
            assertThat(second.reload().ok()).isTrue();
            second.at(Duration.ofMinutes(43)).send(firing("s4", LATENCY), firing("s5", ERRORS));
            second.at(Duration.ofMinutes(44)).send(firing("s6", LATENCY), firing("s7", ERRORS));
            assertThat(second.decisions("alert-firing")).hasSize(1);
            assertThat(second.decisions("incident-opened")).isEmpty();
            assertThat(second.decisions("incident-updated")).hasSize(1);
        }

        assertThat(active()).singleElement().satisfies(s -> {
            assertThat(s).containsEntry("id", id).containsEntry("firingCount", 2);
            assertThat(((Number) s.get("version")).longValue()).isGreaterThan(versionBefore);
        });
    }
}
