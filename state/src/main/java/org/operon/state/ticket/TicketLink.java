package org.operon.state.ticket;

import java.util.Objects;

/**
 * Which ticket of a ticketing system stands for an Operon incident.
 *
 * @param system     the ticketing system, e.g. {@code redmine}, {@code jira}, {@code servicenow}
 * @param incidentId the Operon incident id, e.g. {@code inc-3f1c0a9b27d4}
 * @param ticketId   the id the system's API addresses the ticket by (Redmine issue id, Jira issue key,
 *                   ServiceNow {@code sys_id})
 * @param ticketKey  the id people see (Redmine issue id, Jira issue key, ServiceNow {@code number})
 * @param resolved   whether Operon has resolved the ticket
 * @param createdBy  the id of the action that created the ticket
 */
public record TicketLink(String system, String incidentId, String ticketId, String ticketKey, boolean resolved,
                         String createdBy) {

    public TicketLink {
        Objects.requireNonNull(system, "system");
        Objects.requireNonNull(incidentId, "incidentId");
        Objects.requireNonNull(ticketId, "ticketId");
        ticketKey = ticketKey == null ? ticketId : ticketKey;
    }

    /** The same link, marked resolved or not. */
    public TicketLink withResolved(boolean isResolved) {
        return new TicketLink(system, incidentId, ticketId, ticketKey, isResolved, createdBy);
    }
}
