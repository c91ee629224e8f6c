package org.operon.actions.mute;

import org.junit.jupiter.api.Test;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WeeklyScheduleTest {
    // 2026-11-28 is a Saturday.
    private static Instant utc(String text) {
        return Instant.parse(text);
    }

    @Test
    void aSpanWithinTheDayIncludesItsStartAndExcludesItsEnd() {
        WeeklySchedule s = new WeeklySchedule(Set.of(DayOfWeek.SATURDAY), LocalTime.of(9, 0), LocalTime.of(17, 0),
                ZoneOffset.UTC);
        assertThat(s.isActiveAt(utc("2026-11-28T08:59:59.999Z"))).isFalse();
        assertThat(s.isActiveAt(utc("2026-11-28T09:00:00Z"))).isTrue();
        assertThat(s.isActiveAt(utc("2026-11-28T16:59:59.999Z"))).isTrue();
        assertThat(s.isActiveAt(utc("2026-11-28T17:00:00Z"))).isFalse();
        assertThat(s.isActiveAt(utc("2026-11-29T10:00:00Z"))).as("Sunday is not a listed day").isFalse();
    }

    @Test
    void aSpanCrossingMidnightEndsOnTheFollowingDay() {
        WeeklySchedule s = new WeeklySchedule(Set.of(DayOfWeek.SATURDAY), LocalTime.of(22, 0), LocalTime.of(2, 0),
                ZoneOffset.UTC);
        assertThat(s.isActiveAt(utc("2026-11-28T21:59:59Z"))).isFalse();
        assertThat(s.isActiveAt(utc("2026-11-28T22:00:00Z"))).isTrue();
        assertThat(s.isActiveAt(utc("2026-11-29T00:00:00Z"))).as("Sunday after midnight").isTrue();
        assertThat(s.isActiveAt(utc("2026-11-29T01:59:59Z"))).isTrue();
        assertThat(s.isActiveAt(utc("2026-11-29T02:00:00Z"))).isFalse();
        assertThat(s.isActiveAt(utc("2026-11-29T22:30:00Z"))).as("Sunday evening: no span starts Sunday").isFalse();
        assertThat(s.isActiveAt(utc("2026-11-28T01:00:00Z"))).as("Saturday early: Friday did not start one")
                .isFalse();
    }

    @Test
    void equalStartAndEndIsAWholeDay() {
        WeeklySchedule s = new WeeklySchedule(Set.of(DayOfWeek.SATURDAY), LocalTime.MIDNIGHT, LocalTime.MIDNIGHT,
                ZoneOffset.UTC);
        assertThat(s.isActiveAt(utc("2026-11-28T00:00:00Z"))).isTrue();
        assertThat(s.isActiveAt(utc("2026-11-28T23:59:59Z"))).isTrue();
        assertThat(s.isActiveAt(utc("2026-11-29T00:00:00Z"))).isFalse();
        assertThat(s.isActiveAt(utc("2026-11-27T23:59:59Z"))).isFalse();
    }

    @Test
    void timesAreLocalToTheZone() {
        WeeklySchedule berlin = new WeeklySchedule(Set.of(DayOfWeek.SATURDAY), LocalTime.of(0, 0),
                LocalTime.of(1, 0), ZoneId.of("Europe/Berlin"));
        // Berlin is UTC+1 in November: Saturday 00:00 Berlin = Friday 23:00 UTC.
        assertThat(berlin.isActiveAt(utc("2026-11-27T23:00:00Z"))).isTrue();
        assertThat(berlin.isActiveAt(utc("2026-11-27T22:59:59Z"))).isFalse();
        assertThat(berlin.isActiveAt(utc("2026-11-28T00:00:00Z"))).isFalse();
    }

    @Test
    void aScheduleNeedsADay() {
        assertThatThrownBy(() -> new WeeklySchedule(Set.of(), LocalTime.NOON, LocalTime.MIDNIGHT, ZoneOffset.UTC))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one day");
    }
}
