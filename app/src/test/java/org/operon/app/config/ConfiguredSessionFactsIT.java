package org.operon.app.config;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.operon.engine.SessionFacts;
import org.operon.engine.session.RuleSession;
import org.operon.model.AlertLimits;
import org.operon.model.IncidentPolicy;
import org.operon.model.IncidentSnapshot;
import org.operon.rules.Incident;
import org.operon.rules.IncidentMember;
import org.operon.state.OperonState;
import org.operon.state.incident.IncidentStore;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/** The session facts with a real incident store (Infinispan in a temporary directory): active incidents continue. */
class ConfiguredSessionFactsIT {
    private static final Instant NOW = Instant.parse("2025-03-01T13:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    @TempDir
    Path dir;

    private OperonState state;
    private IncidentStore store;

    @BeforeEach
    void open() {
        state = OperonState.open(dir.resolve("state"), CLOCK);
        store = IncidentStore.open(state);
    }

    @AfterEach
    void close() {
        store.close();
        state.close();
    }

    private static Map<String, Object> incident(String id, String key, String status, String updatedAt) {
        Map<String, String> labels = Map.of("alertname", "HighLatency", "service", key);
        Map<String, Object> alert = new LinkedHashMap<>();
        alert.put("fingerprint", "fp-" + id);
        alert.put("alertname", "HighLatency");
        alert.put("status", "firing");
        alert.put("labels", labels);
        alert.put("startsAt", "2025-03-01T12:00:00Z");
        alert.put("inhibited", false);
        alert.put("flapping", false);
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("id", id);
        s.put("correlationKey", key);
        s.put("groupLabels", Map.of("service", key));
        s.put("commonLabels", labels);
        s.put("status", status);
        s.put("kind", "alerts");
        s.put("openedAt", "2025-03-01T12:00:00Z");
        s.put("updatedAt", updatedAt);
        s.put("acknowledgedAt", null);
        s.put("acknowledgedBy", null);
        s.put("resolvedAt", "resolved".equals(status) ? updatedAt : null);
        s.put("resolvedBy", "resolved".equals(status) ? "operon" : null);
        s.put("reopenCount", 0);
        s.put("escalationLevel", 1);
        s.put("routing", null);
        s.put("alerts", List.of(alert));
        s.put("firingCount", 1);
        s.put("resolvedCount", 0);
        s.put("lastNotifiedAt", "2025-03-01T12:00:30Z");
        s.put("version", 7);
        return s;
    }

    private SessionFacts facts() throws Exception {
        return OperonConfig.load(Map.of(), new Properties()).sessionFacts(store, CLOCK);
    }

    @Test
    void everyLoadEndsWithTheActiveIncidentsOfTheStoreReadAnew() throws Exception {
        store.apply(incident("inc-open", "checkout", "open", "2025-03-01T12:10:00Z"));
        store.apply(incident("inc-acked", "search", "acknowledged", "2025-03-01T12:20:00Z"));
        store.apply(incident("inc-resolved", "billing", "resolved", "2025-03-01T12:30:00Z"));
        SessionFacts facts = facts();
        String fingerprint = facts.fingerprint();

        List<Object> loaded = facts.load();

        assertThat(loaded.get(0)).isInstanceOf(IncidentPolicy.class);
        assertThat(loaded.get(1)).isInstanceOf(AlertLimits.class);
        assertThat(loaded.subList(2, loaded.size())).hasSize(2).allSatisfy(f -> assertThat(f)
                        .isInstanceOfSatisfying(IncidentSnapshot.class, s -> assertThat(s.getReadAt()).isEqualTo(NOW)))
                .extracting(f -> ((IncidentSnapshot) f).getId()).containsExactly("inc-acked", "inc-open");

        // A change of the incidents is seen by the next load, and is no reason to reload.
        Map<String, Object> resolved = incident("inc-open", "checkout", "resolved", "2025-03-01T12:40:00Z");
        resolved.put("version", 8);
        store.apply(resolved);
        assertThat(facts.load()).filteredOn(IncidentSnapshot.class::isInstance)
                .extracting(f -> ((IncidentSnapshot) f).getId()).containsExactly("inc-acked");
        assertThat(facts.fingerprint()).isEqualTo(fingerprint);
        assertThat(OperonConfig.load(Map.of(), new Properties()).sessionFacts().load())
                .noneMatch(IncidentSnapshot.class::isInstance);
    }

    @Test
    void aStoredIncidentThatCannotBeRestoredIsSkipped() throws Exception {
        Map<String, Object> damaged = incident("inc-damaged", "checkout", "open", "not a time");
        store.apply(damaged);
        store.apply(incident("inc-fine", "search", "open", "2025-03-01T12:10:00Z"));

        assertThat(facts().load()).filteredOn(IncidentSnapshot.class::isInstance)
                .extracting(f -> ((IncidentSnapshot) f).getId()).containsExactly("inc-fine");
    }

    @Test
    void aSessionOfThePackagedRulesContinuesTheStoredIncidents() throws Exception {
        store.apply(incident("inc-open", "checkout", "open", "2025-03-01T12:10:00Z"));

        try (RuleSession session = RuleSession.openPackaged(NOW.toEpochMilli(), d -> {
        })) {
            facts().load().forEach(session::insert);
            session.advanceTo(NOW.toEpochMilli() + 1);

            assertThat(session.facts(Incident.class)).singleElement().satisfies(i -> {
                assertThat(i.getId()).isEqualTo("inc-open");
                assertThat(i.getVersion()).isEqualTo(7);
                assertThat(i.getFiringCount()).isEqualTo(1);
            });
            assertThat(session.facts(IncidentMember.class)).singleElement()
                    .satisfies(m -> assertThat(m.isRestored()).isTrue());
            assertThat(session.facts(IncidentSnapshot.class)).isEmpty();
        }
    }
}
