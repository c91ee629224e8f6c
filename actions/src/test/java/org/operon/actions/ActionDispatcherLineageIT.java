package org.operon.actions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.operon.actions.mute.MutedByParamMuter;
import org.operon.model.Decision;
import org.operon.model.Event;
import org.operon.model.Lineage;
import org.operon.model.Severity;
import org.operon.state.AuditEntry;
import org.operon.state.DecisionTrace;
import org.operon.state.OperonState;

/** The dispatcher keeps each decision's lineage in the real Infinispan store, next to its audit entries. */
class ActionDispatcherLineageIT {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Instant T0 = Instant.parse("2026-01-05T10:00:00Z");

    @TempDir
    Path dir;

    private OperonState state;
    private CamelContext camel;
    private ActionDispatcher dispatcher;

    @AfterEach
    void stopAll() {
        if (dispatcher != null) {
            dispatcher.stop(Duration.ofSeconds(5));
        }
        if (camel != null) {
            camel.stop();
        }
        if (state != null) {
            state.close();
        }
    }

    private void start(ActionOptions options) throws Exception {
        state = OperonState.open(dir.resolve("data"), Clock.systemUTC());
        camel = new DefaultCamelContext();
        camel.addRoutes(new ActionRoutes(options));
        camel.start();
        dispatcher = new ActionDispatcher(camel, state.auditLog(), options, new MutedByParamMuter(), state.lineage());
        dispatcher.start();
    }

    private static Lineage burstLineage() {
        Event e1 = Event.builder().id("e1").source("/mon").type("disk.full").subject("db-1")
                .severity(Severity.CRITICAL).build().stamped(1, T0.toEpochMilli());
        return Lineage.of("critical-burst", "org.operon.rules", "org/operon/rules/critical-burst.drl", List.of(e1));
    }

    @Test
    void theTraceNamesEveryActionOfTheDecisionAndItsLineage() throws Exception {
        ActionOptions options = ActionOptions.defaults().withFileDirectory(dir.resolve("actions"));
        start(options);
        Decision decision = Decision.of("notify", "db-1", "critical-burst", List.of("e1"))
                .stamped(T0.toEpochMilli()).withLineage(burstLineage());

        dispatcher.dispatch(decision);

        String logAction = Action.idFor(decision.getId(), "log");
        String fileAction = Action.idFor(decision.getId(), "file");
        await().atMost(WAIT).until(() -> state.auditLog().find(fileAction).isPresent()
                && state.auditLog().find(logAction).isPresent());
        DecisionTrace trace = state.lineage().find(decision.getId()).orElseThrow();
        assertThat(trace.actionIds()).containsExactly(logAction, fileAction);
        assertThat(trace.lineage()).isEqualTo(burstLineage().toMap());
        assertThat((Map<String, Object>) trace.lineage().get("rule"))
                .containsEntry("file", "org/operon/rules/critical-burst.drl");
    }

    @Test
    void aSuppressedDecisionIsTracedAndOneWithoutTargetsIsNot() throws Exception {
        ActionOptions options = new ActionOptions(null, Duration.ofSeconds(1), Duration.ofSeconds(1), 1,
                Duration.ofMillis(10), dir.resolve("actions"), Map.of("incident-updated", List.of()), List.of("log"),
                16);
        start(options);
        Decision muted = Decision.of("notify", "db-1", "critical-burst", List.of("e1")).stamped(T0.toEpochMilli())
                .withLineage(burstLineage()).mutedBy("throttled: once within PT10M per subject (first abc)");
        Decision unlisted = Decision.of("incident-updated", "db-1", "incidents", List.of("e1"))
                .stamped(T0.toEpochMilli()).withLineage(burstLineage());
        Decision plain = Decision.of("notify", "db-2", "r", List.of()).stamped(T0.toEpochMilli());

        dispatcher.dispatch(unlisted);
        dispatcher.dispatch(muted);
        dispatcher.dispatch(plain);

        assertThat(dispatcher.awaitIdle(WAIT)).isTrue();
        Optional<AuditEntry> entry = state.auditLog().find(Action.idFor(muted.getId(), "log"));
        assertThat(entry).map(AuditEntry::status).contains(AuditEntry.SUPPRESSED);
        assertThat(state.lineage().find(muted.getId())).map(DecisionTrace::lineage).contains(burstLineage().toMap());
        assertThat(state.lineage().find(unlisted.getId())).isEmpty();
        // A decision without lineage is still traced, so its other actions can be listed.
        DecisionTrace plainTrace = state.lineage().find(plain.getId()).orElseThrow();
        assertThat(plainTrace.lineage()).isNull();
        assertThat(plainTrace.actionIds()).containsExactly(Action.idFor(plain.getId(), "log"));
    }
}
