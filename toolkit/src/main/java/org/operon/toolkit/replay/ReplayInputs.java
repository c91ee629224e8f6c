package org.operon.toolkit.replay;

import org.operon.model.Event;
import org.operon.toolkit.Arguments;
import org.operon.toolkit.DurationText;
import org.operon.toolkit.UsageException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * The options the replaying commands share: {@code --events FILE|DIR} (repeatable), {@code --reference DIR},
 * and how long the clock runs after the last event, {@code --tail DURATION} or {@code --until TIME}.
 *
 * @param events    the event files and journal directories, as given
 * @param reference a reference data directory, or null
 * @param tail      the clock's run after the last event (zero unless given)
 * @param until     the instant the clock runs to instead, or null
 */
public record ReplayInputs(List<Path> events, Path reference, Duration tail, Instant until) {
    /** The option names, for {@link Arguments#parse}. */
    public static final List<String> OPTIONS = List.of("--events", "--reference", "--tail", "--until");

    /**
     * Reads the shared options.
     *
     * @throws UsageException when --events is missing or names nothing, or a value does not parse
     */
    public static ReplayInputs from(Arguments a) throws UsageException {
        List<Path> events = new ArrayList<>();
        for (String e : a.all("--events")) {
            Path p = Path.of(e);
            if (!Files.exists(p)) {
                throw new UsageException("--events " + e + ": no such file or directory");
            }
            events.add(p);
        }
        if (events.isEmpty()) {
            throw new UsageException("--events FILE|DIR is required");
        }
        Path reference = directory(a, "--reference");
        if (a.has("--tail") && a.has("--until")) {
            throw new UsageException("give --tail or --until, not both");
        }
        Duration tail = Duration.ZERO;
        if (a.has("--tail")) {
            try {
                tail = DurationText.parse(a.one("--tail"));
            } catch (IllegalArgumentException e) {
                throw new UsageException("--tail: " + e.getMessage());
            }
        }
        Instant until = null;
        if (a.has("--until")) {
            try {
                until = Instant.parse(a.one("--until"));
            } catch (DateTimeParseException e) {
                throw new UsageException("--until: '" + a.one("--until")
                        + "' is not an instant such as 2026-01-05T12:00:00Z");
            }
        }
        return new ReplayInputs(List.copyOf(events), reference, tail, until);
    }

    /** The directory an option names, or null when absent. @throws UsageException when it is not a directory */
    public static Path directory(Arguments a, String option) throws UsageException {
        String value = a.one(option);
        if (value == null) {
            return null;
        }
        Path p = Path.of(value);
        if (!Files.isDirectory(p)) {
            throw new UsageException(option + " " + value + ": not a directory");
        }
        return p;
    }

    /** How long the clock runs after the last of {@code events}: {@code --tail}, or up to {@code --until}. */
    public Duration tailAfter(List<Event> events) {
        if (until == null || events.isEmpty()) {
            return tail;
        }
        long last = events.get(events.size() - 1).getArrivalTime();
        return Duration.ofMillis(Math.max(0, until.toEpochMilli() - last));
    }

    /** {@code , <first> .. <last>} of the events' arrival times, or nothing for none. */
    public static String span(List<Event> events) {
        if (events.isEmpty()) {
            return "";
        }
        return ", " + Instant.ofEpochMilli(events.get(0).getArrivalTime()) + " .. "
                + Instant.ofEpochMilli(events.get(events.size() - 1).getArrivalTime());
    }
}
