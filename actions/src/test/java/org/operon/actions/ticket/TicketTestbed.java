package org.operon.actions.ticket;

import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.operon.actions.Action;
import org.operon.actions.ActionDispatcher;
import org.operon.actions.ActionOptions;
import org.operon.actions.ActionRoutes;
import org.operon.model.Decision;
import org.operon.state.AuditEntry;
import org.operon.state.AuditLog;
import org.operon.state.OperonState;
import org.operon.state.ticket.TicketLinkStore;

/**
 * The real action path for ticket targets: Infinispan state in a directory (audit log and ticket links),
 * a CamelContext with {@link ActionRoutes} and the {@link TicketLinkStore} bound as {@link TicketSink#LINKS},
 * and a running {@link ActionDispatcher}. Closing it stops all three, so a new testbed on the same directory
 * is a restart.
 */
final class TicketTestbed implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(15);
    static final Instant T0 = Instant.parse("2026-11-27T20:00:00Z");
    static final String INCIDENT = "inc-3f1c0a9b27d4";

    final OperonState state;
    final TicketLinkStore links;
    final AuditLog audit;
    final CamelContext camel;
    final ActionDispatcher dispatcher;

    /** A testbed auditing into the state's audit log. */
    TicketTestbed(Path dir, ActionOptions options) throws Exception {
        this(dir, options, null);
    }

    /** A testbed auditing into {@code auditLog}, or the state's when null. */
    TicketTestbed(Path dir, ActionOptions options, AuditLog auditLog) throws Exception {
        state = OperonState.open(dir, Clock.fixed(T0, ZoneOffset.UTC));
        links = TicketLinkStore.open(state);
        audit = auditLog == null ? state.auditLog() : auditLog;
        camel = new DefaultCamelContext();
        camel.getRegistry().bind(TicketSink.LINKS, links);
        camel.addRoutes(new ActionRoutes(options));
        camel.start();
        dispatcher = new ActionDispatcher(camel, audit, options);
        dispatcher.start();
    }

    /** Options with fast retries, short timeouts and every decision to {@code target}. */
    static ActionOptions options(Path dir, TicketOptions tickets, String target) {
        return ActionOptions.defaults()
                .withFileDirectory(dir.resolve("actions"))
                .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(2))
                .withRetries(3, Duration.ofMillis(20))
                .withTickets(tickets)
                .withDefaultTargets(List.of(target));
    }

    /** Dispatches and waits for the action's audit entry. */
    AuditEntry perform(Decision decision, String target) {
        dispatcher.dispatch(decision);
        String id = Action.idFor(decision.getId(), target);
        return await().atMost(WAIT).until(() -> audit.find(id).orElse(null), e -> e != null);
    }

    /** Sends one action straight to the target's route and returns the exchange (exception, result property). */
    Exchange send(Decision decision, String target) {
        return camel.createProducerTemplate().send(ActionRoutes.endpointFor(target),
                exchange -> exchange.getIn().setBody(Action.of(decision, target)));
    }

    /**
     * An {@code incident-*} decision about {@link #INCIDENT} (key {@code checkout}, P1, team payments) whose
     * snapshot has {@code status} and a firing {@code HighLatency}; {@code params} are added to the decision.
     */
    static Decision incident(String type, String status, Instant at, Object... params) {
        Map<String, Object> snapshot = new LinkedHashMap<>();
        snapshot.put("id", INCIDENT);
        snapshot.put("correlationKey", "checkout");
        snapshot.put("commonLabels", Map.of("service", "checkout", "severity", "critical"));
        snapshot.put("status", status);
        snapshot.put("openedAt", T0.toString());
        snapshot.put("resolvedAt", status.equals("resolved") ? at.toString() : null);
        snapshot.put("resolvedBy", status.equals("resolved") ? "operon" : null);
        snapshot.put("reopenCount", 0);
        snapshot.put("routing", Map.of("team", "payments", "priority", "P1"));
        snapshot.put("alerts", List.of(Map.of("alertname", "HighLatency", "status",
                status.equals("resolved") ? "resolved" : "firing",
                "labels", Map.of("alertname", "HighLatency", "service", "checkout", "instance", "host-1"))));
        Decision d = Decision.of(type, "checkout", "incidents", List.of("e1")).withParam("incident", snapshot)
                .withParam("labels", Map.of("service", "checkout"));
        for (int i = 0; i < params.length; i += 2) {
            d = d.withParam((String) params[i], params[i + 1]);
        }
        return d.stamped(at.toEpochMilli());
    }

    /** A decision that is not about an incident. */
    static Decision notIncident(Instant at) {
        return Decision.of("notify", "web-1", "critical-burst", List.of("e9")).stamped(at.toEpochMilli());
    }

    @Override
    public void close() {
        dispatcher.stop(WAIT);
        camel.stop();
        state.close();
    }

    /** An audit log that forgets: as if the audit entries of a crash were never written. */
    static final class ForgetfulAuditLog implements AuditLog {
        final List<AuditEntry> entries = new CopyOnWriteArrayList<>();

        @Override
        public void record(AuditEntry entry) {
            entries.add(entry);
        }

        @Override
        public Optional<AuditEntry> find(String id) {
            return entries.stream().filter(e -> e.id().equals(id)).reduce((a, b) -> b);
        }

        @Override
        public List<AuditEntry> latest(int limit) {
            return new ArrayList<>(entries);
        }
    }
}
