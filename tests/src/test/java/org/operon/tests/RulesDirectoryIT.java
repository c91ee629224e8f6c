package org.operon.tests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.operon.tests.support.CloudEvents;
import org.operon.tests.support.OperonProcess;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The rules directory through the running jar: rules added, reloaded and refused while events flow. */
class RulesDirectoryIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DEPLOY_SEEN = """
            package org.example.rules;

            import java.util.List;
            import org.operon.model.Decision;
            import org.operon.model.Event;

            rule "deploy-seen"
            when
                $e : Event(type == "deploy")
            then
                channels["decisions"].send(Decision.of("deploy-seen", $e.getSubject(), drools.getRule().getName(),
                        List.of($e.getId())));
            end
            """;
    private static final String BROKEN = """
            package org.example.rules;
            import org.operon.model.Event;

            rule "broken"
            when
                Event(type == "x"
            then
            end
            """;

    @TempDir
    Path tmp;

    private static HttpResponse<String> reload(OperonProcess operon) throws Exception {
        return operon.post("/api/v1/rules/reload", "application/json", "");
    }

    /** Distinct decisions of a type in the audit (each decision is audited once per target). */
    private static long decisions(OperonProcess operon, String type) throws Exception {
        JsonNode actions = operon.getJson("/api/v1/actions?limit=1000").get("actions");
        return StreamSupport.stream(actions.spliterator(), false)
                .filter(a -> a.get("type").asText().equals(type))
                .map(a -> a.get("decisionId").asText()).distinct().count();
    }

    private static void send(OperonProcess operon, String id, String type, String subject, String severity)
            throws Exception {
        assertThat(operon.post("/api/v1/events", "application/json", CloudEvents.event(id, type, subject, severity))
                .statusCode()).isEqualTo(202);
    }

    @Test
    void aRuleAddedWhileRunningDecidesAndTheWindowBeforeTheReloadStillCounts() throws Exception {
        Path rules = Files.createDirectories(tmp.resolve("rules"));
        try (OperonProcess operon = OperonProcess.start(tmp.resolve("data"),
                Map.of("OPERON_RULES_DIR", rules.toString()))) {
            send(operon, "c1", "host.cpu.high", "db-9", "critical");
            send(operon, "c2", "host.cpu.high", "db-9", "critical");
            send(operon, "d0", "deploy", "web-1", "info");
            operon.awaitProcessed(3);
            // The packaged rules alone need no event after its arrival: none is kept.
            assertThat(operon.engineStatus().get("eventRetention").asText()).isEqualTo("none");
            Files.writeString(rules.resolve("deploy.drl"), DEPLOY_SEEN);

            HttpResponse<String> reloaded = reload(operon);

            assertThat(reloaded.statusCode()).as(reloaded.body()).isEqualTo(200);
            JsonNode body = JSON.readTree(reloaded.body());
            assertThat(body.get("lastReload").get("status").asText()).isEqualTo("ok");
            assertThat(body.get("rules").toString())
                    .contains("{\"name\":\"deploy-seen\",\"package\":\"org.example.rules\",\"origin\":\"deploy.drl\"}")
                    .contains("{\"name\":\"critical-burst\",\"package\":\"org.operon.rules\",\"origin\":\"packaged\"}");

            send(operon, "c3", "host.cpu.high", "db-9", "critical");
            send(operon, "d1", "deploy", "web-1", "info");
            operon.awaitProcessed(5);

            await().atMost(Duration.ofSeconds(20)).until(() -> decisions(operon, "deploy-seen") == 1
                    && decisions(operon, "notify") == 1);
            JsonNode actions = operon.getJson("/api/v1/actions?limit=1000").get("actions");
            assertThat(actions).filteredOn(a -> a.get("type").asText().equals("notify"))
                    .allSatisfy(a -> assertThat(a.get("eventIds").toString()).isEqualTo("[\"c1\",\"c2\",\"c3\"]"));
            assertThat(actions).filteredOn(a -> a.get("type").asText().equals("deploy-seen"))
                    .allSatisfy(a -> assertThat(a.get("eventIds").toString()).isEqualTo("[\"d1\"]"));
            // deploy-seen fires on an event only at its arrival: still none kept. A window keeps them 5 minutes.
            assertThat(operon.engineStatus().get("eventRetention").asText()).isEqualTo("none");
            Files.writeString(rules.resolve("deploys.drl"), """
                    package org.example.rules;
                    import org.operon.model.Event;
                    rule "deploys in the last 10 minutes"
                    when
                        Number() from accumulate(Event(type == "deploy") over window:time(10m), count(1))
                    then
                    end
                    """);
            assertThat(reload(operon).statusCode()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> operon.engineStatus().get("eventRetention").asText().equals("5m"));
        }
    }

    @Test
    void aBrokenFileIsRefusedWith422AndTheOldRulesKeepDeciding() throws Exception {
        Path rules = Files.createDirectories(tmp.resolve("rules"));
        Files.writeString(rules.resolve("deploy.drl"), DEPLOY_SEEN);
        try (OperonProcess operon = OperonProcess.start(tmp.resolve("data"),
                Map.of("OPERON_RULES_DIR", rules.toString()))) {
            Files.writeString(rules.resolve("broken.drl"), BROKEN);

            HttpResponse<String> refused = reload(operon);

            assertThat(refused.statusCode()).isEqualTo(422);
            JsonNode body = JSON.readTree(refused.body());
            assertThat(body.get("error").asText()).isEqualTo("rules_invalid");
            assertThat(body.get("errors").get(0).get("file").asText()).isEqualTo("broken.drl");
            assertThat(body.get("errors").get(0).get("line").asInt()).isEqualTo(7);
            JsonNode listed = operon.getJson("/api/v1/rules");
            assertThat(listed.get("lastReload").get("status").asText()).isEqualTo("failed");
            assertThat(listed.get("rules").toString()).contains("deploy.drl").doesNotContain("broken.drl");
            assertThat(operon.output()).contains("broken.drl:7:1");

            send(operon, "d1", "deploy", "web-1", "info");
            await().atMost(Duration.ofSeconds(20)).until(() -> decisions(operon, "deploy-seen") == 1);
        }
    }

    @Test
    void aFileDroppedIntoTheDirectoryIsLoadedWithoutAsking() throws Exception {
        Path rules = Files.createDirectories(tmp.resolve("rules"));
        try (OperonProcess operon = OperonProcess.start(tmp.resolve("data"),
                Map.of("OPERON_RULES_DIR", rules.toString()))) {
            Files.writeString(rules.resolve("deploy.drl"), DEPLOY_SEEN);

            await().atMost(Duration.ofSeconds(20)).until(() ->
                    operon.getJson("/api/v1/rules").get("rules").toString().contains("deploy.drl"));

            assertThat(operon.getJson("/api/v1/rules").get("lastReload").get("trigger").asText())
                    .isEqualTo("file change");
            send(operon, "d1", "deploy", "web-1", "info");
            await().atMost(Duration.ofSeconds(20)).until(() -> decisions(operon, "deploy-seen") == 1);
        }
    }

    @Test
    void anInvalidRulesDirectoryStopsTheStartNamingFileAndLine() throws Exception {
        Path rules = Files.createDirectories(tmp.resolve("rules"));
        Files.writeString(rules.resolve("broken.drl"), BROKEN);
        try (OperonProcess operon = OperonProcess.launch(tmp.resolve("data"),
                Map.of("OPERON_RULES_DIR", rules.toString()))) {
            assertThat(operon.awaitExit(Duration.ofSeconds(60))).isEqualTo(1);
            assertThat(operon.output()).contains("Refusing to start").contains("broken.drl:7:1");
        }
    }
}
