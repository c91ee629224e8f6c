package org.operon.model;

import org.operon.model.cron.CronExpression;
import org.operon.model.cron.CronSchedule;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;

/**
 * A named, cron-defined period the rules can match (configured in {@code operon.schedules.file}, see
 * docs/sources/schedules.md): active from each start of its cron expression, in its zone, for its
 * duration. It is a session fact that never changes; whether it is active is asked for a moment the
 * rule supplies, usually the arrival time of an event, so the engine never reads the wall clock:
 *
 * <pre>
 * $e : Event(type == "disk.full")
 * Schedule(name == "business-hours", isActiveAt($e.getArrivalTime()))
 * </pre>
 *
 * Immutable; {@link #isActiveAt} is pure.
 */
public final class Schedule {
    private final String name;
    private final CronSchedule periods;

    public Schedule(String name, CronExpression cron, Duration duration, ZoneId zone) {
        if (Objects.requireNonNull(name, "name").isBlank()) {
            throw new IllegalArgumentException("a schedule needs a name");
        }
        this.name = name;
        this.periods = new CronSchedule(cron, duration, zone);
    }

    public String getName() { return name; }

    /** The cron expression of the starts, as written. */
    public String getCron() { return periods.cron().toString(); }

    public Duration getDuration() { return periods.duration(); }

    public ZoneId getZone() { return periods.zone(); }

    /** Whether the moment {@code epochMillis} (e.g. {@link Event#getArrivalTime()}) falls in one of the periods. */
    public boolean isActiveAt(long epochMillis) {
        return periods.isActiveAt(Instant.ofEpochMilli(epochMillis));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Schedule s && s.name.equals(name) && s.periods.equals(periods);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, periods);
    }

    @Override
    public String toString() {
        return "schedule " + name + ": " + periods;
    }
}
