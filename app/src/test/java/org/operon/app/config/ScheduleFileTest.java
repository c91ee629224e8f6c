package org.operon.app.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.operon.engine.DecisionListener;
import org.operon.engine.RuleReloader;
import org.operon.engine.RulesDirectory;
import org.operon.engine.SessionFacts;
import org.operon.engine.SessionOpener;
import org.operon.engine.session.RuleSession;
import org.operon.model.Decision;
import org.operon.model.Event;
import org.operon.model.Schedule;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The schedules file, and Schedule facts matched by a rule of a rules directory on session time. */
class ScheduleFileTest {
    private static final String SCHEDULES = """
            schedules:
              - name: business-hours
                cron: "0 9 * * MON-FRI"
                duration: 8h
                zone: Europe/Berlin
              - name: nightly-batch
                cron: "0 1 * * *"
                duration: 2h
            """;
    /** Pages for a full disk only in business hours: the documented form (docs/sources/schedules.md). */
    private static final String RULE = """
            package org.example.rules;

            import java.util.List;
            import org.operon.model.Decision;
            import org.operon.model.Event;
            import org.operon.model.Schedule;

            rule "disk-full-in-business-hours"
            when
                $e : Event(type == "disk.full")
                Schedule(name == "business-hours", isActiveAt($e.getArrivalTime()))
            then
                channels["decisions"].send(Decision.of("page-now", $e.getSubject(), drools.getRule().getName(),
                        List.of($e.getId())));
            end
            """;

    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path f = dir.resolve(name);
        Files.createDirectories(f.getParent());
        Files.writeString(f, text);
        return f;
    }

    private static long at(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }

    @Test
    void schedulesAreReadWithTheirZoneOrUtc() throws IOException {
        List<Schedule> read = ScheduleFile.read(write("schedules.yaml", SCHEDULES));
        assertThat(read).extracting(Schedule::getName).containsExactly("business-hours", "nightly-batch");
        assertThat(read.get(0).getZone()).isEqualTo(ZoneId.of("Europe/Berlin"));
        assertThat(read.get(0).getDuration()).isEqualTo(Duration.ofHours(8));
        assertThat(read.get(1).getZone()).isEqualTo(ZoneOffset.UTC);
        assertThat(read.get(1).isActiveAt(at("2026-11-28T02:59:59Z"))).isTrue();
        assertThat(read.get(1).isActiveAt(at("2026-11-28T03:00:00Z"))).isFalse();
    }

    @Test
    void badSchedulesNameTheFileTheScheduleAndTheProblem() throws IOException {
        Path bad = write("bad-cron.yaml", "schedules:\n  - name: x\n    cron: \"0 25 * * *\"\n    duration: 1h\n");
        assertThatThrownBy(() -> ScheduleFile.read(bad)).isInstanceOf(ConfigFileException.class)
                .hasMessageContaining("bad-cron.yaml").hasMessageContaining("schedule 1 (x)").hasMessageContaining("hour");
        Path zone = write("bad-zone.yaml", "schedules:\n  - name: y\n    cron: \"0 1 * * *\"\n    duration: 1h\n"
                + "    zone: Mars/Olympus\n");
        assertThatThrownBy(() -> ScheduleFile.read(zone)).hasMessageContaining("Mars/Olympus");
        Path twice = write("twice.yaml", "schedules:\n  - {name: z, cron: \"0 1 * * *\", duration: 1h}\n"
                + "  - {name: z, cron: \"0 2 * * *\", duration: 1h}\n");
        assertThatThrownBy(() -> ScheduleFile.read(twice)).hasMessageContaining("schedule 2 (z)");
        Path noDuration = write("no-duration.yaml", "schedules:\n  - {name: w, cron: \"0 1 * * *\"}\n");
        assertThatThrownBy(() -> ScheduleFile.read(noDuration)).hasMessageContaining("duration");
        Path unknown = write("unknown.yaml", "schedules:\n  - {name: v, cron: \"0 1 * * *\", duration: 1h, every: 2}\n");
        assertThatThrownBy(() -> ScheduleFile.read(unknown)).hasMessageContaining("every");
    }

    @Test
    void aRuleMatchesTheScheduleOnTheArrivalTimeOfTheEvent() throws Exception {
        Path rules = dir.resolve("rules");
        write("rules/business-hours.drl", RULE);
        List<Schedule> schedules = ScheduleFile.read(write("schedules.yaml", SCHEDULES));
        SessionOpener opener = new RuleReloader(new RulesDirectory(rules), SessionFacts.of(schedules),
                () -> at("2026-11-27T00:00:00Z")).loadAtStart();
        List<Decision> decisions = new ArrayList<>();
        DecisionListener listener = decisions::add;
        // Friday 2026-11-27; Berlin is UTC+1: business hours are 08:00-16:00 UTC.
        try (RuleSession session = opener.open(at("2026-11-27T07:00:00Z"), listener)) {
            session.process(List.of(disk("early", "db-1", "2026-11-27T07:59:00Z")));
            session.process(List.of(disk("inside", "db-2", "2026-11-27T08:00:00Z")));
            session.process(List.of(disk("late", "db-3", "2026-11-27T16:00:00Z")));
            session.process(List.of(disk("saturday", "db-4", "2026-11-28T10:00:00Z")));
        }
        assertThat(decisions).filteredOn(d -> d.getType().equals("page-now"))
                .extracting(Decision::getSubject).containsExactly("db-2");
    }

    @Test
    void withoutTheScheduleFactTheRuleNeverFires() throws Exception {
        Path rules = dir.resolve("rules");
        write("rules/business-hours.drl", RULE);
        SessionOpener opener = new RuleReloader(new RulesDirectory(rules), SessionFacts.of(List.of()),
                () -> at("2026-11-27T00:00:00Z")).loadAtStart();
        List<Decision> decisions = new ArrayList<>();
        try (RuleSession session = opener.open(at("2026-11-27T07:00:00Z"), decisions::add)) {
            session.process(List.of(disk("inside", "db-2", "2026-11-27T09:00:00Z")));
        }
        assertThat(decisions).noneMatch(d -> d.getType().equals("page-now"));
    }

    private static Event disk(String id, String subject, String arrival) {
        long t = at(arrival);
        return Event.builder().id(id).source("/test").type("disk.full").subject(subject).build().stamped(1, t);
    }
}
