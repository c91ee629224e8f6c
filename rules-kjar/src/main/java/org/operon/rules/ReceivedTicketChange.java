package org.operon.rules;

import org.operon.model.Event;
import org.operon.model.TicketChange;

/**
 * A ticket change as it arrived (an {@code operon.ticket.change} event, see {@link TicketChange}): the fact
 * {@code tickets.drl} keeps for rules to match (an event, kept 10 minutes) and turns into the operator
 * command it stands for. Immutable.
 */
public final class ReceivedTicketChange {
    private final String eventId;
    private final String system;
    private final String ticket;
    private final String status;
    private final boolean closed;
    private final String effect;
    private final String incidentId;
    private final String by;
    private final long arrivalTime;

    private ReceivedTicketChange(Event event) {
        this.eventId = event.getId();
        this.system = TicketChange.field(event, TicketChange.SYSTEM);
        this.ticket = TicketChange.field(event, TicketChange.TICKET);
        this.status = TicketChange.field(event, TicketChange.STATUS);
        this.closed = TicketChange.closedOf(event);
        String e = TicketChange.field(event, TicketChange.EFFECT);
        this.effect = e == null ? TicketChange.NONE : e;
        this.incidentId = TicketChange.incidentId(TicketChange.field(event, TicketChange.INCIDENT));
        this.by = TicketChange.field(event, TicketChange.BY);
        this.arrivalTime = event.getArrivalTime();
    }

    public static ReceivedTicketChange of(Event event) {
        return new ReceivedTicketChange(event);
    }

    /** True when the change acknowledges or resolves a named incident. */
    public boolean isCommanding() {
        return incidentId != null && (TicketChange.ACKNOWLEDGE.equals(effect) || TicketChange.RESOLVE.equals(effect));
    }

    /**
     * The operator command this change stands for, as if sent through the incident API: by
     * {@code <system>:<who>}, with a comment naming the ticket and its status. Only when {@link #isCommanding()}.
     */
    public ReceivedIncidentCommand command() {
        if (!isCommanding()) {
            throw new IllegalStateException("the change " + this + " commands nothing");
        }
        String who = system + ":" + (by == null || by.isBlank() ? "unknown" : by);
        return ReceivedIncidentCommand.of(eventId, TicketChange.ACKNOWLEDGE.equals(effect), incidentId, who,
                system + " ticket " + ticket + ": " + status);
    }

    public String getEventId() { return eventId; }

    /** redmine, jira or servicenow. */
    public String getSystem() { return system; }

    public String getTicket() { return ticket; }

    /** The ticket system's name of the status. */
    public String getStatus() { return status; }

    /** The ticket system's own notion of closed. */
    public boolean isClosed() { return closed; }

    /** acknowledge, resolve or none (TicketChange constants). */
    public String getEffect() { return effect; }

    /** The incident the ticket names, or null. */
    public String getIncidentId() { return incidentId; }

    public String getBy() { return by; }

    public long getArrivalTime() { return arrivalTime; }

    @Override
    public String toString() {
        return "ReceivedTicketChange{" + system + " " + ticket + " " + status + " -> " + effect + " " + incidentId + "}";
    }
}
