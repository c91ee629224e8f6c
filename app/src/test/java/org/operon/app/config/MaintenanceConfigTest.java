package org.operon.app.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.operon.actions.mute.MaintenanceWindow;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MaintenanceConfigTest {
    @TempDir
    Path dir;

    private static Properties maintenanceFile(Path file) {
        Properties p = new Properties();
        p.setProperty("operon.maintenance.file", file.toString());
        return p;
    }

    @Test
    void withoutAFileThereAreNoWindows() {
        assertThat(OperonConfig.load(Map.of(), new Properties()).maintenanceWindows()).isEmpty();
    }

    @Test
    void theWindowsOfTheFileAreLoaded() throws IOException {
        Path file = dir.resolve("maintenance.json");
        Files.writeString(file, """
                {"windows": [{"name": "db-backup", "matchers": ["service=db"], "days": ["SAT"],
                              "from": "22:00", "to": "02:00", "zone": "Europe/Berlin"}]}
                """);
        OperonConfig config = OperonConfig.load(Map.of("OPERON_MAINTENANCE_FILE", file.toString()), new Properties());
        assertThat(config.maintenanceWindows()).extracting(MaintenanceWindow::name).containsExactly("db-backup");
        assertThat(config.describe()).containsEntry("operon.maintenance.file", file.toString());
    }

    @Test
    void anInvalidWindowStopsStartUpNamingTheSettingTheFileTheWindowAndTheProblem() throws IOException {
        Path file = dir.resolve("maintenance.json");
        Files.writeString(file, """
                {"windows": [{"name": "db-backup", "matchers": ["service=db"], "from": "22:00", "to": "26:00"}]}
                """);
        assertThatThrownBy(() -> OperonConfig.load(Map.of(), maintenanceFile(file)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContainingAll("operon.maintenance.file", file.toString(), "window 'db-backup'",
                        "\"to\" = \"26:00\" is not a time of day");
    }

    @Test
    void cronWindowsAreLoadedAndABadCronExpressionNamesTheFileTheWindowAndTheField() throws IOException {
        Path file = dir.resolve("maintenance.json");
        Files.writeString(file, """
                {"windows": [{"name": "monthly-patching", "matchers": ["team=platform"], "cron": "0 1 1 * *",
                              "duration": "4h", "zone": "Europe/Berlin"}]}
                """);
        assertThat(OperonConfig.load(Map.of(), maintenanceFile(file)).maintenanceWindows())
                .extracting(w -> w.schedule().toString()).containsExactly("cron 0 1 1 * * for PT4H Europe/Berlin");

        Files.writeString(file, """
                {"windows": [{"name": "monthly-patching", "matchers": ["team=platform"], "cron": "0 1 1 * TUES",
                              "duration": "4h"}]}
                """);
        assertThatThrownBy(() -> OperonConfig.load(Map.of(), maintenanceFile(file)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContainingAll("operon.maintenance.file", file.toString(), "window 'monthly-patching'",
                        "\"cron\" = \"0 1 1 * TUES\": day-of-week field \"TUES\"");
    }

    @Test
    void aMissingFileStopsStartUp() {
        Path missing = dir.resolve("missing.json");
        assertThatThrownBy(() -> OperonConfig.load(Map.of(), maintenanceFile(missing)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContainingAll("operon.maintenance.file", missing.toString(), "cannot be read");
    }
}
