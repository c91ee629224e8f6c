package org.operon.toolkit.scenario;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ScenarioCommandTest {

    @TempDir
    Path dir;

    record Result(int exit, String out, String err) {
    }

    static Result test(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = ScenarioCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Path scenario(String name, String yaml) throws IOException {
        return Files.writeString(dir.resolve(name), yaml);
    }

    @Test
    void theProjectsOwnRuleTimelinesPassAsScenarioFiles() {
        Result r = test("src/test/resources/scenarios");

        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(r.out()).contains(
                "PASS a critical burst notifies once, and again after five quiet minutes",
                "PASS warnings do not count towards a burst, and subjects are independent",
                "PASS the operator acknowledges and resolves; repeated or unknown commands change nothing",
                "PASS a missed heartbeat is decided two minutes after the last one, once",
                "4 scenarios: 4 passed, 0 failed, 0 could not run");
    }

    @Test
    void theExampleOfTheDocumentationPasses() {
        Result r = test("src/test/resources/examples/burst-and-incident.yaml");

        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(r.out()).startsWith("PASS three critical events are a burst; a silenced alert is suppressed");
    }

    @Test
    void aFailingScenarioShowsExpectedAgainstDecidedActionsAndExitsWithOne() throws IOException {
        Path file = scenario("late.yaml", """
                name: burst expected too late
                steps:
                  - {at: 0s,  event: {type: host.cpu.high, subject: web-1, severity: critical}}
                  - {at: 60s, event: {type: host.cpu.high, subject: web-1, severity: critical}}
                  - {at: 90s, event: {type: host.cpu.high, subject: web-1, severity: critical}}
                expect:
                  - {type: notify, subject: web-1, at: 95s}
                expect_none:
                  - {type: notify, subject: web-1, status: sent}
                """);

        Result r = test(file.toString());

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).isEqualTo("FAIL burst expected too late  (" + file + ", 1 action)\n"
                + "  expected, but no action fits:\n"
                + "    - type=notify subject=web-1 at=95s   (" + file + ":7:5)\n"
                + "        nearest of that type: +1m30s notify web-1 -> log sent [critical-burst]\n"
                + "  expected none, but decided:\n"
                + "    - +1m30s notify web-1 -> log sent [critical-burst]   (expect_none type=notify subject=web-1 "
                + "status=sent at " + file + ":9:5)\n"
                + "  actions decided (= met an expectation):\n"
                + "    +1m30s notify web-1 -> log sent [critical-burst]\n"
                + r.out().substring(r.out().indexOf("1 scenario: 0 passed, 1 failed")));
    }

    @Test
    void eachExpectationNeedsAnActionOfItsOwnAndACountIsExact() throws IOException {
        Path file = scenario("count.yaml", """
                steps:
                  - {at: 0s,   event: {type: heartbeat, subject: a}}
                  - {at: 10s,  event: {type: heartbeat, subject: b}}
                until: 10m
                expect:
                  - {type: heartbeat-missed, subject: a}
                  - {type: heartbeat-missed, subject: a}
                  - {type: heartbeat-missed, count: 1}
                  - {type: heartbeat-missed, within: [0s, 10m]}
                """);

        Result r = test(file.toString());

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("expected 1, but 2 actions fit: type=heartbeat-missed count=1   (" + file + ":8:5)")
                .contains("expected, but no action fits:\n    - type=heartbeat-missed subject=a   (" + file + ":7:5)")
                .contains("  = +2m heartbeat-missed a -> log sent [heartbeat-missed]")
                .contains("  = +2m10s heartbeat-missed b -> log sent [heartbeat-missed]")
                // two actions for four expectations: the ones left over are listed too
                .contains("    - type=heartbeat-missed within=[0s, 10m]   (" + file + ":9:5)");
    }

    @Test
    void aSilenceSuppressesMatchingActionsWhileActiveAndOnlyThose() throws IOException {
        Path file = scenario("silence.yaml", """
                name: silences in virtual time
                steps:
                  - at: 30s
                    silence: {matchers: ['alertname="HighCpu"'], duration: 10m, createdBy: me}
                  - at: 60s
                    alerts:
                      - {labels: {alertname: HighCpu, service: web}, endsAt: 2m}
                      - {labels: {alertname: DiskFull, service: web}, endsAt: 2m}
                  - at: 15m
                    alerts:
                      - {labels: {alertname: HighCpu, service: web}, endsAt: 20m}
                expect:
                  - {type: alert-firing, at: 60s, params: {alertname: HighCpu}, status: suppressed, reason: silenced by silence-1}
                  - {type: alert-resolved, at: 2m, params: {alertname: HighCpu}, status: suppressed}
                  - {type: alert-firing, at: 60s, params: {alertname: DiskFull}, status: sent}
                  - {type: alert-firing, at: 15m, params: {alertname: HighCpu}, status: sent}
                expect_none:
                  - {type: alert-firing, params: {alertname: DiskFull}, status: suppressed}
                """);

        Result r = test(file.toString());

        assertThat(r.exit()).as(r.out()).isZero();
    }

    @Test
    void throttlesOfTheScenarioMuteRepeatsAndTargetsMultiplyActions() throws IOException {
        Path file = scenario("throttle.yaml", """
                throttles:
                  - {type: notify, mode: once_within, window: 1h}
                targets: {notify: [log, webhook], default: []}
                steps:
                  - {at: 0s,  events: [{type: a, subject: db, severity: critical}, {type: a, subject: db, severity: critical},
                                       {type: a, subject: db, severity: critical}]}
                  - {at: 10m, events: [{type: a, subject: db, severity: critical}, {type: a, subject: db, severity: critical},
                                       {type: a, subject: db, severity: critical}]}
                expect:
                  - {type: notify, at: 0s, status: sent, count: 2}
                  - {type: notify, at: 10m, target: webhook, status: suppressed, reason: "throttled: once within PT1H"}
                  - {type: notify, at: 10m, target: log, status: suppressed}
                expect_none:
                  - {type: heartbeat-missed}
                """);

        Result r = test(file.toString());

        assertThat(r.exit()).as(r.out()).isZero();
    }

    @Test
    void anAcknowledgementOfAKeyNeverDecidedFailsTheScenarioSayingWhy() throws IOException {
        Path file = scenario("ack.yaml", """
                steps:
                  - at: 10s
                    acknowledge: {incident: {key: nowhere}, by: alice}
                expect_none:
                  - {type: incident-acknowledged}
                """);

        Result r = test(file.toString());

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("cannot apply: " + file + ":2:5: at +10s no incident of key 'nowhere' has been "
                + "decided yet, so there is none to acknowledge");
    }

    @Test
    void aDayLongScenarioRunsInVirtualTime() throws IOException {
        StringBuilder yaml = new StringBuilder("name: a day of heartbeats with one gap\nsteps:\n");
        for (int minute = 0; minute < 24 * 60; minute++) {
            if (minute < 600 || minute > 610) {
                yaml.append("  - {at: ").append(minute).append("m, events: [{type: heartbeat, subject: web-1}, ")
                        .append("{type: heartbeat, subject: web-2}, {type: host.metric, subject: web-1}]}\n");
            }
        }
        yaml.append("""
                expect:
                  - {type: heartbeat-missed, subject: web-1, at: 601m}
                  - {type: heartbeat-missed, subject: web-2, at: 601m}
                  - {type: heartbeat-missed, subject: web-1, at: 1441m}
                  - {type: heartbeat-missed, subject: web-2, at: 1441m}
                expect_none:
                  - {type: heartbeat-missed, within: [0s, 600m]}
                  - {type: heartbeat-missed, within: [602m, 1440m]}
                """);
        Path file = scenario("day.yaml", yaml.toString());

        long started = System.nanoTime();
        Result r = test(file.toString());
        double seconds = (System.nanoTime() - started) / 1e9;

        assertThat(r.exit()).as(r.out()).isZero();
        System.out.printf("a day-long scenario (4,287 steps) ran in %.2f s%n", seconds);
    }

    @Test
    void aUserRuleInTheScenariosRulesDirectoryIsTested() throws IOException {
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
        String yaml = """
                rules: ./rules
                steps:
                  - {at: 5s, event: {type: deploy, subject: checkout}}
                expect:
                  - {type: deploy-seen, subject: checkout, at: 5s, rule: deploy-seen, eventIds: [e1]}
                """;
        Path withRules = scenario("with-rules.yaml", yaml);
        Path without = scenario("without-rules.yaml", yaml.replace("rules: ./rules\n", ""));

        assertThat(test(withRules.toString()).exit()).isZero();
        assertThat(test(without.toString()).exit()).isEqualTo(1);
        assertThat(test("--rules", rules.toString(), without.toString()).exit()).isZero();
    }

    @Test
    void rulesThatDoNotCompileAreNamedWithFileLineAndColumnAndExitTwo() throws IOException {
        Path rules = Files.createDirectories(dir.resolve("rules"));
        Files.writeString(rules.resolve("broken.drl"), "package org.example;\n\nrule \"x\"\nwhen\n    Event(type ==\nthen\nend\n");
        Path file = scenario("s.yaml", """
                rules: rules
                steps:
                  - {at: 0s, event: {type: deploy}}
                expect_none:
                  - {type: deploy-seen}
                """);

        Result r = test(file.toString());

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).contains("ERROR s  (" + file + "): the rules in " + rules.toAbsolutePath().normalize()
                + " do not compile:").containsPattern("rules/broken\\.drl:\\d+:\\d+: ");
    }

    @Test
    void parseErrorsNameFileLineAndColumnAndExitTwo() throws IOException {
        assertError("bad-yaml.yaml", "steps:\n  - {at: 0s, event: {type: x}\n", ":2:30: not valid YAML");
        assertError("until.yaml", "steps:\n  - {at: 0s, event: {type: x}}\nexpect:\n  - {type: y, at: 2h}\nuntil: 1h\n",
                ":5:8: until (+1h) is before the last step or the latest time an expectation names (+2h)");
        assertError("unknown-key.yaml", "steps:\n  - at: 0s\n    evnt: {type: x}\nexpect_none: [{type: y}]\n",
                ":3:11: unknown key \"evnt\" in a step");
        assertError("bad-duration.yaml", "steps:\n  - {at: 9O s, event: {type: x}}\nexpect_none: [{type: y}]\n",
                ":2:10: at: '9O s' is not a duration");
        assertError("bad-matcher.yaml", "steps:\n  - at: 0s\n    silence: {matchers: ['alertname~~x'], duration: 1h}\n"
                + "expect_none: [{type: y}]\n", ":3:26: ");
        assertError("order.yaml", "steps:\n  - {at: 60s, event: {type: x}}\n  - {at: 30s, event: {type: x}}\n"
                + "expect_none: [{type: y}]\n", ":3:5: steps must be in time order");
        assertError("no-expect.yaml", "steps:\n  - {at: 0s, event: {type: x}}\n", "needs 'expect' or 'expect_none'");
        assertError("status.yaml", "steps:\n  - {at: 0s, event: {type: x}}\nexpect:\n  - {type: y, status: sen}\n",
                ":4:23: status is sent or suppressed");
        assertError("severity.yaml", "steps:\n  - {at: 0s, event: {type: x, severity: loud}}\nexpect_none: [{type: y}]\n",
                ":2:41: severity must be one of critical, warning, info, not 'loud'");
    }

    private void assertError(String name, String yaml, String expected) throws IOException {
        Path file = scenario(name, yaml);
        Result r = test(file.toString());
        assertThat(r.exit()).as(name).isEqualTo(2);
        assertThat(r.out()).as(name).startsWith("ERROR " + file).contains(expected);
    }

    @Test
    void usageErrorsExitWithTwo() {
        assertThat(test()).satisfies(r -> {
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.err()).contains("name at least one scenario file or directory").contains("Usage: operon test");
        });
        assertThat(test(dir.resolve("nothing.yaml").toString()).err()).contains("no such file or directory");
        assertThat(test(dir.toString()).err()).contains("no scenario files (*.yaml, *.yml) in this directory");
        assertThat(test("--help").exit()).isZero();
    }
}
