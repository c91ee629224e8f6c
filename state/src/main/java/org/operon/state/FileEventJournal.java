package org.operon.state;

import org.operon.model.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The {@link EventJournal} as JSON-lines segment files in one directory:
 * {@code journal-<first seq, 20 digits>.jsonl}, one record per line (format in {@link JournalRecords}).
 *
 * <p><b>Group commit.</b> {@link #append} encodes the events on the caller's thread and queues them.
 * One writer thread takes every queued append (up to {@link JournalOptions#maxGroupBytes()}), gives
 * the events consecutive sequence numbers and one arrival time, {@code max(clock, previous arrival)} so
 * that arrival never decreases, writes them with one write and forces them with one
 * {@code FileChannel.force} (unless {@link JournalOptions#forceEachGroup()} is off: then the group is
 * only written to the operating system), then hands the whole group to the {@link #onDurable} consumer in sequence
 * order, then completes the appends' futures. Those futures complete on the writer thread: dependent
 * stages that are not {@code *Async} run there and must be short. If the consumer throws, the failure
 * is logged and the futures still complete normally, because the events are durable; the consumer
 * owns its errors (the engine's resumes from its checkpoint after a restart).
 *
 * <p><b>Segments.</b> When the active segment holds {@link JournalOptions#segmentBytes()} or more, the
 * next record starts a new one (the group's earlier part is forced first, and the directory is forced
 * after the file is created). {@link #prune} deletes old, processed segments, never the active one.
 *
 * <p><b>Failures.</b> If a write or force fails, that group's futures complete exceptionally, the
 * failure is logged, and the journal refuses every later append: it never continues past a write it
 * could not complete. Part of a failed group may be on disk; reopening keeps its complete records.
 *
 * <p><b>Recovery.</b> {@link #open} truncates a torn or invalid tail of the last segment (what a crash
 * during a write leaves; no such record was ever acknowledged) with a warning, and continues after the
 * last complete record's sequence number and arrival time. Only the last segment is scanned at open.
 *
 * <p>One process at a time may open a directory: {@code journal.lock} in it holds an operating-system
 * lock while the journal is open.
 */
public final class FileEventJournal implements EventJournal {
    private static final Logger LOG = LoggerFactory.getLogger(FileEventJournal.class);
    private static final Object CLOSE = new Object();

    private final Path dir;
    private final LongSupplier clockMillis;
    private final JournalOptions options;
    private final DirectoryLock lock;
    private final JournalRecords records = new JournalRecords();
    private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final Object admission = new Object();
    private final Map<Path, Long> firstArrivals = new ConcurrentHashMap<>();
    private final Thread writer;

    private boolean closed; // guarded by admission
    private volatile Throwable failure;
    private volatile Consumer<List<Event>> consumer = events -> { };
    private volatile long lastSeq;
    private volatile long activeFirstSeq;

    // Owned by the writer thread after open.
    private long lastArrival;
    private FileChannel active;
    private long activeSize;
    private final GroupBuffer buffer = new GroupBuffer();

    private FileEventJournal(Path dir, LongSupplier clockMillis, JournalOptions options, DirectoryLock lock) {
        this.dir = dir;
        this.clockMillis = clockMillis;
        this.options = options;
        this.lock = lock;
        this.writer = new Thread(this::writeLoop, "operon-journal-writer");
        this.writer.setDaemon(true);
    }

    /**
     * Opens the journal in {@code dir}, creating the directory if missing, recovers the last segment
     * and starts the writer thread.
     *
     * @param clockMillis Operon's clock (epoch milliseconds), read once per group for arrival times
     * @throws IllegalStateException if another process has the journal open
     * @throws UncheckedIOException if the directory cannot be created or the last segment read
     */
    public static FileEventJournal open(Path dir, LongSupplier clockMillis, JournalOptions options) {
        Objects.requireNonNull(clockMillis, "clockMillis");
        Objects.requireNonNull(options, "options");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the journal directory " + dir, e);
        }
        DirectoryLock lock = DirectoryLock.acquire(dir.resolve("journal.lock"), "event journal");
        FileEventJournal journal = new FileEventJournal(dir, clockMillis, options, lock);
        try {
            journal.recover();
        } catch (IOException e) {
            lock.close();
            throw new UncheckedIOException("cannot recover the event journal in " + dir, e);
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
        journal.writer.start();
        LOG.info("Event journal open at {} (last seq {})", dir, journal.lastSeq);
        return journal;
    }

    /** Reads the last segment, truncates a torn tail, learns lastSeq and the last arrival time. */
    private void recover() throws IOException {
        List<JournalSegment> segments = JournalSegment.list(dir);
        if (segments.isEmpty()) {
            return;
        }
        JournalSegment last = segments.get(segments.size() - 1);
        long expected = last.firstSeq();
        long validEnd = 0;
        long records = 0;
        long arrival = 0;
        String problem = null;
        try (LineScanner lines = new LineScanner(new BufferedInputStream(Files.newInputStream(last.path()), 1 << 16))) {
            while (lines.next()) {
                if (!lines.terminated()) {
                    problem = "an unterminated last line";
                    break;
                }
                JournalRecords.Header header;
                try {
                    header = this.records.header(lines.bytes(), lines.length(), true);
                } catch (IOException e) {
                    problem = "an invalid line (" + e.getMessage() + ")";
                    break;
                }
                if (header.seq() != expected) {
                    problem = "seq " + header.seq() + " where " + expected + " was due";
                    break;
                }
                expected++;
                records++;
                arrival = header.arrivalTime();
                validEnd = lines.lineEnd();
            }
        }
        FileChannel channel = FileChannel.open(last.path(), StandardOpenOption.WRITE);
        try {
            long size = channel.size();
            if (size > validEnd) {
                LOG.warn("Journal segment {} ends in {}: truncating {} bytes after seq {}. An unclean shutdown "
                                + "interrupted a write; its records were never acknowledged.",
                        last.path(), problem, size - validEnd, expected - 1);
                channel.truncate(validEnd);
                channel.force(true);
            }
            channel.position(validEnd);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        lastSeq = last.firstSeq() + records - 1;
        if (records == 0 && segments.size() > 1) {
            byte[] line = segments.get(segments.size() - 2).lastLine();
            arrival = line == null ? 0 : this.records.header(line, line.length, false).arrivalTime();
        }
        lastArrival = arrival;
        active = channel;
        activeSize = validEnd;
        activeFirstSeq = last.firstSeq();
    }

    @Override
    public void onDurable(Consumer<List<Event>> consumer) {
        this.consumer = Objects.requireNonNull(consumer, "consumer");
    }

    @Override
    public CompletableFuture<List<Event>> append(List<Event> events) {
        if (events.isEmpty()) {
            return CompletableFuture.completedFuture(List.of());
        }
        PendingAppend pending;
        try {
            pending = new PendingAppend(List.copyOf(events), encode(events));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        synchronized (admission) {
            if (closed) {
                return CompletableFuture.failedFuture(new IllegalStateException("the event journal is closed"));
            }
            Throwable failed = failure;
            if (failed != null) {
                return CompletableFuture.failedFuture(new IllegalStateException(
                        "the event journal stopped after a failed write: " + failed, failed));
            }
            queue.add(pending);
        }
        return pending.future;
    }

    private byte[][] encode(List<Event> events) {
        return records.encodeEvents(events);
    }

    /** The options this journal was opened with. */
    public JournalOptions options() {
        return options;
    }

    @Override
    public long lastSeq() {
        return lastSeq;
    }

    @Override
    public Stream<Event> readAfter(long seq) {
        long upTo = lastSeq;
        if (seq >= upTo) {
            return Stream.empty();
        }
        List<JournalSegment> segments = JournalSegment.list(dir);
        int start = 0;
        for (int i = 0; i < segments.size(); i++) {
            if (segments.get(i).firstSeq() <= seq + 1) {
                start = i;
            }
        }
        return stream(new JournalReader(records, segments, start, seq, Long.MIN_VALUE, upTo));
    }

    /**
     * {@inheritDoc}
     *
     * <p>Starts at the last segment whose first record arrived before {@code arrivalTime} (arrival
     * never decreases with seq, so nothing earlier qualifies), reading only each segment's first line
     * to choose it.
     */
    @Override
    public Stream<Event> readFromArrival(long arrivalTime) {
        long upTo = lastSeq;
        if (upTo == 0) {
            return Stream.empty();
        }
        List<JournalSegment> segments = JournalSegment.list(dir);
        int start = 0;
        for (int i = 0; i < segments.size(); i++) {
            Long first = firstArrival(segments.get(i));
            if (first != null && first < arrivalTime) {
                start = i;
            }
        }
        return stream(new JournalReader(records, segments, start, 0, arrivalTime, upTo));
    }

    private static Stream<Event> stream(JournalReader reader) {
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(reader,
                Spliterator.ORDERED | Spliterator.NONNULL), false).onClose(reader::close);
    }

    /** The arrival time of a segment's first record, or null while it has none. Cached once known. */
    private Long firstArrival(JournalSegment segment) {
        Long cached = firstArrivals.get(segment.path());
        if (cached != null) {
            return cached;
        }
        try (LineScanner lines = new LineScanner(Files.newInputStream(segment.path()))) {
            if (!lines.next() || !lines.terminated()) {
                return null;
            }
            long arrival = records.header(lines.bytes(), lines.length(), false).arrivalTime();
            firstArrivals.put(segment.path(), arrival);
            return arrival;
        } catch (NoSuchFileException e) {
            return null; // pruned meanwhile
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the first record of journal segment " + segment.path(), e);
        }
    }

    /**
     * Deletes the oldest segments whose every record is processed ({@code seq <= processedSeq}) and
     * arrived before {@code olderThanMillis}, stopping at the first segment that does not qualify, so
     * the journal stays contiguous. The active segment is never deleted. Safe to call while appending.
     *
     * @return how many segments were deleted
     * @throws UncheckedIOException if a segment cannot be read or deleted
     */
    public int prune(long processedSeq, long olderThanMillis) {
        List<JournalSegment> segments = JournalSegment.list(dir);
        long activeFirst = activeFirstSeq;
        int deleted = 0;
        for (int i = 0; i + 1 < segments.size(); i++) {
            JournalSegment segment = segments.get(i);
            if (segment.firstSeq() >= activeFirst && activeFirst > 0) {
                break;
            }
            long segmentLastSeq = segments.get(i + 1).firstSeq() - 1;
            if (segmentLastSeq > processedSeq) {
                break;
            }
            try {
                byte[] line = segment.lastLine();
                if (line != null && records.header(line, line.length, false).arrivalTime() >= olderThanMillis) {
                    break;
                }
                Files.delete(segment.path());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot prune journal segment " + segment.path(), e);
            }
            firstArrivals.remove(segment.path());
            deleted++;
            LOG.info("Pruned journal segment {} (seqs {} to {})", segment.path().getFileName(), segment.firstSeq(),
                    segmentLastSeq);
        }
        return deleted;
    }

    /**
     * Stops taking appends, writes and forces every append already taken, completes their futures,
     * then closes the files. Appends after close fail. Waits for the writer thread to finish.
     */
    @Override
    public void close() {
        synchronized (admission) {
            if (closed) {
                return;
            }
            closed = true;
            queue.add(CLOSE);
        }
        boolean interrupted = false;
        while (writer.isAlive()) {
            try {
                writer.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        lock.close();
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        LOG.info("Event journal closed at seq {}", lastSeq);
    }

    private void writeLoop() {
        List<PendingAppend> group = new ArrayList<>();
        boolean stop = false;
        try {
            while (!stop) {
                Object item = takeUninterruptibly();
                long bytes = 0;
                group.clear();
                while (item != null) {
                    if (item == CLOSE) {
                        stop = true;
                    } else {
                        PendingAppend pending = (PendingAppend) item;
                        group.add(pending);
                        bytes += pending.bytes;
                        if (bytes >= options.maxGroupBytes()) {
                            break;
                        }
                    }
                    item = queue.poll();
                }
                if (!group.isEmpty()) {
                    writeGroup(group);
                }
            }
        } finally {
            closeActive();
        }
    }

    private Object takeUninterruptibly() {
        while (true) {
            try {
                return queue.take();
            } catch (InterruptedException e) {
                // Only close() stops the writer, by queueing CLOSE; an interrupt must not drop appends.
            }
        }
    }

    private void writeGroup(List<PendingAppend> group) {
        Throwable failed = failure;
        if (failed != null) {
            failAll(group, new IllegalStateException("the event journal stopped after a failed write: " + failed,
                    failed));
            return;
        }
        long arrival = lastArrival;
        long seq = lastSeq;
        List<Event> stamped = new ArrayList<>();
        try {
            arrival = Math.max(clockMillis.getAsLong(), lastArrival);
            byte[] arrivalText = JournalRecords.arrivalText(arrival);
            for (PendingAppend pending : group) {
                for (int i = 0; i < pending.events.size(); i++) {
                    seq++;
                    if (active == null || activeSize + buffer.size() >= options.segmentBytes()) {
                        flush();
                        roll(seq);
                    }
                    JournalRecords.writeRecord(buffer, seq, arrivalText, pending.encoded[i]);
                    stamped.add(pending.events.get(i).stamped(seq, arrival));
                }
            }
            flush();
        } catch (IOException | RuntimeException | Error e) {
            // Anything that stops a group stops the journal: a later group must not take seqs after a
            // gap of unknown content, and no future may be left waiting on a dead writer.
            buffer.reset();
            failure = e;
            LOG.error("Event journal write failed in {}; the journal takes no more appends until it is reopened",
                    dir, e);
            failAll(group, new UncheckedIOException("the event journal could not write the events",
                    e instanceof IOException io ? io : new IOException(e)));
            return;
        } finally {
            buffer.shrink();
        }
        lastArrival = arrival;
        lastSeq = seq;
        List<Event> durable = Collections.unmodifiableList(stamped);
        try {
            consumer.accept(durable);
        } catch (RuntimeException e) {
            LOG.error("The durable-events consumer failed on seqs {} to {}; the events are in the journal",
                    seq - stamped.size() + 1, seq, e);
        }
        int from = 0;
        for (PendingAppend pending : group) {
            int to = from + pending.events.size();
            pending.future.complete(durable.subList(from, to));
            from = to;
        }
    }

    /** Writes and forces what the buffer holds to the active segment. */
    private void flush() throws IOException {
        if (buffer.size() == 0) {
            return;
        }
        ByteBuffer bytes = buffer.asByteBuffer();
        while (bytes.hasRemaining()) {
            active.write(bytes);
        }
        if (options.forceEachGroup()) {
            active.force(false);
        }
        activeSize += buffer.size();
        buffer.reset();
    }

    /** Closes the active segment (already forced) and starts the segment whose first record is {@code seq}. */
    private void roll(long seq) throws IOException {
        closeActive();
        Path path = JournalSegment.pathOf(dir, seq);
        active = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        activeSize = 0;
        activeFirstSeq = seq;
        forceDirectory();
    }

    /** Makes the new segment's directory entry durable, so a crash cannot lose a file of forced records. */
    private void forceDirectory() throws IOException {
        try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
            directory.force(true);
        }
    }

    private void closeActive() {
        if (active != null) {
            try {
                if (!options.forceEachGroup()) {
                    active.force(false); // its groups were only written to the OS
                }
                active.close();
            } catch (IOException e) {
                LOG.warn("Closing journal segment failed", e);
            }
            active = null;
        }
    }

    private static void failAll(List<PendingAppend> group, RuntimeException error) {
        for (PendingAppend pending : group) {
            pending.future.completeExceptionally(error);
        }
    }

    /** One caller's append: its events, their encoded JSON, and the future to complete. */
    private static final class PendingAppend {
        final List<Event> events;
        final byte[][] encoded;
        final long bytes;
        final CompletableFuture<List<Event>> future = new CompletableFuture<>();

        PendingAppend(List<Event> events, byte[][] encoded) {
            this.events = events;
            this.encoded = encoded;
            long total = 0;
            for (byte[] e : encoded) {
                total += e.length + 64;
            }
            this.bytes = total;
        }
    }

    /** The writer's reusable buffer for one group. */
    private static final class GroupBuffer extends ByteArrayOutputStream {
        /** Large groups (many requests of 100 events) are common under load: regrowing for each cost copies. */
        private static final int KEEP = 8 << 20;

        GroupBuffer() {
            super(64 * 1024);
        }

        ByteBuffer asByteBuffer() {
            return ByteBuffer.wrap(buf, 0, count);
        }

        /** Drops a buffer that grew past 8 MiB for one large group, so it does not stay allocated. */
        void shrink() {
            if (buf.length > KEEP && count == 0) {
                buf = new byte[64 * 1024];
            }
        }
    }
}
