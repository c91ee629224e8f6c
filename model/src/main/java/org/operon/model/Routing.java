package org.operon.model;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Where a firing alert goes: the decision of the routing tables ({@code routing.drl.xlsx}, overridden by
 * {@code routing-overrides.drl.csv}) for one {@link Alert}, matched by {@link #getFingerprint()}. The
 * routing rules insert exactly one per alert when it first fires and delete it when the alert is
 * forgotten; rules about incidents and escalation read it. Immutable.
 */
public final class Routing {
    private final String fingerprint;
    private final String team;
    private final Priority priority;
    private final List<String> channels;
    private final Duration escalationDelay;
    private final boolean businessHours;
    private final String rule;
    private final Instant routedAt;

    /**
     * @param channels        action targets in the order given by the table; never null, may be empty
     * @param escalationDelay how long an unacknowledged incident waits before escalating, or null for never
     * @param businessHours   whether the alert was routed within business hours
     * @param rule            the name of the table row that decided (the table's name and the row number,
     *                        such as {@code Routing_12})
     * @param routedAt        the session time of the decision
     */
    public Routing(String fingerprint, String team, Priority priority, List<String> channels, Duration escalationDelay,
                   boolean businessHours, String rule, Instant routedAt) {
        this.fingerprint = Objects.requireNonNull(fingerprint, "fingerprint");
        this.team = Objects.requireNonNull(team, "team");
        this.priority = Objects.requireNonNull(priority, "priority");
        this.channels = List.copyOf(channels);
        this.escalationDelay = escalationDelay;
        this.businessHours = businessHours;
        this.rule = Objects.requireNonNull(rule, "rule");
        this.routedAt = Objects.requireNonNull(routedAt, "routedAt");
    }

    /** The routed alert's fingerprint. */
    public String getFingerprint() { return fingerprint; }

    /** The team that owns the alert. */
    public String getTeam() { return team; }

    public Priority getPriority() { return priority; }

    /** The action targets to notify, such as {@code pagerduty-db} or {@code slack-db}; never null. */
    public List<String> getChannels() { return channels; }

    /** How long an unacknowledged incident of this alert waits before escalating; null means never. */
    public Duration getEscalationDelay() { return escalationDelay; }

    /** True when the alert was routed within business hours. */
    public boolean isBusinessHours() { return businessHours; }

    /** The table row that decided: the rule name Drools gives it (table name, underscore, row number). */
    public String getRule() { return rule; }

    /** When the routing was decided (session clock). */
    public Instant getRoutedAt() { return routedAt; }

    @Override
    public String toString() {
        return "Routing{fingerprint=" + fingerprint + ", team=" + team + ", priority=" + priority + ", channels="
                + channels + ", escalationDelay=" + escalationDelay + ", businessHours=" + businessHours + ", rule="
                + rule + "}";
    }
}
