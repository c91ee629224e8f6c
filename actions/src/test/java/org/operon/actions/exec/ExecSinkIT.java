package org.operon.actions.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.operon.actions.Action;
import org.operon.actions.ActionDispatcher;
import org.operon.actions.ActionOptions;
import org.operon.actions.ActionRoutes;
import org.operon.actions.InMemoryAuditLog;
import org.operon.model.Decision;
import org.operon.state.AuditEntry;

/**
 * The {@code exec} target running real shell scripts (written to a temp directory) through its real route:
 * arguments reach the program verbatim, one each, whatever shell metacharacters they hold; exit codes, the
 * timeout, the bounded output and the allow-list.
 */
class ExecSinkIT {
    private static final Instant T0 = Instant.parse("2024-03-05T10:15:30Z");
    private static final String DANGER_NEWLINE = "two\nlines";
    private static final List<String> DANGEROUS = List.of("; rm -rf /", "$(touch %MARKER%)", "`touch %MARKER%`",
            "'single' \"double\"", DANGER_NEWLINE, "with  spaces ", "a && touch %MARKER% || true", "*", "");

    @TempDir
    Path dir;

    private CamelContext camel;
    private ActionDispatcher dispatcher;
    private final InMemoryAuditLog audit = new InMemoryAuditLog();

    @AfterEach
    void stop() {
        if (dispatcher != null) {
            dispatcher.stop(Duration.ofSeconds(5));
        }
        if (camel != null) {
            camel.stop();
        }
    }

