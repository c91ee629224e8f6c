package org.operon.actions.mute;

import org.junit.jupiter.api.Test;
import org.operon.model.Decision;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Which label set a decision is matched on. */
class SilenceMuterTest {
    private static Decision decision() {
        return Decision.of("notify", "db-1", "critical-burst", List.of("e1")).stamped(1_000);
    }

    @Test
    void theLabelsParameterIsTheLabelSet() {
        Decision d = decision().withParam("labels", Map.of("alertname", "DiskFull", "service", "db"));

        assertThat(SilenceMuter.labelsOf(d)).isEqualTo(Map.of("alertname", "DiskFull", "service", "db"));
    }

    @Test
    void withoutLabelsTheLabelSetIsSubjectAndType() {
        assertThat(SilenceMuter.labelsOf(decision())).isEqualTo(Map.of("subject", "db-1", "type", "notify"));
        assertThat(SilenceMuter.labelsOf(decision().withParam("labels", "not a map")))
                .isEqualTo(Map.of("subject", "db-1", "type", "notify"));
    }

    @Test
    void labelKeysAndValuesBecomeStringsAndNullsAreDropped() {
        Map<Object, Object> labels = new HashMap<>();
        labels.put("count", 3);
        labels.put("gone", null);
        labels.put(null, "x");

        assertThat(SilenceMuter.labelsOf(decision().withParam("labels", labels))).isEqualTo(Map.of("count", "3"));
        assertThat(SilenceMuter.labelsOf(decision().withParam("labels", Map.of()))).isEmpty();
    }

    @Test
    void noneMutesNothing() {
        assertThat(Muter.NONE.mutes(decision(), java.time.Instant.EPOCH)).isEmpty();
    }
}
