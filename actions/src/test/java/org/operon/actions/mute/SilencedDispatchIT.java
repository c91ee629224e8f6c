package org.operon.actions.mute;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.operon.actions.Action;
import org.operon.actions.ActionDispatcher;
import org.operon.actions.ActionOptions;
import org.operon.actions.ActionRoutes;
import org.operon.model.Decision;
import org.operon.state.AuditEntry;
import org.operon.state.AuditLog;
import org.operon.state.OperonState;
import org.operon.model.Matcher;
import org.operon.state.silence.Silence;
import org.operon.state.silence.SilenceRequest;
import org.operon.state.silence.SilenceStore;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Silences muting real dispatch: a real Infinispan silence store and audit log, real Camel routes and a
 * real HTTP webhook. Timeline: a silence for DiskFull on service db, active from T0+10m to T0+1h.
 */
class SilencedDispatchIT {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Instant T0 = Instant.parse("2026-11-27T20:00:00Z");
    private static final Clock CLOCK = Clock.fixed(T0, ZoneOffset.UTC);

    @TempDir
    Path dir;

    private OperonState state;
    private SilenceStore silences;
    private AuditLog audit;
    private HookReceiver receiver;
    private CamelContext camel;
    private ActionDispatcher dispatcher;

    @BeforeEach
    void start() throws Exception {
        state = OperonState.open(dir.resolve("data"), CLOCK);
        silences = SilenceStore.open(state, CLOCK);
        audit = state.auditLog();
        receiver = new HookReceiver();
    }

    private void startDispatcher(Muter muter) throws Exception {
        ActionOptions options = ActionOptions.defaults()
                .withWebhookUrl(receiver.url())
                .withFileDirectory(dir.resolve("actions"))
                .withRetries(1, Duration.ofMillis(10))
                .withTargets("notify", List.of("webhook", "log"));
        camel = new DefaultCamelContext();
        camel.addRoutes(new ActionRoutes(options));
        camel.start();
        dispatcher = new ActionDispatcher(camel, audit, options, muter);
        dispatcher.start();
    }

    @AfterEach
    void stop() {
        if (dispatcher != null) {
            dispatcher.stop(WAIT);
        }
        if (camel != null) {
            camel.stop();
        }
        receiver.close();
        state.close();
    }

    private Silence silenceDiskFullOnDb() {
        return silences.create(new SilenceRequest(
                List.of(Matcher.equal("alertname", "DiskFull"), Matcher.regex("service", "db|db-replica")),
                T0.plus(Duration.ofMinutes(10)), T0.plus(Duration.ofHours(1)), "ops", "disk swap"));
    }

    private static Decision alert(String service, Instant at) {
        return Decision.of("notify", service, "disk-alert", List.of("e-" + service + "-" + at.toEpochMilli()))
                .withParam("labels", Map.of("alertname", "DiskFull", "service", service, "instance", service + "-1"))
                .stamped(at.toEpochMilli());
    }

    private AuditEntry entry(Decision decision, String target) {
        return audit.find(Action.idFor(decision.getId(), target)).orElseThrow();
    }

    @Test
    void aDecisionMatchingAnActiveSilenceIsAuditedSuppressedAndNeverSent() throws Exception {
        Silence silence = silenceDiskFullOnDb();
        startDispatcher(new SilenceMuter(silences));
        Decision silenced = alert("db", T0.plus(Duration.ofMinutes(15)));
        Decision otherService = alert("web", T0.plus(Duration.ofMinutes(15)));

        dispatcher.dispatch(silenced);
        dispatcher.dispatch(otherService);
        assertThat(dispatcher.awaitIdle(WAIT)).isTrue();

        for (String target : List.of("webhook", "log")) {
            AuditEntry suppressed = entry(silenced, target);
            assertThat(suppressed.status()).isEqualTo(AuditEntry.SUPPRESSED);
            assertThat(suppressed.reason()).isEqualTo("silenced by " + silence.id());
            assertThat(suppressed.subject()).isEqualTo("db");
            assertThat(entry(otherService, target).status()).isEqualTo(AuditEntry.SENT);
            assertThat(entry(otherService, target).reason()).isNull();
        }
        assertThat(receiver.bodies).hasSize(1);
        assertThat(new ObjectMapper().readTree(receiver.bodies.get(0)).get("subject").asText()).isEqualTo("web");
    }

