package org.operon.toolkit.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.operon.model.Event;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.operon.toolkit.replay.Recordings.critical;
import static org.operon.toolkit.replay.Recordings.write;

/** {@code operon replay --explain}: each line carries the lineage of its decision. */
class ReplayExplainTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Path burst() {
        List<Event> events = List.of(critical("e1", "web-1", Duration.ZERO),
                critical("e2", "web-1", Duration.ofSeconds(60)),
                critical("o1", "web-2", Duration.ofSeconds(70)),
                critical("e3", "web-1", Duration.ofSeconds(90)));
        return write(dir.resolve("journal.jsonl"), Recordings.journalLines(events));
    }

    @Test
    void eachLineCarriesTheRuleItsFileTheFactsAndTheEventsBehindTheAction() throws IOException {
        ReplayCommandTest.Result r = ReplayCommandTest.replay("--events", burst().toString(), "--explain");

        assertThat(r.exit()).isZero();
        List<JsonNode> actions = r.actions();
        assertThat(actions).hasSize(1);
        JsonNode line = actions.get(0);
        // The audit log's fields first, in their order, then the lineage.
        List<String> names = new java.util.ArrayList<>();
        line.fieldNames().forEachRemaining(names::add);
        assertThat(names).containsExactly("id", "decisionId", "type", "subject", "target", "status", "reason", "rule",
                "eventIds", "time", "lineage");
        JsonNode lineage = line.get("lineage");
        assertThat(lineage.get("rule").get("name").asText()).isEqualTo("critical-burst");
        assertThat(lineage.get("rule").get("file").asText()).isEqualTo("org/operon/rules/critical-burst.drl");
        assertThat(lineage.get("facts").get(0).get("kind").asText()).isEqualTo("CriticalBurst");
        assertThat(lineage.get("facts").get(0).get("key").asText()).isEqualTo("web-1");
        assertThat(lineage.get("events")).extracting(e -> e.get("id").asText()).containsExactly("e1", "e2", "e3");
        assertThat(lineage.get("events").get(2).get("arrivalTime").asText()).isEqualTo("2026-01-05T10:01:30Z");
    }

    @Test
    void explainedOutputIsDeterministicAndWithoutTheFlagThereIsNoLineage() {
        Path journal = burst();

        ReplayCommandTest.Result first = ReplayCommandTest.replay("--events", journal.toString(), "--explain");
        ReplayCommandTest.Result second = ReplayCommandTest.replay("--events", journal.toString(), "--explain");
        ReplayCommandTest.Result plain = ReplayCommandTest.replay("--events", journal.toString());

        assertThat(first.out()).isNotEmpty().isEqualTo(second.out());
        assertThat(plain.out()).isNotEmpty().doesNotContain("lineage");
        assertThat(first.out()).startsWith(plain.out().substring(0, plain.out().length() - 2));
    }
}
