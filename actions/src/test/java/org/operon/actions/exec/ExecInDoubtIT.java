package org.operon.actions.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.operon.actions.Action;
import org.operon.actions.ActionDispatcher;
import org.operon.actions.ActionOptions;
import org.operon.actions.ActionRoutes;
import org.operon.actions.DeliveryOptions;
import org.operon.actions.TargetCircuits;
import org.operon.actions.mute.Muter;
import org.operon.model.ActionOutcome;
import org.operon.model.Decision;
import org.operon.state.AuditEntry;
import org.operon.state.FailedAction;
import org.operon.state.OperonState;

/**
 * An exec action interrupted by a stop is in doubt, not repeated: a real script (it counts its runs in a file and
 * then blocks until the test releases it) runs on the exec target of a dispatcher whose state is a real
 * Infinispan under a temporary directory. While the script runs, the state is closed under the dispatcher, so
 * the outcome is never recorded, as after a crash; then the state is opened again and a new dispatcher gets the
 * same decision again, as the journal's replay hands it after a restart. The script does not run again: the
 * action is failed with "outcome unknown: Operon stopped while the action was running" and listed among the
 * failed actions; the operator's retry runs it once more. A retry interrupted the same way is marked in doubt
 * when the dispatcher starts, since no replay brings it back.
 */
class ExecInDoubtIT {
    private static final Instant T0 = Instant.parse("2024-03-05T10:15:30Z");
    private static final Clock CLOCK = Clock.fixed(T0, ZoneOffset.UTC);
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private OperonState state;
    private CamelContext camel;
    private ActionDispatcher dispatcher;
    private final List<ActionOutcome> outcomes = new CopyOnWriteArrayList<>();
    private Path runs;
    private Path release;

    @AfterEach
    void stop() throws Exception {
        Files.writeString(release, "go"); // never leave a script waiting
        shutDown();
    }

    private void shutDown() {
        if (dispatcher != null) {
            dispatcher.stop(Duration.ofSeconds(10));
            dispatcher = null;
        }
        if (camel != null) {
            camel.stop();
            camel = null;
        }
        if (state != null) {
            state.close();
            state = null;
        }
    }

    /** Opens the state under the data directory and starts a dispatcher on it, the exec target only. */
    private void start() throws Exception {
        state = OperonState.open(dir.resolve("data"), CLOCK);
        ExecOptions exec = ExecCommandFile.read(Files.writeString(dir.resolve("exec.yaml"),
                "commands:\n  restart:\n    command: [\"" + script() + "\", \"{{subject}}\"]\n    timeout: 30s\n"));
        ActionOptions options = ActionOptions.defaults().withFileDirectory(dir.resolve("files"))
                .withRetries(3, Duration.ofMillis(10)).withTargetSettings(exec)
                .withTargets("remediate", List.of(ExecSink.NAME));
        DeliveryOptions delivery = DeliveryOptions.standard();
        TargetCircuits circuits = new TargetCircuits(delivery, CLOCK);
        camel = new DefaultCamelContext();
        camel.addRoutes(new ActionRoutes(options, circuits));
        camel.start();
        dispatcher = new ActionDispatcher(camel, state.auditLog(), options, Muter.NONE, state.lineage(),
                outcomes::add, null, new ActionDispatcher.Delivery(delivery, circuits, state.failedActions(), CLOCK));
        dispatcher.start();
    }

    /** Appends a line to the runs file, then waits (at most 30 s) for the release file. */
    private Path script() throws Exception {
        runs = dir.resolve("runs");
        release = dir.resolve("release");
        Path file = dir.resolve("restart.sh");
        if (!Files.exists(file)) {
            Files.writeString(file, "#!/bin/sh\necho \"$1\" >> '" + runs + "'\ni=0\n"
                    + "while [ ! -f '" + release + "' ] && [ $i -lt 600 ]; do sleep 0.05; i=$((i+1)); done\nexit 0\n");
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
        }
        return file;
    }