    private Path script(String name, String body) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
        return file;
    }

    private ExecOptions execFile(String yaml) throws Exception {
        Path file = dir.resolve("exec.yaml");
        Files.writeString(file, yaml);
        return ExecCommandFile.read(file);
    }

    private void start(ExecOptions exec, int attempts) throws Exception {
        ActionOptions options = ActionOptions.defaults().withFileDirectory(dir)
                .withRetries(attempts, Duration.ofMillis(10))
                .withTargetSettings(exec)
                .withDefaultTargets(List.of(ExecSink.NAME));
        camel = new DefaultCamelContext();
        camel.addRoutes(new ActionRoutes(options));
        camel.start();
    }

    private Exchange perform(Decision decision) {
        Action action = Action.of(decision, ExecSink.NAME);
        return camel.createProducerTemplate().send(ActionRoutes.endpointFor(ExecSink.NAME),
                e -> e.getIn().setBody(action));
    }

    private static Decision decision(Map<String, Object> params) {
        Decision d = Decision.of("remediate", "web-1", "restart-rule", List.of("e1"));
        for (var e : params.entrySet()) {
            d = d.withParam(e.getKey(), e.getValue());
        }
        return d.stamped(T0.toEpochMilli());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> result(Exchange exchange) {
        return exchange.getProperty("operonActionResult", Map.class);
    }

    @Test
    void everyArgumentReachesTheProgramVerbatimAsOneArgumentAndNoShellRuns() throws Exception {
        Path marker = dir.resolve("pwned");
        Path argsOut = dir.resolve("args.out");
        // Writes each argument as one NUL-terminated record, so newlines inside an argument stay visible.
        Path echo = script("echo-args.sh", "for a in \"$@\"; do printf '%s\\0' \"$a\" >> '" + argsOut + "'; "
                + "printf '%s\\n' \"$a\"; done\nexit 0\n");
        start(execFile("commands:\n  echo:\n    command: [\"" + echo + "\", \"--host\", \"{{params.host}}\", "
                + "\"{{subject}}\", \"x={{labels.team}}\", \"{{params.list}}\"]\n"), 1);
        for (String raw : DANGEROUS) {
            Files.deleteIfExists(argsOut);
            String value = raw.replace("%MARKER%", marker.toString());
            Exchange done = perform(decision(Map.of("command", "echo", "host", value,
                    "labels", Map.of("team", value), "list", List.of("a b", "c"))));

            assertThat(done.getException()).as("for %s", value).isNull();
            String[] args = Files.readString(argsOut).split("\0", -1);
            assertThat(List.of(args).subList(0, args.length - 1))
                    .containsExactly("--host", value, "web-1", "x=" + value, "[\"a b\",\"c\"]");
            assertThat(result(done)).containsEntry("exitCode", 0).containsEntry("timedOut", false)
                    .containsEntry("command", "echo");
            assertThat((String) result(done).get("output")).contains("--host\n" + value + "\nweb-1\n");
        }
        assertThat(marker).doesNotExist();
        assertThat(Path.of("/tmp/pwned")).doesNotExist();
    }

    @Test
    void aNonZeroExitFailsTheActionOnceUnlessItsCodeIsListedForRetry() throws Exception {
        Path runs = dir.resolve("runs");
        // Fails with 75 on the first run, with 3 on the second; counts runs in a file.
        Path flaky = script("flaky.sh", "echo run >> '" + runs + "'\nn=$(wc -l < '" + runs + "')\n"
                + "echo \"attempt $n\"\n[ \"$n\" -eq 1 ] && exit 75\n[ \"$n\" -eq 2 ] && exit 0\nexit 3\n");
        Path fails = script("fails.sh", "echo oops >&2\nexit 3\n");
        start(execFile("commands:\n  flaky:\n    command: [\"" + flaky + "\"]\n    retry-on-exit-codes: [75]\n"
                + "  fails:\n    command: [\"" + fails + "\"]\n"), 3);

        Exchange retried = perform(decision(Map.of("command", "flaky")));
        assertThat(retried.getException()).isNull();
        assertThat(Files.readAllLines(runs)).hasSize(2);
        assertThat(result(retried)).containsEntry("exitCode", 0).containsEntry("output", "attempt 2\n");

        Exchange failed = perform(decision(Map.of("command", "fails")));
        assertThat(failed.getException()).hasMessage("command 'fails' exited with 3");
        assertThat(failed.getIn().getHeader(Exchange.REDELIVERY_COUNTER, 0, Integer.class)).isZero();
        assertThat(result(failed)).containsEntry("exitCode", 3).containsEntry("output", "oops\n")
                .containsEntry("timedOut", false);
    }

    @Test
    void theTimeoutKillsTheProcessAndItsChildren() throws Exception {
        Path childPid = dir.resolve("child.pid");
        Path hangs = script("hangs.sh", "sleep 300 &\necho $! > '" + childPid + "'\necho started\nwait\n");
        start(execFile("commands:\n  hangs:\n    command: [\"" + hangs + "\"]\n    timeout: 500ms\n"), 3);

        Exchange done = perform(decision(Map.of("command", "hangs")));

        assertThat(done.getException()).hasMessage("command 'hangs' timed out after 0.5s");
        assertThat(result(done)).containsEntry("timedOut", true).containsEntry("exitCode", -1)
                .containsEntry("output", "started\n");
        long pid = Long.parseLong(Files.readString(childPid).strip());
        await().atMost(Duration.ofSeconds(5)).until(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
    }

    @Test
    void theOutputKeptIsTheLast4KiB() throws Exception {
        Path loud = script("loud.sh", "i=0\nwhile [ $i -lt 2000 ]; do echo \"line $i\"; i=$((i+1)); done\n");
        start(execFile("commands:\n  loud:\n    command: [\"" + loud + "\"]\n"), 1);

        String output = (String) result(perform(decision(Map.of("command", "loud")))).get("output");

        assertThat(output.length()).isEqualTo(ProcessRunner.OUTPUT_LIMIT);
        assertThat(output).endsWith("line 1999\n").doesNotContain("line 0\n");
    }

    @Test
    void anUnknownOrMissingCommandOrValueFailsWithoutRunningAnything() throws Exception {
        Path ran = dir.resolve("ran");
        Path touch = script("touch.sh", "echo \"$1\" > '" + ran + "'\n");
        start(execFile("commands:\n  touch:\n    command: [\"" + touch + "\", \"/srv/{{params.dir}}\"]\n"), 3);

        Exchange unknown = perform(decision(Map.of("command", "rm", "dir", "x")));
        Exchange none = perform(decision(Map.of("dir", "x")));
        Exchange noValue = perform(decision(Map.of("command", "touch")));

        assertThat(unknown.getException()).hasMessageStartingWith("command 'rm' is not in operon.actions.exec.file");
        assertThat(none.getException()).hasMessageContaining("no 'command' param");
        assertThat(noValue.getException()).hasMessage("the decision has no value for {{params.dir}}");
        Exchange nul = perform(decision(Map.of("command", "touch", "dir", "a\0b")));
        assertThat(nul.getException()).hasMessage("command 'touch': argument 1 contains a NUL character");
        assertThat(nul.getIn().getHeader(Exchange.REDELIVERY_COUNTER, 0, Integer.class)).isZero();
        assertThat(ran).doesNotExist();
        assertThat(perform(decision(Map.of("command", "touch", "dir", "data"))).getException()).isNull();
        assertThat(Files.readString(ran)).isEqualTo("/srv/data\n");
    }

    @Test
    void throughTheDispatcherTheAuditSaysSentOrFailedWithTheExitCode() throws Exception {
        Path ok = script("ok.sh", "exit 0\n");
        Path bad = script("bad.sh", "exit 2\n");
        ExecOptions exec = execFile("commands:\n  ok:\n    command: [\"" + ok + "\"]\n  bad:\n    command: [\""
                + bad + "\"]\n");
        start(exec, 3);
        ActionOptions options = ActionOptions.defaults().withFileDirectory(dir).withTargetSettings(exec)
                .withDefaultTargets(List.of(ExecSink.NAME));
        dispatcher = new ActionDispatcher(camel, audit, options);
        dispatcher.start();
        Decision good = decision(Map.of("command", "ok"));
        Decision failing = Decision.of("remediate", "web-2", "r", List.of("e2")).withParam("command", "bad")
                .stamped(T0.toEpochMilli());

        dispatcher.dispatch(good);
        dispatcher.dispatch(failing);
        assertThat(dispatcher.awaitIdle(Duration.ofSeconds(10))).isTrue();

        assertThat(audit.find(Action.idFor(good.getId(), ExecSink.NAME)).orElseThrow().status())
                .isEqualTo(AuditEntry.SENT);
        AuditEntry failed = audit.find(Action.idFor(failing.getId(), ExecSink.NAME)).orElseThrow();
        assertThat(failed.status()).isEqualTo(AuditEntry.FAILED);
        assertThat(failed.reason()).isEqualTo("command 'bad' exited with 2");
    }
}
