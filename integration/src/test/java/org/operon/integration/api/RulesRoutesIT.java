package org.operon.integration.api;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.operon.engine.ReloadableRules;
import org.operon.engine.RuleError;
import org.operon.engine.RuleInfo;
import org.operon.integration.http.ApiTokenCheck;
import org.operon.integration.http.IntakeOptions;
import org.operon.integration.testing.HttpTestServer;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.operon.integration.testing.HttpTestServer.json;

/** The rules API over real HTTP, on scripted rules (the engine's reload is tested beside the kjar). */
class RulesRoutesIT {
    private static final String TOKEN = "rules-api-token-0001";
    private static final long T = Instant.parse("2026-11-27T10:00:00Z").toEpochMilli();
    private static final ScriptedRules rules = new ScriptedRules();
    private static final ScriptedRules noDirectory = new ScriptedRules();
    private static HttpTestServer server;
    private static HttpTestServer serverWithoutDirectory;

    @BeforeAll
    static void start() throws Exception {
        server = HttpTestServer.start(IntakeOptions.defaults(), new RulesRoutes(rules, ApiTokenCheck.of(TOKEN)));
        noDirectory.directory = false;
        serverWithoutDirectory = HttpTestServer.start(IntakeOptions.defaults(),
                new RulesRoutes(noDirectory, ApiTokenCheck.disabled()));
    }

    @AfterAll
    static void stop() {
        server.close();
        serverWithoutDirectory.close();
    }

    @BeforeEach
    void reset() {
        rules.reset();
    }

    private static HttpResponse<String> get(HttpTestServer s, String token) {
        HttpRequest.Builder r = s.request("/api/v1/rules").GET();
        if (token != null) {
            r.header("Authorization", "Bearer " + token);
        }
        return s.send(r.build());
    }

    private static HttpResponse<String> reload(HttpTestServer s, String token) {
        HttpRequest.Builder r = s.request("/api/v1/rules/reload").POST(HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            r.header("Authorization", "Bearer " + token);
        }
        return s.send(r.build());
    }

    @Test
    void listsTheActiveRulesWithTheirOriginAndTheLastReload() {
        HttpResponse<String> response = get(server, TOKEN);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = json(response);
        assertThat(body.get("rules").toString()).isEqualTo("[{\"name\":\"critical-burst\",\"package\":\"org.operon.rules\","
                + "\"origin\":\"packaged\"}]");
        assertThat(body.get("lastReload").get("status").asText()).isEqualTo("ok");
        assertThat(body.get("lastReload").get("trigger").asText()).isEqualTo("start");
        assertThat(body.get("lastReload").get("time").asText()).isEqualTo("2026-11-27T10:00:00Z");
        assertThat(body.get("lastReload").get("errors")).isEmpty();
        assertThat(body.get("directory").asText()).isEqualTo("/etc/operon/rules");
    }

    @Test
    void aSuccessfulReloadAnswersTheNewRules() {
        rules.next = new ScriptedRules.Outcome(List.of(new RuleInfo("deploy-seen", "org.example", "ops/deploy.drl")), List.of());

        HttpResponse<String> response = reload(server, TOKEN);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(rules.triggers).containsExactly("api");
        JsonNode body = json(response);
        assertThat(body.get("rules").get(1).get("origin").asText()).isEqualTo("ops/deploy.drl");
        assertThat(body.get("rules").get(1).get("package").asText()).isEqualTo("org.example");
        assertThat(body.get("lastReload").get("trigger").asText()).isEqualTo("api");
    }

    @Test
    void anInvalidFileIsA422WithFileLineAndColumnAndShowsInTheList() {
        rules.next = new ScriptedRules.Outcome(null, List.of(new RuleError("team/broken.drl", 7, 1,
                "[ERR 102] Line 7:0 mismatched input 'then'")));

        HttpResponse<String> response = reload(server, TOKEN);

        assertThat(response.statusCode()).isEqualTo(422);
        JsonNode body = json(response);
        assertThat(body.get("error").asText()).isEqualTo("rules_invalid");
        assertThat(body.get("detail").asText()).contains("1 error").contains("previous rules keep running");
        assertThat(body.get("errors").toString()).isEqualTo("[{\"file\":\"team/broken.drl\",\"line\":7,\"column\":1,"
                + "\"message\":\"[ERR 102] Line 7:0 mismatched input 'then'\"}]");
        JsonNode listed = json(get(server, TOKEN));
        assertThat(listed.get("lastReload").get("status").asText()).isEqualTo("failed");
        assertThat(listed.get("lastReload").get("errors").get(0).get("line").asInt()).isEqualTo(7);
        assertThat(listed.get("rules")).hasSize(1);
    }

    @Test
    void aStoppedEngineIsA503() {
        rules.failWith = new IllegalStateException("the engine is stopped");

        HttpResponse<String> response = reload(server, TOKEN);

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(json(response).get("error").asText()).isEqualTo("engine_unavailable");
    }

    @Test
    void withoutARulesDirectoryAReloadIsA409AndTheListWorks() {
        HttpResponse<String> response = reload(serverWithoutDirectory, null);

        assertThat(response.statusCode()).isEqualTo(409);
        assertThat(json(response).get("error").asText()).isEqualTo("no_rules_directory");
        assertThat(json(response).get("detail").asText()).contains("OPERON_RULES_DIR");
        assertThat(noDirectory.triggers).isEmpty();
        HttpResponse<String> list = get(serverWithoutDirectory, null);
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(json(list).get("directory").isNull()).isTrue();
    }

    @Test
    void bothRoutesNeedTheToken() {
        assertThat(get(server, null).statusCode()).isEqualTo(401);
        assertThat(reload(server, "wrong-token-wrong-token").statusCode()).isEqualTo(401);
        assertThat(rules.triggers).isEmpty();
    }

    /** Rules whose reload outcome the test sets. */
    private static final class ScriptedRules implements ReloadableRules {
        record Outcome(List<RuleInfo> addedRules, List<RuleError> errors) {
        }

        private static final RuleInfo PACKAGED = new RuleInfo("critical-burst", "org.operon.rules", RuleInfo.PACKAGED);
        final List<String> triggers = new ArrayList<>();
        boolean directory = true;
        volatile Outcome next;
        volatile RuntimeException failWith;
        volatile Status status;

        void reset() {
            triggers.clear();
            next = null;
            failWith = null;
            status = new Status(List.of(PACKAGED), new Reload(T, true, "start", List.of(), 12),
                    directory ? "/etc/operon/rules" : null);
        }

        @Override
        public boolean hasDirectory() {
            return directory;
        }

        @Override
        public synchronized Reload reload(String trigger) {
            triggers.add(trigger);
            if (failWith != null) {
                throw failWith;
            }
            boolean ok = next.errors().isEmpty();
            Reload reload = new Reload(T + 1000, ok, trigger, next.errors(), 40);
            List<RuleInfo> active = new ArrayList<>(List.of(PACKAGED));
            if (ok) {
                active.addAll(next.addedRules());
            }
            status = new Status(ok ? active : status.rules(), reload, status.directory());
            return reload;
        }

        @Override
        public Status status() {
            if (status == null) {
                reset();
            }
            return status;
        }
    }
}
