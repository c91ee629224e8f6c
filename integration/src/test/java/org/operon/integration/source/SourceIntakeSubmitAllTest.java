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
 * append (a large poll in chunks, each appended as soon as it is decoded), malformed ones are dead-lettered (real Infinispan store) with their reasons, and a full queue
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

    /** Payloads of {@code perPayload} events each, ids {@code <prefix><n>} numbered from 0 across them. */
    private static List<SourceIntake.Payload> batches(String prefix, int payloads, int perPayload) {
        List<SourceIntake.Payload> poll = new java.util.ArrayList<>();
        for (int p = 0; p < payloads; p++) {
            StringBuilder json = new StringBuilder("[");
            for (int i = 0; i < perPayload; i++) {
                json.append(i == 0 ? "" : ",").append(event(prefix + (p * perPayload + i)));
            }
            poll.add(payload(json.append(']').toString()));
        }
        return poll;
    }

    /** An intake over the same journal whose payloads may hold 100 events (the default 1 MiB limit). */
    private SourceIntake intakeOfLargePayloads() {
        return new SourceIntake(acceptor, state.deadLetters(), CLOCK, new IntakeOptions(
                IntakeOptions.DEFAULT_MAX_BODY_BYTES, 64, 2 * IntakeOptions.DEFAULT_MAX_BODY_BYTES, Duration.ofSeconds(5)));
    }

    @Test
    void aLargePollGoesToTheJournalInChunksAsItIsDecodedAndReturnsOnceAllAreDurable() throws Exception {
        SourceIntake intake = intakeOfLargePayloads();
        int perPayload = 100;
        int payloads = 50; // 5,000 events: one chunk of 41 payloads (4,100 events, the first at or over 4,096), then 900
        acceptor.room = 100_000;
        List<SourceIntake.Outcome> outcomes = intake.submitAll(batches("c", payloads, perPayload));

        assertThat(acceptor.sizes).as("one append per chunk, each of whole payloads")
                .containsExactly(4_100, 900);
        assertThat(outcomes).hasSize(payloads);
        for (int p = 0; p < payloads; p++) {
            assertThat(outcomes.get(p).accepted()).hasSize(perPayload).first().isEqualTo("c" + p * perPayload);
        }
        List<Event> journaled = journaled();
        assertThat(journaled).hasSize(payloads * perPayload);
        for (int i = 0; i < journaled.size(); i++) {
            assertThat(journaled.get(i).getId()).isEqualTo("c" + i);
            assertThat(journaled.get(i).getSeq()).isEqualTo(i + 1L);
        }
        assertThat(intake.counters().get(SOURCE)).containsEntry("received", 50L).containsEntry("accepted", 5_000L);
    }

    @Test
    void aQueueThatFillsUpAfterTheFirstChunkRefusesThePollAndItsRepeatIsAcceptedWhole() throws Exception {
        SourceIntake intake = intakeOfLargePayloads();
        List<SourceIntake.Payload> poll = batches("f", 50, 100);
        acceptor.room = 4_100 + 899; // the first chunk fits, the second (900 events) does not

        assertThatThrownBy(() -> intake.submitAll(poll)).isInstanceOf(EngineOverloadedException.class);

        // The first chunk was handed over before the second was refused: durable, as after an unconfirmed write.
        assertThat(journaled()).hasSize(4_100);
        assertThat(intake.counters().get(SOURCE)).containsEntry("accepted", 0L);

        acceptor.room = 10_000;
        List<SourceIntake.Outcome> outcomes = intake.submitAll(poll);

        assertThat(outcomes).allSatisfy(o -> assertThat(o.accepted()).hasSize(100));
        assertThat(intake.counters().get(SOURCE)).containsEntry("accepted", 5_000L);
        // The repeat journals the first chunk again; the engine drops those repeats by id.
        List<String> ids = journaled().stream().map(Event::getId).toList();
        assertThat(ids).hasSize(9_100);
        assertThat(ids.subList(0, 4_100)).isEqualTo(ids.subList(4_100, 8_200));
        assertThat(ids.subList(4_100, 9_100)).hasSize(5_000).doesNotHaveDuplicates().startsWith("f0").endsWith("f4999");
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
        final List<Integer> sizes = new java.util.concurrent.CopyOnWriteArrayList<>();
        volatile int room;

        JournalAcceptor(FileEventJournal journal, int room) {
            this.journal = journal;
            this.room = room;
        }

        @Override
        public CompletableFuture<List<Event>> accept(List<Event> events) throws EngineOverloadedException {
            calls.incrementAndGet();
            sizes.add(events.size());
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
