package org.operon.tests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.operon.tests.support.CloudEvents;
import org.operon.tests.support.OperonProcess;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Results as facts and approvals through the running jar, with a real HTTP server as the webhook target:
 * a "restart" needs approval and is performed once when approved; a "remediate" whose webhook answers 500
 * comes back as a failed result, and the packaged remediation-failed rule escalates.
 */
class ActionFeedbackIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String RULES = """
            package org.example.rules;

            import java.util.List;
            import org.operon.model.Decision;
            import org.operon.model.Event;

            rule "restart-on-hang"
            when
                $e : Event(type == "service.hung")
            then
                channels["decisions"].send(Decision.of("restart", $e.getSubject(), drools.getRule().getName(),
                        List.of($e.getId())).withParam("service", "nginx"));
            end

            rule "remediate-disk"
            when
                $e : Event(type == "disk.full")
            then
                channels["decisions"].send(Decision.of("remediate", $e.getSubject(), drools.getRule().getName(),
                        List.of($e.getId())));
            end
            """;

    @TempDir
    static Path tmp;
    private static HttpServer hook;
    private static final List<String> received = new CopyOnWriteArrayList<>();
    private static OperonProcess operon;

    @BeforeAll
    static void start() throws Exception {
        hook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        hook.createContext("/", ActionFeedbackIT::answer);
        hook.start();
        Path rules = Files.createDirectories(tmp.resolve("rules"));
        Files.writeString(rules.resolve("feedback.drl"), RULES);
        operon = OperonProcess.start(tmp.resolve("data"), Map.of(
                "OPERON_RULES_DIR", rules.toString(),
                "OPERON_ACTIONS_WEBHOOK_URL", "http://127.0.0.1:" + hook.getAddress().getPort() + "/hook",
                "OPERON_ACTIONS_WEBHOOK_MAX_ATTEMPTS", "1",
                "OPERON_ACTIONS_TARGETS_RESTART", "webhook",
                "OPERON_ACTIONS_TARGETS_REMEDIATE", "webhook",
                "OPERON_ACTIONS_TARGETS_ESCALATE", "log",
                "OPERON_ACTIONS_APPROVAL_RESTART", "30m"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (operon != null) {
            operon.close();
        }
        hook.stop(0);
    }

    /** Records every request; remediations fail with 500, everything else is accepted. */
    private static void answer(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        received.add(body);
        int status = body.contains("\"type\":\"remediate\"") ? 500 : 200;
        exchange.sendResponseHeaders(status, -1);
        exchange.close();
    }

    private static List<String> receivedOfType(String type) {
        return received.stream().filter(b -> b.contains("\"type\":\"" + type + "\"")).toList();
    }

    private static List<JsonNode> actions(String type) throws Exception {
        JsonNode actions = operon.getJson("/api/v1/actions?limit=1000").get("actions");
        return StreamSupport.stream(actions.spliterator(), false).filter(a -> a.get("type").asText().equals(type))
                .toList();
    }

    private static HttpResponse<String> decide(String id, String body) throws Exception {
        return operon.post("/api/v1/approvals/" + id, "application/json", body);
    }

    @Test
    void aRestartWaitsForApprovalAndIsPerformedOnceWhenApproved() throws Exception {
        assertThat(operon.post("/api/v1/events", "application/json",
                CloudEvents.event("h1", "service.hung", "web-1", "warning")).statusCode()).isEqualTo(202);

        JsonNode listed = await().atMost(WAIT).until(() -> operon.getJson("/api/v1/approvals").get("approvals"),
                a -> a.size() == 1);
        JsonNode approval = listed.get(0);
        assertThat(approval.get("decision").get("type").asText()).isEqualTo("restart");
        assertThat(approval.get("decision").get("subject").asText()).isEqualTo("web-1");
        assertThat(approval.get("action").get("target").asText()).isEqualTo("webhook");
        assertThat(approval.get("expiresAt").asText()).isNotBlank();
        assertThat(receivedOfType("restart")).as("held, not performed").isEmpty();
        assertThat(actions("restart")).singleElement()
                .satisfies(a -> assertThat(a.get("status").asText()).isEqualTo("pending"));
        String id = approval.get("id").asText();

        assertThat(decide(id, "{\"decision\":\"maybe\"}").statusCode()).isEqualTo(400);
        assertThat(decide("0123456789abcdef01234567", "{\"decision\":\"approve\"}").statusCode()).isEqualTo(404);
        HttpResponse<String> approved = decide(id, "{\"decision\":\"approve\",\"by\":\"alice\",\"comment\":\"ok\"}");

        assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);
        assertThat(JSON.readTree(approved.body()).get("status").asText()).isEqualTo("approved");
        await().atMost(WAIT).until(() -> receivedOfType("restart").size() == 1);
        await().atMost(WAIT).until(() -> actions("restart").get(0).get("status").asText().equals("sent"));
        HttpResponse<String> again = decide(id, "{\"decision\":\"approve\",\"by\":\"bob\"}");
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(JSON.readTree(again.body()).get("error").asText()).isEqualTo("already_decided");
        assertThat(operon.getJson("/api/v1/approvals").get("approvals")).isEmpty();
        assertThat(receivedOfType("restart")).hasSize(1);
        assertThat(receivedOfType("restart").get(0)).contains("\"service\":\"nginx\"");
    }

    @Test
    void aFailedRemediationComesBackAsAFactAndEscalates() throws Exception {
        assertThat(operon.post("/api/v1/events", "application/json",
                CloudEvents.event("d1", "disk.full", "db-7", "critical")).statusCode()).isEqualTo(202);

        List<JsonNode> escalations = await().atMost(WAIT).until(() -> actions("escalate"), a -> a.size() == 1);

        JsonNode escalate = escalations.get(0);
        assertThat(escalate.get("subject").asText()).isEqualTo("db-7");
        assertThat(escalate.get("rule").asText()).isEqualTo("remediation-failed");
        assertThat(escalate.get("target").asText()).isEqualTo("log");
        JsonNode remediation = actions("remediate").get(0);
        assertThat(remediation.get("status").asText()).isEqualTo("failed");
        assertThat(escalate.get("eventIds").get(0).asText()).isEqualTo(remediation.get("id").asText() + ":failed");
        assertThat(receivedOfType("remediate")).hasSize(1);
        assertThat(receivedOfType("escalate")).as("escalate goes to the log target only").isEmpty();
    }
}
