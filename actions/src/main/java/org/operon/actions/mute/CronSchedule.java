package org.operon.actions.mute;

import org.operon.model.cron.CronExpression;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;

/**
 * A cron maintenance window: periods that start at the times of a cron expression and last a fixed
 * duration, as {@link org.operon.model.cron.CronSchedule} computes them (also used by the schedule facts
 * of the rules); see there for daylight saving time.
 *
 * @param cron     the start times
 * @param duration how long each period lasts; positive
 * @param zone     the time zone of the cron times
 */
public record CronSchedule(CronExpression cron, Duration duration, ZoneId zone) implements MaintenanceSchedule {

    public CronSchedule {
        Objects.requireNonNull(cron, "cron");
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(zone, "zone");
        if (duration.isZero() || duration.isNegative()) {
            throw new IllegalArgumentException("the duration must be positive, not " + duration);
        }
    }

    @Override
    public boolean isActiveAt(Instant at) {
        return new org.operon.model.cron.CronSchedule(cron, duration, zone).isActiveAt(at);
    }

    @Override
    public String toString() {
        return "cron " + cron + " for " + duration + " " + zone;
    }
}
