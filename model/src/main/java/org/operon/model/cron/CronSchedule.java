package org.operon.model.cron;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.Objects;
import java.util.Optional;

/**
 * Periods that start at the times of a cron expression and last a fixed duration: active at {@code t}
 * when some start {@code s} satisfies {@code s <= t < s + duration}. Starts are read as local times of
 * {@code zone}; the duration is elapsed time from the start.
 *
 * <p><b>Daylight saving time.</b> A start time that does not exist on the day clocks jump forward
 * (02:30 in Europe/Berlin on the last Sunday of March) starts the period at the end of the jump (03:00),
 * as Vixie cron runs such jobs right after the change. A start time that occurs twice on the day clocks
 * fall back starts the period once, at its first occurrence. Because the duration is elapsed time, a
 * {@code 2h} period that starts at 01:00 on the fall-back night ends at the second 02:00 local, and on
 * the spring-forward night at 04:00 local.
 *
 * <p>Since starts map to instants in order, only the latest start at or before {@code t} needs checking:
 * an earlier start ends no later than it.
 *
 * @param cron     the start times
 * @param duration how long each period lasts; positive
 * @param zone     the time zone of the cron times
 */
public record CronSchedule(CronExpression cron, Duration duration, ZoneId zone) {

    public CronSchedule {
        Objects.requireNonNull(cron, "cron");
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(zone, "zone");
        if (duration.isZero() || duration.isNegative()) {
            throw new IllegalArgumentException("the duration must be positive, not " + duration);
        }
    }

    /** Whether {@code at} falls within one of the periods. Pure and thread-safe. */
    public boolean isActiveAt(Instant at) {
        return latestStartAtOrBefore(at).map(start -> at.isBefore(start.plus(duration))).orElse(false);
    }

    /** The instant of the latest start at or before {@code at}, if any (see the class comment). */
    Optional<Instant> latestStartAtOrBefore(Instant at) {
        ZoneRules rules = zone.getRules();
        LocalDateTime local = LocalDateTime.ofInstant(at, zone);
        LocalDateTime bound = local;
        ZoneOffsetTransition overlap = rules.getTransition(local);
        if (overlap != null && overlap.isOverlap() && rules.getOffset(at).equals(overlap.getOffsetAfter())) {
            // The second pass of an hour that repeats (clocks fell back): every start of that hour already
            // happened in the first pass, and none after it has yet.
            bound = overlap.getDateTimeBefore().minusNanos(1);
        }
        return cron.previousOrSame(bound).map(this::startOf);
    }

    private Instant startOf(LocalDateTime start) {
        ZoneOffsetTransition transition = zone.getRules().getTransition(start);
        if (transition != null && transition.isGap()) {
            return transition.getInstant();
        }
        return start.atZone(zone).toInstant();
    }

    @Override
    public String toString() {
        return "cron " + cron + " for " + duration + " " + zone;
    }
}
