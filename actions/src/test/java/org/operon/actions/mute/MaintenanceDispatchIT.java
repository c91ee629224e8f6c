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

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Maintenance windows muting real dispatch, combined with silences as the app combines them: a window
 * file on disk, a real Infinispan audit log and silence store, real Camel routes and a real HTTP webhook.
 * One window mutes DiskFull on service db every Saturday 22:00-02:00 UTC (2026-11-28 is a Saturday), a cron
 * window mutes service cache for ten minutes every half hour of Berlin office hours on weekdays.
 */
class MaintenanceDispatchIT {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Instant SATURDAY_NIGHT = Instant.parse("2026-11-28T23:30:00Z");
    private static final Instant SATURDAY_NOON = Instant.parse("2026-11-28T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-27T20:00:00Z"), ZoneOffset.UTC);

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
        Path windowFile = dir.resolve("maintenance.json");
        Files.writeString(windowFile, """
                {"windows": [{"name": "db-backup", "matchers": ["alertname=DiskFull", "service=~\\"db|db-replica\\""],
                              "days": ["SAT"], "from": "22:00", "to": "02:00", "zone": "UTC"},
                             {"name": "cache-flush", "matchers": ["service=cache"],
                              "cron": "*/30 9-17 * * MON-FRI", "duration": "10m", "zone": "Europe/Berlin"}]}
                """);
        Muter muter = CompositeMuter.of(new MaintenanceMuter(MaintenanceWindowFile.read(windowFile)),
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
    void aMatchingDecisionInsideTheWindowIsSuppressedAndOneOutsideIsSent() throws Exception {
        Decision inside = alert("db", SATURDAY_NIGHT);
        Decision outside = alert("db", SATURDAY_NOON);
        Decision otherService = alert("web", SATURDAY_NIGHT);

        dispatcher.dispatch(inside);
        dispatcher.dispatch(outside);
        dispatcher.dispatch(otherService);
        assertThat(dispatcher.awaitIdle(WAIT)).isTrue();

        for (String target : List.of("webhook", "log")) {
            assertThat(entry(inside, target).status()).isEqualTo(AuditEntry.SUPPRESSED);
            assertThat(entry(inside, target).reason()).isEqualTo("maintenance window db-backup");
            assertThat(entry(outside, target).status()).isEqualTo(AuditEntry.SENT);
            assertThat(entry(otherService, target).status()).isEqualTo(AuditEntry.SENT);
        }
        assertThat(receiver.bodies).hasSize(2);
        assertThat(receiver.bodies.stream().map(this::subjectOf)).containsExactlyInAnyOrder("db", "web");
    }

    @Test
    void theWindowEndsAtItsEndTimeOnTheNextDay() throws Exception {
        Decision lastMoment = alert("db-replica", Instant.parse("2026-11-29T01:59:59Z"));
        Decision atEnd = alert("db", Instant.parse("2026-11-29T02:00:00Z"));

        dispatcher.dispatch(lastMoment);
        dispatcher.dispatch(atEnd);
        assertThat(dispatcher.awaitIdle(WAIT)).isTrue();

        assertThat(entry(lastMoment, "webhook").status()).isEqualTo(AuditEntry.SUPPRESSED);
        assertThat(entry(atEnd, "webhook").status()).isEqualTo(AuditEntry.SENT);
        assertThat(receiver.bodies).hasSize(1);
    }

    @Test
    void aCronWindowMutesForItsDurationAfterEachStart() throws Exception {
        // Friday 2026-11-27, Berlin is UTC+1: the 10:30 start is 09:30 UTC.
        Decision atStart = alert("cache", Instant.parse("2026-11-27T09:30:00Z"));
        Decision beforeEnd = alert("cache", Instant.parse("2026-11-27T09:39:59Z"));
        Decision atEnd = alert("cache", Instant.parse("2026-11-27T09:40:00Z"));
        Decision saturday = alert("cache", SATURDAY_NOON);

        for (Decision d : List.of(atStart, beforeEnd, atEnd, saturday)) {
            dispatcher.dispatch(d);
        }
        assertThat(dispatcher.awaitIdle(WAIT)).isTrue();

        assertThat(entry(atStart, "webhook").status()).isEqualTo(AuditEntry.SUPPRESSED);
        assertThat(entry(atStart, "webhook").reason()).isEqualTo("maintenance window cache-flush");
        assertThat(entry(beforeEnd, "webhook").status()).isEqualTo(AuditEntry.SUPPRESSED);
        assertThat(entry(atEnd, "webhook").status()).isEqualTo(AuditEntry.SENT);
        assertThat(entry(saturday, "webhook").status()).isEqualTo(AuditEntry.SENT);
        assertThat(receiver.bodies).hasSize(2);
    }

    @Test
    void silencesStillMuteOutsideTheWindow() throws Exception {
        Silence silence = silences.create(new SilenceRequest(List.of(Matcher.equal("service", "web")),
                SATURDAY_NOON.minusSeconds(60), SATURDAY_NOON.plusSeconds(60), "ops", "deploy"));
        Decision silenced = alert("web", SATURDAY_NOON);

        dispatcher.dispatch(silenced);
        assertThat(dispatcher.awaitIdle(WAIT)).isTrue();

        assertThat(entry(silenced, "webhook").status()).isEqualTo(AuditEntry.SUPPRESSED);
        assertThat(entry(silenced, "webhook").reason()).isEqualTo("silenced by " + silence.id());
        assertThat(receiver.bodies).isEmpty();
    }

    private String subjectOf(String body) {
        try {
            return new ObjectMapper().readTree(body).get("subject").asText();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
