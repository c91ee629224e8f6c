package org.operon.actions.ticket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.operon.actions.ticket.TicketTestbed.INCIDENT;
import static org.operon.actions.ticket.TicketTestbed.T0;
import static org.operon.actions.ticket.TicketTestbed.incident;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import org.apache.camel.Exchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.operon.actions.ActionOptions;
import org.operon.model.Decision;
import org.operon.state.AuditEntry;

/** The {@code servicenow} target end to end against {@link FakeServiceNow}, a real HTTP server checking the Table API. */
class ServiceNowSinkIT {
    private static final String USER = "operon.integration";
    private static final String PASSWORD = "Sn0wPASSWORD-secret-42";

    @TempDir
    Path dir;

    private FakeServiceNow api;
    private TicketApiServer serviceNow;
    private TicketTestbed bed;

    @BeforeEach
    void startServiceNow() throws Exception {
        api = new FakeServiceNow(USER, PASSWORD);
        serviceNow = new TicketApiServer(api);
    }

    @AfterEach
    void stopAll() {
        if (bed != null) {
            bed.close();
        }
        serviceNow.close();
    }

    private ActionOptions options(String password) {
        return TicketTestbed.options(dir, new TicketOptions(null, null,
                new ServiceNowTicketOptions(serviceNow.url(), USER, password, "Network", null)), ServiceNowSink.NAME);
    }

    private AuditEntry perform(Decision decision) {
        return bed.perform(decision, ServiceNowSink.NAME);
    }

    @Test
    void anIncidentGetsOneRecordWithItsCorrelationIdWorkNotesAndIsResolved() throws Exception {
        bed = new TicketTestbed(dir, options(PASSWORD));

        Exchange created = bed.send(incident("incident-opened", "open", T0), ServiceNowSink.NAME);
        assertThat(created.getProperty(TicketSink.RESULT, Map.class)).containsEntry("ticketId", "INC0010023")
                .containsEntry("ticketOperation", "created");
        assertThat(perform(incident("incident-reopened", "open", T0.plusSeconds(60))).status())
                .isEqualTo(AuditEntry.SENT);
        assertThat(perform(incident("incident-resolved", "resolved", T0.plusSeconds(120), "by", "operon")).status())
                .isEqualTo(AuditEntry.SENT);

        assertThat(serviceNow.invalid).isEmpty();
        String record = "/api/now/table/incident/" + String.format("%032x", 10023);
        assertThat(serviceNow.requests).extracting(r -> r.method() + " " + r.path()).containsExactly(
                "GET /api/now/table/incident", "POST /api/now/table/incident", "PATCH " + record, "GET " + record,
                "PATCH " + record);
        JsonNode create = serviceNow.requests.get(1).body();
        // The ServiceNow ticket source reads the incident from correlation_id.
        assertThat(create.path("correlation_id").asText()).isEqualTo(INCIDENT);
        assertThat(create.path("short_description").asText()).isEqualTo("[P1] checkout: HighLatency");
        assertThat(create.path("impact").asText()).isEqualTo("1");
        assertThat(create.path("assignment_group").asText()).isEqualTo("Network");
        assertThat(serviceNow.requests.get(3).query()).isEqualTo("sysparm_fields=state");
        JsonNode resolve = serviceNow.requests.get(4).body();
        assertThat(resolve.path("state").asText()).isEqualTo("6");
        assertThat(resolve.path("close_code").asText()).isEqualTo("Solution provided");
        FakeServiceNow.Record kept = api.records.values().iterator().next();
        assertThat(kept.state).isEqualTo("6");
        assertThat(kept.workNotes.get(0)).startsWith("Reopened (0 time(s)). Status: open.");
    }

    @Test
    void aRecordAlreadyClosedGetsOnlyAWorkNote() throws Exception {
        bed = new TicketTestbed(dir, options(PASSWORD));
        perform(incident("incident-opened", "open", T0));
        api.records.values().iterator().next().state = "7";

        assertThat(perform(incident("incident-resolved", "resolved", T0.plusSeconds(60))).status())
                .isEqualTo(AuditEntry.SENT);

        JsonNode last = serviceNow.requests.get(3).body();
        assertThat(last.has("state")).isFalse();
        assertThat(last.path("work_notes").asText()).startsWith("Incident " + INCIDENT + " resolved");
        assertThat(serviceNow.invalid).isEmpty();
    }

    @Test
    void aCreateWhoseAnswerIsLostIsFoundByItsCorrelationIdOnTheRetryInsteadOfCreatedTwice() throws Exception {
        bed = new TicketTestbed(dir, options(PASSWORD));
        api.loseNextCreateAnswer = true;

        Exchange created = bed.send(incident("incident-opened", "open", T0), ServiceNowSink.NAME);

        assertThat(created.getException()).isNull();
        assertThat(created.getProperty(TicketSink.RESULT, Map.class)).containsEntry("ticketId", "INC0010023");
        assertThat(serviceNow.requests).extracting(r -> r.method() + " " + r.path()).containsExactly(
                "GET /api/now/table/incident", "POST /api/now/table/incident", "GET /api/now/table/incident");
        assertThat(api.records).hasSize(1);
        assertThat(serviceNow.invalid).isEmpty();
        assertThat(perform(incident("incident-updated", "open", T0.plusSeconds(5))).status()).isEqualTo(AuditEntry.SENT);
        assertThat(api.records.values().iterator().next().workNotes).hasSize(1);
    }

    @Test
    void aWrongPasswordFailsAtOnceWithoutShowingIt() throws Exception {
        PrintStream originalErr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        AuditEntry entry;
        try {
            bed = new TicketTestbed(dir, options("not-the-Sn0wPASSWORD"));
            entry = perform(incident("incident-opened", "open", T0));
            bed.dispatcher.stop(TicketTestbed.WAIT);
        } finally {
            System.setErr(originalErr);
        }
        assertThat(entry.status()).isEqualTo(AuditEntry.FAILED);
        assertThat(entry.reason()).startsWith("HTTP 401").doesNotContain("after");
        assertThat(serviceNow.requests).hasSize(1);
        assertThat(bed.links.find(ServiceNowSink.NAME, INCIDENT)).isEmpty();
        String logs = captured.toString(StandardCharsets.UTF_8);
        assertThat(logs).contains("password=****").doesNotContain("Sn0wPASSWORD");
        assertThat(entry.toString()).doesNotContain("Sn0wPASSWORD");
    }
}
