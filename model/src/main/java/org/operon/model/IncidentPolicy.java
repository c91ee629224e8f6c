package org.operon.model;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How firing alerts become incidents and when an incident's notification goes out: one fact in the
 * session, from configuration ({@code operon.incidents.*}). Without one, the rules use
 * {@link #defaults()}. Immutable.
 *
 * <ul>
 *   <li>{@code groupBy}: the labels whose values form the correlation key (default {@code service});</li>
 *   <li>{@code groupingWindow}: how long after an incident opened new alerts of its key still join it
 *       (later ones open a new incident for the key); default 24 h;</li>
 *   <li>{@code reopenWindow}: how long after an incident resolved a new firing alert of its key reopens
 *       it rather than opening a new one; default 30 min;</li>
 *   <li>{@code groupWait}, {@code groupInterval}, {@code repeatInterval}: Alertmanager's notification
 *       timing: the first notification after group wait (30 s), later ones on the group interval (5 min)
 *       when alerts were added or resolved, and again after the repeat interval (4 h) while nothing
 *       changed.</li>
 * </ul>
 */
public final class IncidentPolicy {
    private final List<String> groupBy;
    private final Duration groupingWindow;
    private final Duration reopenWindow;
    private final Duration groupWait;
    private final Duration groupInterval;
    private final Duration repeatInterval;

    public IncidentPolicy(List<String> groupBy, Duration groupingWindow, Duration reopenWindow, Duration groupWait,
                          Duration groupInterval, Duration repeatInterval) {
        if (groupBy == null || groupBy.isEmpty()) {
            throw new IllegalArgumentException("incidents need at least one label to group by");
        }
        for (String label : groupBy) {
            if (label == null || label.isBlank()) {
                throw new IllegalArgumentException("a group-by label must not be empty");
            }
        }
        this.groupBy = List.copyOf(groupBy);
        this.groupingWindow = positive(groupingWindow, "grouping window");
        this.reopenWindow = notNegative(reopenWindow, "reopen window");
        this.groupWait = notNegative(groupWait, "group wait");
        this.groupInterval = positive(groupInterval, "group interval");
        this.repeatInterval = positive(repeatInterval, "repeat interval");
    }

    public static IncidentPolicy defaults() {
        return new IncidentPolicy(List.of("service"), Duration.ofHours(24), Duration.ofMinutes(30),
                Duration.ofSeconds(30), Duration.ofMinutes(5), Duration.ofHours(4));
    }

    private static Duration positive(Duration d, String what) {
        Objects.requireNonNull(d, what);
        if (d.isNegative() || d.isZero()) throw new IllegalArgumentException(what + " must be positive, not " + d);
        return d;
    }

    private static Duration notNegative(Duration d, String what) {
        Objects.requireNonNull(d, what);
        if (d.isNegative()) throw new IllegalArgumentException(what + " must not be negative, not " + d);
        return d;
    }

    public List<String> getGroupBy() { return groupBy; }
    public Duration getGroupingWindow() { return groupingWindow; }
    public Duration getReopenWindow() { return reopenWindow; }
    public Duration getGroupWait() { return groupWait; }
    public Duration getGroupInterval() { return groupInterval; }
    public Duration getRepeatInterval() { return repeatInterval; }

    @Override
    public String toString() {
        return "IncidentPolicy{groupBy=" + groupBy + ", groupingWindow=" + groupingWindow + ", reopenWindow="
                + reopenWindow + ", groupWait=" + groupWait + ", groupInterval=" + groupInterval + ", repeatInterval="
                + repeatInterval + "}";
    }
}
