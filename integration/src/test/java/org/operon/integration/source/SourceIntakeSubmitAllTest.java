package org.operon.integration.source;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.operon.engine.EngineOverloadedException;
import org.operon.engine.EventAcceptor;
import org.operon.integration.http.IntakeOptions;
import org.operon.model.CloudEventJson;
import org.operon.model.Event;
import org.operon.state.DeadLetter;
import org.operon.state.FileEventJournal;
import org.operon.state.JournalOptions;
import org.operon.state.OperonState;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link SourceIntake#submitAll}: the payloads of one Kafka poll go to a real {@link FileEventJournal} as one
 * append, malformed ones are dead-lettered (real Infinispan store) with their reasons, and a full queue
 * refuses the whole call without a trace, so that the source can seek back and submit it again.
 */
class SourceIntakeSubmitAllTest {
    private static final Instant T0 = Instant.parse("2026-11-28T05:00:00Z");
    private static final Clock CLOCK = Clock.fixed(T0, ZoneOffset.UTC);
    private static final String SOURCE = "kafka:alerts";

    @TempDir
    Path dir;

    private OperonState state;
    private FileEventJournal journal;
    private JournalAcceptor acceptor;
    private SourceIntake intake;

    @BeforeEach
    void open() {
        state = OperonState.open(dir.resolve("state"), CLOCK);
        journal = FileEventJournal.open(dir.resolve("journal"), T0::toEpochMilli, JournalOptions.defaults());
        acceptor = new JournalAcceptor(journal, 10);
        intake = new SourceIntake(acceptor, state.deadLetters(), CLOCK, new IntakeOptions(400, 64, 8192, Duration.ofSeconds(5)));
    }

    @AfterEach
    void close() {
        journal.close();
        state.close();
    }

    private static String event(String id) {
        return "{\"specversion\":\"1.0\",\"id\":\"" + id + "\",\"source\":\"/mon\",\"type\":\"alert\",\"subject\":\"db-1\"}";
    }

    private static SourceIntake.Payload payload(String json) {
        return SourceIntake.Payload.of(SOURCE, json.getBytes(StandardCharsets.UTF_8), null);
    }

    private List<Event> journaled() {
        try (Stream<Event> s = journal.readAfter(0)) {
            return s.toList();
        }
    }

    private List<DeadLetter> deadLetters() {
        return state.deadLetters().latest(100).stream().sorted(Comparator.comparing(DeadLetter::error)).toList();
    }

    @Test
    void thePayloadsOfOnePollAreOneDurableAppendAndAnOutcomeEach() throws Exception {
        List<SourceIntake.Outcome> outcomes = intake.submitAll(List.of(payload(event("a1")),
                payload("[" + event("a2") + "," + event("a3") + "]"), payload(event("a4"))));

        assertThat(outcomes).extracting(SourceIntake.Outcome::accepted)
                .containsExactly(List.of("a1"), List.of("a2", "a3"), List.of("a4"));
        assertThat(outcomes).allSatisfy(o -> assertThat(o.rejected()).isEmpty());
        assertThat(acceptor.calls.get()).as("one journal append for the whole poll").isEqualTo(1);
        assertThat(journaled()).extracting(Event::getId).containsExactly("a1", "a2", "a3", "a4");
        assertThat(journaled()).extracting(Event::getSeq).containsExactly(1L, 2L, 3L, 4L);
        assertThat(journaled()).allSatisfy(e -> assertThat(e.getArrivalTime()).isEqualTo(T0.toEpochMilli()));
        assertThat(deadLetters()).isEmpty();
        assertThat(intake.counters().get(SOURCE)).containsEntry("received", 3L).containsEntry("accepted", 4L)
                .containsEntry("rejected", 0L);
    }

    @Test
    void journaledEventsEqualWhatTheTreeDecoderGivesAndRedeliveryHasTheSameIds() throws Exception {
        String rich = "{\"specversion\":\"1.0\",\"id\":\"r1\",\"source\":\"/mon\",\"type\":\"alert\",\"subject\":\"db-1\","
                + "\"time\":\"2026-11-28T04:59:00Z\",\"severity\":\"critical\",\"team\":\"dba\","
                + "\"data\":{\"labels\":{\"env\":\"prod\"},\"value\":3.5,\"list\":[1,\"x\",null]}}";
        intake.submitAll(List.of(payload(rich)));
        intake.submitAll(List.of(payload(rich)));

        Event expected = new CloudEventJson().fromJson(new ObjectMapper().readTree(rich));
        assertThat(journaled()).hasSize(2).allSatisfy(e -> {
            assertThat(e.getId()).isEqualTo("r1");
            assertThat(e.getSeverity()).isEqualTo(expected.getSeverity());
            assertThat(e.getTime()).isEqualTo(expected.getTime());
            assertThat(e.getLabels()).isEqualTo(expected.getLabels());
            assertThat(e.getData()).isEqualTo(expected.getData());
            assertThat(e.getExtensions()).isEqualTo(expected.getExtensions());
        });
    }

