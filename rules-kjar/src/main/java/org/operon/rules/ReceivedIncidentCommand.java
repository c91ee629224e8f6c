package org.operon.rules;

import org.operon.model.Event;
import org.operon.model.IncidentCommand;

/**
 * An operator's command about an incident as it arrived: the state behind {@code incidents.drl} between
 * the arrival of an {@code operon.incident.acknowledge} / {@code operon.incident.resolve} event (see
 * {@link IncidentCommand}) and the rule that applies it. The rules delete it in the firing that applies
 * it, or, when it names no open incident, at the end of the moment. Immutable.
 */
public final class ReceivedIncidentCommand {
    /** Who a command is from when its event names nobody (a journal written by hand). */
    static final String UNKNOWN_SENDER = "unknown";

    private final String eventId;
    private final boolean acknowledge;
    private final String incidentId;
    private final String by;
    private final String comment;

    private ReceivedIncidentCommand(String eventId, boolean acknowledge, String incidentId, String by, String comment) {
        this.eventId = eventId;
        this.acknowledge = acknowledge;
        this.incidentId = incidentId;
        this.by = by;
        this.comment = comment;
    }

    /** The command an event of a command type carries; the incident id falls back to the event's subject. */
    public static ReceivedIncidentCommand of(Event event) {
        String incident = IncidentCommand.incidentOf(event);
        String by = IncidentCommand.byOf(event);
        return new ReceivedIncidentCommand(event.getId(), IncidentCommand.TYPE_ACKNOWLEDGE.equals(event.getType()),
                incident == null ? event.getSubject() : incident, by == null ? UNKNOWN_SENDER : by,
                IncidentCommand.commentOf(event));
    }

    /** A command another input stands for (a ticket change, see {@link ReceivedTicketChange#command()}). */
    static ReceivedIncidentCommand of(String eventId, boolean acknowledge, String incidentId, String by,
                                      String comment) {
        return new ReceivedIncidentCommand(eventId, acknowledge, incidentId, by == null ? UNKNOWN_SENDER : by,
                comment);
    }

    public String getEventId() { return eventId; }

    /** True for acknowledge, false for resolve. */
    public boolean isAcknowledge() { return acknowledge; }

    /** The incident the command is about; may name none that exists. */
    public String getIncidentId() { return incidentId; }

    public String getBy() { return by; }

    /** The operator's comment, or null. */
    public String getComment() { return comment; }

    @Override
    public String toString() {
        return "ReceivedIncidentCommand{" + (acknowledge ? "acknowledge " : "resolve ") + incidentId + " by " + by + "}";
    }
}
