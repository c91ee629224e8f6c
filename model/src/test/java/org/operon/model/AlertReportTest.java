package org.operon.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AlertReportTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static AlertReport parse(String json) throws Exception {
        return AlertReport.fromData(MAPPER.readValue(json, Object.class));
    }

    @Test
    void readsAPostableAlert() throws Exception {
        AlertReport r = parse("""
                {"labels":{"alertname":"HighCpu","severity":"critical"},"annotations":{"summary":"hot"},
                 "startsAt":"2026-11-26T18:22:11.569464475Z","endsAt":"2026-11-26T20:00:00+01:00",
                 "generatorURL":"http://prom/graph","somethingNew":42}""");

        assertThat(r.labels()).containsExactly(Map.entry("alertname", "HighCpu"), Map.entry("severity", "critical"));
        assertThat(r.annotations()).containsEntry("summary", "hot");
        assertThat(r.startsAt()).isEqualTo(Instant.parse("2026-11-26T18:22:11.569464475Z"));
        assertThat(r.endsAt()).isEqualTo(Instant.parse("2026-11-26T19:00:00Z"));
        assertThat(r.generatorURL()).isEqualTo("http://prom/graph");
        assertThat(r.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(r.resolveTimeout()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void theZeroTimeInAnyFormIsUnset() throws Exception {
        assertThat(AlertReport.parseTime("endsAt", "0001-01-01T00:00:00Z")).isNull();
        assertThat(AlertReport.parseTime("endsAt", "0001-01-01T00:00:00.000Z")).isNull();
        assertThat(AlertReport.parseTime("endsAt", "0001-01-01T00:00:00.000000000+00:00")).isNull();
        assertThat(AlertReport.parseTime("endsAt", "0001-01-01T01:00:00+01:00")).isNull();
        assertThat(AlertReport.parseTime("endsAt", "0001-01-01T00:00:01Z")).isNotNull();
        AlertReport r = parse("""
                {"labels":{"a":"b"},"startsAt":"0001-01-01T00:00:00Z","endsAt":"0001-01-01T00:00:00.000Z"}""");
        assertThat(r.startsAt()).isNull();
        assertThat(r.endsAt()).isNull();
    }

    @Test
    void labelsWithEmptyValuesAreDroppedAndOneMustRemain() throws Exception {
        assertThat(parse("{\"labels\":{\"a\":\"b\",\"c\":\"\"}}").labels()).containsOnlyKeys("a");

        assertThatThrownBy(() -> parse("{\"labels\":{\"c\":\"\"}}"))
                .isInstanceOfSatisfying(InvalidEventException.class, e -> {
                    assertThat(e.error()).isEqualTo("missing_attribute");
                    assertThat(e.detail()).contains("labels");
                });
        assertThatThrownBy(() -> parse("{\"annotations\":{}}"))
                .isInstanceOfSatisfying(InvalidEventException.class, e -> assertThat(e.error()).isEqualTo("missing_attribute"));
    }

    @Test
    void rejectsWrongTypesBadTimesAndAnEndBeforeTheStart() {
        assertThatThrownBy(() -> parse("[]")).isInstanceOfSatisfying(InvalidEventException.class,
                e -> assertThat(e.error()).isEqualTo("wrong_type"));
        assertThatThrownBy(() -> parse("{\"labels\":{\"a\":1}}")).isInstanceOfSatisfying(InvalidEventException.class,
                e -> assertThat(e.detail()).contains("labels.a must be a string"));
        assertThatThrownBy(() -> parse("{\"labels\":{\"a\":\"b\"},\"startsAt\":\"yesterday\"}"))
                .isInstanceOfSatisfying(InvalidEventException.class, e -> {
                    assertThat(e.error()).isEqualTo("invalid_value");
                    assertThat(e.detail()).contains("startsAt", "yesterday");
                });
        assertThatThrownBy(() -> parse("""
                {"labels":{"a":"b"},"startsAt":"2026-01-02T00:00:00Z","endsAt":"2026-01-01T00:00:00Z"}"""))
                .isInstanceOfSatisfying(InvalidEventException.class, e -> assertThat(e.detail()).contains("before"));
    }

    @Test
    void anUnknownSeverityLabelIsInfo() throws Exception {
        assertThat(parse("{\"labels\":{\"severity\":\"page\"}}").severity()).isEqualTo(Severity.INFO);
        assertThat(parse("{\"labels\":{\"severity\":\"Warning\"}}").severity()).isEqualTo(Severity.WARNING);
        assertThat(parse("{\"labels\":{\"a\":\"b\"}}").severity()).isEqualTo(Severity.INFO);
    }

    @Test
    void travelsThroughTheJournalAsACloudEventAndBack() throws Exception {
        AlertReport report = parse("""
                {"labels":{"alertname":"HighCpu","severity":"warning"},"annotations":{"summary":"hot"},
                 "startsAt":"2026-11-26T18:22:11.5Z","generatorURL":"http://prom/graph"}""")
                .withResolveTimeout(Duration.ofHours(4));
        Event event = report.toEvent("id-1", "/api/v1/alertmanager", Instant.parse("2026-11-26T18:23:00Z"));

        CloudEventJson json = new CloudEventJson();
        Event back = json.fromJson(json.parseTree(json.toJson(event).toString()));

        assertThat(back.getType()).isEqualTo("operon.alert");
        assertThat(back.getSubject()).isEqualTo(report.fingerprint());
        assertThat(back.getSeverity()).isEqualTo(Severity.WARNING);
        assertThat(back.getLabels()).isEqualTo(report.labels());
        AlertReport read = AlertReport.fromEvent(back);
        assertThat(read).isEqualTo(report);
        assertThat(read.endsAt()).isNull();
        assertThat(read.resolveTimeout()).isEqualTo(Duration.ofHours(4));
    }

    @Test
    void theDataHasUnsetTimesAsNull() throws Exception {
        Map<String, Object> data = parse("{\"labels\":{\"a\":\"b\"}}").toData();

        assertThat(data).containsEntry("startsAt", null).containsEntry("endsAt", null)
                .containsEntry("generatorURL", null).doesNotContainKey("resolveTimeout");
    }

    @Test
    void aNullLabelValueCountsAsEmpty() throws Exception {
        Map<String, Object> alert = new HashMap<>();
        Map<String, String> labels = new HashMap<>();
        labels.put("a", "b");
        labels.put("gone", null);
        alert.put("labels", labels);

        assertThat(AlertReport.fromData(alert).labels()).containsOnlyKeys("a");
    }
}
