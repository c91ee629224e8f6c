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
import org.operon.model.Matcher;
import org.operon.state.AuditEntry;
import org.operon.state.AuditLog;
import org.operon.state.OperonState;
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
 * Decisions the rules muted themselves ({@link Decision#mutedBy}) through real dispatch, with the muters
 * composed as the app composes them: a real Infinispan audit log and silence store, real Camel routes and
 * a real HTTP webhook.
 */
class MutedByParamDispatchIT {
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
        Muter muter = CompositeMuter.of(new MutedByParamMuter(), new MaintenanceMuter(List.of()),
                new SilenceMuter(silences));
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

    private static Decision alert(String service, Instant at) {
        return Decision.of("notify", service, "disk-alert", List.of("e-" + service + "-" + at.toEpochMilli()))
                .withParam("labels", Map.of("alertname", "DiskFull", "service", service))
                .stamped(at.toEpochMilli());
    }

    private AuditEntry entry(Decision decision, String target) {
        return audit.find(Action.idFor(decision.getId(), target)).orElseThrow();
    }

    @Test
    void aDecisionMutedByTheRulesIsAuditedSuppressedWithItsReasonAndNeverSent() throws Exception {
        Decision inhibited = alert("db", T0).mutedBy("inhibited by alert 2bd0845d243bb57e (rule 1)");
        Decision plain = alert("web", T0);

        dispatcher.dispatch(inhibited);
        dispatcher.dispatch(plain);
        assertThat(dispatcher.awaitIdle(WAIT)).isTrue();

        for (String target : List.of("webhook", "log")) {
            assertThat(entry(inhibited, target).status()).isEqualTo(AuditEntry.SUPPRESSED);
            assertThat(entry(inhibited, target).reason()).isEqualTo("inhibited by alert 2bd0845d243bb57e (rule 1)");
            assertThat(entry(plain, target).status()).isEqualTo(AuditEntry.SENT);
            assertThat(entry(plain, target).reason()).isNull();
        }
        assertThat(receiver.bodies).hasSize(1);
        assertThat(new ObjectMapper().readTree(receiver.bodies.get(0)).get("subject").asText()).isEqualTo("web");
    }

    @Test
    void theRulesReasonWinsOverAMatchingSilence() throws Exception {
        silences.create(new SilenceRequest(List.of(Matcher.equal("service", "db")), T0.minusSeconds(60),
                T0.plusSeconds(3600), "ops", "disk swap"));
        Decision throttled = alert("db", T0).mutedBy("throttled: once within PT10M per subject");

        dispatcher.dispatch(throttled);
        assertThat(dispatcher.awaitIdle(WAIT)).isTrue();

        assertThat(entry(throttled, "webhook").status()).isEqualTo(AuditEntry.SUPPRESSED);
        assertThat(entry(throttled, "webhook").reason()).isEqualTo("throttled: once within PT10M per subject");
        assertThat(receiver.bodies).isEmpty();
    }

    @Test
    void anEmptyReasonMutesNothing() throws Exception {
        Decision blank = alert("db", T0).mutedBy("");

        dispatcher.dispatch(blank);
        assertThat(dispatcher.awaitIdle(WAIT)).isTrue();

        assertThat(entry(blank, "webhook").status()).isEqualTo(AuditEntry.SENT);
        assertThat(receiver.bodies).hasSize(1);
    }
}
