package org.operon.tests;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.operon.tests.support.OperonProcess;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Throttles through the running jar (Event-Driven Ansible's once_within and once_after): alert-firing
 * at most once per service within an hour, the rest audited as suppressed; alert-resolved collected
 * per service for two seconds and sent once.
 */
class ThrottleIT {
    @TempDir
    Path tmp;

    @Test
    void onceWithinMutesTheRepeatsAndOnceAfterSendsOneSummary() throws Exception {
        Path throttles = tmp.resolve("throttle.yaml");
        Files.writeString(throttles, """
                throttles:
                  - decision: alert-firing
                    once_within: 1h
                    group_by: [labels.service]
                  - decision: alert-resolved
                    once_after: 2s
                    group_by: [labels.service]
                """);
        try (OperonProcess operon = OperonProcess.start(tmp.resolve("data"), Map.of(
                "OPERON_THROTTLE_FILE", throttles.toString()))) {
            Instant start = Instant.now().minusSeconds(60);
            assertThat(operon.post("/api/v2/alerts", "application/json", """
                    [{"labels":{"alertname":"Errors","service":"web","instance":"w-1"},"startsAt":"%1$s"},
                     {"labels":{"alertname":"Errors","service":"web","instance":"w-2"},"startsAt":"%1$s"},
                     {"labels":{"alertname":"Errors","service":"web","instance":"w-3"},"startsAt":"%1$s"},
                     {"labels":{"alertname":"Errors","service":"api","instance":"a-1"},"startsAt":"%1$s"}]"""
                    .formatted(start)).statusCode()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                List<JsonNode> firings = actions(operon, "alert-firing");
                assertThat(firings).hasSize(4);
                assertThat(firings.stream().filter(a -> a.get("status").asText().equals("sent"))).hasSize(2);
                List<JsonNode> throttled = firings.stream().filter(a -> a.get("status").asText().equals("suppressed")).toList();
                assertThat(throttled).hasSize(2);
                assertThat(throttled).allSatisfy(a ->
                        assertThat(a.get("reason").asText()).startsWith("throttled: once within PT1H per labels.service"));
            });

            Instant end = Instant.now().minusSeconds(1);
            assertThat(operon.post("/api/v2/alerts", "application/json", """
                    [{"labels":{"alertname":"Errors","service":"web","instance":"w-1"},"startsAt":"%1$s","endsAt":"%2$s"},
                     {"labels":{"alertname":"Errors","service":"web","instance":"w-2"},"startsAt":"%1$s","endsAt":"%2$s"},
                     {"labels":{"alertname":"Errors","service":"web","instance":"w-3"},"startsAt":"%1$s","endsAt":"%2$s"}]"""
                    .formatted(start, end)).statusCode()).isEqualTo(200);
            // Three resolves of web, collected: one summary, sent once the two seconds have passed.
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                List<JsonNode> resolved = actions(operon, "alert-resolved");
                assertThat(resolved).hasSize(1);
                assertThat(resolved.get(0).get("status").asText()).isEqualTo("sent");
                assertThat(resolved.get(0).get("eventIds")).hasSize(3);
            });
        }
    }

    /** The log target's audit entries of one decision type. */
    private static List<JsonNode> actions(OperonProcess operon, String type) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode a : operon.getJson("/api/v1/actions?limit=500").get("actions")) {
            if (a.get("type").asText().equals(type) && a.get("target").asText().equals("log")) out.add(a);
        }
        return out;
    }
}
