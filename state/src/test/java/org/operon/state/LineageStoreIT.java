package org.operon.state;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The lineage store of {@link OperonState}, on a real Infinispan in a temporary directory. */
class LineageStoreIT {
    private static final Clock FIXED = Clock.fixed(Instant.parse("2026-11-27T20:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dataDir;

    private static Map<String, Object> lineage() {
        Map<String, Object> rule = new LinkedHashMap<>();
        rule.put("name", "critical-burst");
        rule.put("package", "org.operon.rules");
        rule.put("file", "org/operon/rules/critical-burst.drl");
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("id", "e1");
        event.put("severity", "critical");
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("rule", rule);
        map.put("facts", List.of(Map.of("kind", "CriticalBurst", "key", "db-1", "fields", Map.of("count", 3))));
        map.put("events", List.of(event));
        return map;
    }

    @Test
    void aTraceSurvivesCloseAndReopenWithItsLineageAsJsonValues() {
        try (OperonState state = OperonState.open(dataDir, FIXED)) {
            state.lineage().record(new DecisionTrace("d-1", List.of("a-log", "a-webhook"), lineage()));
            state.lineage().record(new DecisionTrace("d-2", List.of("a-2"), null));
        }
        try (OperonState state = OperonState.open(dataDir, FIXED)) {
            DecisionTrace trace = state.lineage().find("d-1").orElseThrow();
            assertThat(trace.actionIds()).containsExactly("a-log", "a-webhook");
            assertThat(trace.lineage()).isEqualTo(lineage());
            assertThat(trace.lineage().keySet()).containsExactly("rule", "facts", "events");
            assertThat(state.lineage().find("d-2").orElseThrow().lineage()).isNull();
            assertThat(state.lineage().find("unknown")).isEmpty();
            assertThat(state.lineage().find(null)).isEmpty();
        }
    }

    @Test
    void tracesExpireWithTheAuditLogsRetentionAndTheCacheIsNotLentOut() {
        OperonState.Options shortRetention = OperonState.Options.defaults().withRetention(Duration.ofMillis(300));
        try (OperonState state = OperonState.open(dataDir, Clock.systemUTC(), shortRetention)) {
            state.lineage().record(new DecisionTrace("d-1", List.of("a-1"), lineage()));
            assertThat(state.lineage().find("d-1")).isPresent();
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                    .until(() -> state.lineage().find("d-1").isEmpty());
            assertThatThrownBy(() -> state.durableCache("lineage")).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
