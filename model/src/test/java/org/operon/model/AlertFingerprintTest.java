package org.operon.model;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Fingerprints as Alertmanager computes them; the expected values are from real Alertmanager payloads. */
class AlertFingerprintTest {

    @Test
    void matchesTheFingerprintAlertmanagerSentForHighCpu() {
        // /work/shared/fixtures/alertmanager/alertmanager-firing.json
        Map<String, String> labels = Map.of("alertname", "HighCpu", "instance", "web-01", "service", "checkout",
                "severity", "critical");

        assertThat(AlertFingerprint.of(labels)).isEqualTo("2bd0845d243bb57e");
    }

    @Test
    void matchesTheFingerprintAlertmanagerSentForAPrometheusRule() {
        // /work/shared/fixtures/alertmanager/alertmanager-from-prometheus-firing.json
        Map<String, String> labels = Map.of("alertname", "QueueTooDeep", "instance", "127.0.0.1:18081", "job", "demo",
                "queue", "orders", "severity", "warning");

        assertThat(AlertFingerprint.of(labels)).isEqualTo("f296082d5b30f070");
    }

    @Test
    void doesNotDependOnTheOrderOfTheLabels() {
        Map<String, String> reversed = new LinkedHashMap<>();
        reversed.put("severity", "critical");
        reversed.put("service", "checkout");
        reversed.put("instance", "web-01");
        reversed.put("alertname", "HighCpu");

        assertThat(AlertFingerprint.of(reversed)).isEqualTo("2bd0845d243bb57e");
    }

    @Test
    void theEmptyLabelSetIsTheFnvOffsetBasis() {
        assertThat(AlertFingerprint.of(Map.of())).isEqualTo("cbf29ce484222325");
    }

    @Test
    void separatesNamesFromValues() {
        // Without the separator byte these two would hash the same bytes "ab" + "c".
        assertThat(AlertFingerprint.of(Map.of("ab", "c"))).isNotEqualTo(AlertFingerprint.of(Map.of("a", "bc")));
    }

    @Test
    void hashesNonAsciiValuesAsUtf8() {
        // FNV-1a 64 of "a" 0xff "é" (0xc3 0xa9) 0xff, computed independently.
        assertThat(AlertFingerprint.of(Map.of("a", "\u00e9"))).isEqualTo(fnv1a(new int[] {'a', 0xff, 0xc3, 0xa9, 0xff}));
    }

    private static String fnv1a(int[] bytes) {
        long h = 0xcbf29ce484222325L;
        for (int b : bytes) {
            h ^= b;
            h *= 0x100000001b3L;
        }
        return String.format("%016x", h);
    }
}
