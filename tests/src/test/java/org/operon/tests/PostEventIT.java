package org.operon.tests;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.operon.tests.support.CloudEvents;
import org.operon.tests.support.OperonProcess;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code operon} target through the running jar: a rule that answers every {@code ping} event with a
 * decision posting another {@code ping} back into Operon. The posted events go through the source intake and
 * the journal, carry {@code operonhops} 1, 2, 3, and the fourth round is refused by the hop limit
 * ({@code operon.actions.publish.max-hops}, default 3): the loop ends by itself.
 */
class PostEventIT {
    private static final String ECHO = """
            package org.example.rules;

            import java.util.List;
            import org.operon.model.Decision;
            import org.operon.model.Event;

            rule "echo-ping"
            when
                $e : Event(type == "ping")
            then
                channels["decisions"].send(Decision.of("repost", $e.getSubject(), drools.getRule().getName(),
                        List.of($e.getId())).withParam("eventType", "ping"));
            end
            """;

    @TempDir
    Path tmp;

    private static List<JsonNode> reposts(OperonProcess operon) throws Exception {
        JsonNode actions = operon.getJson("/api/v1/actions?limit=1000").get("actions");
        return StreamSupport.stream(actions.spliterator(), false)
                .filter(a -> a.get("type").asText().equals("repost")).toList();
    }

    @Test
    void aRuleThatRepostsItsOwnEventsStopsAtTheHopLimit() throws Exception {
        Path rules = Files.createDirectories(tmp.resolve("rules"));
        Files.writeString(rules.resolve("echo.drl"), ECHO);
        try (OperonProcess operon = OperonProcess.start(tmp.resolve("data"), Map.of(
                "OPERON_RULES_DIR", rules.toString(),
                "OPERON_ACTIONS_TARGETS_REPOST", "operon"))) {
            assertThat(operon.post("/api/v1/events", "application/json",
                    CloudEvents.event("p0", "ping", "web-1", "info")).statusCode()).isEqualTo(202);

            await().atMost(Duration.ofSeconds(30)).until(() -> reposts(operon).size() == 4);

            List<JsonNode> reposts = reposts(operon);
            assertThat(reposts).filteredOn(a -> a.get("status").asText().equals("sent")).hasSize(3)
                    .allSatisfy(a -> assertThat(a.get("target").asText()).isEqualTo("operon"));
            assertThat(reposts).filteredOn(a -> a.get("status").asText().equals("failed")).singleElement()
                    .satisfies(a -> assertThat(a.get("reason").asText()).contains("hop 4")
                            .contains("operon.actions.publish.max-hops is 3"));
            JsonNode sources = operon.getJson("/api/v1/sources");
            assertThat(sources.toString()).contains("operon:post-event");
            operon.awaitProcessed(4);
            assertThat(operon.engineStatus().toString()).as("the first ping and three posted pings")
                    .contains("\"processed\":4");
        }
    }
}
