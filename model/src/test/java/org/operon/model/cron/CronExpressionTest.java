package org.operon.model.cron;

import org.junit.jupiter.api.Test;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CronExpressionTest {
    private static LocalDateTime at(String text) {
        return LocalDateTime.parse(text);
    }

    /** The minutes of one hour the expression matches. */
    private static List<Integer> minutesOf(CronExpression cron, String hour) {
        List<Integer> out = new ArrayList<>();
        for (int m = 0; m < 60; m++) {
            if (cron.matches(at(hour).withMinute(m))) {
                out.add(m);
            }
        }
        return out;
    }

    /** The days of a month (1-based) on which the expression matches at midnight. */
    private static List<Integer> daysOf(CronExpression cron, String firstOfMonth) {
        List<Integer> out = new ArrayList<>();
        LocalDateTime first = at(firstOfMonth);
        for (LocalDateTime t = first; t.getMonth() == first.getMonth(); t = t.plusDays(1)) {
            if (cron.matches(t)) {
                out.add(t.getDayOfMonth());
            }
        }
        return out;
    }

    @Test
    void starsStepsListsAndRanges() {
        assertThat(minutesOf(CronExpression.parse("*/15 * * * *"), "2026-06-01T10:00")).containsExactly(0, 15, 30, 45);
        assertThat(minutesOf(CronExpression.parse("5,10-12,50-59/4 * * * *"), "2026-06-01T10:00"))
                .containsExactly(5, 10, 11, 12, 50, 54, 58);
        CronExpression oddHours = CronExpression.parse("0 1-5/2 * * *");
        Predicate<Integer> matchesHour = h -> oddHours.matches(at("2026-06-01T00:00").withHour(h));
        assertThat(List.of(0, 1, 2, 3, 4, 5, 6, 7).stream().filter(matchesHour)).containsExactly(1, 3, 5);
        assertThat(CronExpression.parse("  0   22 * *   6 ").toString()).isEqualTo("0 22 * * 6");
    }

    @Test
    void monthAndDayNamesInAnyCase() {
        CronExpression cron = CronExpression.parse("0 0 1 jan,JUL *");
        assertThat(cron.matches(at("2026-01-01T00:00"))).isTrue();
        assertThat(cron.matches(at("2026-07-01T00:00"))).isTrue();
        assertThat(cron.matches(at("2026-02-01T00:00"))).isFalse();
        // 2026-06-01 is a Monday.
        assertThat(daysOf(CronExpression.parse("0 0 * * Mon-FRI"), "2026-06-01T00:00"))
                .startsWith(1, 2, 3, 4, 5, 8).doesNotContain(6, 7, 13, 14);
        CronExpression summer = CronExpression.parse("0 0 * May-aug *");
        assertThat(summer.matches(at("2026-06-06T00:00"))).isTrue();
        assertThat(summer.matches(at("2026-09-01T00:00"))).isFalse();
    }

    @Test
    void zeroAndSevenAreBothSunday() {
        CronExpression zero = CronExpression.parse("0 0 * * 0");
        CronExpression seven = CronExpression.parse("0 0 * * 7");
        CronExpression name = CronExpression.parse("0 0 * * SUN");
        assertThat(zero).isEqualTo(seven).isEqualTo(name);
        assertThat(daysOf(seven, "2026-06-01T00:00")).containsExactly(7, 14, 21, 28);
        assertThat(daysOf(CronExpression.parse("0 0 * * 5-7"), "2026-06-01T00:00"))
                .containsExactly(5, 6, 7, 12, 13, 14, 19, 20, 21, 26, 27, 28);
    }

    @Test
    void whenBothDayFieldsAreRestrictedEitherMatches() {
        // Vixie: the 1st and 15th of the month, and every Monday (June 2026: 1, 8, 15, 22, 29).
        assertThat(daysOf(CronExpression.parse("0 0 1,15 * MON"), "2026-06-01T00:00"))
                .containsExactly(1, 8, 15, 22, 29);
        assertThat(daysOf(CronExpression.parse("0 0 1,20 * FRI"), "2026-06-01T00:00"))
                .containsExactly(1, 5, 12, 19, 20, 26);
        // Only one restricted: that one decides.
        assertThat(daysOf(CronExpression.parse("0 0 1,20 * *"), "2026-06-01T00:00")).containsExactly(1, 20);
        assertThat(daysOf(CronExpression.parse("0 0 * * FRI"), "2026-06-01T00:00")).containsExactly(5, 12, 19, 26);
        // A field starting with * counts as unrestricted, so both must match: odd days that are Mondays.
        assertThat(daysOf(CronExpression.parse("0 0 */2 * MON"), "2026-06-01T00:00")).containsExactly(1, 15, 29);
    }

    @Test
    void previousOrSameFindsTheLatestMatchingMinute() {
        CronExpression saturdayNight = CronExpression.parse("0 22 * * SAT");
        // 2026-12-02 is a Wednesday; the Saturday before is 2026-11-28.
        assertThat(saturdayNight.previousOrSame(at("2026-12-02T10:17:42"))).contains(at("2026-11-28T22:00"));
        assertThat(saturdayNight.previousOrSame(at("2026-11-28T22:00:00"))).contains(at("2026-11-28T22:00"));
        assertThat(saturdayNight.previousOrSame(at("2026-11-28T21:59:59"))).contains(at("2026-11-21T22:00"));
        assertThat(CronExpression.parse("*/15 * * * *").previousOrSame(at("2026-06-01T10:44:59")))
                .contains(at("2026-06-01T10:30"));
        assertThat(CronExpression.parse("50 9,17 * * *").previousOrSame(at("2026-06-01T17:10")))
                .contains(at("2026-06-01T09:50"));
        assertThat(CronExpression.parse("50 9,17 * * *").previousOrSame(at("2026-06-01T09:49")))
                .contains(at("2026-05-31T17:50"));
    }

    @Test
    void previousOrSameSkipsMonthsWithoutTheDay() {
        // April has no 31st, so the 31st before mid-May is in March.
        assertThat(CronExpression.parse("0 0 31 * *").previousOrSame(at("2026-05-15T00:00")))
                .contains(at("2026-03-31T00:00"));
        assertThat(CronExpression.parse("0 12 29 FEB *").previousOrSame(at("2027-01-01T00:00")))
                .contains(at("2024-02-29T12:00"));
        assertThat(CronExpression.parse("59 23 28-31 * *").previousOrSame(at("2026-03-01T10:00")))
                .contains(at("2026-02-28T23:59"));
    }

    private static void refused(String cron, String... parts) {
        assertThatThrownBy(() -> CronExpression.parse(cron)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContainingAll(parts);
    }

    @Test
    void refusesBadExpressionsNamingTheFieldAndTheProblem() {
        refused("0 22 * *", "5 fields", "not 4");
        refused("0 0 22 * * *", "5 fields", "not 6");
        refused("", "not 0");
        refused("60 * * * *", "minute field \"60\"", "60 is not between 0 and 59");
        refused("0 24 * * *", "hour field \"24\"", "not between 0 and 23");
        refused("0 0 0 * *", "day-of-month field \"0\"", "not between 1 and 31");
        refused("0 0 * 13 *", "month field \"13\"", "not between 1 and 12");
        refused("0 0 * * 8", "day-of-week field \"8\"", "not between 0 and 7");
        refused("0 0 * FOO *", "month field \"FOO\"", "not a number or a name (JAN … DEC)");
        refused("0 0 * * MONDAY", "day-of-week field", "(SUN … SAT)");
        refused("x * * * *", "minute field \"x\"", "\"x\" is not a number");
        refused("*/0 * * * *", "minute field", "step", "at least 1");
        refused("5/15 * * * *", "minute field", "a step needs * or a range");
        refused("*/x * * * *", "minute field", "the step \"x\" is not a number");
        refused("0 5-1 * * *", "hour field", "the range \"5-1\" goes backwards");
        refused("0 0 * * FRI-MON", "day-of-week field", "goes backwards");
        refused("1,,2 * * * *", "minute field", "empty list element");
        refused("0 0 31 2 *", "never matches");
        refused("0 0 30,31 FEB *", "never matches");
        refused("-1 * * * *", "minute field");
        refused("@daily", "5 fields");
    }

    @Test
    void impossibleDatesAreAcceptedWhenTheDayOfWeekCanMatchInstead() {
        assertThat(CronExpression.parse("0 0 31 2 MON").matches(at("2026-02-02T00:00"))).isTrue();
        assertThat(CronExpression.parse("0 0 29 2 *").matches(at("2024-02-29T00:00"))).isTrue();
    }
}
