package org.operon.actions.mute;

import org.operon.model.cron.CronExpression;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.operon.actions.mute.MaintenanceWindowFile.InvalidMaintenanceWindowsException;
import org.operon.model.Matcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MaintenanceWindowFileTest {
    @TempDir
    Path dir;

    private static String windows(String... objects) {
        return "{\"windows\": [" + String.join(",", objects) + "]}";
    }

    @Test
    void readsWindowsInFileOrder() throws IOException {
        Path file = dir.resolve("maintenance.json");
        Files.writeString(file, windows(
                "{\"name\": \"db-backup\", \"matchers\": [\"alertname=~\\\"Disk.*\\\"\", \"service=db\"],"
                        + " \"days\": [\"SAT\", \"sunday\"], \"from\": \"22:00\", \"to\": \"02:00\","
                        + " \"zone\": \"Europe/Berlin\"}",
                "{\"name\": \"weekdays\", \"matchers\": [\"team=ops\"], \"days\": [\"FRI-MON\"],"
                        + " \"from\": \"12:00\", \"to\": \"12:30\"}",
                "{\"name\": \"daily\", \"matchers\": [\"team=ops\"], \"from\": \"03:00\", \"to\": \"04:00\"}"));

        List<MaintenanceWindow> read = MaintenanceWindowFile.read(file);

        assertThat(read).extracting(MaintenanceWindow::name).containsExactly("db-backup", "weekdays", "daily");
        assertThat(read.get(0).matchers()).containsExactly(Matcher.regex("alertname", "Disk.*"),
                Matcher.equal("service", "db"));
        assertThat(read.get(0).schedule()).isEqualTo(new WeeklySchedule(
                EnumSet.of(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY), LocalTime.of(22, 0), LocalTime.of(2, 0),
                ZoneId.of("Europe/Berlin")));
        WeeklySchedule weekdays = (WeeklySchedule) read.get(1).schedule();
        assertThat(weekdays.days()).containsExactlyInAnyOrder(DayOfWeek.FRIDAY, DayOfWeek.SATURDAY,
                DayOfWeek.SUNDAY, DayOfWeek.MONDAY);
        assertThat(weekdays.zone()).isEqualTo(ZoneOffset.UTC);
        assertThat(((WeeklySchedule) read.get(2).schedule()).days()).hasSize(7);
    }

    @Test
    void readsCronWindowsWithTheirDurationAndZone() {
        List<MaintenanceWindow> read = MaintenanceWindowFile.parse(windows(
                "{\"name\": \"patch-tuesday\", \"matchers\": [\"team=web\"], \"cron\": \"0 22 8-14 * TUE\","
                        + " \"duration\": \"3h\", \"zone\": \"Europe/Berlin\"}",
                "{\"name\": \"quarter-hours\", \"matchers\": [\"team=web\"], \"cron\": \"*/15 * * * *\","
                        + " \"duration\": \"PT5M\"}",
                "{\"name\": \"monthly\", \"matchers\": [\"team=web\"], \"cron\": \"0 0 1 * *\","
                        + " \"duration\": \"1d\"}",
                "{\"name\": \"short\", \"matchers\": [\"team=web\"], \"cron\": \"0 0 1 * *\","
                        + " \"duration\": \"30m\"}"), "m.json");

        assertThat(read.get(0).schedule()).isEqualTo(new CronSchedule(CronExpression.parse("0 22 8-14 * 2"),
                Duration.ofHours(3), ZoneId.of("Europe/Berlin")));
        assertThat(read.get(1).schedule()).isEqualTo(new CronSchedule(CronExpression.parse("0,15,30,45 * * * *"),
                Duration.ofMinutes(5), ZoneOffset.UTC));
        assertThat(((CronSchedule) read.get(2).schedule()).duration()).isEqualTo(Duration.ofDays(1));
        assertThat(((CronSchedule) read.get(3).schedule()).duration()).isEqualTo(Duration.ofMinutes(30));
    }

    @Test
    void refusesBadCronWindowsNamingTheFileTheWindowAndTheField() {
        String start = "{\"name\": \"w\", \"matchers\": [\"a=b\"], ";
        refused(windows(start + "\"cron\": \"61 * * * *\", \"duration\": \"1h\"}"), "window 'w'",
                "\"cron\" = \"61 * * * *\"", "minute field \"61\": 61 is not between 0 and 59");
        refused(windows(start + "\"cron\": \"0 22 * *\", \"duration\": \"1h\"}"), "window 'w'",
                "\"cron\" = \"0 22 * *\"", "5 fields");
        refused(windows(start + "\"cron\": \"0 0 31 FEB *\", \"duration\": \"1h\"}"), "never matches");
        refused(windows(start + "\"cron\": 5, \"duration\": \"1h\"}"), "\"cron\" must be a non-empty string");
        refused(windows(start + "\"cron\": \"0 22 * * *\"}"), "window 'w'", "\"duration\" is missing");
        refused(windows(start + "\"duration\": \"1h\"}"), "window 'w'", "\"cron\" is missing");
        for (String bad : List.of("soon", "0m", "-PT1H", "2 h", "1w")) {
            refused(windows(start + "\"cron\": \"0 22 * * *\", \"duration\": \"" + bad + "\"}"), "window 'w'",
                    "\"duration\" = \"" + bad + "\" is not a positive duration");
        }
        refused(windows(start + "\"cron\": \"0 22 * * *\", \"duration\": \"1h\", \"days\": [\"SAT\"]}"),
                "window 'w'", "\"days\" cannot be combined with \"cron\"");
        refused(windows(start + "\"cron\": \"0 22 * * *\", \"duration\": \"1h\", \"from\": \"22:00\"}"),
                "\"from\" cannot be combined with \"cron\"");
        refused(windows(start + "\"cron\": \"0 22 * * *\", \"duration\": \"1h\", \"zone\": \"Mars/Olympus\"}"),
                "window 'w'", "\"zone\" = \"Mars/Olympus\"");
        refused(windows(start + "\"to\": \"02:00\"}"), "window 'w'", "\"from\" is missing",
                "or \"cron\" and \"duration\"");
    }

    @Test
    void anEmptyListIsNoWindows() {
        assertThat(MaintenanceWindowFile.parse(windows(), "f.json")).isEmpty();
    }

    private static void refused(String json, String... expectedParts) {
        assertThatThrownBy(() -> MaintenanceWindowFile.parse(json, "m.json"))
                .isInstanceOf(InvalidMaintenanceWindowsException.class)
                .hasMessageStartingWith("maintenance window file m.json")
                .hasMessageContainingAll(expectedParts);
    }

    @Test
    void refusesBrokenFilesNamingTheFileTheWindowAndTheProblem() {
        refused("{", "not valid JSON");
        refused("[]", "array \"windows\"");
        refused(windows("{\"matchers\": [\"a=b\"], \"from\": \"01:00\", \"to\": \"02:00\"}"),
                "window #1", "\"name\" is missing");
        refused(windows("{\"name\": \"w\", \"from\": \"01:00\", \"to\": \"02:00\"}"), "window 'w'", "\"matchers\"");
        refused(windows("{\"name\": \"w\", \"matchers\": [], \"from\": \"01:00\", \"to\": \"02:00\"}"),
                "window 'w'", "non-empty array");
        refused(windows("{\"name\": \"w\", \"matchers\": [\"service\"], \"from\": \"01:00\", \"to\": \"02:00\"}"),
                "window 'w'", "'service' is not a matcher");
        refused(windows("{\"name\": \"w\", \"matchers\": [\"a=~(\"], \"from\": \"01:00\", \"to\": \"02:00\"}"),
                "window 'w'", "invalid regular expression");
        refused(windows("{\"name\": \"w\", \"matchers\": [\"a=b\"], \"from\": \"25:00\", \"to\": \"02:00\"}"),
                "window 'w'", "\"from\" = \"25:00\" is not a time of day");
        refused(windows("{\"name\": \"w\", \"matchers\": [\"a=b\"], \"from\": \"01:00\"}"),
                "window 'w'", "\"to\" is missing");
        refused(windows("{\"name\": \"w\", \"matchers\": [\"a=b\"], \"days\": [\"Funday\"], \"from\": \"01:00\","
                + " \"to\": \"02:00\"}"), "window 'w'", "\"Funday\" is not a day of the week");
        refused(windows("{\"name\": \"w\", \"matchers\": [\"a=b\"], \"from\": \"01:00\", \"to\": \"02:00\","
                + " \"zone\": \"Mars/Olympus\"}"), "window 'w'", "\"zone\" = \"Mars/Olympus\"");
        refused(windows("{\"name\": \"w\", \"matchers\": [\"a=b\"], \"form\": \"01:00\", \"to\": \"02:00\"}"),
                "window 'w'", "unknown field \"form\"");
        String ok = "{\"name\": \"w\", \"matchers\": [\"a=b\"], \"from\": \"01:00\", \"to\": \"02:00\"}";
        refused(windows(ok, ok), "window 'w'", "used by an earlier window");
    }

    @Test
    void aMissingFileIsNamed() {
        Path missing = dir.resolve("nope.json");
        assertThatThrownBy(() -> MaintenanceWindowFile.read(missing))
                .isInstanceOf(InvalidMaintenanceWindowsException.class)
                .hasMessageContaining(missing.toString()).hasMessageContaining("cannot be read");
    }
}
