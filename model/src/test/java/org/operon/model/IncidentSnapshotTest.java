package org.operon.model;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IncidentSnapshotTest {
    private static final Instant READ = Instant.parse("2025-03-01T13:00:00Z");

    private static Map<String, Object> stored() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("id", "inc-3f1c0a9b27d4");
        s.put("correlationKey", "checkout");
        s.put("status", "acknowledged");
        s.put("openedAt", "2025-03-01T12:00:00Z");
        s.put("updatedAt", "2025-03-01T12:05:00Z");
        s.put("acknowledgedBy", null);
        s.put("version", 12L);
        return s;
    }

    @Test
    void readsWhatEverySessionNeedsAndKeepsTheRest() {
        Map<String, Object> stored = stored();
        IncidentSnapshot s = IncidentSnapshot.of(stored, READ);
        stored.put("status", "resolved");

        assertThat(s.getId()).isEqualTo("inc-3f1c0a9b27d4");
        assertThat(s.getCorrelationKey()).isEqualTo("checkout");
        assertThat(s.getStatus()).isEqualTo(IncidentSnapshot.ACKNOWLEDGED);
        assertThat(s.getVersion()).isEqualTo(12);
        assertThat(s.getUpdatedAt()).isEqualTo(Instant.parse("2025-03-01T12:05:00Z"));
        assertThat(s.getReadAt()).isEqualTo(READ);
        assertThat(s.getSnapshot()).containsEntry("status", "acknowledged").containsEntry("acknowledgedBy", null);
    }

    @Test
    void refusesSnapshotsOfIncidentsThatAreNotActiveOrLackWhatTheRulesNeed() {
        Map<String, Object> resolved = stored();
        resolved.put("status", "resolved");
        assertThatThrownBy(() -> IncidentSnapshot.of(resolved, READ)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not active");
        Map<String, Object> noKey = new HashMap<>(stored());
        noKey.remove("correlationKey");
        assertThatThrownBy(() -> IncidentSnapshot.of(noKey, READ)).hasMessageContaining("correlationKey");
        Map<String, Object> badTime = stored();
        badTime.put("updatedAt", "yesterday");
        assertThatThrownBy(() -> IncidentSnapshot.of(badTime, READ)).hasMessageContaining("updatedAt");
        Map<String, Object> badVersion = stored();
        badVersion.put("version", 1.5);
        assertThatThrownBy(() -> IncidentSnapshot.of(badVersion, READ)).hasMessageContaining("version");
    }
}
