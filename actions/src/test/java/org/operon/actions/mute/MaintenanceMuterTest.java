package org.operon.actions.mute;

import org.junit.jupiter.api.Test;
import org.operon.model.Decision;
import org.operon.model.Matcher;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class MaintenanceMuterTest {
    private static final Instant INSIDE = Instant.parse("2026-11-28T23:00:00Z");
    private static final Instant OUTSIDE = Instant.parse("2026-11-28T12:00:00Z");

    private static MaintenanceWindow window(String name, String... matchers) {
        return new MaintenanceWindow(name, List.of(matchers).stream().map(Matcher::parse).toList(),
                new WeeklySchedule(WeeklySchedule.everyDay(), LocalTime.of(22, 0), LocalTime.of(2, 0),
                        ZoneOffset.UTC));
    }

    private static Decision alert(String alertname, String service) {
        return Decision.of("notify", service, "r", List.of("e1"))
                .withParam("labels", Map.of("alertname", alertname, "service", service));
    }

    @Test
    void mutesAMatchingDecisionWhileTheWindowIsActive() {
        Muter muter = new MaintenanceMuter(List.of(window("db-backup", "alertname=~Disk.*", "service=db")));
        assertThat(muter.mutes(alert("DiskFull", "db"), INSIDE)).contains("maintenance window db-backup");
        assertThat(muter.mutes(alert("DiskFull", "db"), OUTSIDE)).isEmpty();
    }

    @Test
    void allMatchersMustMatch() {
        Muter muter = new MaintenanceMuter(List.of(window("db-backup", "alertname=~Disk.*", "service=db")));
        assertThat(muter.mutes(alert("DiskFull", "web"), INSIDE)).isEmpty();
        assertThat(muter.mutes(alert("CpuHigh", "db"), INSIDE)).isEmpty();
    }

    @Test
    void decisionsWithoutLabelsAreMatchedOnSubjectAndType() {
        Muter muter = new MaintenanceMuter(List.of(window("hb", "type=heartbeat-missed", "subject=db-1")));
        Decision plain = Decision.of("heartbeat-missed", "db-1", "r", List.of("e1"));
        Decision other = Decision.of("heartbeat-missed", "db-2", "r", List.of("e2"));
        assertThat(muter.mutes(plain, INSIDE)).contains("maintenance window hb");
        assertThat(muter.mutes(other, INSIDE)).isEmpty();
    }

    @Test
    void theFirstMatchingWindowInConfigurationOrderIsNamed() {
        Muter muter = new MaintenanceMuter(List.of(window("first", "service=web"), window("second", "service=db"),
                window("third", "alertname=DiskFull")));
        assertThat(muter.mutes(alert("DiskFull", "db"), INSIDE)).contains("maintenance window second");
    }

    @Test
    void noWindowsMuteNothing() {
        assertThat(new MaintenanceMuter(List.of()).mutes(alert("DiskFull", "db"), INSIDE)).isEmpty();
    }

    @Test
    void aCompositeMuterAnswersWithTheFirstReason() {
        Muter never = (d, at) -> Optional.empty();
        Muter windows = new MaintenanceMuter(List.of(window("db-backup", "service=db")));
        Muter always = (d, at) -> Optional.of("silenced by x");
        assertThat(CompositeMuter.of(never, windows, always).mutes(alert("DiskFull", "db"), INSIDE))
                .contains("maintenance window db-backup");
        assertThat(CompositeMuter.of(never, windows, always).mutes(alert("DiskFull", "db"), OUTSIDE))
                .contains("silenced by x");
        assertThat(CompositeMuter.of(never, windows).mutes(alert("DiskFull", "db"), OUTSIDE)).isEmpty();
        assertThat(CompositeMuter.of().mutes(alert("DiskFull", "db"), INSIDE)).isEmpty();
    }
}
