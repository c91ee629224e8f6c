package org.operon.toolkit.replay;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.operon.model.CloudEventJson;
import org.operon.model.Event;
import org.operon.model.InvalidEventException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

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

    private final ObjectMapper mapper = new ObjectMapper();
    private final CloudEventJson cloudEvents = new CloudEventJson(mapper);
    private final AlertPayloads alerts = new AlertPayloads(mapper);

    private EventSources() {
    }

    /**
     * The events of one file or journal directory, in file order, each stamped with its arrival time
     * and its position (1, 2, ...) as sequence number.
     *
     * @throws EventSourceException naming the file and line of the first problem
     */
    public static List<Event> read(Path path) throws EventSourceException {
        EventSources reader = new EventSources();
        List<Event> out = new ArrayList<>();
        if (Files.isDirectory(path)) {
            List<Path> segments = segments(path);
            for (int i = 0; i < segments.size(); i++) {
                reader.readFile(segments.get(i), i == segments.size() - 1, out);
            }
        } else {
            reader.readFile(path, false, out);
        }
        return out;
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

    private void readFile(Path file, boolean tolerateTornTail, List<Event> out) throws EventSourceException {
        boolean endsWithNewline = !tolerateTornTail || endsWithNewline(file);
        String name = file.getFileName().toString();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            long lineNo = 0;
            String line = in.readLine();
            while (line != null) {
                lineNo++;
                String next = in.readLine();
                if (!line.isBlank()) {
                    try {
                        parseLine(line, name + ":" + lineNo, out);
                    } catch (InvalidEventException e) {
                        if (next == null && !endsWithNewline) {
                            break; // a torn write at the end of the journal: never acknowledged, never processed
                        }
                        throw new EventSourceException(file, lineNo, e.getMessage());
                    }
                }
                line = next;
            }
        } catch (IOException e) {
            throw new EventSourceException(file, 0, "cannot be read: " + e.getMessage());
        }
    }

    private void parseLine(String line, String idPrefix, List<Event> out) throws InvalidEventException {
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
            out.add(journalRecord(node));
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
        // Positions as provisional sequence numbers; readAll renumbers after merging.
        for (int i = out.size() - 1; i >= 0 && out.get(i).getSeq() == 0; i--) {
            out.set(i, out.get(i).stamped(i + 1, out.get(i).getArrivalTime()));
        }
    }

    private Event journalRecord(JsonNode record) throws InvalidEventException {
        JsonNode arrival = record.get("arrivalTime");
        if (!arrival.isTextual()) {
            throw new InvalidEventException("wrong_type", "arrivalTime must be an ISO-8601 instant as text");
        }
        long at;
        try {
            at = Instant.parse(arrival.asText()).toEpochMilli();
        } catch (DateTimeParseException e) {
            throw new InvalidEventException("invalid_value", "arrivalTime '" + arrival.asText()
                    + "' is not an ISO-8601 instant such as 2026-01-05T10:00:00Z");
        }
        return cloudEvent(record.get("event"), "the record's event").stamped(0, at);
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
