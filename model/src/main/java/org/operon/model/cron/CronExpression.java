package org.operon.model.cron;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.Month;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A standard five-field cron expression, as crontab(5) of Vixie cron reads it:
 * {@code minute hour day-of-month month day-of-week}, separated by spaces.
 *
 * <ul>
 *   <li>Ranges: minute 0-59, hour 0-23, day-of-month 1-31, month 1-12 or {@code JAN}-{@code DEC},
 *       day-of-week 0-7 or {@code SUN}-{@code SAT} (0 and 7 are both Sunday); names in any case.</li>
 *   <li>Each field is a comma-separated list of {@code *}, a value ({@code 5}), a range ({@code 1-5}),
 *       or {@code *} or a range with a step ({@code *}{@code /15}, {@code 1-5/2}). A range must not go
 *       backwards ({@code FRI-MON} is refused: write {@code FRI-SAT,SUN,MON}).</li>
 *   <li>Days (Vixie's rule): when both day-of-month and day-of-week are restricted, a day matches when
 *       <em>either</em> does ({@code 0 0 1 * MON} is the 1st of each month and every Monday). A field
 *       that starts with {@code *} counts as unrestricted, so then both must match.</li>
 * </ul>
 * Macros such as {@code @daily}, seconds, years and {@code L}, {@code W}, {@code #}, {@code ?} are not
 * supported. An expression that can never match (such as {@code 0 0 31 2 *}) is refused. Immutable.
 */
public final class CronExpression {
    /** How far back {@link #previousOrSame} looks: enough for a 29 February on a given weekday. */
    private static final int SEARCH_YEARS = 8;

    private enum Field {
        MINUTE("minute", 0, 59, null),
        HOUR("hour", 0, 23, null),
        DAY_OF_MONTH("day-of-month", 1, 31, null),
        MONTH("month", 1, 12, List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV",
                "DEC")),
        DAY_OF_WEEK("day-of-week", 0, 7, List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"));

        final String label;
        final int min;
        final int max;
        /** Names of the values from {@code min} on, or null. */
        final List<String> names;

        Field(String label, int min, int max, List<String> names) {
            this.label = label;
            this.min = min;
            this.max = max;
            this.names = names;
        }
    }

    private final String text;
    private final BitSet minutes;
    private final BitSet hours;
    private final BitSet daysOfMonth;
    private final BitSet months;
    /** 0 = Sunday … 6 = Saturday (7 is folded into 0). */
    private final BitSet daysOfWeek;
    private final boolean dayOfMonthStar;
    private final boolean dayOfWeekStar;

    private CronExpression(String text, String[] fields) {
        this.text = text;
        this.minutes = parseField(fields[0], Field.MINUTE);
        this.hours = parseField(fields[1], Field.HOUR);
        this.daysOfMonth = parseField(fields[2], Field.DAY_OF_MONTH);
        this.months = parseField(fields[3], Field.MONTH);
        BitSet dow = parseField(fields[4], Field.DAY_OF_WEEK);
        if (dow.get(7)) {
            dow.set(0);
            dow.clear(7);
        }
        this.daysOfWeek = dow;
        this.dayOfMonthStar = fields[2].startsWith("*");
        this.dayOfWeekStar = fields[4].startsWith("*");
        if ((dayOfMonthStar || dayOfWeekStar) && !someMonthHasAnAllowedDay()) {
            throw new IllegalArgumentException("it never matches: no listed month has the listed day-of-month");
        }
    }

    /**
     * Parses {@code text} (see the class comment).
     *
     * @throws IllegalArgumentException naming the cron field (minute, hour, …), the offending part and what
     *                                  is expected
     */
    public static CronExpression parse(String text) {
        Objects.requireNonNull(text, "text");
        String normalized = text.strip();
        String[] fields = normalized.isEmpty() ? new String[0] : normalized.split("\\s+");
        if (fields.length != 5) {
            throw new IllegalArgumentException("a cron expression has 5 fields (minute hour day-of-month month "
                    + "day-of-week), not " + fields.length);
        }
        return new CronExpression(String.join(" ", fields), fields);
    }

    private static BitSet parseField(String field, Field f) {
        BitSet bits = new BitSet(f.max + 1);
        for (String element : field.split(",", -1)) {
            try {
                parseElement(element, f, bits);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(f.label + " field \"" + field + "\": " + e.getMessage());
            }
        }
        return bits;
    }

    private static void parseElement(String element, Field f, BitSet bits) {
        if (element.isEmpty()) {
            throw new IllegalArgumentException("an empty list element");
        }
        String[] stepParts = element.split("/", -1);
        if (stepParts.length > 2) {
            throw new IllegalArgumentException("\"" + element + "\" has more than one step");
        }
        String base = stepParts[0];
        int step = 1;
        if (stepParts.length == 2) {
            step = number(stepParts[1], "step");
            if (step < 1) {
                throw new IllegalArgumentException("the step in \"" + element + "\" must be at least 1");
            }
        }
        int from;
        int to;
        if (base.equals("*")) {
            from = f.min;
            to = f.max;
        } else if (base.indexOf('-') > 0) {
            int dash = base.indexOf('-');
            from = value(base.substring(0, dash), f);
            to = value(base.substring(dash + 1), f);
            if (from > to) {
                throw new IllegalArgumentException("the range \"" + base + "\" goes backwards");
            }
        } else {
            if (stepParts.length == 2) {
                throw new IllegalArgumentException("a step needs * or a range before it, such as */15 or 0-30/15, "
                        + "not \"" + element + "\"");
            }
            from = value(base, f);
            to = from;
        }
        for (int v = from; v <= to; v += step) {
            bits.set(v);
        }
    }

    private static int value(String text, Field f) {
        if (f.names != null) {
            int index = f.names.indexOf(text.toUpperCase(Locale.ROOT));
            if (index >= 0) {
                return f.min + index;
            }
        }
        int v;
        try {
            v = number(text, "value");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("\"" + text + "\" is not a number" + (f.names == null ? ""
                    : " or a name (" + f.names.get(0) + " … " + f.names.get(f.names.size() - 1) + ")"));
        }
        if (v < f.min || v > f.max) {
            throw new IllegalArgumentException(v + " is not between " + f.min + " and " + f.max);
        }
        return v;
    }

    private static int number(String text, String what) {
        if (text.isEmpty() || text.length() > 4 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("the " + what + " \"" + text + "\" is not a number");
        }
        return Integer.parseInt(text);
    }

    private boolean someMonthHasAnAllowedDay() {
        for (int m = months.nextSetBit(1); m >= 0; m = months.nextSetBit(m + 1)) {
            if (daysOfMonth.nextSetBit(1) <= Month.of(m).maxLength()) {
                return true;
            }
        }
        return false;
    }

    /** Whether the minute of {@code time} matches (seconds are ignored). */
    public boolean matches(LocalDateTime time) {
        return minutes.get(time.getMinute()) && hours.get(time.getHour()) && months.get(time.getMonthValue())
                && dayMatches(time.toLocalDate());
    }

    private boolean dayMatches(LocalDate date) {
        boolean dom = daysOfMonth.get(date.getDayOfMonth());
        boolean dow = daysOfWeek.get(date.getDayOfWeek().getValue() % 7);
        return dayOfMonthStar || dayOfWeekStar ? dom && dow : dom || dow;
    }

    /**
     * The latest matching minute at or before {@code bound} (local date and time, seconds dropped), or
     * empty when there is none within the eight years before it.
     */
    public Optional<LocalDateTime> previousOrSame(LocalDateTime bound) {
        LocalDateTime t = bound.truncatedTo(ChronoUnit.MINUTES);
        LocalDateTime limit = t.minusYears(SEARCH_YEARS);
        while (!t.isBefore(limit)) {
            if (!months.get(t.getMonthValue())) {
                t = t.withDayOfMonth(1).truncatedTo(ChronoUnit.DAYS).minusMinutes(1);
            } else if (!dayMatches(t.toLocalDate())) {
                t = t.truncatedTo(ChronoUnit.DAYS).minusMinutes(1);
            } else {
                int hour = hours.previousSetBit(t.getHour());
                if (hour < 0) {
                    t = t.truncatedTo(ChronoUnit.DAYS).minusMinutes(1);
                } else if (hour < t.getHour()) {
                    t = t.withHour(hour).withMinute(59);
                } else {
                    int minute = minutes.previousSetBit(t.getMinute());
                    if (minute >= 0) {
                        return Optional.of(t.withMinute(minute));
                    }
                    t = t.truncatedTo(ChronoUnit.HOURS).minusMinutes(1);
                }
            }
        }
        return Optional.empty();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CronExpression c && minutes.equals(c.minutes) && hours.equals(c.hours)
                && daysOfMonth.equals(c.daysOfMonth) && months.equals(c.months) && daysOfWeek.equals(c.daysOfWeek)
                && dayOfMonthStar == c.dayOfMonthStar && dayOfWeekStar == c.dayOfWeekStar;
    }

    @Override
    public int hashCode() {
        return Objects.hash(minutes, hours, daysOfMonth, months, daysOfWeek);
    }

    /** The expression as written, with single spaces between the fields. */
    @Override
    public String toString() {
        return text;
    }
}
