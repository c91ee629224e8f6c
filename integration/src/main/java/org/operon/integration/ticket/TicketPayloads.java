package org.operon.integration.ticket;

import com.fasterxml.jackson.databind.JsonNode;
import org.operon.model.Event;
import org.operon.model.TicketChange;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * Turns the payloads ticket systems push into {@link TicketChange} events (docs/sources/tickets.md).
 * Each method returns the event or throws {@link IllegalArgumentException} naming what the payload lacks.
 */
public final class TicketPayloads {
    /** A Jira label naming the incident: {@code operon-incident-inc-0123456789ab}. */
    public static final String JIRA_LABEL_PREFIX = "operon-incident-";
    private static final DateTimeFormatter JIRA_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSxx");
    private static final DateTimeFormatter SERVICENOW_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private TicketPayloads() {
    }

    /**
     * A Jira webhook ({@code webhookEvent} {@code jira:issue_updated} or {@code jira:issue_deleted}): status
     * category {@code indeterminate} (In Progress) acknowledges, {@code done} resolves; a deletion changes
     * nothing (the problem is not fixed because its ticket is gone). The incident: a label
     * {@code operon-incident-inc-…}, else the marker line in the description.
     *
     * @return the event, or null for another webhook event (ignored)
     */
    public static Event jira(JsonNode root) {
        String webhookEvent = text(root, "webhookEvent");
        if (webhookEvent == null) {
            throw new IllegalArgumentException("a Jira webhook payload has 'webhookEvent'");
        }
        boolean deleted = webhookEvent.equals("jira:issue_deleted");
        if (!deleted && !webhookEvent.equals("jira:issue_updated")) {
            return null;
        }
        JsonNode issue = root.path("issue");
        String id = text(issue, "id");
        String key = text(issue, "key");
        if (id == null || key == null) {
            throw new IllegalArgumentException("a Jira " + webhookEvent + " payload has 'issue.id' and 'issue.key'");
        }
        JsonNode fields = issue.path("fields");
        JsonNode status = fields.path("status");
        String category = status.path("statusCategory").path("key").asText("");
        boolean done = category.equals("done");
        String effect = deleted ? TicketChange.NONE
                : done ? TicketChange.RESOLVE
                : category.equals("indeterminate") ? TicketChange.ACKNOWLEDGE : TicketChange.NONE;
        String incident = null;
        for (JsonNode label : fields.path("labels")) {
            String l = label.asText("");
            if (incident == null && l.startsWith(JIRA_LABEL_PREFIX)) {
                incident = TicketChange.incidentId(l.substring(JIRA_LABEL_PREFIX.length()));
            }
        }
        if (incident == null) {
            JsonNode description = fields.path("description");
            incident = TicketChange.incidentIn(description.isTextual() ? description.asText() : description.toString());
        }
        Instant updated = jiraTime(text(fields, "updated"));
        long timestamp = root.path("timestamp").asLong(updated == null ? 0 : updated.toEpochMilli());
        String by = text(root.path("user"), "displayName");
        return TicketChange.event("jira-" + id + "-" + timestamp + (deleted ? "-deleted" : ""), TicketChange.JIRA,
                key, deleted ? "deleted" : text(status, "name"), done || deleted, effect, incident, by,
                updated == null && timestamp > 0 ? Instant.ofEpochMilli(timestamp) : updated);
    }

    /**
     * A ServiceNow incident record sent by an outbound REST message (or a business rule): {@code state} 2
     * (In Progress) acknowledges, 6 (Resolved) or 7 (Closed) resolves, others (1 New, 3 On Hold, 8 Canceled)
     * change nothing. The incident: {@code correlation_id}, else the marker line in {@code description}.
     */
    public static Event serviceNow(JsonNode root) {
        JsonNode record = root.has("result") ? root.path("result") : root;
        String number = text(record, "number");
        String state = text(record, "state");
        if (number == null || state == null) {
            throw new IllegalArgumentException("a ServiceNow incident record has 'number' and 'state'");
        }
        String effect = switch (state) {
            case "2" -> TicketChange.ACKNOWLEDGE;
            case "6", "7" -> TicketChange.RESOLVE;
            default -> TicketChange.NONE;
        };
        String incident = TicketChange.incidentId(text(record, "correlation_id"));
        if (incident == null) {
            incident = TicketChange.incidentIn(text(record, "description"));
        }
        Instant updated = serviceNowTime(text(record, "sys_updated_on"));
        String sysId = text(record, "sys_id");
        String id = "servicenow-" + (sysId == null ? number : sysId) + "-" + state + "-"
                + (updated == null ? "" : updated.getEpochSecond());
        return TicketChange.event(id, TicketChange.SERVICENOW, number, stateName(state), state.equals("7"), effect,
                incident, text(record, "sys_updated_by"), updated);
    }

    private static String stateName(String state) {
        return switch (state) {
            case "1" -> "New";
            case "2" -> "In Progress";
            case "3" -> "On Hold";
            case "6" -> "Resolved";
            case "7" -> "Closed";
            case "8" -> "Canceled";
            default -> state;
        };
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.path(field);
        if (v.isObject() && v.has("value")) {
            v = v.path("value"); // ServiceNow's display-value form {"value": …, "display_value": …}
        }
        return v.isValueNode() && !v.isNull() && !v.asText().isEmpty() ? v.asText() : null;
    }

    private static Instant jiraTime(String value) {
        if (value == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value, JIRA_TIME).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'issue.fields.updated' is not a Jira time (2026-11-26T19:17:03.000+0000): "
                    + value);
        }
    }

    /** ServiceNow sends {@code yyyy-MM-dd HH:mm:ss} in UTC through its API. */
    private static Instant serviceNowTime(String value) {
        if (value == null) {
            return null;
        }
        try {
            return LocalDateTime.parse(value.trim(), SERVICENOW_TIME).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'sys_updated_on' is not a ServiceNow time (2026-11-26 19:17:03): "
                    + value.toLowerCase(Locale.ROOT));
        }
    }
}
