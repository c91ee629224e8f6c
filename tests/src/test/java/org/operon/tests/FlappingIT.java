package org.operon.tests;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.operon.tests.support.OperonProcess;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A flapping alert through the running jar: an alert that fires and resolves over and over is marked
 * flapping at its fourth state change; from then on its alert-firing / alert-resolved decisions are held
 * back and one alert-flapping decision goes out instead.
 */
class FlappingIT {
    @TempDir
    Path tmp;

    @Test
    void theFourthStateChangeSendsOneFlappingNoticeInsteadOfTheAlertsOwnDecision() throws Exception {
        try (OperonProcess operon = OperonProcess.start(tmp.resolve("data"), Map.of())) {
            Instant base = Instant.now().minus(Duration.ofMinutes(10));
            String labels = "{\"alertname\":\"HighCpu\",\"instance\":\"web-1\",\"service\":\"web\"}";
            // Each report in its own request, in order: fire, resolve, fire, resolve, fire, resolve.
            String[] reports = {
                    "{\"labels\":%s,\"startsAt\":\"%s\"}".formatted(labels, base),
                    "{\"labels\":%s,\"startsAt\":\"%s\",\"endsAt\":\"%s\"}".formatted(labels, base, base.plusSeconds(60)),
                    "{\"labels\":%s,\"startsAt\":\"%s\"}".formatted(labels, base.plusSeconds(120)),
                    "{\"labels\":%s,\"startsAt\":\"%s\",\"endsAt\":\"%s\"}".formatted(labels, base.plusSeconds(120), base.plusSeconds(180)),
                    "{\"labels\":%s,\"startsAt\":\"%s\"}".formatted(labels, base.plusSeconds(240)),
                    "{\"labels\":%s,\"startsAt\":\"%s\",\"endsAt\":\"%s\"}".formatted(labels, base.plusSeconds(240), base.plusSeconds(300)),
            };
            for (String report : reports) {
                assertThat(operon.post("/api/v2/alerts", "application/json", "[" + report + "]").statusCode())
                        .isEqualTo(200);
            }
            operon.awaitProcessed(reports.length);

            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                Map<String, Integer> sent = sentToLog(operon);
                assertThat(sent.getOrDefault("alert-flapping", 0)).as(sent.toString()).isEqualTo(1);
                // Sent: the first firing and the three changes before the fourth; held back: the fourth
                // change (firing) and the fifth (resolved).
                assertThat(sent.getOrDefault("alert-firing", 0)).as(sent.toString()).isEqualTo(2);
                assertThat(sent.getOrDefault("alert-resolved", 0)).as(sent.toString()).isEqualTo(2);
            });
        }
    }

    /** How many actions of each decision type the log target performed. */
    private static Map<String, Integer> sentToLog(OperonProcess operon) throws Exception {
        Map<String, Integer> counts = new HashMap<>();
        for (JsonNode a : operon.getJson("/api/v1/actions?limit=200").get("actions")) {
            if (a.get("target").asText().equals("log") && a.get("status").asText().equals("sent")) {
                counts.merge(a.get("type").asText(), 1, Integer::sum);
            }
        }
        return counts;
    }
}
