package org.operon.actions.mute;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * A time span that recurs every week: it starts at {@code from} (inclusive) on each of {@code days} and
 * ends at the next {@code to} (exclusive), both local times of {@code zone}.
 *
 * <ul>
 *   <li>When {@code to} is after {@code from} the span lies within the day: {@code MON 09:00-17:00}.</li>
 *   <li>When {@code to} is not after {@code from} the span crosses midnight and ends on the following day:
 *       {@code SAT 22:00-02:00} is active from Saturday 22:00 to Sunday 02:00. {@code from == to} is a full
 *       24 hours ({@code 00:00-00:00} is the whole day).</li>
 * </ul>
 * The times are wall-clock times of the zone: on a day when daylight saving time changes, a span keeps
 * its local start and end and so is an hour longer or shorter.
 *
 * @param days the days on which the span starts; not empty
 * @param from local start time, inclusive
 * @param to   local end time, exclusive
 * @param zone the time zone of {@code from} and {@code to}
 */
public record WeeklySchedule(Set<DayOfWeek> days, LocalTime from, LocalTime to, ZoneId zone)
        implements MaintenanceSchedule {

    public WeeklySchedule {
        Objects.requireNonNull(days, "days");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(zone, "zone");
        if (days.isEmpty()) {
            throw new IllegalArgumentException("a weekly schedule needs at least one day");
        }
        days = Set.copyOf(EnumSet.copyOf(days));
    }

    /** Every day of the week. */
    public static Set<DayOfWeek> everyDay() {
        return EnumSet.allOf(DayOfWeek.class);
    }

    /** Whether {@code at} falls within one of the spans. */
    @Override
    public boolean isActiveAt(Instant at) {
        ZonedDateTime local = at.atZone(zone);
        LocalTime time = local.toLocalTime();
        DayOfWeek day = local.getDayOfWeek();
        if (from.isBefore(to)) {
            return days.contains(day) && !time.isBefore(from) && time.isBefore(to);
        }
        boolean startedToday = days.contains(day) && !time.isBefore(from);
        boolean startedYesterday = days.contains(day.minus(1)) && time.isBefore(to);
        return startedToday || startedYesterday;
    }

    @Override
    public String toString() {
        return days + " " + from + "-" + to + " " + zone;
    }
}
