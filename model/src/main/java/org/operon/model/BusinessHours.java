package org.operon.model;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * The working week the routing tables consult: on which days, from when to when, in which time zone.
 * At most one such fact is in working memory; without one, the routing rules use {@link #standard()}
 * (Monday to Friday, 09:00 to 17:00 UTC). Immutable.
 *
 * <p>A moment is within business hours when, in {@link #getZone() the zone}, its day is one of
 * {@link #getDays() the days} and its time of day is at or after {@link #getOpens()} and before
 * {@link #getCloses()}.
 */
public final class BusinessHours {
    private final Set<DayOfWeek> days;
    private final LocalTime opens;
    private final LocalTime closes;
    private final ZoneId zone;

    /** @throws IllegalArgumentException when {@code closes} is not after {@code opens} or no day is given */
    public BusinessHours(Set<DayOfWeek> days, LocalTime opens, LocalTime closes, ZoneId zone) {
        if (days.isEmpty()) {
            throw new IllegalArgumentException("business hours need at least one day");
        }
        if (!closes.isAfter(opens)) {
            throw new IllegalArgumentException("business hours must close after they open: " + opens + "-" + closes);
        }
        this.days = Set.copyOf(EnumSet.copyOf(days));
        this.opens = Objects.requireNonNull(opens, "opens");
        this.closes = Objects.requireNonNull(closes, "closes");
        this.zone = Objects.requireNonNull(zone, "zone");
    }

    /** Monday to Friday, 09:00 to 17:00 UTC. */
    public static BusinessHours standard() {
        return new BusinessHours(EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY), LocalTime.of(9, 0),
                LocalTime.of(17, 0), ZoneId.of("UTC"));
    }

    /** True when {@code moment} falls within these business hours (see the class comment). */
    public boolean isOpenAt(Instant moment) {
        ZonedDateTime local = moment.atZone(zone);
        LocalTime time = local.toLocalTime();
        return days.contains(local.getDayOfWeek()) && !time.isBefore(opens) && time.isBefore(closes);
    }

    public Set<DayOfWeek> getDays() { return days; }

    public LocalTime getOpens() { return opens; }

    public LocalTime getCloses() { return closes; }

    public ZoneId getZone() { return zone; }

    @Override
    public String toString() {
        return "BusinessHours{" + days + " " + opens + "-" + closes + " " + zone + "}";
    }
}