    @Test
    void malformedPayloadsAreDeadLetteredWithTheReasonAndTheValidOnesOfTheSamePollAccepted() throws Exception {
        List<SourceIntake.Outcome> outcomes = intake.submitAll(List.of(
                payload(event("m1")),
                payload("{\"specversion\":\"1.0\",\"id\":"),
                payload("[" + event("m2") + ",{\"specversion\":\"1.0\",\"id\":\"m3\",\"source\":\"/mon\"}]"),
                payload("{\"specversion\":\"1.0\",\"id\":\"m4\",\"source\":\"/mon\",\"type\":\"operon.alert.report\"}"),
                payload("[" + String.join(",", event("m5"), event("m6"), event("m7"), event("m8"), event("m9"), event("m10")) + "]"),
                payload(event("m11") + " " + event("m12"))));

        assertThat(outcomes.get(0).accepted()).containsExactly("m1");
        assertThat(outcomes.get(1).accepted()).isEmpty();
        assertThat(outcomes.get(1).rejected()).extracting(SourceIntake.Rejection::error).containsExactly("malformed_json");
        assertThat(outcomes.get(2).accepted()).containsExactly("m2");
        assertThat(outcomes.get(2).rejected()).containsExactly(
                new SourceIntake.Rejection(1, "missing_attribute", outcomes.get(2).rejected().get(0).detail()));
        assertThat(outcomes.get(2).rejected().get(0).detail()).contains("type");
        assertThat(outcomes.get(3).rejected()).extracting(SourceIntake.Rejection::error).containsExactly("reserved_type");
        assertThat(outcomes.get(4).rejected()).extracting(SourceIntake.Rejection::error).containsExactly("body_too_large");
        assertThat(outcomes.get(5).rejected()).extracting(SourceIntake.Rejection::error).containsExactly("malformed_json");

        assertThat(journaled()).extracting(Event::getId).containsExactly("m1", "m2");
        assertThat(deadLetters()).extracting(DeadLetter::error).containsExactly("body_too_large", "malformed_json",
                "malformed_json", "missing_attribute", "reserved_type");
        assertThat(deadLetters()).allSatisfy(d -> assertThat(d.channel()).isEqualTo(SOURCE));
        assertThat(intake.counters().get(SOURCE)).containsEntry("received", 6L).containsEntry("accepted", 2L)
                .containsEntry("rejected", 5L);
    }

    @Test
    void aFullQueueRefusesTheWholePollWithoutATraceAndTheRepeatIsAcceptedOnce() throws Exception {
        List<SourceIntake.Payload> poll = List.of(payload("[" + event("o1") + "," + event("o2") + "]"),
                payload("not json"), payload("[" + event("o3") + "," + event("o4") + "," + event("o5") + "]"));
        acceptor.room = 4;

        assertThatThrownBy(() -> intake.submitAll(poll)).isInstanceOf(EngineOverloadedException.class);

        assertThat(journaled()).isEmpty();
        assertThat(deadLetters()).as("dead letters only once the poll is accepted").isEmpty();
        assertThat(intake.counters().get(SOURCE)).containsEntry("accepted", 0L).containsEntry("rejected", 0L);

        acceptor.room = 10;
        List<SourceIntake.Outcome> outcomes = intake.submitAll(poll);

        assertThat(outcomes).extracting(SourceIntake.Outcome::accepted)
                .containsExactly(List.of("o1", "o2"), List.of(), List.of("o3", "o4", "o5"));
        assertThat(journaled()).extracting(Event::getId).containsExactly("o1", "o2", "o3", "o4", "o5");
        assertThat(deadLetters()).extracting(DeadLetter::error).containsExactly("malformed_json");
    }

    @Test
    void aPollOfOnlyMalformedPayloadsAppendsNothing() throws Exception {
        List<SourceIntake.Outcome> outcomes = intake.submitAll(List.of(payload("[]"), payload("")));

        assertThat(outcomes).extracting(o -> o.rejected().get(0).error()).containsExactly("empty_batch", "empty_body");
        assertThat(acceptor.calls.get()).isZero();
        assertThat(journaled()).isEmpty();
    }

    /** Journals into the real journal while it has room (as the engine's queue reserves room), else refuses. */
    private static final class JournalAcceptor implements EventAcceptor {
        private final FileEventJournal journal;
        final AtomicInteger calls = new AtomicInteger();
        volatile int room;

        JournalAcceptor(FileEventJournal journal, int room) {
            this.journal = journal;
            this.room = room;
        }

        @Override
        public CompletableFuture<List<Event>> accept(List<Event> events) throws EngineOverloadedException {
            calls.incrementAndGet();
            if (events.size() > room) {
                throw new EngineOverloadedException("the engine queue is full", 1);
            }
            room -= events.size();
            return journal.append(events);
        }

        @Override
        public boolean isAccepting() {
            return true;
        }
    }
}
