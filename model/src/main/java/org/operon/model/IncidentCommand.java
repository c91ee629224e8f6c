package org.operon.model;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An operator's command about an incident (acknowledge, resolve), carried into the session as a
 * reserved event so that the journal, and so every replay, sees it in order with the alerts. The
 * intake refuses {@code operon.*} types from clients; only Operon's own incident API creates these.
 *
 * <p>Event: type {@link #TYPE_ACKNOWLEDGE} or {@link #TYPE_RESOLVE}, source {@link #SOURCE}, subject the
 * incident id, data a map with {@link #INCIDENT} (the id), {@link #BY} (who) and {@link #COMMENT}
 * (may be null).
 */
public final class IncidentCommand {
    public static final String TYPE_ACKNOWLEDGE = "operon.incident.acknowledge";
    public static final String TYPE_RESOLVE = "operon.incident.resolve";
    public static final String SOURCE = "operon/api";
    public static final String INCIDENT = "incident";
    public static final String BY = "by";
    public static final String COMMENT = "comment";

    private IncidentCommand() {
    }

    /** True for the event types of incident commands. */
    public static boolean isCommand(String type) {
        return TYPE_ACKNOWLEDGE.equals(type) || TYPE_RESOLVE.equals(type);
    }

    /** The event carrying a command; {@code id} must be unique (the journal keys events by it). */
    public static Event event(String id, String type, String incidentId, String by, String comment,
                              java.time.Instant time) {
        if (!isCommand(type)) {
            throw new IllegalArgumentException("not an incident command type: " + type);
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put(INCIDENT, Objects.requireNonNull(incidentId, "incidentId"));
        data.put(BY, Objects.requireNonNull(by, "by"));
        data.put(COMMENT, comment);
        return Event.builder().id(id).source(SOURCE).type(type).subject(incidentId).time(time).data(data).build();
    }

    /** The incident id of a command event's data, or null when it has none. */
    public static String incidentOf(Event event) {
        return field(event, INCIDENT);
    }

    /** Who gave the command, or null. */
    public static String byOf(Event event) {
        return field(event, BY);
    }

    /** The comment, or null. */
    public static String commentOf(Event event) {
        return field(event, COMMENT);
    }

    private static String field(Event event, String name) {
        return event.getData() instanceof Map<?, ?> m && m.get(name) instanceof String s ? s : null;
    }
}
