package org.operon.app.config;

import com.fasterxml.jackson.databind.JsonNode;
import org.operon.model.Schedule;
import org.operon.model.cron.CronExpression;

import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The schedules file ({@code operon.schedules.file}, docs/sources/schedules.md): named cron-defined
 * periods that become {@link Schedule} session facts.
 *
 * <pre>
 * schedules:
 *   - name: business-hours
 *     cron: "0 9 * * MON-FRI"   # starts, five-field cron (see CronExpression)
 *     duration: 8h              # how long each period lasts
 *     zone: Europe/Berlin       # zone of the cron times; default UTC
 * </pre>
 */
public final class ScheduleFile {
    private static final List<String> FIELDS = List.of("name", "cron", "duration", "zone");

    private ScheduleFile() {
    }

    /**
     * The schedules of the file, in file order; none for an empty file.
     *
     * @throws ConfigFileException naming the file, the schedule ({@code schedule 2 (nightly)}) and the problem
     */
    public static List<Schedule> read(Path file) {
        List<JsonNode> entries = YamlFile.topLevelList(file, YamlFile.read(file), "schedules", Set.of());
        List<Schedule> schedules = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < entries.size(); i++) {
            String label = "schedule " + (i + 1);
            try {
                JsonNode entry = entries.get(i);
                YamlFile.checkFields(entry, FIELDS);
                String name = YamlFile.text(entry, "name", true);
                label += " (" + name + ")";
                if (!names.add(name)) {
                    throw new IllegalArgumentException("the name is used twice; give each schedule its own");
                }
                CronExpression cron = CronExpression.parse(YamlFile.text(entry, "cron", true));
                String durationText = YamlFile.text(entry, "duration", true);
                Duration duration;
                try {
                    duration = OperonConfig.positiveDuration(durationText);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("\"duration\" = \"" + durationText + "\" " + e.getMessage());
                }
                String zoneText = YamlFile.text(entry, "zone", false);
                ZoneId zone;
                try {
                    zone = zoneText == null ? ZoneOffset.UTC : ZoneId.of(zoneText);
                } catch (DateTimeException e) {
                    throw new IllegalArgumentException("\"zone\" = \"" + zoneText + "\" is not a time zone id "
                            + "such as Europe/Berlin or UTC");
                }
                schedules.add(new Schedule(name, cron, duration, zone));
            } catch (IllegalArgumentException e) {
                throw new ConfigFileException(file, 0, label + ": " + e.getMessage());
            }
        }
        return List.copyOf(schedules);
    }
}
