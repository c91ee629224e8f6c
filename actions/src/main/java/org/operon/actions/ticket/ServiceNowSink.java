package org.operon.actions.ticket;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import org.operon.actions.ActionOptions;
import org.operon.state.ticket.TicketLink;

/**
 * Target {@code servicenow}: one record of the {@code incident} table per Operon incident through the Table
 * API, with basic auth (see {@link TicketSink} for when it creates, comments and resolves).
 *
 * <ul>
 *   <li>look up: {@code GET /api/now/table/incident?sysparm_query=correlation_id=inc-…^ORDERBYsys_created_on
 *       &sysparm_fields=sys_id,number&sysparm_limit=1}: a record found (created by an attempt whose answer was
 *       lost) is linked instead of creating another;</li>
 *   <li>create: {@code POST /api/now/table/incident} {@code {"short_description", "description",
 *       "correlation_id": "inc-…", "correlation_display": "Operon", "impact", "urgency"}} (plus
 *       {@code assignment_group} when configured); {@code correlation_id} is what the ServiceNow ticket source
 *       reads back; impact and urgency are 1 for P1, 2 for P2, else 3; answer 201
 *       {@code {"result": {"sys_id", "number", …}}};</li>
 *   <li>comment: {@code PATCH /api/now/table/incident/{sys_id}} {@code {"work_notes"}};</li>
 *   <li>resolve: {@code GET /api/now/table/incident/{sys_id}?sysparm_fields=state}, then {@code PATCH} with
 *       {@code {"state": "6", "close_code", "close_notes"}}, or only {@code work_notes} when the record is
 *       already Resolved (6), Closed (7) or Canceled (8).</li>
 * </ul>
 */
public final class ServiceNowSink extends TicketSink {
    public static final String NAME = "servicenow";
    static final int MAX_SHORT_DESCRIPTION = 160;
    static final String RESOLVED = "6";
    private static final Set<String> DONE = Set.of("6", "7", "8");

    private final ServiceNowTicketOptions serviceNow;
    private final URI base;

    public ServiceNowSink(ActionOptions options) {
        this(options, options.ticketOptions().serviceNowOptions().orElseThrow(() -> new IllegalArgumentException(
                "target 'servicenow' needs " + ServiceNowTicketOptions.URL)));
    }

    private ServiceNowSink(ActionOptions options, ServiceNowTicketOptions serviceNow) {
        super(NAME, options, serviceNow.uri(), Map.of("Authorization", serviceNow.authorization()));
        this.serviceNow = serviceNow;
        this.base = serviceNow.uri();
    }

    @Override
    Created create(TicketHttp http, TicketIncident incident) throws Exception {
        String level = switch (incident.priority()) {
            case "P1" -> "1";
            case "P2" -> "2";
            default -> "3";
        };
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("short_description", incident.summary(MAX_SHORT_DESCRIPTION));
        record.put("description", incident.description());
        record.put("correlation_id", incident.id());
        record.put("correlation_display", "Operon");
        record.put("impact", level);
        record.put("urgency", level);
        if (!serviceNow.assignmentGroup().isEmpty()) {
            record.put("assignment_group", serviceNow.assignmentGroup());
        }
        JsonNode result = http.send("POST", resolve(base, "/api/now/table/incident"), null, record).path("result");
        String sysId = TicketHttp.safeId(result.path("sys_id").asText(null), "sys_id");
        String number = TicketHttp.safeId(result.path("number").asText(null), "number");
        return new Created(sysId, number);
    }

    /** The record whose {@code correlation_id} is the incident id, oldest first, if any. */
    @Override
    Optional<Created> existing(TicketHttp http, TicketIncident incident) throws Exception {
        String query = "sysparm_query=" + URLEncoder.encode("correlation_id=" + incident.id() + "^ORDERBYsys_created_on",
                StandardCharsets.UTF_8) + "&sysparm_fields=sys_id%2Cnumber&sysparm_limit=1";
        JsonNode found = http.send("GET", resolve(base, "/api/now/table/incident"), query, null).path("result");
        if (!found.isArray() || found.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Created(TicketHttp.safeId(found.get(0).path("sys_id").asText(null), "sys_id"),
                TicketHttp.safeId(found.get(0).path("number").asText(null), "number")));
    }

    @Override
    void comment(TicketHttp http, TicketLink link, String note) throws Exception {
        http.send("PATCH", record(link), null, Map.of("work_notes", note));
    }

    @Override
    void resolve(TicketHttp http, TicketLink link, String note) throws Exception {
        String state = http.send("GET", record(link), "sysparm_fields=state", null).path("result").path("state")
                .asText();
        if (DONE.contains(state)) {
            comment(http, link, note);
            return;
        }
        Map<String, Object> change = new LinkedHashMap<>();
        change.put("state", RESOLVED);
        change.put("close_code", serviceNow.closeCode());
        change.put("close_notes", note);
        http.send("PATCH", record(link), null, change);
    }

    private URI record(TicketLink link) {
        return resolve(base, "/api/now/table/incident/" + TicketHttp.safeId(link.ticketId(), "sys_id"));
    }
}