    private long runCount() throws Exception {
        return Files.exists(runs) ? Files.readAllLines(runs).size() : 0;
    }

    private String status(String actionId) {
        return state.auditLog().find(actionId).map(AuditEntry::status).orElse("none");
    }

    /** The state goes away under the running action: its outcome is never recorded, as after a kill -9. */
    private void crashWhileRunning(long runsBefore) throws Exception {
        await().atMost(WAIT).until(() -> runCount() == runsBefore + 1);
        state.close();
        state = null;
        Files.writeString(release, "go");
        assertThat(dispatcher.awaitIdle(WAIT)).isTrue();
        Files.delete(release);
        shutDown();
    }

    @Test
    void anExecActionRunningWhenOperonStoppedIsNotRunAgainButFailedInDoubtAndARetryRunsItOnce() throws Exception {
        Decision decision = Decision.of("remediate", "web-1", "restart-rule", List.of("e1"))
                .withParam("command", "restart").stamped(T0.toEpochMilli());
        String id = Action.idFor(decision.getId(), ExecSink.NAME);
        start();
        dispatcher.dispatch(decision);
        await().atMost(WAIT).until(() -> runCount() == 1);
        assertThat(status(id)).as("recorded before the script ran").isEqualTo(AuditEntry.RUNNING);
        crashWhileRunning(0);

        start();
        dispatcher.dispatch(decision); // the journal's replay after the restart
        assertThat(dispatcher.awaitIdle(WAIT)).isTrue();

        assertThat(runCount()).as("not run again by the replay").isEqualTo(1);
        AuditEntry entry = state.auditLog().find(id).orElseThrow();
        assertThat(entry.status()).isEqualTo(AuditEntry.FAILED);
        assertThat(entry.reason()).isEqualTo("outcome unknown: Operon stopped while the action was running")
                .isEqualTo(ActionDispatcher.STOPPED_WHILE_RUNNING);
        assertThat(state.failedActions().latest(10)).singleElement().satisfies(f -> {
            assertThat(f.id()).isEqualTo(id);
            assertThat(f.reason()).isEqualTo(ActionDispatcher.STOPPED_WHILE_RUNNING);
            assertThat(f.params()).containsEntry("command", "restart");
        });
        assertThat(outcomes).singleElement().satisfies(o -> {
            assertThat(o.status()).isEqualTo(ActionOutcome.FAILED);
            assertThat(o.reason()).isEqualTo(ActionDispatcher.STOPPED_WHILE_RUNNING);
        });

        dispatcher.dispatch(decision); // replayed once more (another restart before the checkpoint moved)
        assertThat(dispatcher.awaitIdle(WAIT)).isTrue();
        assertThat(runCount()).as("an action in doubt is never run again by a replay").isEqualTo(1);
        assertThat(outcomes).hasSize(1);

        // The operator retries; that retry is interrupted by a stop too.
        assertThat(dispatcher.retry(id).status()).isEqualTo(ActionDispatcher.RetryStatus.QUEUED);
        crashWhileRunning(1);
        start();
        assertThat(runCount()).isEqualTo(2);
        assertThat(status(id)).as("marked in doubt at start, no replay needed").isEqualTo(AuditEntry.FAILED);
        assertThat(state.failedActions().find(id)).get().extracting(FailedAction::reason)
                .isEqualTo(ActionDispatcher.STOPPED_WHILE_RUNNING);

        Files.writeString(release, "go");
        assertThat(dispatcher.retry(id).status()).isEqualTo(ActionDispatcher.RetryStatus.QUEUED);
        await().atMost(WAIT).until(() -> status(id).equals(AuditEntry.SENT));
        assertThat(dispatcher.awaitIdle(WAIT)).isTrue();
        assertThat(runCount()).as("the retry ran it exactly once more").isEqualTo(3);
        assertThat(state.failedActions().find(id)).isEmpty();
        assertThat(Files.readAllLines(runs)).containsOnly("web-1");
    }
}
