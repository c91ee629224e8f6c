package org.operon.toolkit.replay;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.operon.model.OffsetTimestamps;
import org.operon.model.CloudEventJson;
import org.operon.model.Event;
import org.operon.model.InvalidEventException;

import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Reads recorded events for a replay, each with the time at which it is replayed (its arrival time).
 *
 * <p>A file holds JSON, one document per line (blank lines are skipped). Each line is recognised by
 * its shape, so one file may mix them:
 * <ul>
 *   <li>an <b>event journal record</b> as Operon writes it, {@code {"seq":1,"arrivalTime":"...","event":{CloudEvent}}}:
 *   replayed at its {@code arrivalTime};</li>
 *   <li>a <b>CloudEvent</b> (structured mode, an object with {@code specversion}): replayed at its
 *   {@code time} attribute, which it must have; a JSON array of CloudEvents (batch mode) is a list of
 *   such events;</li>
 *   <li>an <b>Alertmanager webhook notification</b> (an object with an {@code alerts} array) or a
 *   <b>Prometheus alert list</b> (a JSON array of alerts): one {@code operon.alert} event per alert, as
 *   the alert intake makes them, at the payload's time (see {@link AlertPayloads}).</li>
 * </ul>
 * A directory is read as Operon's journal directory ({@code data/journal}): its segments
 * {@code journal-<first seq>.jsonl} in order. A torn last line of the last segment (a crash in the
 * middle of a write, which the journal itself truncates on start) is skipped.
 *
 * <p><b>Order.</b> {@link #readAll} sorts the events of all sources by their time; the sort is
 * stable, so events of equal time keep the order of the files as given and of the lines within each
 * file. A journal is already in order.
 */
public final class EventSources {
    private static final String SEGMENT_GLOB = "journal-*.jsonl";

    /**
     * Bytes per chunk (whole lines; a longer line makes a larger chunk). A reader thread copies a file's bytes
     * into chunks and counts their lines; decoding and parsing happen on the workers, so that a replay consuming
     * a stream spends its thread on the rules.
     */
    private static final int CHUNK_BYTES = 256 * 1024;
    /** Worker threads parsing chunks when nothing else runs meanwhile ({@link #read}). */
    private static final int WORKERS = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
    /**
     * Worker threads parsing chunks for a {@link #stream}: one core fewer, which the consumer (a replay's
     * rules) keeps to itself; one worker parses faster than the rules consume.
     */
    private static final int STREAM_WORKERS = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors() - 1));
    /** Chunks read and parsing at a time, ahead of the consumer. */
    private static final int AHEAD = 4 * WORKERS;
    /** One reader (object mapper and parsers) per worker thread. */
    private static final ThreadLocal<EventSources> READERS = ThreadLocal.withInitial(EventSources::new);

    private final ObjectMapper mapper = new ObjectMapper();
    private final CloudEventJson cloudEvents = new CloudEventJson(mapper);
    private final AlertPayloads alerts = new AlertPayloads(mapper);
    private String lastArrivalText;
    private long lastArrival;

    private EventSources() {
    }

    /**
     * The events of one file or journal directory, in file order, each stamped with its arrival time
     * and its position (1, 2, ...) as sequence number.
     *
     * @throws EventSourceException naming the file and line of the first problem
     */
    public static List<Event> read(Path path) throws EventSourceException {
        List<Event> out = new ArrayList<>();
        try (Chunks chunks = new Chunks(path, WORKERS)) {
            for (List<Event> chunk = chunks.next(); chunk != null; chunk = chunks.next()) {
                out.addAll(chunk);
            }
        }
        return out;
    }

    /**
     * The events of one file or journal directory as {@link #read} gives them, parsed while they are
     * consumed: lines are parsed {@value #CHUNK_BYTES} bytes at a time on background threads, a few chunks ahead of
     * the consumer, and handed over in file order. Meant for a journal, whose records are already in
     * arrival order, so that parsing overlaps the replay. A problem in the input surfaces from the
     * iterator as an {@link EventStream.Failure} (unchecked) holding the {@link EventSourceException};
     * close the stream to stop the background threads early.
     */
    public static EventStream stream(Path path) {
        return new EventStream(path);
    }

    /** Events parsed on background threads while they are consumed; see {@link #stream}. Iterate once. */
    public static final class EventStream implements Iterable<Event>, AutoCloseable {
        private final Path path;
        private Chunks chunks;

        private EventStream(Path path) {
            this.path = path;
        }

        @Override
        public Iterator<Event> iterator() {
            if (chunks != null) {
                throw new IllegalStateException("an event stream is iterated once");
            }
            try {
                chunks = new Chunks(path, STREAM_WORKERS);
            } catch (EventSourceException e) {
                throw new Failure(e);
            }
            return new Iterator<>() {
                private List<Event> chunk = List.of();
                private int i;

                @Override
                public boolean hasNext() {
                    while (i == chunk.size()) {
                        if (chunk == null) {
                            return false;
                        }
                        try {
                            chunk = chunks.next();
                        } catch (EventSourceException e) {
                            close();
                            throw new Failure(e);
                        }
                        i = 0;
                        if (chunk == null) {
                            close();
                            return false;
                        }
                    }
                    return true;
                }

                @Override
                public Event next() {
                    if (!hasNext()) {
                        throw new NoSuchElementException();
                    }
                    return chunk.get(i++);
                }
            };
        }

        @Override
        public void close() {
            if (chunks != null) {
                chunks.close();
            }
        }

        /** A problem in the input, met while iterating. */
        public static final class Failure extends RuntimeException {
            private Failure(EventSourceException cause) {
                super(cause.getMessage(), cause);
            }

            @Override
            public synchronized EventSourceException getCause() {
                return (EventSourceException) super.getCause();
            }
        }
    }

    /**
     * The events of all sources, sorted by arrival time (stable: see the class comment) and numbered
     * 1, 2, ... in that order.
     *
     * @throws EventSourceException naming the file and line of the first problem
     */
    public static List<Event> readAll(List<Path> paths) throws EventSourceException {
        List<Event> all = new ArrayList<>();
        for (Path p : paths) {
            all.addAll(read(p));
        }
        all.sort(Comparator.comparingLong(Event::getArrivalTime));
        List<Event> numbered = new ArrayList<>(all.size());
        long seq = 0;
        for (Event e : all) {
            numbered.add(e.getSeq() == seq + 1 ? e : e.stamped(seq + 1, e.getArrivalTime()));
            seq++;
        }
        return numbered;
    }

    /** The journal segments of a directory, in sequence order (their names hold the first seq, zero-padded). */
    private static List<Path> segments(Path dir) throws EventSourceException {
        List<Path> segments = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, SEGMENT_GLOB)) {
            files.forEach(segments::add);
        } catch (IOException e) {
            throw new EventSourceException(dir, 0, "cannot read the directory: " + e.getMessage());
        }
        if (segments.isEmpty()) {
            throw new EventSourceException(dir, 0, "no journal segments (" + SEGMENT_GLOB + ") in this directory; "
                    + "give the journal directory (data/journal) or a file of events");
        }
        segments.sort(Comparator.comparing(p -> p.getFileName().toString()));
        return segments;
    }

    /**
     * Whole lines of one file ({@code bytes[0, length)}, the first of them line {@code firstLine}), parsed
     * together on a worker thread.
     */
    private record Chunk(Path file, long firstLine, byte[] bytes, int length, boolean endOfTornFile) {
        /** The events of the lines in order, or the problem of the first bad line. */
        Parsed parse() {
            EventSources reader = READERS.get();
            List<Event> events = new ArrayList<>(length / 128 + 1);
            Arrivals arrivals = new Arrivals(length / 128 + 1);
            long lineNo = firstLine;
            // One parser for the lines of the chunk while each is one record or CloudEvent of the common shape;
            // from the first line that is not, a parser per line (parseLine), which also words the errors.
            JsonParser shared = reader.chunkParser(bytes, length);
            for (int start = 0; start < length; lineNo++) {
                int newline = indexOf(bytes, (byte) '\n', start, length);
                int next = newline < 0 ? length : newline + 1;
                int end = newline < 0 ? length : newline;
                if (end > start && bytes[end - 1] == '\r') {
                    end--;
                }
                if (shared != null && !isBlank(bytes, start, end)) {
                    Event e = reader.sharedParserLine(shared, bytes, start, end, arrivals);
                    if (e != null) {
                        events.add(e);
                        start = next;
                        continue;
                    }
                    closeQuietly(shared);
                    shared = null;
                }
                if (!isBlank(bytes, start, end)) {
                    try {
                        reader.parseLine(bytes, start, end - start, file, lineNo, events, arrivals);
                    } catch (InvalidEventException e) {
                        events.subList(arrivals.size(), events.size()).clear(); // a line's events count all or none
                        if (endOfTornFile && next == length) {
                            break; // a torn write at the end of the journal: never acknowledged, never processed
                        }
                        return new Parsed(events, arrivals, new EventSourceException(file, lineNo, e.getMessage()));
                    }
                }
                start = next;
            }
            closeQuietly(shared);
            return new Parsed(events, arrivals, null);
        }
    }

    /** A parser over the chunk's bytes, or null when none can be made (every line then gets its own). */
    private JsonParser chunkParser(byte[] bytes, int length) {
        try {
            return mapper.getFactory().createParser(bytes, 0, length);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static void closeQuietly(JsonParser p) {
        if (p != null) {
            try {
                p.close();
            } catch (IOException ignored) {
                // a parser over bytes holds nothing to release but buffers
            }
        }
    }

    private static int indexOf(byte[] bytes, byte b, int from, int to) {
        return ByteScan.indexOf(bytes, b, from, to);
    }

    private static boolean isBlank(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            byte b = bytes[i];
            if (b != ' ' && b != '\t' && b != '\r' && b != '\f' && b != 0x0B) {
                return false;
            }
        }
        return true;
    }

    /** The events of a chunk, not yet stamped, and their arrival times. */
    private record Parsed(List<Event> events, Arrivals arrivals, EventSourceException problem) {
    }

    /** Arrival times, one per event parsed: events are stamped once, with their position, by the consumer. */
    private static final class Arrivals {
        private long[] times;
        private int size;

        Arrivals(int capacity) {
            times = new long[Math.max(capacity, 1)];
        }

        void add(long time) {
            if (size == times.length) {
                times = java.util.Arrays.copyOf(times, size * 2);
            }
            times[size++] = time;
        }

        long get(int i) {
            return times[i];
        }

        int size() {
            return size;
        }
    }

    /**
     * Reads the files on a reader thread, about {@value #CHUNK_BYTES} bytes of whole lines per chunk, parses up
     * to {@link #AHEAD} chunks at a time on worker threads and hands their events over in file order, numbered
     * by position. Parsing on several threads changes nothing in the result: the same events, the same first
     * problem.
     */
    private static final class Chunks implements AutoCloseable {
        /** Put after the last chunk. */
        private static final Future<Parsed> END = CompletableFuture.completedFuture(null);

        private final boolean journal;
        private final List<Path> files;
        private final ExecutorService workers;
        /** Chunks parsing or parsed, in file order, then {@link #END}; filled by the reader thread. */
        private final BlockingQueue<Future<Parsed>> inFlight = new ArrayBlockingQueue<>(AHEAD);
        private final Thread reader;
        private volatile boolean closed;
        // The reader thread's.
        private int fileIndex = -1;
        private InputStream in;
        /** Bytes of the current file read past the last whole line of the previous chunk. */
        private byte[] rest = new byte[0];
        private long lineNo;
        private boolean tolerateTornTail;
        // The consumer's.
        private long position;
        /** After the end or the first problem: nothing more to hand over. */
        private boolean finished;

        Chunks(Path path, int threads) throws EventSourceException {
            this.journal = Files.isDirectory(path);
            this.files = journal ? segments(path) : List.of(path);
            this.workers = Executors.newFixedThreadPool(threads, r -> {
                Thread t = new Thread(r, "operon-replay-parse");
                t.setDaemon(true);
                return t;
            });
            this.reader = new Thread(this::readAll, "operon-replay-read");
            reader.setDaemon(true);
            reader.start();
        }

        /** The reader thread: chunks to the workers, in order, until the end, a problem or {@link #close}. */
        private void readAll() {
            try {
                while (!closed) {
                    Chunk c = readChunk();
                    if (c == null) {
                        inFlight.put(END);
                        return;
                    }
                    inFlight.put(workers.submit(c::parse));
                }
            } catch (EventSourceException e) {
                hand(CompletableFuture.completedFuture(new Parsed(List.of(), null, e)));
            } catch (InterruptedException | RejectedExecutionException e) {
                // closed
            } catch (Throwable e) { // an Error too (a line too long for the heap): the consumer must not wait forever
                hand(CompletableFuture.failedFuture(e));
            } finally {
                closeInput();
            }
        }

        /** Queues the reader's last word, waiting for room (the queue is often full); gives up when closed. */
        private void hand(Future<Parsed> last) {
            try {
                inFlight.put(last);
            } catch (InterruptedException e) {
                // closed: nobody is waiting for it
            }
        }

        /** The next chunk's events, null at the end. */
        List<Event> next() throws EventSourceException {
            if (finished) {
                return null;
            }
            Parsed parsed;
            try {
                Future<Parsed> head = inFlight.poll(1, TimeUnit.SECONDS);
                while (head == null) {
                    if (!reader.isAlive()) {
                        head = inFlight.poll(); // whatever it queued before it stopped
                        if (head == null) {
                            throw new IllegalStateException("the reader of " + files + " stopped without a word");
                        }
                        break;
                    }
                    head = inFlight.poll(1, TimeUnit.SECONDS);
                }
                if (head == END) {
                    finished = true;
                    return null;
                }
                parsed = head.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while parsing events", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("parsing events failed", e.getCause());
            }
            if (parsed.problem() != null) {
                finished = true;
                close();
                throw parsed.problem();
            }
            List<Event> events = parsed.events();
            for (int i = 0; i < events.size(); i++) {
                Event e = events.get(i);
                position++;
                long arrival = parsed.arrivals().get(i);
                events.set(i, e.getSeq() == position && e.getArrivalTime() == arrival ? e : e.stamped(position, arrival));
            }
            return events;
        }

        /**
         * The next whole lines of the current file, about {@value #CHUNK_BYTES} bytes (the last line of a
         * file may lack its newline), moving on to the next file at an end; null after the last.
         */
        private Chunk readChunk() throws EventSourceException {
            while (true) {
                if (in == null) {
                    if (++fileIndex >= files.size()) {
                        return null;
                    }
                    Path file = files.get(fileIndex);
                    tolerateTornTail = journal && fileIndex == files.size() - 1 && !endsWithNewline(file);
                    try {
                        in = Files.newInputStream(file);
                    } catch (IOException e) {
                        throw new EventSourceException(file, 0, "cannot be read: " + e.getMessage());
                    }
                    rest = new byte[0];
                    lineNo = 0;
                }
                Path file = files.get(fileIndex);
                try {
                    byte[] bytes = java.util.Arrays.copyOf(rest, Math.max(CHUNK_BYTES, rest.length * 2));
                    int filled = rest.length;
                    boolean atEnd = false;
                    int length;
                    while (true) {
                        int n = in.readNBytes(bytes, filled, bytes.length - filled);
                        filled += n;
                        if (filled < bytes.length) {
                            atEnd = true; // readNBytes stops short only at the end of the file
                            length = filled;
                            break;
                        }
                        int lastNewline = filled - 1;
                        while (lastNewline >= 0 && bytes[lastNewline] != '\n') {
                            lastNewline--;
                        }
                        if (lastNewline >= 0) {
                            length = lastNewline + 1;
                            break;
                        }
                        bytes = java.util.Arrays.copyOf(bytes, bytes.length * 2); // one line longer than a chunk
                    }
                    rest = java.util.Arrays.copyOfRange(bytes, length, filled);
                    if (atEnd) {
                        in.close();
                        in = null;
                    }
                    if (length > 0) {
                        long first = lineNo + 1;
                        lineNo += count(bytes, (byte) '\n', length) + (bytes[length - 1] == '\n' ? 0 : 1);
                        return new Chunk(file, first, bytes, length, atEnd && tolerateTornTail);
                    }
                } catch (IOException e) {
                    throw new EventSourceException(file, 0, "cannot be read: " + e.getMessage());
                }
            }
        }

        private static int count(byte[] bytes, byte b, int length) {
            return ByteScan.count(bytes, b, length);
        }

        @Override
        public void close() {
            closed = true;
            reader.interrupt(); // the reader closes its file
            workers.shutdownNow();
        }

        private void closeInput() {
            if (in != null) {
                try {
                    in.close();
                } catch (IOException ignored) {
                    // read only
                }
                in = null;
            }
        }
    }

    private static final byte[] JOURNAL_RECORD_START = "{\"seq\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SPECVERSION = "\"specversion\"".getBytes(StandardCharsets.US_ASCII);

    /**
     * The events of one line ({@code bytes[offset, offset + length)}, line {@code lineNo} of {@code file}) to
     * {@code out}, their arrival times to {@code arrivals}. The common shapes (journal records, CloudEvents)
     * are decoded from the bytes with the streaming parser; anything else, or anything that parser refuses,
     * goes the tree path, which also words the errors.
     */
    private void parseLine(byte[] bytes, int offset, int length, Path file, long lineNo, List<Event> out,
                           Arrivals arrivals) throws InvalidEventException {
        int before = out.size();
        // A UTF-8-encoded surrogate is invalid UTF-8 that the byte parser would keep and the text decoding
        // replaces: such a line goes the tree path, which reads the text.
        boolean fast = !hasEncodedSurrogate(bytes, offset, length);
        if (fast && startsWith(bytes, offset, length, JOURNAL_RECORD_START)) {
            Event event = streamedLine(bytes, offset, length, arrivals, true);
            if (event != null) {
                out.add(event);
                return;
            }
        } else if (fast && bytes[offset] == '{' && contains(bytes, offset, length, SPECVERSION)) {
            Event event = streamedLine(bytes, offset, length, arrivals, false);
            if (event != null) {
                out.add(event);
                return;
            }
        }
        String line = new String(bytes, offset, length, StandardCharsets.UTF_8);
        String idPrefix = file.getFileName() + ":" + lineNo;
        JsonNode node;
        try {
            node = mapper.readTree(line);
        } catch (JsonProcessingException e) {
            String reason = e.getOriginalMessage();
            int noise = reason.indexOf(" (start marker at");
            throw new InvalidEventException("malformed_json", "not valid JSON"
                    + (e.getLocation() == null ? "" : " at column " + e.getLocation().getColumnNr()) + ": "
                    + (noise > 0 ? reason.substring(0, noise) : reason));
        }
        if (node.isObject() && node.has("arrivalTime") && node.has("event")) {
            out.add(journalRecord(node, arrivals));
            return;
        } else if (node.isObject() && node.has("specversion")) {
            out.add(timedCloudEvent(node));
        } else if (AlertPayloads.isWebhook(node)) {
            out.addAll(atPayloadTime(alerts.fromWebhook(node, idPrefix)));
        } else if (node.isArray() && node.size() > 0 && node.get(0).has("specversion")) {
            for (JsonNode element : node) {
                out.add(timedCloudEvent(element));
            }
        } else if (node.isArray()) {
            out.addAll(atPayloadTime(alerts.fromList(node, idPrefix)));
        } else {
            throw new InvalidEventException("unknown_line", "not a journal record ({\"seq\", \"arrivalTime\", "
                    + "\"event\"}), a CloudEvent (with \"specversion\"), an Alertmanager webhook payload (with "
                    + "\"alerts\") or a JSON array of alerts");
        }
        for (int i = before; i < out.size(); i++) {
            arrivals.add(out.get(i).getArrivalTime());
        }
    }

    /**
     * One line decoded with the streaming parser: with {@code journal}, a journal record as
     * {@link org.operon.state.FileEventJournal} writes it ({@code {"seq":n,"arrivalTime":"...","event":{...}}});
     * without, one CloudEvent object with a {@code time}, stamped with that time (such a line has no
     * {@code arrivalTime}, not a valid attribute name, so the tree path too would read it as a CloudEvent).
     * Null if the line is anything else or any problem, so that the tree path decides (and words the error).
     */
    private Event streamedLine(byte[] bytes, int offset, int length, Arrivals arrivals, boolean journal) {
        try (JsonParser p = mapper.getFactory().createParser(bytes, offset, length)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            Event e = journal ? decodeJournalRecord(p) : decodeCloudEvent(p);
            if (e == null || p.nextToken() != null) {
                return null;
            }
            arrivals.add(decodedArrival);
            return e;
        } catch (IOException | InvalidEventException | RuntimeException e) {
            return null;
        }
    }

    /**
     * The line {@code bytes[start, end)} read with {@code p}, one parser over the whole chunk that is just
     * before this line's first token: the same as {@link #streamedLine} of the line alone, without a parser
     * per line. Null when the line is not
     * exactly one such object (the parser then is somewhere else, so the caller stops using it).
     */
    private Event sharedParserLine(JsonParser p, byte[] bytes, int start, int end, Arrivals arrivals) {
        int length = end - start;
        if (length == 0 || hasEncodedSurrogate(bytes, start, length)) {
            return null;
        }
        boolean journal = startsWith(bytes, start, length, JOURNAL_RECORD_START);
        if (!journal && !(bytes[start] == '{' && contains(bytes, start, length, SPECVERSION))) {
            return null;
        }
        try {
            if (p.nextToken() != JsonToken.START_OBJECT || p.currentTokenLocation().getByteOffset() != start) {
                return null;
            }
            Event e = journal ? decodeJournalRecord(p) : decodeCloudEvent(p);
            // Exactly this line: the object ends where the line does.
            if (e == null || p.currentLocation().getByteOffset() != end) {
                return null;
            }
            arrivals.add(decodedArrival);
            return e;
        } catch (IOException | InvalidEventException | RuntimeException e) {
            return null;
        }
    }

    /** The arrival time of the event the last decode returned. */
    private long decodedArrival;

    /**
     * A journal record from {@code p} at its {@code START_OBJECT} to its {@code END_OBJECT}: the event,
     * unstamped, with its arrival time in {@link #decodedArrival}; null when it is not such a record.
     */
    private Event decodeJournalRecord(JsonParser p) throws IOException, InvalidEventException {
        if (p.nextToken() != JsonToken.FIELD_NAME || !"seq".equals(p.currentName())
                || p.nextToken() != JsonToken.VALUE_NUMBER_INT
                || p.nextToken() != JsonToken.FIELD_NAME || !"arrivalTime".equals(p.currentName())
                || p.nextToken() != JsonToken.VALUE_STRING) {
            return null;
        }
        String text = p.getText();
        long at = text.equals(lastArrivalText) ? lastArrival : OffsetTimestamps.parseInstant(text).toEpochMilli();
        if (p.nextToken() != JsonToken.FIELD_NAME || !"event".equals(p.currentName())
                || p.nextToken() != JsonToken.START_OBJECT) {
            return null;
        }
        Event e = cloudEvents.fromJson(p);
        if (p.nextToken() != JsonToken.END_OBJECT) {
            return null;
        }
        lastArrivalText = text;
        lastArrival = at;
        decodedArrival = at;
        return e;
    }

    /**
     * A CloudEvent with a {@code time} from {@code p} at its {@code START_OBJECT} to its {@code END_OBJECT},
     * stamped with that time (also in {@link #decodedArrival}); null when it has no time.
     */
    private Event decodeCloudEvent(JsonParser p) throws IOException, InvalidEventException {
        Event e = cloudEvents.fromJson(p);
        if (e.getTime() == null) {
            return null;
        }
        decodedArrival = e.getTime().toEpochMilli();
        return e.stamped(0, decodedArrival);
    }

    /** The record's event, unstamped; its arrival time goes to {@code arrivals}. */
    private Event journalRecord(JsonNode record, Arrivals arrivals) throws InvalidEventException {
        JsonNode arrival = record.get("arrivalTime");
        if (!arrival.isTextual()) {
            throw new InvalidEventException("wrong_type", "arrivalTime must be an ISO-8601 instant as text");
        }
        String text = arrival.asText();
        if (text.equals(lastArrivalText)) { // a journal records many events per arrival time
            Event e = cloudEvent(record.get("event"), "the record's event");
            arrivals.add(lastArrival);
            return e;
        }
        long at;
        try {
            at = OffsetTimestamps.parseInstant(text).toEpochMilli();
        } catch (DateTimeParseException e) {
            throw new InvalidEventException("invalid_value", "arrivalTime '" + arrival.asText()
                    + "' is not an ISO-8601 instant such as 2026-01-05T10:00:00Z");
        }
        Event e = cloudEvent(record.get("event"), "the record's event");
        lastArrivalText = text;
        lastArrival = at;
        arrivals.add(at);
        return e;
    }

    private Event timedCloudEvent(JsonNode node) throws InvalidEventException {
        Event e = cloudEvent(node, "the CloudEvent");
        if (e.getTime() == null) {
            throw new InvalidEventException("missing_attribute", "CloudEvent " + e.getId() + " has no 'time': "
                    + "a replay needs it as the event's arrival time (or record the event as a journal record)");
        }
        return e.stamped(0, e.getTime().toEpochMilli());
    }

    private Event cloudEvent(JsonNode node, String what) throws InvalidEventException {
        try {
            return cloudEvents.fromJson(node);
        } catch (InvalidEventException e) {
            throw new InvalidEventException(e.error(), what + " is invalid: " + e.detail());
        }
    }

    /** Alert events carry their payload's time as arrival time. */
    private static List<Event> atPayloadTime(List<Event> events) {
        List<Event> out = new ArrayList<>(events.size());
        for (Event e : events) {
            out.add(e.stamped(0, e.getTime().toEpochMilli()));
        }
        return out;
    }

    /** Whether the bytes hold a UTF-8-encoded surrogate (ED A0..BF), which is not valid UTF-8. */
    private static boolean hasEncodedSurrogate(byte[] bytes, int offset, int length) {
        if (ByteScan.indexOf(bytes, (byte) 0xED, offset, offset + length) < 0) {
            return false;
        }
        for (int i = offset, last = offset + length - 1; i < last; i++) {
            if (bytes[i] == (byte) 0xED && (bytes[i + 1] & 0xFF) >= 0xA0) {
                return true;
            }
        }
        return false;
    }

    private static boolean startsWith(byte[] bytes, int offset, int length, byte[] prefix) {
        if (length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (bytes[offset + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean contains(byte[] bytes, int offset, int length, byte[] part) {
        for (int i = offset, last = offset + length - part.length; i <= last; i++) {
            if (startsWith(bytes, i, part.length, part)) {
                return true;
            }
        }
        return false;
    }

    private static boolean endsWithNewline(Path file) {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            if (f.length() == 0) {
                return true;
            }
            f.seek(f.length() - 1);
            return f.read() == '\n';
        } catch (IOException e) {
            return true;
        }
    }
}
