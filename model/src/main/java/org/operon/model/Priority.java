package org.operon.model;

/**
 * How urgent an alert is to the team it is routed to, as a routing table decides it: {@link #P1} is the
 * most urgent, {@link #P5} the least. A routing table cell names one of these constants ({@code P2}); any
 * other text fails the build of the table.
 */
public enum Priority {
    P1, P2, P3, P4, P5
}
