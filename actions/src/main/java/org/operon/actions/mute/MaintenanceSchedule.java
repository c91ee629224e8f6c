package org.operon.actions.mute;

import java.time.Instant;

/** When a {@link MaintenanceWindow} is active: a weekly time span or a cron start with a duration. */
public sealed interface MaintenanceSchedule permits WeeklySchedule, CronSchedule {

    /** Whether {@code at} falls within one of the schedule's periods. Pure and thread-safe. */
    boolean isActiveAt(Instant at);
}
