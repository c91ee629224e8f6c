package org.operon.model.cron;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CronScheduleTest {
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    private static CronSchedule schedule(String cron, Duration duration, ZoneId zone) {
        return new CronSchedule(CronExpression.parse(cron), duration, zone);
    }

    private static Instant utc(String text) {
        return Instant.parse(text);
    }

    @Test
    void activeFromEachStartInclusiveForTheDurationExclusive() {
        // 2026-11-28 is a Saturday.
        CronSchedule s = schedule("0 22 * * SAT", Duration.ofHours(2), ZoneOffset.UTC);
        assertThat(s.isActiveAt(utc("2026-11-28T21:59:59.999Z"))).isFalse();
        assertThat(s.isActiveAt(utc("2026-11-28T22:00:00Z"))).isTrue();
        assertThat(s.isActiveAt(utc("2026-11-28T23:59:59.999Z"))).isTrue();
        assertThat(s.isActiveAt(utc("2026-11-29T00:00:00Z"))).as("ends after two hours, on Sunday").isFalse();
        assertThat(s.isActiveAt(utc("2026-11-27T22:30:00Z"))).as("Friday is no start day").isFalse();
    }

    @Test
    void startTimesAreLocalToTheZone() {
        // Berlin is UTC+1 in November: 22:00 Berlin = 21:00 UTC.
        CronSchedule s = schedule("0 22 * * *", Duration.ofMinutes(30), BERLIN);
        assertThat(s.isActiveAt(utc("2026-11-28T20:59:59Z"))).isFalse();
        assertThat(s.isActiveAt(utc("2026-11-28T21:00:00Z"))).isTrue();
        assertThat(s.isActiveAt(utc("2026-11-28T21:29:59Z"))).isTrue();
        assertThat(s.isActiveAt(utc("2026-11-28T21:30:00Z"))).isFalse();
    }

    @Test
    void aDurationLongerThanTheGapBetweenStartsKeepsItActive() {
        CronSchedule s = schedule("0 * * * *", Duration.ofMinutes(90), ZoneOffset.UTC);
        assertThat(s.isActiveAt(utc("2026-06-01T10:59:59Z"))).isTrue();
        assertThat(s.isActiveAt(utc("2026-06-01T11:45:00Z"))).isTrue();
        CronSchedule everyOtherHour = schedule("0 */2 * * *", Duration.ofMinutes(90), ZoneOffset.UTC);
        assertThat(everyOtherHour.isActiveAt(utc("2026-06-01T11:29:59Z"))).isTrue();
        assertThat(everyOtherHour.isActiveAt(utc("2026-06-01T11:30:00Z"))).isFalse();
        assertThat(everyOtherHour.isActiveAt(utc("2026-06-01T12:00:00Z"))).isTrue();
    }

    @Test
    void monthEndsAndDaysThatSomeMonthsLack() {
        // The 31st at 20:00 for six hours: runs into the 1st of the next month.
        CronSchedule s = schedule("0 20 31 * *", Duration.ofHours(6), ZoneOffset.UTC);
        assertThat(s.isActiveAt(utc("2026-01-31T20:00:00Z"))).isTrue();
        assertThat(s.isActiveAt(utc("2026-02-01T01:59:59Z"))).isTrue();
        assertThat(s.isActiveAt(utc("2026-02-01T02:00:00Z"))).isFalse();
        assertThat(s.isActiveAt(utc("2026-02-28T21:00:00Z"))).as("February has no 31st").isFalse();
        assertThat(s.isActiveAt(utc("2026-04-30T21:00:00Z"))).as("nor April").isFalse();
        // The last days of February 2026 (not a leap year) up to the 1st of March.
        CronSchedule lastDays = schedule("0 23 28-31 * *", Duration.ofHours(2), ZoneOffset.UTC);
        assertThat(lastDays.isActiveAt(utc("2026-03-01T00:59:59Z"))).isTrue();
        assertThat(lastDays.isActiveAt(utc("2026-03-01T01:00:00Z"))).isFalse();
        assertThat(lastDays.isActiveAt(utc("2026-02-27T23:30:00Z"))).isFalse();
        // A leap day only.
        CronSchedule leapDay = schedule("0 0 29 FEB *", Duration.ofDays(1), ZoneOffset.UTC);
        assertThat(leapDay.isActiveAt(utc("2028-02-29T12:00:00Z"))).isTrue();
        assertThat(leapDay.isActiveAt(utc("2028-03-01T00:00:00Z"))).isFalse();
        assertThat(leapDay.isActiveAt(utc("2027-03-01T12:00:00Z"))).isFalse();
    }

    @Test
    void aStartInTheHourSkippedInSpringStartsWhenTheClocksHaveJumped() {
        // Berlin, 2026-03-29: at 02:00 CET (01:00 UTC) the clocks jump to 03:00 CEST.
        CronSchedule s = schedule("30 2 * * *", Duration.ofHours(1), BERLIN);
        assertThat(s.isActiveAt(utc("2026-03-29T00:59:59Z"))).isFalse();
        assertThat(s.isActiveAt(utc("2026-03-29T01:00:00Z"))).as("03:00 CEST: the skipped 02:30 starts").isTrue();
        assertThat(s.isActiveAt(utc("2026-03-29T01:59:59Z"))).isTrue();
        assertThat(s.isActiveAt(utc("2026-03-29T02:00:00Z"))).as("one hour of elapsed time later").isFalse();
        // The day before: 02:30 CET = 01:30 UTC, as usual.
        assertThat(s.isActiveAt(utc("2026-03-28T01:29:59Z"))).isFalse();
        assertThat(s.isActiveAt(utc("2026-03-28T01:30:00Z"))).isTrue();
    }

    @Test
    void theDurationIsElapsedTimeAcrossAClockChange() {
        // 01:00 CET (00:00 UTC) on the spring night plus two hours ends at 04:00 CEST (02:00 UTC).
        CronSchedule s = schedule("0 1 * * *", Duration.ofHours(2), BERLIN);
        assertThat(s.isActiveAt(utc("2026-03-29T01:59:59Z"))).isTrue();
        assertThat(s.isActiveAt(utc("2026-03-29T02:00:00Z"))).isFalse();
        // On the autumn night, 01:00 CEST (23:00 UTC) plus two hours ends at the second 02:00 (01:00 UTC).
        assertThat(s.isActiveAt(utc("2026-10-25T00:59:59Z"))).isTrue();
        assertThat(s.isActiveAt(utc("2026-10-25T01:00:00Z"))).isFalse();
    }

    @Test
    void aStartInTheHourRepeatedInAutumnHappensOnce() {
        // Berlin, 2026-10-25: at 03:00 CEST (01:00 UTC) the clocks go back to 02:00 CET.
        CronSchedule s = schedule("30 2 * * *", Duration.ofMinutes(30), BERLIN);
        assertThat(s.isActiveAt(utc("2026-10-25T00:29:59Z"))).isFalse();
        assertThat(s.isActiveAt(utc("2026-10-25T00:30:00Z"))).as("first 02:30, CEST").isTrue();
        assertThat(s.isActiveAt(utc("2026-10-25T00:59:59Z"))).isTrue();
        assertThat(s.isActiveAt(utc("2026-10-25T01:30:00Z"))).as("second 02:30, CET: no new start").isFalse();
        assertThat(s.isActiveAt(utc("2026-10-25T01:45:00Z"))).isFalse();

        CronSchedule quarterHours = schedule("*/15 * * * *", Duration.ofMinutes(5), BERLIN);
        assertThat(quarterHours.isActiveAt(utc("2026-10-25T00:47:00Z"))).as("02:47 CEST").isTrue();
        assertThat(quarterHours.isActiveAt(utc("2026-10-25T01:17:00Z"))).as("second 02:17").isFalse();
        assertThat(quarterHours.isActiveAt(utc("2026-10-25T02:02:00Z"))).as("03:02 CET").isTrue();

        // A period started in the first pass runs on, by elapsed time, into the second pass.
        CronSchedule long2 = schedule("0 2 * * *", Duration.ofMinutes(90), BERLIN);
        assertThat(long2.isActiveAt(utc("2026-10-25T01:15:00Z"))).isTrue();
        assertThat(long2.isActiveAt(utc("2026-10-25T01:30:00Z"))).isFalse();
    }

    @Test
    void theDurationMustBePositive() {
        assertThatThrownBy(() -> schedule("0 0 * * *", Duration.ZERO, ZoneOffset.UTC))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be positive");
    }

    @Test
    void describesItself() {
        assertThat(schedule("0 22 * * SAT", Duration.ofHours(2), BERLIN))
                .hasToString("cron 0 22 * * SAT for PT2H Europe/Berlin");
    }
}
