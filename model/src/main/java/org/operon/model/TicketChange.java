package org.operon.model;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A change of a ticket in a ticketing system (Redmine, Jira, ServiceNow), carried into the session as a
 * reserved event so that the journal, and so every replay, sees it in order with the alerts and the
 * operators' commands. The intake refuses {@code operon.*} types from clients; only Operon's ticket
 * sources create these.
 *
 * <p>Event: type {@link #TYPE}, source {@code operon/tickets/<system>}, subject {@code <system>:<ticket>},
 * data a map with {@link #SYSTEM}, {@link #TICKET}, {@link #STATUS} (the ticket system's name of the
 * status), {@link #CLOSED} (the ticket system's own notion of closed), {@link #EFFECT} (what the source's
 * configured mapping makes of the status: {@link #ACKNOWLEDGE}, {@link #RESOLVE} or {@link #NONE}),
 * {@link #INCIDENT} (the Operon incident id the ticket names, or null), {@link #BY} (who changed it) and
 * {@link #UPDATED_AT} (when, ISO-8601, as the ticket system says).
 *
 * <p>How a ticket names its incident: a line {@code operon-incident: inc-…} in its description (see
 * {@link #incidentIn}), or a system-specific field the source reads (a Jira label
 * {@code operon-incident-inc-…}, ServiceNow's {@code correlation_id}).
 */
public final class TicketChange {
    public static final String TYPE = "operon.ticket.change";
    public static final String SOURCE_PREFIX = "operon/tickets/";
    public static final String SYSTEM = "system";
    public static final String TICKET = "ticket";
    public static final String STATUS = "status";
    public static final String CLOSED = "closed";
    public static final String EFFECT = "effect";
    public static final String INCIDENT = "incident";
    public static final String BY = "by";
    public static final String UPDATED_AT = "updatedAt";

    public static final String REDMINE = "redmine";
    public static final String JIRA = "jira";
    public static final String SERVICENOW = "servicenow";

    /** The ticket is being worked on: its incident is acknowledged. */
    public static final String ACKNOWLEDGE = "acknowledge";
    /** The ticket is done: its incident is resolved. */
    public static final String RESOLVE = "resolve";
    /** Neither (new, feedback, reopened): nothing happens to the incident. */
    public static final String NONE = "none";

    /** The marker a ticket's text carries to name its incident, e.g. {@code operon-incident: inc-0123456789ab}. */
    public static final String MARKER = "operon-incident:";
    private static final Pattern MARKER_PATTERN =
            Pattern.compile("operon-incident:\\s*(inc-[0-9a-f]{12})\\b", Pattern.CASE_INSENSITIVE);
    private static final Pattern INCIDENT_ID = Pattern.compile("inc-[0-9a-f]{12}");

    private TicketChange() {
    }

    /** The incident id a text names with {@link #MARKER} (the first one), or null. */
    public static String incidentIn(String text) {
        if (text == null) {
            return null;
        }
        Matcher m = MARKER_PATTERN.matcher(text);
        return m.find() ? m.group(1).toLowerCase(java.util.Locale.ROOT) : null;
    }

    /** {@code value} when it has the form of an incident id ({@code inc-} and 12 hex digits), else null. */
    public static String incidentId(String value) {
        return value != null && INCIDENT_ID.matcher(value.trim()).matches() ? value.trim() : null;
    }

    /**
     * The event carrying a ticket change.
     *
     * @param id       unique per change (the journal keys events by it); sources derive it from the ticket and
     *                 its update time, so the same change read twice has the same id
     * @param effect   {@link #ACKNOWLEDGE}, {@link #RESOLVE} or {@link #NONE}
     * @param incident the incident id, or null when the ticket names none
     */
    public static Event event(String id, String system, String ticket, String status, boolean closed, String effect,
                              String incident, String by, Instant updatedAt) {
        if (!ACKNOWLEDGE.equals(effect) && !RESOLVE.equals(effect) && !NONE.equals(effect)) {
            throw new IllegalArgumentException("effect must be acknowledge, resolve or none, not " + effect);
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put(SYSTEM, Objects.requireNonNull(system, "system"));
        data.put(TICKET, Objects.requireNonNull(ticket, "ticket"));
        data.put(STATUS, status);
        data.put(CLOSED, closed);
        data.put(EFFECT, effect);
        data.put(INCIDENT, incident);
        data.put(BY, by);
        data.put(UPDATED_AT, updatedAt == null ? null : updatedAt.toString());
        return Event.builder().id(id).source(SOURCE_PREFIX + system).type(TYPE).subject(system + ":" + ticket)
                .time(updatedAt).data(data).build();
    }

    /** A string field of a ticket change event's data, or null. */
    public static String field(Event event, String name) {
        return event.getData() instanceof Map<?, ?> m && m.get(name) instanceof String s ? s : null;
    }

    /** The {@link #CLOSED} flag of a ticket change event's data (false when missing). */
    public static boolean closedOf(Event event) {
        return event.getData() instanceof Map<?, ?> m && Boolean.TRUE.equals(m.get(CLOSED));
    }
}
