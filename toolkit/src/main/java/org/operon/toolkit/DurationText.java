package org.operon.toolkit;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as rule authors write them on the command line and in scenario files: {@code 90s},
 * {@code 2m}, {@code 1h30m}, {@code 1d}, {@code 250ms}, or ISO-8601 ({@code PT5M}); a bare number is
 * seconds. Offsets are written back the short way with a sign: {@code +90s}, {@code +1h2m3s}.
 */
public final class DurationText {
    private static final Pattern PART = Pattern.compile("(\\d+)(ms|d|h|m|s)");

    private DurationText() {
    }

    /**
     * Parses a non-negative duration.
     *
     * @throws IllegalArgumentException naming the text and the accepted forms
     */
    public static Duration parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("a duration is required, such as 90s, 5m, 1h30m or 1d");
        }
        String t = text.strip().toLowerCase(Locale.ROOT);
        if (t.startsWith("p")) {
            try {
                Duration d = Duration.parse(t.toUpperCase(Locale.ROOT));
                if (d.isNegative()) {
                    throw new IllegalArgumentException("a duration must not be negative: '" + text + "'");
                }
                return d;
            } catch (DateTimeParseException e) {
                throw invalid(text);
            }
        }
        if (t.chars().allMatch(Character::isDigit)) {
            return Duration.ofSeconds(Long.parseLong(t));
        }
        Matcher m = PART.matcher(t);
        Duration total = Duration.ZERO;
        int at = 0;
        while (at < t.length()) {
            if (!m.find(at) || m.start() != at) {
                throw invalid(text);
            }
            long n = Long.parseLong(m.group(1));
            total = total.plus(switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            });
            at = m.end();
        }
        return total;
    }

    /** An offset from the start of a timeline, e.g. {@code +90s}, {@code +1h2m}, {@code +0s}, {@code -5s}. */
    public static String offset(long millis) {
        return (millis < 0 ? "-" : "+") + format(Math.abs(millis));
    }

    /** A non-negative duration the short way: {@code 0s}, {@code 90s} as {@code 1m30s}, {@code 1d2h}, {@code 1.5s} as {@code 1s500ms}. */
    public static String format(long millis) {
        if (millis == 0) {
            return "0s";
        }
        StringBuilder s = new StringBuilder();
        long rest = millis;
        long[] sizes = {86_400_000L, 3_600_000L, 60_000L, 1_000L, 1L};
        String[] units = {"d", "h", "m", "s", "ms"};
        for (int i = 0; i < sizes.length; i++) {
            long n = rest / sizes[i];
            if (n > 0) {
                s.append(n).append(units[i]);
                rest -= n * sizes[i];
            }
        }
        return s.toString();
    }

    private static IllegalArgumentException invalid(String text) {
        return new IllegalArgumentException("'" + text + "' is not a duration: write it like 90s, 5m, 1h30m, 1d, 250ms "
                + "or PT5M");
    }
}
