package org.operon.toolkit.diff;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.operon.model.CloudEventJson;
import org.operon.model.Event;
import org.operon.model.Severity;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DiffCommandTest {
    private static final Instant T0 = Instant.parse("2026-01-05T10:00:00Z");
    private static final String HEADER = """
            package org.example.rules;

            import java.util.List;
            import org.operon.model.Decision;
            import org.operon.model.Event;
            import org.operon.model.Severity;

            """;

    @TempDir
    Path dir;

    record Result(int exit, String out, String err) {
    }

    static Result diff(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = DiffCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static String rule(String name, String condition, String type) {
        return "rule \"" + name + "\"\nwhen\n    $e : Event(" + condition + ")\nthen\n"
                + "    channels[\"decisions\"].send(Decision.of(\"" + type + "\", $e.getSubject(), drools.getRule().getName(),\n"
                + "            List.of($e.getId())));\nend\n\n";
    }

    private Path events() throws IOException {
        CloudEventJson json = new CloudEventJson();
        List<Event> events = List.of(
                event("c1", "host.cpu.high", "web-1", Severity.CRITICAL, 0),
                event("c2", "host.cpu.high", "web-1", Severity.CRITICAL, 5),
                event("d1", "deploy", "checkout", Severity.INFO, 10),
                event("c3", "host.cpu.high", "web-1", Severity.CRITICAL, 15),
                event("d2", "deploy", "payments", Severity.CRITICAL, 20));
        return Files.write(dir.resolve("events.jsonl"), events.stream().map(e -> json.toJson(e).toString()).toList());
    }

    private static Event event(String id, String type, String subject, Severity severity, int second) {
        return Event.builder().id(id).source("/ci").type(type).subject(subject).severity(severity)
                .time(T0.plusSeconds(second)).build();
    }

    @Test
    void aRuleChangeShowsAppearedDisappearedAndChangedActionsGroupedByRule() throws IOException {
        Path a = Files.createDirectories(dir.resolve("rules-a"));
        Files.writeString(a.resolve("deploys.drl"), HEADER + rule("deploy-seen", "type == \"deploy\"", "deploy-seen"));
        Path b = Files.createDirectories(dir.resolve("rules-b"));
        Files.writeString(b.resolve("deploys.drl"), HEADER
                + rule("deploy-seen (critical only)", "type == \"deploy\", severity == Severity.CRITICAL", "deploy-seen")
                + rule("deploy-audit", "type == \"deploy\"", "deploy-audit"));
        Path events = events();

        Result r = diff("--events", events.toString(), "--rules-a", a.toString(), "--rules-b", b.toString());

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("""
                Backtest of 5 events, 2026-01-05T10:00:00Z .. 2026-01-05T10:00:20Z
                  A: packaged rules + %s: 3 actions
                  B: packaged rules + %s: 4 actions
                  2 appeared, 1 disappeared, 1 changed, 1 unchanged

                rule "deploy-audit" (deploys.drl): 2 appeared
                  + 2026-01-05T10:00:10Z deploy-audit checkout -> log sent
                  + 2026-01-05T10:00:20Z deploy-audit payments -> log sent

                rule "deploy-seen" (deploys.drl): 1 disappeared
                  - 2026-01-05T10:00:10Z deploy-seen checkout -> log sent

                rule "deploy-seen (critical only)" (deploys.drl): 1 changed
                  ~ 2026-01-05T10:00:20Z deploy-seen payments -> log: rule "deploy-seen" -> "deploy-seen (critical only)"
                """.formatted(a, b));
        assertThat(r.err()).contains("read 5 events");
    }

    @Test
    void theSameRulesOnBothSidesMakeNoDifferenceAndWithoutRulesATheyAreComparedWithThePackagedRules()
            throws IOException {
        Path b = Files.createDirectories(dir.resolve("rules-b"));
        Files.writeString(b.resolve("deploys.drl"), HEADER + rule("deploy-seen", "type == \"deploy\"", "deploy-seen"));
        Path events = events();

        Result same = diff("--events", events.toString(), "--rules-a", b.toString(), "--rules-b", b.toString());
        Result againstPackaged = diff("--events", events.toString(), "--rules-b", b.toString(), "--limit", "1");

        assertThat(same.out()).endsWith("0 appeared, 0 disappeared, 0 changed, 3 unchanged\n\nNo differences.\n");
        assertThat(againstPackaged.out()).contains("A: packaged rules: 1 actions")
                .contains("rule \"deploy-seen\" (deploys.drl): 2 appeared\n"
                        + "  + 2026-01-05T10:00:10Z deploy-seen checkout -> log sent\n  ... and 1 more\n");
    }

    @Test
    void usageAndRuleErrorsExitWithTwo() throws IOException {
        Path events = events();
        assertThat(diff("--events", events.toString())).satisfies(r -> {
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.err()).contains("--rules-b DIR is required");
        });
        assertThat(diff("--events", events.toString(), "--rules-b", dir.resolve("nope").toString()).err())
                .contains("not a directory");
        Path broken = Files.createDirectories(dir.resolve("broken"));
        Files.writeString(broken.resolve("x.drl"), "package x;\nrule \"x\" when Event( then end\n");
        assertThat(diff("--events", events.toString(), "--rules-b", broken.toString())).satisfies(r -> {
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.err()).containsPattern("broken/x\\.drl:2:\\d+: ");
            assertThat(r.out()).isEmpty();
        });
    }
}
