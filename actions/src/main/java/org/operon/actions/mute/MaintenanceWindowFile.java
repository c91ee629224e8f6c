package org.operon.actions.mute;

import org.operon.model.cron.CronExpression;
import org.operon.model.InvalidMatcherException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.operon.model.Matcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads maintenance windows from a small JSON file:
 *
 * <pre>{@code
 * {"windows": [
 *   {"name": "db-backup",
 *    "matchers": ["alertname=~\"Disk.*\"", "service=db"],
 *    "days": ["SAT", "SUN"], "from": "22:00", "to": "02:00", "zone": "Europe/Berlin"},
 *   {"name": "monthly-patching",
 *    "matchers": ["team=web"],
 *    "cron": "0 1 1 * *", "duration": "4h", "zone": "Europe/Berlin"}
 * ]}
 * }</pre>
 *
 * <ul>
 *   <li>{@code name}: required, unique in the file.</li>
 *   <li>{@code matchers}: required, at least one, each in {@link Matcher#parse(String)}'s syntax.</li>
 *   <li>A weekly window ({@link WeeklySchedule}): {@code days}, optional (default every day), day names
 *       ({@code MON}, {@code monday}) or ranges ({@code MON-FRI}, {@code FRI-MON} wraps over the weekend);
 *       {@code from}, {@code to}: required local times {@code HH:mm}.</li>
 *   <li>Or a cron window ({@link CronSchedule}): {@code cron}, a five-field {@link CronExpression} giving
 *       the local start times, and {@code duration}, how long each start lasts ({@code 30m}, {@code 2h},
 *       {@code 1d} or ISO-8601 {@code PT2H}); then {@code days}, {@code from} and {@code to} are refused.</li>
 *   <li>{@code zone}: optional time zone id (default {@code UTC}).</li>
 * </ul>
 * Unknown fields are refused, so that a misspelt field is not silently ignored.
 */
public final class MaintenanceWindowFile {
    private static final Set<String> FIELDS = Set.of("name", "matchers", "days", "from", "to", "cron", "duration",
            "zone");
    private static final Pattern SIMPLE_DURATION = Pattern.compile("(\\d{1,9})(s|m|h|d)");

    private MaintenanceWindowFile() {
    }

    /** Thrown for a file that cannot be read or holds an invalid window; the message names both. */
    public static final class InvalidMaintenanceWindowsException extends RuntimeException {
        public InvalidMaintenanceWindowsException(String message) {
            super(message);
        }
    }

    /**
     * The windows of the file, in file order.
     *
     * @throws InvalidMaintenanceWindowsException naming the file, the window (by name or position) and the
     *                                            problem
     */
    public static List<MaintenanceWindow> read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new InvalidMaintenanceWindowsException("maintenance window file " + file + " cannot be read: " + e);
        }
        return parse(text, file.toString());
    }

    /** The windows of {@code json}; {@code source} names it in error messages. */
    public static List<MaintenanceWindow> parse(String json, String source) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(json);
        } catch (JsonProcessingException e) {
            throw new InvalidMaintenanceWindowsException("maintenance window file " + source + " is not valid JSON: "
                    + e.getOriginalMessage());
        }
        if (root == null || !root.isObject() || !root.path("windows").isArray()) {
            throw new InvalidMaintenanceWindowsException("maintenance window file " + source
                    + " must be a JSON object with an array \"windows\"");
        }
        List<MaintenanceWindow> windows = new ArrayList<>();
        Set<String> names = new HashSet<>();
        int position = 0;
        for (JsonNode node : root.get("windows")) {
            position++;
            String label = "window #" + position;
            try {
                if (!node.isObject()) {
                    throw new IllegalArgumentException("must be a JSON object");
                }
                String name = text(node, "name", true);
                label = "window '" + name + "'";
                for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                    String field = it.next();
                    if (!FIELDS.contains(field)) {
                        throw new IllegalArgumentException("unknown field \"" + field + "\" (expected "
                                + "name, matchers, days, from, to, cron, duration, zone)");
                    }
                }
                if (!names.add(name)) {
                    throw new IllegalArgumentException("the name is used by an earlier window");
                }
                MaintenanceSchedule schedule = node.has("cron") || node.has("duration") ? cronSchedule(node)
                        : weeklySchedule(node);
                windows.add(new MaintenanceWindow(name, matchers(node.get("matchers")), schedule));
            } catch (IllegalArgumentException e) {
                String problem = e instanceof InvalidMatcherException ise ? ise.problem() : e.getMessage();
                throw new InvalidMaintenanceWindowsException("maintenance window file " + source + ", " + label
                        + ": " + problem);
            }
        }
        return List.copyOf(windows);
    }

    private static WeeklySchedule weeklySchedule(JsonNode node) {
        if (!node.has("from")) {
            throw new IllegalArgumentException("\"from\" is missing (a window needs \"from\" and \"to\", or "
                    + "\"cron\" and \"duration\")");
        }
        return new WeeklySchedule(days(node.get("days")), time(node, "from"), time(node, "to"), zone(node));
    }

    private static CronSchedule cronSchedule(JsonNode node) {
        for (String weekly : List.of("days", "from", "to")) {
            if (node.has(weekly)) {
                throw new IllegalArgumentException("\"" + weekly + "\" cannot be combined with \"cron\" and "
                        + "\"duration\" (a cron window starts at the cron times and lasts the duration)");
            }
        }
        String cronText = text(node, "cron", true);
        CronExpression cron;
        try {
            cron = CronExpression.parse(cronText);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("\"cron\" = \"" + cronText + "\": " + e.getMessage());
        }
        return new CronSchedule(cron, duration(node), zone(node));
    }

    private static Duration duration(JsonNode node) {
        String text = text(node, "duration", true);
        Duration d = null;
        java.util.regex.Matcher m = SIMPLE_DURATION.matcher(text);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            d = switch (m.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        } else {
            try {
                d = Duration.parse(text);
            } catch (DateTimeParseException e) {
                // reported below
            }
        }
        if (d == null || d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException("\"duration\" = \"" + text + "\" is not a positive duration such "
                    + "as 30m, 2h, 1d or PT2H");
        }
        return d;
    }

    private static String text(JsonNode node, String field, boolean required) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                throw new IllegalArgumentException("\"" + field + "\" is missing");
            }
            return null;
        }
        if (!value.isTextual() || value.asText().isBlank()) {
            throw new IllegalArgumentException("\"" + field + "\" must be a non-empty string");
        }
        return value.asText().strip();
    }

    private static List<Matcher> matchers(JsonNode node) {
        if (node == null || !node.isArray() || node.isEmpty()) {
            throw new IllegalArgumentException("\"matchers\" must be a non-empty array of matchers such as "
                    + "\"service=db\" (a window without matchers would mute everything)");
        }
        List<Matcher> matchers = new ArrayList<>();
        for (JsonNode m : node) {
            if (!m.isTextual()) {
                throw new IllegalArgumentException("\"matchers\" must hold strings such as \"service=db\"");
            }
            matchers.add(Matcher.parse(m.asText()));
        }
        return matchers;
    }

    private static Set<DayOfWeek> days(JsonNode node) {
        if (node == null || node.isNull()) {
            return WeeklySchedule.everyDay();
        }
        if (!node.isArray() || node.isEmpty()) {
            throw new IllegalArgumentException("\"days\" must be a non-empty array such as [\"MON-FRI\", \"SUN\"]");
        }
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        for (JsonNode d : node) {
            String text = d.asText().strip();
            int dash = text.indexOf('-');
            if (dash < 0) {
                days.add(day(text));
            } else {
                DayOfWeek first = day(text.substring(0, dash));
                DayOfWeek last = day(text.substring(dash + 1));
                for (DayOfWeek x = first; ; x = x.plus(1)) {
                    days.add(x);
                    if (x == last) {
                        break;
                    }
                }
            }
        }
        return days;
    }

    private static DayOfWeek day(String text) {
        String upper = text.strip().toUpperCase(Locale.ROOT);
        for (DayOfWeek d : DayOfWeek.values()) {
            if (d.name().equals(upper) || d.name().substring(0, 3).equals(upper)) {
                return d;
            }
        }
        throw new IllegalArgumentException("\"" + text + "\" is not a day of the week (MON, TUE, ... SUN)");
    }

    private static LocalTime time(JsonNode node, String field) {
        String text = text(node, field, true);
        try {
            return LocalTime.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("\"" + field + "\" = \"" + text + "\" is not a time of day HH:mm");
        }
    }

    private static ZoneId zone(JsonNode node) {
        String text = text(node, "zone", false);
        if (text == null) {
            return ZoneOffset.UTC;
        }
        try {
            return ZoneId.of(text);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("\"zone\" = \"" + text + "\" is not a time zone id such as "
                    + "Europe/Berlin or UTC");
        }
    }
}