    @Test
    void aSilenceMutesOnlyDecisionsMadeWhileItIsActive() throws Exception {
        Silence silence = silenceDiskFullOnDb();
        startDispatcher(new SilenceMuter(silences));
        Decision beforeStart = alert("db", T0.plus(Duration.ofMinutes(5)));
        Decision during = alert("db-replica", T0.plus(Duration.ofMinutes(30)));
        Decision atEnd = alert("db", T0.plus(Duration.ofHours(1)));

        dispatcher.dispatch(beforeStart);
        dispatcher.dispatch(during);
        dispatcher.dispatch(atEnd);
        assertThat(dispatcher.awaitIdle(WAIT)).isTrue();

        assertThat(entry(beforeStart, "webhook").status()).isEqualTo(AuditEntry.SENT);
        assertThat(entry(during, "webhook").status()).isEqualTo(AuditEntry.SUPPRESSED);
        assertThat(entry(during, "webhook").reason()).isEqualTo("silenced by " + silence.id());
        assertThat(entry(atEnd, "webhook").status()).isEqualTo(AuditEntry.SENT);
        assertThat(receiver.bodies).hasSize(2);
    }

    @Test
    void aDecisionWithoutLabelsIsMatchedOnSubjectAndType() throws Exception {
        Silence bySubject = silences.create(new SilenceRequest(List.of(Matcher.equal("subject", "db-1"),
                Matcher.equal("type", "notify")), T0, T0.plus(Duration.ofHours(1)), "ops", ""));
        startDispatcher(new SilenceMuter(silences));
        Decision plain = Decision.of("notify", "db-1", "critical-burst", List.of("e1")).stamped(T0.toEpochMilli());
        Decision otherSubject = Decision.of("notify", "db-2", "critical-burst", List.of("e2")).stamped(T0.toEpochMilli());

        dispatcher.dispatch(plain);
        dispatcher.dispatch(otherSubject);
        assertThat(dispatcher.awaitIdle(WAIT)).isTrue();

        assertThat(entry(plain, "webhook").reason()).isEqualTo("silenced by " + bySubject.id());
        assertThat(entry(otherSubject, "webhook").status()).isEqualTo(AuditEntry.SENT);
        assertThat(receiver.bodies).hasSize(1);
    }

    @Test
    void aSuppressedActionStaysSuppressedWhenItsDecisionIsReplayedAfterTheSilenceExpired() throws Exception {
        Silence silence = silenceDiskFullOnDb();
        startDispatcher(new SilenceMuter(silences));
        Decision silenced = alert("db", T0.plus(Duration.ofMinutes(15)));
        dispatcher.dispatch(silenced);
        assertThat(dispatcher.awaitIdle(WAIT)).isTrue();

        silences.expire(silence.id());
        dispatcher.dispatch(silenced);
        assertThat(dispatcher.awaitIdle(WAIT)).isTrue();

        assertThat(entry(silenced, "webhook").status()).isEqualTo(AuditEntry.SUPPRESSED);
        assertThat(receiver.bodies).isEmpty();
    }

    @Test
    void aMuterThatFailsDoesNotStopTheAction() throws Exception {
        startDispatcher((decision, at) -> {
            throw new IllegalStateException("silence store unavailable");
        });
        Decision decision = alert("db", T0);

        dispatcher.dispatch(decision);
        assertThat(dispatcher.awaitIdle(WAIT)).isTrue();

        assertThat(entry(decision, "webhook").status()).isEqualTo(AuditEntry.SENT);
        assertThat(receiver.bodies).hasSize(1);
    }

    @Test
    void withoutAMuterNothingIsSuppressed() throws Exception {
        silenceDiskFullOnDb();
        startDispatcher(Muter.NONE);
        Decision decision = alert("db", T0.plus(Duration.ofMinutes(15)));

        dispatcher.dispatch(decision);
        assertThat(dispatcher.awaitIdle(WAIT)).isTrue();

        assertThat(entry(decision, "webhook").status()).isEqualTo(AuditEntry.SENT);
        assertThat(receiver.bodies).hasSize(1);
    }
}
