package org.operon.tests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.operon.tests.support.CloudEvents;
import org.operon.tests.support.OperonProcess;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The rule authoring commands of the runnable jar: {@code operon test} runs scenario files and fails
 * with a readable difference; {@code operon replay} replays the journal the server recorded and decides
 * exactly what the server decided (same decision ids), without performing anything.
 */
class ToolCommandsIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void testPassesAGoodScenarioAndFailsAWrongOneWithTheDifference() throws Exception {
        Path scenarios = Files.createDirectories(tmp.resolve("scenarios"));
        String scenario = """
                name: three critical events are a burst
                start: 2026-01-05T10:00:00Z
                steps:
                  - {at: 0s,  event: {id: e1, type: host.cpu.high, subject: web-1, severity: critical}}
                  - {at: 30s, event: {id: e2, type: host.cpu.high, subject: web-1, severity: critical}}
                  - {at: 90s, event: {id: e3, type: host.cpu.high, subject: web-1, severity: critical}}
                expect:
                  - {type: notify, subject: web-1, at: %s}
                expect_none:
                  - {type: heartbeat-missed}
                until: 1h
                """;
        Files.writeString(scenarios.resolve("burst.yaml"), scenario.formatted("90s"));
        Result passed = run("test", scenarios.toString());
        assertThat(passed.exit).as(passed.out + passed.err).isZero();
        assertThat(passed.out).contains("PASS three critical events are a burst");

        Files.writeString(scenarios.resolve("burst.yaml"), scenario.formatted("80s"));
        Result failed = run("test", scenarios.toString());
        assertThat(failed.exit).isEqualTo(1);
        assertThat(failed.out).contains("FAIL three critical events are a burst")
                .contains("expected, but no action fits").contains("+1m30s notify web-1");
    }

    @Test
    void replayOfTheServersJournalDecidesWhatTheServerDecided() throws Exception {
        Path data = tmp.resolve("data");
        List<String> served = new ArrayList<>();
        try (OperonProcess operon = OperonProcess.start(data, Map.of())) {
            for (String id : List.of("j-1", "j-2", "j-3")) {
                assertThat(operon.post("/api/v1/events", "application/json", CloudEvents.critical(id, "db-9"))
                        .statusCode()).isEqualTo(202);
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> !decisionIds(operon).isEmpty());
            served.addAll(decisionIds(operon));
            operon.terminate();
        }
        Result replayed = run("replay", "--events", data.resolve("journal").toString());
        assertThat(replayed.exit).as(replayed.err).isZero();
        List<String> replayedIds = new ArrayList<>();
        for (String line : replayed.out.strip().split("\n")) {
            JsonNode action = JSON.readTree(line);
            if (action.get("type").asText().equals("notify")) replayedIds.add(action.get("decisionId").asText());
        }
        assertThat(replayedIds).isNotEmpty().allSatisfy(id -> assertThat(served).contains(id));
        // Nothing was performed: the server's audit is untouched by the replay.
        assertThat(replayed.err).contains("operon replay");
        // Only the command's own report: the libraries' INFO lines are not logged by the tools (ToolLogging).
        assertThat(replayed.err.lines()).allSatisfy(line -> assertThat(line).startsWith("operon replay: "));
    }

    @Test
    void binOperonReplaysWithAClassArchiveThatItsFirstRunWrites() throws Exception {
        // An installation laid out as the repository's: bin/operon next to app/target/operon.jar and its lib.
        Path root = tmp.resolve("install");
        Path target = Files.createDirectories(root.resolve("app").resolve("target"));
        Path real = OperonProcess.jar().toAbsolutePath();
        Files.createSymbolicLink(target.resolve("operon.jar"), real);
        Files.createSymbolicLink(target.resolve("lib"), real.resolveSibling("lib"));
        Path script = Files.copy(real.getParent().getParent().getParent().resolve("bin").resolve("operon"),
                Files.createDirectories(root.resolve("bin")).resolve("operon"));
        assertThat(script.toFile().setExecutable(true)).isTrue();
        Path events = tmp.resolve("events.jsonl");
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            lines.append("{\"specversion\":\"1.0\",\"id\":\"c-").append(i).append("\",\"source\":\"/monitoring\",")
                    .append("\"type\":\"alert\",\"subject\":\"db-1\",\"severity\":\"critical\",")
                    .append("\"time\":\"2026-01-01T00:00:0").append(i).append("Z\"}\n");
        }
        Files.writeString(events, lines);

        Result plain = run("replay", "--events", events.toString());
        Path archive = target.resolve("operon-tools.jsa");
        Result help = runScript(script, "replay", "--help");
        assertThat(help.exit).isZero();
        assertThat(help.out).startsWith("Usage: operon replay");
        assertThat(archive).as("a run that loads too few classes writes no archive").doesNotExist();
        Result first = runScript(script, "replay", "--events", events.toString());
        assertThat(archive).isRegularFile();
        Result second = runScript(script, "replay", "--events", events.toString());

        assertThat(plain.exit).as(plain.err).isZero();
        assertThat(plain.out).contains("\"type\":\"notify\"");
        // The JVM's notes on the archive stay out of the output: the same action lines as java -jar, each JSON.
        for (Result r : List.of(first, second)) {
            assertThat(r.exit).as(r.err).isZero();
            assertThat(r.out).isEqualTo(plain.out);
            assertThat(r.err.lines()).allSatisfy(line -> assertThat(line).startsWith("operon replay: "));
        }
        try (var left = Files.list(target)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(
                    "operon.jar", "lib", "operon-tools.jsa"); // no partial archive left behind
        }
    }

    private static List<String> decisionIds(OperonProcess operon) throws Exception {
        List<String> ids = new ArrayList<>();
        for (JsonNode a : operon.getJson("/api/v1/actions?limit=100").get("actions")) {
            if (a.get("type").asText().equals("notify")) ids.add(a.get("decisionId").asText());
        }
        return ids;
    }

    private record Result(int exit, String out, String err) {
    }

    private Result run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-jar", OperonProcess.jar().toString()));
        command.addAll(List.of(args));
        return exec(new ProcessBuilder(command));
    }

    /** Runs bin/operon with this JVM's java first on the PATH and no OPERON_JAVA_OPTS. */
    private Result runScript(Path script, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("sh", script.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().remove("OPERON_JAVA_OPTS");
        pb.environment().put("PATH", Path.of(System.getProperty("java.home"), "bin") + java.io.File.pathSeparator
                + pb.environment().getOrDefault("PATH", ""));
        return exec(pb);
    }

    private Result exec(ProcessBuilder pb) throws IOException, InterruptedException {
        Path out = Files.createTempFile(tmp, "out-", ".txt");
        Path err = Files.createTempFile(tmp, "err-", ".txt");
        Process p = pb.directory(tmp.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("the command finished").isTrue();
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }
}
