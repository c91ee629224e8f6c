package org.operon.tests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.operon.tests.support.CloudEvents;
import org.operon.tests.support.OperonProcess;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * "Why did this fire?" through the running jar: the explain API and {@code operon explain} name the rule, its
 * file and the events behind an action, and the silence behind a suppressed one.
 */
class ExplainIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path tmp;

    @Test
    void aBurstsNotifyNamesCriticalBurstItsFileAndTheThreeEventsAndASilencedAlertNamesTheSilence() throws Exception {
        try (OperonProcess operon = OperonProcess.start(tmp.resolve("data"), Map.of())) {
            for (String id : List.of("c1", "c2", "c3")) {
                assertThat(operon.post("/api/v1/events", "application/cloudevents+json",
                        CloudEvents.critical(id, "web-1")).statusCode()).isEqualTo(202);
            }
            JsonNode notify = await().atMost(WAIT).until(() -> action(operon, "notify", "log"), a -> a != null);

            JsonNode explained = operon.getJson("/api/v1/actions/" + notify.get("id").asText() + "/explain");
            assertThat(explained.get("action").get("id").asText()).isEqualTo(notify.get("id").asText());
            JsonNode lineage = explained.get("lineage");
            assertThat(lineage.get("rule").get("name").asText()).isEqualTo("critical-burst");
            assertThat(lineage.get("rule").get("file").asText()).isEqualTo("org/operon/rules/critical-burst.drl");
            assertThat(lineage.get("facts").get(0).get("kind").asText()).isEqualTo("CriticalBurst");
            assertThat(lineage.get("events")).extracting(e -> e.get("id").asText()).containsExactly("c1", "c2", "c3");
            assertThat(lineage.get("events")).allSatisfy(e -> {
                assertThat(e.get("severity").asText()).isEqualTo("critical");
                assertThat(e.get("subject").asText()).isEqualTo("web-1");
            });
            assertThat(explained.get("otherActions")).extracting(a -> a.get("target").asText()).contains("file");
            assertThat(explained.get("suppression").isNull()).isTrue();

            Result cli = explain(operon, notify.get("id").asText());
            assertThat(cli.exit()).as(cli.err()).isZero();
            assertThat(cli.out()).contains("Rule: critical-burst  in org/operon/rules/critical-burst.drl")
                    .contains("CriticalBurst web-1").contains("c1  ").contains("c2  ").contains("c3  ");

            String silenceId = silenceDiskAlerts(operon);
            assertThat(operon.post("/api/v2/alerts", "application/json", """
                    [{"labels":{"alertname":"DiskFull","instance":"db-2","severity":"critical"}}]""")
                    .statusCode()).isEqualTo(200);
            JsonNode silenced = await().atMost(WAIT).until(() -> action(operon, "alert-firing", "log"),
                    a -> a != null && a.get("status").asText().equals("suppressed"));

            JsonNode why = operon.getJson("/api/v1/actions/" + silenced.get("id").asText() + "/explain");
            assertThat(why.get("suppression").get("kind").asText()).isEqualTo("silence");
            assertThat(why.get("suppression").get("silenceIds")).extracting(JsonNode::asText).containsExactly(silenceId);
            assertThat(why.get("lineage").get("rule").get("file").asText()).isEqualTo("org/operon/rules/alerts.drl");
            assertThat(why.get("lineage").get("facts").get(0).get("kind").asText()).isEqualTo("AlertNotice");
            assertThat(explain(operon, silenced.get("id").asText()).out()).contains("Suppressed by: silence")
                    .contains(silenceId);

            HttpResponse<String> unknown = operon.get("/api/v1/actions/0000/explain");
            assertThat(unknown.statusCode()).isEqualTo(404);
            assertThat(JSON.readTree(unknown.body()).get("error").asText()).isEqualTo("not_found");
            assertThat(explain(operon, "0000").exit()).isEqualTo(1);
        }
    }

    /** The newest audit entry of this type and target, or null. */
    private static JsonNode action(OperonProcess operon, String type, String target) throws Exception {
        for (JsonNode a : operon.getJson("/api/v1/actions?limit=100").get("actions")) {
            if (a.get("type").asText().equals(type) && a.get("target").asText().equals(target)) {
                return a;
            }
        }
        return null;
    }

    private static String silenceDiskAlerts(OperonProcess operon) throws Exception {
        HttpResponse<String> silence = operon.post("/api/v2/silences", "application/json", """
                {"matchers":[{"name":"alertname","value":"DiskFull","isRegex":false,"isEqual":true}],
                 "startsAt":"%s","endsAt":"%s","createdBy":"ops","comment":"replacing disks"}"""
                .formatted(Instant.now().minusSeconds(1), Instant.now().plusSeconds(3600)));
        assertThat(silence.statusCode()).as(silence.body()).isEqualTo(200);
        return JSON.readTree(silence.body()).get("silenceID").asText();
    }

    record Result(int exit, String out, String err) {
    }

    /** {@code java -jar operon.jar explain ID --url <the running server>}. */
    private Result explain(OperonProcess operon, String actionId) throws Exception {
        Path out = Files.createTempFile(tmp, "explain-", ".out");
        Path err = Files.createTempFile(tmp, "explain-", ".err");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", OperonProcess.jar().toString(), "explain", actionId, "--url", operon.baseUrl()));
        Process p = new ProcessBuilder(command).directory(tmp.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("explain finished").isTrue();
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }
}
