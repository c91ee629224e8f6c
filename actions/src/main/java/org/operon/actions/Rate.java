package org.operon.actions;

import java.time.Duration;
import java.util.Locale;

/**
 * A rate limit of one target, written {@code <count>/<unit>} with unit {@code s}, {@code m} or
 * {@code h}, e.g. {@code 10/s} or {@code 100/m}. Starts are spaced evenly: at most one action every
 * {@link #spacing()} ({@code unit / count}), so there are no bursts and at most {@code count} starts
 * in any window of one unit.
 *
 * @param count how many actions per unit, at least 1
 * @param unit  one second, minute or hour
 */
public record Rate(int count, Duration unit) {
    public Rate {
        if (count < 1) {
            throw new IllegalArgumentException("a rate needs a count of at least 1, was " + count);
        }
        if (unit == null || unit.isZero() || unit.isNegative()) {
            throw new IllegalArgumentException("a rate needs a positive unit, was " + unit);
        }
    }

    /** Parses {@code 10/s}, {@code 100/m}, {@code 1000/h}; the message says the expected form. */
    public static Rate parse(String text) {
        String t = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        int slash = t.indexOf('/');
        if (slash < 1) {
            throw new IllegalArgumentException("a rate is written <count>/<s|m|h>, e.g. 10/s, not '" + text + "'");
        }
        int count;
        try {
            count = Integer.parseInt(t.substring(0, slash).strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("a rate is written <count>/<s|m|h>, e.g. 10/s, not '" + text + "'");
        }
        Duration unit = switch (t.substring(slash + 1).strip()) {
            case "s" -> Duration.ofSeconds(1);
            case "m" -> Duration.ofMinutes(1);
            case "h" -> Duration.ofHours(1);
            default -> throw new IllegalArgumentException("a rate's unit is s, m or h, e.g. 10/s, not '" + text + "'");
        };
        return new Rate(count, unit);
    }

    /** The least time between two starts. */
    public Duration spacing() {
        return unit.dividedBy(count);
    }

    @Override
    public String toString() {
        String u = unit.equals(Duration.ofSeconds(1)) ? "s" : unit.equals(Duration.ofMinutes(1)) ? "m" : "h";
        return count + "/" + u;
    }
}
