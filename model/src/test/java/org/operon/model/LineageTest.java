package org.operon.model;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class LineageTest {
    private static final long T0 = Instant.parse("2026-01-05T10:00:00Z").toEpochMilli();

    private static Event critical(String id, long seq, long arrival) {
        return Event.builder().id(id).source("/mon").type("disk.full").subject("db-1").severity(Severity.CRITICAL)
                .build().stamped(seq, arrival);
    }

    /** A fact kept by rules, with events behind it. */
    private static final class Burst implements Explainable {
        private final List<Event> events;

        Burst(List<Event> events) {
            this.events = events;
        }

        @Override
        public String explainKey() {
            return "db-1";
        }

        @Override
        public Map<String, Object> explain() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("count", events.size());
            return m;
        }

        @Override
        public List<Event> explainEvents() {
            return events;
        }
    }

    @Test
    void describesEventsAlertsExplainablesAndOthers() {
        Event e1 = critical("e1", 1, T0);
        Alert alert = new Alert(Map.of("alertname", "DiskFull", "host", "db-1"), Map.of(), Instant.ofEpochMilli(T0),
                Instant.ofEpochMilli(T0 + 60_000), false, null, AlertStatus.FIRING, Instant.ofEpochMilli(T0), "a1");

        Lineage lineage = Lineage.of("r", "org.example", "rules/r.drl", List.of(e1, alert, "plain fact"));

        Map<String, Object> map = lineage.toMap();
        assertThat(map).containsOnlyKeys("rule", "facts", "events");
        assertThat(map.get("rule")).isEqualTo(Map.of("name", "r", "package", "org.example", "file", "rules/r.drl"));
        assertThat(lineage.getFacts()).hasSize(3);
        assertThat(lineage.getFacts().get(0)).containsEntry("kind", "Event").containsEntry("key", "e1");
        assertThat((Map<String, Object>) lineage.getFacts().get(0).get("fields"))
                .containsEntry("type", "disk.full").containsEntry("subject", "db-1")
                .containsEntry("severity", "critical").containsEntry("arrivalTime", "2026-01-05T10:00:00Z")
                .doesNotContainKey("id");
        assertThat(lineage.getFacts().get(1)).containsEntry("kind", "Alert")
                .containsEntry("key", alert.getFingerprint());
        assertThat((Map<String, Object>) lineage.getFacts().get(1).get("fields"))
                .containsEntry("status", "firing").containsEntry("alertname", "DiskFull")
                .containsEntry("labels", Map.of("alertname", "DiskFull", "host", "db-1"));
        assertThat(lineage.getFacts().get(2)).containsEntry("kind", "String").containsEntry("key", "plain fact");
        assertThat(lineage.getEvents()).extracting(m -> m.get("id")).containsExactly("e1");
    }

    @Test
    void eventsBehindExplainableFactsAreListedOnceInJournalOrder() {
        Event e1 = critical("e1", 1, T0);
        Event e2 = critical("e2", 2, T0 + 60_000);
        Event e3 = critical("e3", 3, T0 + 90_000);

        Lineage lineage = Lineage.of("critical-burst", "org.operon.rules", null, List.of(new Burst(List.of(e3, e1, e2)), e3));

        assertThat(lineage.getEvents()).extracting(m -> m.get("id")).containsExactly("e1", "e2", "e3");
        assertThat(lineage.getFacts().get(0)).containsEntry("kind", "Burst").containsEntry("key", "db-1")
                .containsEntry("fields", Map.of("count", 3));
        assertThat(lineage.getFile()).isNull();
    }

    @Test
    void aLongToStringIsCut() {
        String longFact = "x".repeat(500);
        Lineage lineage = Lineage.of("r", "p", "f", List.of(longFact));
        assertThat((String) lineage.getFacts().get(0).get("key")).hasSize(Lineage.MAX_KEY_LENGTH + 1);
    }

    @Test
    void lineageIsCarriedByCopiesButIsNotPartOfIdOrEquality() {
        Lineage lineage = Lineage.of("r", "p", "f", List.of(critical("e1", 1, T0)));
        Decision plain = Decision.of("notify", "db-1", "r", List.of("e1")).stamped(T0);
        Decision explained = plain.withLineage(lineage);

        assertThat(explained.getId()).isEqualTo(plain.getId());
        assertThat(explained).isEqualTo(plain).hasSameHashCodeAs(plain);
        assertThat(explained.getParams()).isEqualTo(plain.getParams()).isEmpty();
        assertThat(plain.getLineage()).isNull();
        assertThat(explained.mutedBy("throttled").getLineage()).isSameAs(lineage);
        assertThat(explained.withParam("count", 3).getLineage()).isSameAs(lineage);
        assertThat(Decision.of("notify", "db-1", "r", List.of()).withLineage(lineage).stamped(T0).getLineage())
                .isSameAs(lineage);
    }
}
