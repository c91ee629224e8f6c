package org.operon.toolkit.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.operon.actions.Action;
import org.operon.model.Event;
import org.operon.model.Severity;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.operon.toolkit.replay.Recordings.T0;
import static org.operon.toolkit.replay.Recordings.at;
import static org.operon.toolkit.replay.Recordings.critical;
import static org.operon.toolkit.replay.Recordings.write;

class ReplayCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** What one run of the command printed. */
    record Result(int exit, String out, String err) {
        List<JsonNode> actions() throws IOException {
            List<JsonNode> nodes = new ArrayList<>();
            for (String line : out.split("\n")) {
                if (!line.isEmpty()) {
                    nodes.add(JSON.readTree(line));
                }
            }
            return nodes;
        }

        List<String> types() throws IOException {
            return actions().stream().map(a -> a.get("type").asText()).toList();
        }
    }

    static Result replay(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = ReplayCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static List<Event> burst() {
        return List.of(critical("e1", "web-1", Duration.ZERO),
                critical("e2", "web-1", Duration.ofSeconds(60)),
                Recordings.event("w1", "host.cpu.high", "web-1", Severity.WARNING, Duration.ofSeconds(70)),
                critical("e3", "web-1", Duration.ofSeconds(90)),
                critical("o1", "web-2", Duration.ofSeconds(95)));
    }

    @Test
    void aCriticalBurstInAJournalFileGivesOneNotifyActionWithTheAuditLogsFields() {
        Path journal = write(dir.resolve("journal.jsonl"), Recordings.journalLines(burst()));

        Result r = replay("--events", journal.toString());

        assertThat(r.exit()).isZero();
        String decisionId = org.operon.model.Decision.of("notify", "web-1", "critical-burst", List.of())
                .stamped(at(Duration.ofSeconds(90)).toEpochMilli()).getId();
        assertThat(r.out()).isEqualTo("{\"id\":\"" + Action.idFor(decisionId, "log") + "\",\"decisionId\":\""
                + decisionId + "\",\"type\":\"notify\",\"subject\":\"web-1\",\"target\":\"log\",\"status\":\"sent\","
                + "\"reason\":null,\"rule\":\"critical-burst\",\"eventIds\":[\"e1\",\"e2\",\"e3\"],"
                + "\"time\":\"2026-01-05T10:01:30Z\"}\n");
        assertThat(r.err()).contains("read 5 events from 1 source(s)").contains("1 actions (0 suppressed)");
    }

    @Test
    void cloudEventsReplayedAtTheirTimeGiveTheSameBytesAsTheJournal() {
        Path journal = write(dir.resolve("journal.jsonl"), Recordings.journalLines(burst()));
        Path cloudEvents = write(dir.resolve("events.jsonl"), Recordings.cloudEventLines(burst()));

        Result fromJournal = replay("--events", journal.toString());
        Result fromCloudEvents = replay("--events", cloudEvents.toString());

        assertThat(fromCloudEvents.exit()).isZero();
        assertThat(fromCloudEvents.out()).isNotEmpty().isEqualTo(fromJournal.out());
    }

    @Test
    void cloudEventsOutOfOrderAreSortedByTimeAndFilesAreMerged() {
        List<Event> events = burst();
        // The third critical event first in the file, and the others in a second file.
        Path a = write(dir.resolve("a.jsonl"), Recordings.cloudEventLines(List.of(events.get(3), events.get(0))));
        Path b = write(dir.resolve("b.jsonl"), Recordings.cloudEventLines(List.of(events.get(1), events.get(2))));

        Result r = replay("--events", a.toString(), "--events", b.toString());

        assertThat(r.exit()).isZero();
        assertThat(r.out()).isEqualTo(replay("--events",
                write(dir.resolve("all.jsonl"), Recordings.cloudEventLines(events.subList(0, 4))).toString()).out());
    }

    @Test
    void sourcesInOrderAreMergedWhileReadWithTheSameOutputSpanAndUntilAsOneSortedFile() {
        List<Event> events = burst();
        Path a = write(dir.resolve("a.jsonl"), Recordings.cloudEventLines(List.of(events.get(0), events.get(2), events.get(4))));
        Path b = write(dir.resolve("b.jsonl"), Recordings.cloudEventLines(List.of(events.get(1), events.get(3))));
        Path all = write(dir.resolve("all.jsonl"), Recordings.cloudEventLines(events));

        Result merged = replay("--events", a.toString(), "--events", b.toString(), "--until", "2026-01-05T11:00:00Z");
        Result single = replay("--events", all.toString(), "--until", "2026-01-05T11:00:00Z");
        Result onlyB = replay("--events", b.toString());

        assertThat(merged.exit()).isZero();
        assertThat(merged.out()).isNotEmpty().isEqualTo(single.out());
        assertThat(merged.err()).contains("read 5 events from 2 source(s), 2026-01-05T10:00:00Z .. 2026-01-05T10:01:35Z")
                .contains("clock ended at 2026-01-05T11:00:00Z");
        assertThat(onlyB.out()).isNotEqualTo(merged.out());
    }

    @Test
    void aBadLineAfterGoodOnesWritesNoActionAndNamesTheLine() {
        List<String> lines = new ArrayList<>(Recordings.cloudEventLines(burst()));
        lines.add("{not json");
        Path file = write(dir.resolve("late.jsonl"), lines);

        Result r = replay("--events", file.toString());

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("late.jsonl:6");
    }

    @Test
    void theSameInputGivesByteIdenticalOutput() throws IOException {
        List<String> lines = new ArrayList<>(Recordings.cloudEventLines(burst()));
        lines.add(Recordings.webhook("firing", Map.of("alertname", "HighCpu", "service", "web", "severity", "critical"),
                at(Duration.ofMinutes(2)), null));
        lines.add(Recordings.webhook("resolved", Map.of("alertname", "HighCpu", "service", "web", "severity", "critical"),
                at(Duration.ofMinutes(2)), at(Duration.ofMinutes(12))));
        for (int i = 0; i < 3; i++) {
            lines.add(Recordings.cloudEventLines(List.of(Recordings.event("h" + i, "heartbeat", "db-1", Severity.INFO,
                    Duration.ofMinutes(20 + i)))).get(0));
        }
        Path events = write(dir.resolve("mixed.jsonl"), lines);

        Result first = replay("--events", events.toString(), "--tail", "1h");
        Result second = replay("--events", events.toString(), "--tail", "1h");

        assertThat(first.exit()).isZero();
        assertThat(first.types()).contains("notify", "alert-firing", "alert-resolved", "incident-opened",
                "heartbeat-missed");
        assertThat(second.out().getBytes(StandardCharsets.UTF_8)).isEqualTo(first.out().getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void anAlertTimelineFromAlertmanagerWebhookPayloadsFiresAndResolves() throws IOException {
        Map<String, String> labels = Map.of("alertname", "HighCpu", "service", "web", "severity", "critical");
        Path events = write(dir.resolve("alertmanager.jsonl"), List.of(
                Recordings.webhook("firing", labels, at(Duration.ZERO), null),
                Recordings.webhook("resolved", labels, at(Duration.ZERO), at(Duration.ofMinutes(10)))));

        Result r = replay("--events", events.toString());

        assertThat(r.exit()).isZero();
        List<JsonNode> actions = r.actions();
        assertThat(actions).extracting(a -> a.get("type").asText() + "@" + a.get("time").asText())
                .contains("alert-firing@2026-01-05T10:00:00Z", "incident-opened@2026-01-05T10:00:00Z",
                        "alert-resolved@2026-01-05T10:10:00Z", "incident-resolved@2026-01-05T10:10:00Z");
        assertThat(actions).filteredOn(a -> a.get("type").asText().equals("alert-firing"))
                .singleElement().satisfies(a -> assertThat(a.get("eventIds").get(0).asText())
                        .isEqualTo("alertmanager.jsonl:1:0"));
    }

    @Test
    void aPrometheusAlertListWithoutEndsAtResolvesByItselfWithinTheTail() throws IOException {
        Path events = write(dir.resolve("alerts.jsonl"), List.of(
                "[{\"labels\":{\"alertname\":\"DiskFull\",\"service\":\"db\"},\"startsAt\":\"" + T0 + "\"}]"));

        Result shortTail = replay("--events", events.toString(), "--tail", "4m");
        Result longTail = replay("--events", events.toString(), "--tail", "10m");

        assertThat(shortTail.types()).contains("alert-firing").doesNotContain("alert-resolved");
        assertThat(longTail.types()).contains("alert-firing", "alert-resolved");
        assertThat(longTail.actions()).filteredOn(a -> a.get("type").asText().equals("alert-resolved"))
                .singleElement().satisfies(a -> assertThat(a.get("time").asText()).isEqualTo("2026-01-05T10:05:00Z"));
    }

    @Test
    void theTailLetsAbsenceTimersFireAndWithoutItTheyDoNot() throws IOException {
        Path events = write(dir.resolve("heartbeats.jsonl"), Recordings.cloudEventLines(List.of(
                Recordings.event("h1", "heartbeat", "db-1", Severity.INFO, Duration.ZERO))));

        assertThat(replay("--events", events.toString()).out()).isEmpty();
        assertThat(replay("--events", events.toString(), "--tail", "2m").types()).containsExactly("heartbeat-missed");
        assertThat(replay("--events", events.toString(), "--until", "2026-01-05T10:05:00Z").types())
                .containsExactly("heartbeat-missed");
    }

    @Test
    void aJournalDirectoryIsReadSegmentBySegmentAndATornLastLineIsSkipped() throws IOException {
        List<String> lines = Recordings.journalLines(burst());
        Path journal = Files.createDirectories(dir.resolve("journal"));
        write(journal.resolve("journal-00000000000000000001.jsonl"), lines.subList(0, 2));
        Files.writeString(journal.resolve("journal-00000000000000000003.jsonl"),
                String.join("\n", lines.subList(2, 5)) + "\n" + lines.get(0).substring(0, 20));
        Files.writeString(journal.resolve("checkpoint.txt"), "not a segment");

        Result r = replay("--events", journal.toString());

        assertThat(r.exit()).isZero();
        assertThat(r.err()).contains("read 5 events");
        assertThat(r.out()).isEqualTo(replay("--events",
                write(dir.resolve("one.jsonl"), lines).toString()).out());
    }

    @Test
    void aBadLineIsNamedWithItsFileAndLineAndNothingIsWritten() {
        List<String> lines = new ArrayList<>(Recordings.cloudEventLines(burst()));
        lines.add(2, "{\"specversion\":\"1.0\",\"id\":\"x\",\"source\":\"s\",\"type\":\"t\"");
        Path events = write(dir.resolve("broken.jsonl"), lines);

        Result r = replay("--events", events.toString());

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("broken.jsonl:3: not valid JSON");
    }

    @Test
    void aCloudEventWithoutTimeIsRefusedNamingTheLine() {
        Path events = write(dir.resolve("untimed.jsonl"), List.of(
                Recordings.cloudEventLines(burst()).get(0),
                "",
                "{\"specversion\":\"1.0\",\"id\":\"x1\",\"source\":\"/s\",\"type\":\"deploy\"}"));

        Result r = replay("--events", events.toString());

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("untimed.jsonl:3: CloudEvent x1 has no 'time'");
    }

    @Test
    void aLineOfNoKnownShapeIsRefused() {
        Path events = write(dir.resolve("odd.jsonl"), List.of("{\"hello\":\"world\"}"));

        Result r = replay("--events", events.toString());

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("odd.jsonl:1: not a journal record");
    }

    @Test
    void aUserRuleFromTheRulesDirectoryDecidesToo() throws IOException {
        Path rules = Files.createDirectories(dir.resolve("rules"));
        Files.writeString(rules.resolve("deploys.drl"), """
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
                """);
        List<Event> events = new ArrayList<>(burst());
        events.add(Recordings.event("d1", "deploy", "checkout", Severity.INFO, Duration.ofSeconds(100)));
        Path file = write(dir.resolve("events.jsonl"), Recordings.cloudEventLines(events));

        assertThat(replay("--events", file.toString()).types()).containsExactly("notify");
        Result withRules = replay("--events", file.toString(), "--rules", rules.toString());

        assertThat(withRules.exit()).isZero();
        assertThat(withRules.types()).containsExactly("notify", "deploy-seen");
        assertThat(withRules.actions().get(1).get("rule").asText()).isEqualTo("deploy-seen");
    }

    @Test
    void aRuleThatDoesNotCompileIsNamedWithFileLineAndColumn() throws IOException {
        Path rules = Files.createDirectories(dir.resolve("rules"));
        Files.writeString(rules.resolve("broken.drl"), """
                package org.example.rules;

                rule "broken"
                when
                    Event(typo ==
                then
                end
                """);
        Path file = write(dir.resolve("events.jsonl"), Recordings.cloudEventLines(burst()));

        Result r = replay("--events", file.toString(), "--rules", rules.toString());

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).containsPattern("rules/broken\\.drl:\\d+:\\d+: ");
    }

    @Test
    void usageErrorsExitWithTwoAndSayWhatIsWrong() {
        assertThat(replay()).satisfies(r -> {
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.err()).contains("--events FILE|DIR is required").contains("Usage: operon replay");
        });
        assertThat(replay("--events", dir.resolve("missing.jsonl").toString()).err())
                .contains("no such file or directory");
        assertThat(replay("--events", "x", "--bogus").err()).contains("unknown option --bogus");
        Path file = write(dir.resolve("e.jsonl"), List.of());
        assertThat(replay("--events", file.toString(), "--tail", "soon")).satisfies(r -> {
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.err()).contains("--tail: 'soon' is not a duration");
        });
        assertThat(replay("--events", file.toString(), "--reference", dir.toString()).err())
                .contains("--reference is not available");
        assertThat(replay("--help").exit()).isZero();
    }
}
