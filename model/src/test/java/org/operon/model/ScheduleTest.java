package org.operon.model;

import org.junit.jupiter.api.Test;
import org.operon.model.cron.CronExpression;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ScheduleTest {
    private static long at(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }

    @Test
    void businessHoursInBerlinAreActiveFromNineForEightHoursOnWeekdays() {
        Schedule s = new Schedule("business-hours", CronExpression.parse("0 9 * * MON-FRI"), Duration.ofHours(8),
                ZoneId.of("Europe/Berlin"));
        // 2026-11-27 is a Friday; Berlin is UTC+1 in November.
        assertThat(s.isActiveAt(at("2026-11-27T07:59:59.999Z"))).isFalse();
        assertThat(s.isActiveAt(at("2026-11-27T08:00:00Z"))).isTrue();
        assertThat(s.isActiveAt(at("2026-11-27T15:59:59.999Z"))).isTrue();
        assertThat(s.isActiveAt(at("2026-11-27T16:00:00Z"))).isFalse();
        assertThat(s.isActiveAt(at("2026-11-28T10:00:00Z"))).as("Saturday").isFalse();
        assertThat(s.getName()).isEqualTo("business-hours");
        assertThat(s.getCron()).isEqualTo("0 9 * * MON-FRI");
    }

    @Test
    void aWindowCrossesMidnight() {
        Schedule s = new Schedule("nightly-batch", CronExpression.parse("0 23 * * *"), Duration.ofHours(2),
                ZoneOffset.UTC);
        assertThat(s.isActiveAt(at("2026-11-28T00:30:00Z"))).isTrue();
        assertThat(s.isActiveAt(at("2026-11-28T01:00:00Z"))).isFalse();
    }

    @Test
    void aScheduleNeedsANameAndAPositiveDuration() {
        assertThatThrownBy(() -> new Schedule(" ", CronExpression.parse("0 1 * * *"), Duration.ofHours(1),
                ZoneOffset.UTC)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Schedule("x", CronExpression.parse("0 1 * * *"), Duration.ZERO,
                ZoneOffset.UTC)).isInstanceOf(IllegalArgumentException.class);
    }
}
