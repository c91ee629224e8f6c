package org.operon.toolkit.replay;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.operon.model.Event;
import org.operon.state.FileEventJournal;
import org.operon.state.JournalOptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The journal the running app keeps (state's FileEventJournal) is read directly by a replay. */
class RealJournalReplayTest {

    @TempDir
    Path dir;

    @Test
    void aJournalWrittenByTheAppReplaysLikeTheSameEventsAsCloudEvents() throws Exception {
        List<Event> events = List.of(
                Recordings.critical("e1", "web-1", Duration.ZERO),
                Recordings.critical("e2", "web-1", Duration.ofSeconds(60)),
                Recordings.critical("e3", "web-1", Duration.ofSeconds(90)),
                Recordings.event("h1", "heartbeat", "db-1", org.operon.model.Severity.INFO, Duration.ofSeconds(100)));
        Path journalDir = dir.resolve("data/journal");
        AtomicLong clock = new AtomicLong();
        // Tiny segments: every append starts a new segment file, so the directory is read segment by segment.
        try (FileEventJournal journal = FileEventJournal.open(journalDir, clock::get,
                JournalOptions.defaults().withSegmentBytes(1))) {
            for (Event e : events) {
                clock.set(e.getTime().toEpochMilli()); // the journal stamps arrival from its clock
                journal.append(List.of(e)).get(10, TimeUnit.SECONDS);
            }
        }
        try (var files = Files.list(journalDir)) {
            assertThat(files.filter(f -> f.getFileName().toString().matches("journal-\\d{20}\\.jsonl")).count())
                    .isGreaterThan(1);
        }
        Path cloudEvents = Recordings.write(dir.resolve("events.jsonl"), Recordings.cloudEventLines(events));

        ReplayCommandTest.Result fromJournal = ReplayCommandTest.replay("--events", journalDir.toString(), "--tail", "5m");
        ReplayCommandTest.Result fromFile = ReplayCommandTest.replay("--events", cloudEvents.toString(), "--tail", "5m");

        assertThat(fromJournal.exit()).as(fromJournal.err()).isZero();
        assertThat(fromJournal.types()).containsExactly("notify", "heartbeat-missed");
        assertThat(fromJournal.out()).isEqualTo(fromFile.out());
    }
}
