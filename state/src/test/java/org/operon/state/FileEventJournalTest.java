package org.operon.state;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.operon.model.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FileEventJournalTest {
    private static final Logger LOG = LoggerFactory.getLogger(FileEventJournalTest.class);
    private static final long T0 = 1_795_809_600_123L; // 2026-11-27T20:00:00.123Z

    @TempDir
    Path dir;

    private final AtomicLong clock = new AtomicLong(T0);
    private final List<FileEventJournal> opened = new ArrayList<>();

    @AfterEach
    void closeJournals() {
        opened.forEach(FileEventJournal::close);
    }

    private FileEventJournal open(JournalOptions options) {
        return open(options, clock::get);
    }

    private FileEventJournal open(JournalOptions options, LongSupplier clockMillis) {
        FileEventJournal journal = FileEventJournal.open(dir, clockMillis, options);
        opened.add(journal);
        return journal;
    }

    private static List<Event> all(Stream<Event> stream) {
        try (stream) {
            return stream.toList();
        }
    }

    private static List<Long> seqs(List<Event> events) {
        return events.stream().map(Event::getSeq).toList();
    }

    private static List<Event> plainEvents(String prefix, int n) {
        return IntStream.rangeClosed(1, n).mapToObj(i -> JournalEvents.plain(prefix + i)).toList();
    }

    private List<Path> segmentFiles() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".jsonl")).sorted().toList();
        }
    }

    @Test
    void roundTripsEventsWithLabelsDataAndTimeAndStampsThem() throws IOException {
        FileEventJournal journal = open(JournalOptions.defaults());
        List<Event> input = List.of(JournalEvents.rich("e-1"), JournalEvents.plain("e-2"), JournalEvents.rich("e-3"));

        List<Event> stamped = journal.append(input).join();

        assertThat(seqs(stamped)).containsExactly(1L, 2L, 3L);
        assertThat(stamped).allSatisfy(e -> assertThat(e.getArrivalTime()).isEqualTo(T0));
        for (int i = 0; i < input.size(); i++) {
            assertThat(stamped.get(i)).isEqualTo(input.get(i).stamped(i + 1, T0));
        }
        assertThat(all(journal.readAfter(0))).containsExactlyElementsOf(stamped);
        assertThat(journal.lastSeq()).isEqualTo(3);

        String firstLine = Files.readAllLines(dir.resolve("journal-00000000000000000001.jsonl")).get(0);
        assertThat(firstLine).startsWith("{\"seq\":1,\"arrivalTime\":\"2026-11-27T20:00:00.123Z\",\"event\":{");

        journal.close();
        FileEventJournal reopened = open(JournalOptions.defaults());
        List<Event> read = all(reopened.readAfter(0));
        assertThat(read).containsExactlyElementsOf(stamped);
        Event rich = read.get(0);
        assertThat(rich.getLabels()).containsEntry("team", "ops").containsEntry("rack", "r7");
        assertThat(rich.getTime()).hasToString("2026-11-27T19:59:58.123456789Z");
        assertThat(rich.getExtensions()).containsEntry("region", "eu-west");
    }

    @Test
    void forcesEachGroupByDefaultAndOnlyWhenAskedNot() {
        assertThat(JournalOptions.defaults().forceEachGroup()).isTrue();
        assertThat(new JournalOptions(1_000, 1_000).forceEachGroup()).isTrue();
        JournalOptions os = JournalOptions.defaults().withSegmentBytes(700).withForceEachGroup(false);
        assertThat(os.forceEachGroup()).isFalse();
        assertThat(os.segmentBytes()).isEqualTo(700);
        assertThat(os.withSegmentBytes(900).forceEachGroup()).isFalse();
    }

    @Test
    void withoutForcingEachGroupAppendsStillCompleteInOrderRollAndSurviveAReopen() throws IOException {
        JournalOptions os = JournalOptions.defaults().withSegmentBytes(600).withForceEachGroup(false);
        FileEventJournal journal = open(os);
        List<Event> durable = new CopyOnWriteArrayList<>();
        journal.onDurable(durable::addAll);
        List<Event> stamped = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            stamped.addAll(journal.append(plainEvents("os-" + i + "-", 3)).join());
        }
        assertThat(seqs(stamped)).containsExactlyElementsOf(LongStream.rangeClosed(1, 15).boxed().toList());
        assertThat(durable).containsExactlyElementsOf(stamped);
        assertThat(segmentFiles()).hasSizeGreaterThan(1);

        journal.close();
        FileEventJournal reopened = open(os);
        assertThat(all(reopened.readAfter(0))).containsExactlyElementsOf(stamped);
        assertThat(reopened.append(plainEvents("after-", 1)).join().get(0).getSeq()).isEqualTo(16);
    }

    @Test
    void concurrentAppendsGetGaplessSeqsNonDecreasingArrivalAndReachTheConsumerOnceInOrder() throws Exception {
        // A clock that jitters backwards: arrival must still never decrease.
        AtomicLong ticks = new AtomicLong();
        FileEventJournal journal = open(JournalOptions.defaults(),
                () -> T0 + ticks.incrementAndGet() * 3 - (ticks.get() % 2 == 0 ? 10 : 0));
        List<Event> seen = Collections.synchronizedList(new ArrayList<>(100_000));
        List<Integer> groupSizes = new CopyOnWriteArrayList<>();
        journal.onDurable(group -> {
            seen.addAll(group);
            groupSizes.add(group.size());
        });
        int threads = 8;
        int perThread = 12_500;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long started = System.nanoTime();
        List<CompletableFuture<List<CompletableFuture<List<Event>>>>> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            workers.add(CompletableFuture.supplyAsync(() -> IntStream.range(0, perThread)
                    .mapToObj(i -> journal.append(List.of(JournalEvents.plain("t" + thread + "-" + i))))
                    .toList(), pool));
        }
        List<CompletableFuture<List<Event>>> appends = workers.stream().flatMap(w -> w.join().stream()).toList();
        CompletableFuture.allOf(appends.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        long millis = (System.nanoTime() - started) / 1_000_000;
        pool.shutdown();
        int total = threads * perThread;
        LOG.info("Appended {} events from {} threads in {} ms in {} groups (one fsync each)", total, threads, millis,
                groupSizes.size());

        assertThat(journal.lastSeq()).isEqualTo(total);
        assertThat(seen).hasSize(total);
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < seen.size(); i++) {
            if (seen.get(i).getSeq() != i + 1) {
                problems.add("position " + i + " has seq " + seen.get(i).getSeq());
            }
            if (i > 0 && seen.get(i).getArrivalTime() < seen.get(i - 1).getArrivalTime()) {
                problems.add("arrival decreases at seq " + seen.get(i).getSeq());
            }
        }
        for (CompletableFuture<List<Event>> append : appends) {
            Event acknowledged = append.join().get(0);
            if (seen.get((int) acknowledged.getSeq() - 1) != acknowledged) {
                problems.add("acknowledged " + acknowledged + " is not what the consumer saw at its seq");
            }
        }
        assertThat(problems).isEmpty();
        assertThat(seen.stream().map(Event::getId).collect(Collectors.toSet())).hasSize(total);
        assertThat(groupSizes).hasSizeLessThan(total);
        try (Stream<Event> read = journal.readAfter(total - 1_000)) {
            assertThat(read.map(Event::getId).toList()).isEqualTo(
                    seen.subList(total - 1_000, total).stream().map(Event::getId).toList());
        }
    }

    @Test
    void aTornLastLineIsTruncatedAtOpenAndAppendsContinueWithTheNextSeq() throws IOException {
        FileEventJournal journal = open(JournalOptions.defaults());
        journal.append(plainEvents("a", 3)).join();
        journal.close();
        Path segment = dir.resolve("journal-00000000000000000001.jsonl");
        long goodSize = Files.size(segment);
        Files.write(segment, "{\"seq\":4,\"arrivalTime\":\"2026-11-27T20:0".getBytes(StandardCharsets.UTF_8),
                StandardOpenOption.APPEND);

        FileEventJournal reopened = open(JournalOptions.defaults());

        assertThat(Files.size(segment)).isEqualTo(goodSize);
        assertThat(reopened.lastSeq()).isEqualTo(3);
        clock.set(T0 + 5);
        assertThat(seqs(reopened.append(plainEvents("b", 2)).join())).containsExactly(4L, 5L);
        List<Event> read = all(reopened.readAfter(0));
        assertThat(read).extracting(Event::getId).containsExactly("a1", "a2", "a3", "b1", "b2");
        assertThat(seqs(read)).containsExactly(1L, 2L, 3L, 4L, 5L);
    }

    @Test
    void aGarbledTerminatedTailIsTruncatedAsWellAndArrivalResumesFromTheLastRecord() throws IOException {
        FileEventJournal journal = open(JournalOptions.defaults());
        clock.set(T0 + 1_000);
        journal.append(plainEvents("a", 2)).join();
        journal.close();
        Path segment = dir.resolve("journal-00000000000000000001.jsonl");
        long goodSize = Files.size(segment);
        Files.write(segment, new byte[] {0, 0, 0, '\n', 0, 0}, StandardOpenOption.APPEND);

        clock.set(T0); // behind the last arrival: arrival must not go back
        FileEventJournal reopened = open(JournalOptions.defaults());

        assertThat(Files.size(segment)).isEqualTo(goodSize);
        Event next = reopened.append(List.of(JournalEvents.plain("b"))).join().get(0);
        assertThat(next.getSeq()).isEqualTo(3);
        assertThat(next.getArrivalTime()).isEqualTo(T0 + 1_000);
    }

    @Test
    void aReaderStopsAtTheLastRecordItWasGivenEvenWhenItSkipsThemAll() throws IOException {
        FileEventJournal journal = open(JournalOptions.defaults());
        clock.set(T0 + 1_000);
        journal.append(plainEvents("a", 3)).join();
        // What a reader may meet after the last durable record of the active segment: the next group being written.
        Files.write(dir.resolve("journal-00000000000000000001.jsonl"),
                "{\"seq\":4,\"arrivalTime\":\"2026-11-27T20:0".getBytes(StandardCharsets.UTF_8),
                StandardOpenOption.APPEND);

        assertThat(all(journal.readFromArrival(T0 + 1_001))).isEmpty(); // skips seqs 1 to 3, reads no further
        assertThat(all(journal.readAfter(2))).extracting(Event::getId).containsExactly("a3");
    }

    @Test
    void rollsSegmentsAndReadsAcrossThem() throws IOException {
        JournalOptions small = JournalOptions.defaults().withSegmentBytes(1_000);
        FileEventJournal journal = open(small);
        List<Event> written = new ArrayList<>();
        for (int batch = 0; batch < 10; batch++) {
            written.addAll(journal.append(plainEvents("b" + batch + "-", 5)).join());
        }

        List<Path> files = segmentFiles();
        assertThat(files).hasSizeGreaterThan(3);
        for (Path file : files) {
            long firstSeq = Long.parseLong(file.getFileName().toString().substring(8, 28));
            assertThat(Files.readAllLines(file).get(0)).startsWith("{\"seq\":" + firstSeq + ",");
            assertThat(Files.size(file)).isLessThan(1_000 + 200);
        }
        assertThat(all(journal.readAfter(0))).containsExactlyElementsOf(written);
        assertThat(seqs(all(journal.readAfter(17)))).containsExactlyElementsOf(
                LongStream.rangeClosed(18, 50).boxed().toList());
        assertThat(all(journal.readAfter(50))).isEmpty();

        journal.close();
        FileEventJournal reopened = open(small);
        assertThat(reopened.lastSeq()).isEqualTo(50);
        reopened.append(plainEvents("c", 30)).join();
        assertThat(seqs(all(reopened.readAfter(0)))).containsExactlyElementsOf(
                LongStream.rangeClosed(1, 80).boxed().toList());
    }

    @Test
    void readsFromAnArrivalTimeAcrossSegments() {
        FileEventJournal journal = open(JournalOptions.defaults().withSegmentBytes(500));
        for (int step = 0; step < 4; step++) {
            clock.set(T0 + step * 1_000L);
            journal.append(plainEvents("s" + step + "-", 4)).join();
        }
        clock.set(T0 + 500); // the clock going back does not move arrival back
        journal.append(plainEvents("late", 1)).join();

        assertThat(all(journal.readFromArrival(T0 + 2_000))).extracting(Event::getId)
                .containsExactly("s2-1", "s2-2", "s2-3", "s2-4", "s3-1", "s3-2", "s3-3", "s3-4", "late1");
        assertThat(all(journal.readFromArrival(T0 + 1_500))).first().extracting(Event::getId).isEqualTo("s2-1");
        assertThat(all(journal.readFromArrival(T0 + 3_000))).allSatisfy(
                e -> assertThat(e.getArrivalTime()).isEqualTo(T0 + 3_000)).hasSize(5);
        assertThat(all(journal.readFromArrival(0))).hasSize(17);
        assertThat(all(journal.readFromArrival(T0 + 3_001))).isEmpty();
    }

    @Test
    void prunesOnlyWholeProcessedOldSegmentsAndNeverTheActiveOne() throws IOException {
        FileEventJournal journal = open(JournalOptions.defaults().withSegmentBytes(300));
        for (int step = 0; step < 5; step++) {
            clock.set(T0 + step * 1_000L);
            journal.append(plainEvents("p" + step + "-", 3)).join();
        }
        int segmentsBefore = segmentFiles().size();
        assertThat(segmentsBefore).isGreaterThan(3);

        assertThat(journal.prune(0, Long.MAX_VALUE)).isZero();
        assertThat(journal.prune(15, T0)).isZero();

        int deleted = journal.prune(6, Long.MAX_VALUE);
        assertThat(deleted).isPositive();
        List<Event> remaining = all(journal.readAfter(0));
        assertThat(remaining.get(0).getSeq()).isLessThanOrEqualTo(7);
        assertThat(remaining.get(remaining.size() - 1).getSeq()).isEqualTo(15);

        journal.prune(15, T0 + 2_000);
        assertThat(all(journal.readAfter(0)).get(0).getSeq()).isGreaterThan(6);
        assertThat(all(journal.readFromArrival(T0 + 2_000))).extracting(Event::getId).containsExactly(
                "p2-1", "p2-2", "p2-3", "p3-1", "p3-2", "p3-3", "p4-1", "p4-2", "p4-3");

        journal.prune(15, Long.MAX_VALUE);
        assertThat(segmentFiles()).hasSize(1);
        assertThat(journal.lastSeq()).isEqualTo(15);
        assertThat(journal.append(plainEvents("q", 1)).join().get(0).getSeq()).isEqualTo(16);
        assertThat(all(journal.readAfter(0)).get(all(journal.readAfter(0)).size() - 1).getId()).isEqualTo("q1");
    }

    @Test
    void aFailedGroupFailsItsAppendsAndEveryLaterOne() {
        AtomicLong calls = new AtomicLong();
        FileEventJournal journal = open(JournalOptions.defaults(), () -> {
            if (calls.incrementAndGet() == 2) {
                throw new IllegalStateException("clock broke");
            }
            return T0;
        });
        journal.append(plainEvents("ok", 1)).join();

        assertThatThrownBy(() -> journal.append(plainEvents("bad", 1)).join())
                .hasRootCauseMessage("clock broke");
        assertThatThrownBy(() -> journal.append(plainEvents("after", 1)).join())
                .hasMessageContaining("stopped after a failed write");
        assertThat(journal.lastSeq()).isEqualTo(1);
    }

    @Test
    void appendsAfterCloseFailAndADirectoryIsOpenedByOneJournalAtATime() {
        FileEventJournal journal = open(JournalOptions.defaults());
        assertThatThrownBy(() -> FileEventJournal.open(dir, clock::get, JournalOptions.defaults()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("already open");
        journal.close();

        assertThatThrownBy(() -> journal.append(plainEvents("x", 1)).join()).hasMessageContaining("closed");
        open(JournalOptions.defaults()).close();
    }
}
