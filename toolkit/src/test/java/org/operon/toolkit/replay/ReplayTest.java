package org.operon.toolkit.replay;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.operon.engine.ThrottlePolicy;
import org.operon.model.Event;
import org.operon.model.Severity;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.operon.toolkit.replay.Recordings.T0;
import static org.operon.toolkit.replay.Recordings.critical;

class ReplayTest {

    @TempDir
    Path dir;

    /** Bursts of three critical events on web-1 at 0s and again after 10 quiet minutes. */
    private static List<Event> twoBursts() {
        List<Event> events = new ArrayList<>();
        for (int burst = 0; burst < 2; burst++) {
            for (int i = 0; i < 3; i++) {
                events.add(critical("b" + burst + "e" + i, "web-1", Duration.ofMinutes(burst * 10L).plusSeconds(i * 10L))
                        .stamped(0, T0.plus(Duration.ofMinutes(burst * 10L).plusSeconds(i * 10L)).toEpochMilli()));
            }
        }
        return events;
    }

    @Test
    void throttlesMuteTheRepeatAndTheAuditStatusSaysWhy() {
        Replay plain = Replay.builder().build();
        Replay throttled = Replay.builder()
                .throttles(List.of(new ThrottlePolicy("notify", ThrottlePolicy.Mode.ONCE_WITHIN, Duration.ofHours(1))))
                .build();

        assertThat(plain.run(twoBursts(), Duration.ZERO)).extracting(ReplayedAction::status)
                .containsExactly("sent", "sent");
        List<ReplayedAction> actions = throttled.run(twoBursts(), Duration.ZERO);
        assertThat(actions).extracting(ReplayedAction::status).containsExactly("sent", "suppressed");
        assertThat(actions.get(1).reason()).startsWith("throttled: once within PT1H per subject (first "
                + actions.get(0).audit().decisionId());
    }

    @Test
    void aGivenMuterSuppressesAtTheDecisionsTimeAndEveryTargetGetsItsOwnAction() {
        long cut = T0.plus(Duration.ofMinutes(5)).toEpochMilli();
        Replay replay = Replay.builder()
                .muter((decision, at) -> at.toEpochMilli() > cut ? Optional.of("maintenance window nightly")
                        : Optional.empty())
                .targets(type -> type.equals("notify") ? List.of("log", "webhook") : List.of())
                .build();

        List<ReplayedAction> actions = replay.run(twoBursts(), Duration.ZERO);

        assertThat(actions).extracting(ReplayedAction::target, ReplayedAction::status, ReplayedAction::reason)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("log", "sent", null),
                        org.assertj.core.groups.Tuple.tuple("webhook", "sent", null),
                        org.assertj.core.groups.Tuple.tuple("log", "suppressed", "maintenance window nightly"),
                        org.assertj.core.groups.Tuple.tuple("webhook", "suppressed", "maintenance window nightly"));
        assertThat(actions.get(0).audit().id()).isNotEqualTo(actions.get(1).audit().id());
        assertThat(actions.get(0).audit().decisionId()).isEqualTo(actions.get(1).audit().decisionId());
    }

    @Test
    void noEventsReplayNothing() {
        Replay.Summary summary = Replay.builder().build().run(List.of(), Duration.ofHours(1), a -> {
            throw new AssertionError("no action expected");
        });
        assertThat(summary.events()).isZero();
        assertThat(summary.actions()).isZero();
    }

    /**
     * 100,000 recorded CloudEvents of 1,000 hosts over about 28 hours, read from a file and replayed
     * through the packaged rules. The speed is printed, not asserted (it depends on the machine).
     */
    @Test
    void aHundredThousandEventsReplayFromAFile() throws Exception {
        int count = 100_000;
        List<Event> events = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String host = "host-" + (i % 1_000);
            Severity severity = i % 7 == 0 ? Severity.CRITICAL : i % 3 == 0 ? Severity.WARNING : Severity.INFO;
            String type = i % 5 == 0 ? "heartbeat" : "host.metric";
            events.add(Recordings.event("e" + i, type, host, severity, Duration.ofMillis(i * 1_000L)));
        }
        Path file = Recordings.write(dir.resolve("big.jsonl"), Recordings.cloudEventLines(events));

        long start = System.nanoTime();
        List<Event> read = EventSources.readAll(List.of(file));
        long readDone = System.nanoTime();
        long[] actions = new long[1];
        Replay.Summary summary = Replay.builder().build().run(read, Duration.ofMinutes(10), a -> actions[0]++);
        long end = System.nanoTime();

        assertThat(summary.events()).isEqualTo(count);
        assertThat(actions[0]).isEqualTo(summary.actions()).isPositive();
        System.out.printf("replay of %d events: read %.2f s, replay %.2f s, total %.2f s = %.0f events/s; %d actions%n",
                count, (readDone - start) / 1e9, (end - readDone) / 1e9, (end - start) / 1e9,
                count / ((end - start) / 1e9), summary.actions());
    }
}
