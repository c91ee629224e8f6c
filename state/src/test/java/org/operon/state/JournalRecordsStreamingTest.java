package org.operon.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.operon.model.AlertReport;
import org.operon.model.CloudEventJson;
import org.operon.model.Event;
import org.operon.model.Severity;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Record lines as the journal writes them: the streamed read equals the tree decoding. */
class JournalRecordsStreamingTest {
    private final JournalRecords records = new JournalRecords();
    private final CloudEventJson tree = new CloudEventJson();
    private final ObjectMapper mapper = tree.mapper();

    @Test
    void streamedRecordEqualsTreeDecoding() throws Exception {
        AlertReport alert = AlertReport.of(Map.of("alertname", "DiskFull", "severity", "warning"),
                Map.of("summary", "\u00e9\t\"x\""), Instant.parse("2026-11-27T19:00:00Z"), null, "http://p/g");
        List<Event> events = List.of(
                Event.builder().id("1").source("/s").type("t").build(),
                Event.builder().id("2").source("/s").type("deploy").subject("svc \ud83d\ude80")
                        .time(Instant.parse("2026-11-27T20:00:00.5Z")).severity(Severity.CRITICAL)
                        .labels(Map.of("env", "prod")).extension("region", "eu").extension("n", 4)
                        .data(Map.of("labels", Map.of("env", "prod"), "list", List.of(1, 2.5, "x"))).build(),
                alert.toEvent("a", "/api/v2/alerts", Instant.parse("2026-11-27T20:00:01Z")));
        long seq = 1;
        for (Event e : events) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            JournalRecords.writeRecord(out, seq, JournalRecords.arrivalText(1_700_000_000_123L + seq),
                    records.encodeEvent(e));
            byte[] line = out.toByteArray();
            JsonNode root = mapper.readTree(line);
            Event expected = tree.fromJson(root.get("event")).stamped(seq, 1_700_000_000_123L + seq);
            Event actual = records.event(line, line.length - 1);
            assertThat(actual).isEqualTo(expected);
            assertThat(actual.toString()).isEqualTo(expected.toString());
            assertThat(new ArrayList<>(actual.getExtensions().keySet()))
                    .isEqualTo(new ArrayList<>(expected.getExtensions().keySet()));
            seq++;
        }
    }

    @Test
    void sequenceNumbersAreWrittenAsLongToStringSpellsThem() {
        for (long n : new long[] {0, 1, 9, 10, 99, 100, 1_234_567_890_123L, Long.MAX_VALUE}) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            JournalRecords.writeDecimal(out, n);
            assertThat(out.toString(java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo(Long.toString(n));
        }
    }

    @Test
    void invalidRecordsKeepTheirErrors() {
        for (String bad : List.of(
                "{\"seq\":1,\"arrivalTime\":\"2026-11-27T20:00:00Z\",\"event\":{\"specversion\":\"1.0\"}}",
                "{\"seq\":1,\"arrivalTime\":\"yesterday\",\"event\":{}}",
                "{\"seq\":1,\"arrivalTime\":\"2026-11-27T20:00:00Z\",\"event\":{\"specversion\":\"1.0\",\"id\":",
                "{\"seq\":1,\"event\":{}}")) {
            byte[] line = bad.getBytes(StandardCharsets.UTF_8);
            assertThatThrownBy(() -> records.event(line, line.length)).as(bad).isInstanceOf(IOException.class);
        }
        byte[] line = "{\"seq\":1,\"arrivalTime\":\"2026-11-27T20:00:00Z\",\"event\":{\"specversion\":\"1.0\",\"id\":\"\",\"source\":\"s\",\"type\":\"t\"}}"
                .getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> records.event(line, line.length))
                .hasMessage("the record's event is not a valid CloudEvent: attribute 'id' must not be empty");
    }
}
