package org.operon.state;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import org.operon.model.OffsetTimestamps;
import org.operon.model.CloudEventJson;
import org.operon.model.Event;
import org.operon.model.InvalidEventException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.time.format.DateTimeParseException;

/**
 * The journal's line format: one JSON object per line,
 * {@code {"seq":1,"arrivalTime":"2026-11-27T20:00:00.123Z","event":{...CloudEvent JSON...}}}, with the
 * arrival time as an ISO-8601 instant and the event as {@link CloudEventJson#toJson} writes it.
 *
 * <p>The event's JSON is produced by Jackson on the appending thread; the writer thread only frames it
 * with the sequence number and arrival time, which need no escaping. Reading uses Jackson too: a
 * streaming parse for the two header fields, a full parse only for records that are returned.
 */
final class JournalRecords {
    private static final byte[] SEQ = "{\"seq\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ARRIVAL = ",\"arrivalTime\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EVENT = "\",\"event\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "}\n".getBytes(StandardCharsets.US_ASCII);

    private final CloudEventJson cloudEvents = new CloudEventJson();
    private final JsonFactory factory = cloudEvents.mapper().getFactory();

    /** The event's CloudEvent JSON on one line (Jackson escapes every control character in strings). */
    byte[] encodeEvent(Event event) {
        return cloudEvents.toJsonBytes(event);
    }

    /** {@link #encodeEvent} of each event, with one generator for all of them. */
    byte[][] encodeEvents(List<Event> events) {
        return cloudEvents.toJsonBytes(events);
    }

    /** The arrival time as the record writes it: an ISO-8601 instant, e.g. 2026-11-27T20:00:00.123Z. */
    static byte[] arrivalText(long arrivalTime) {
        return Instant.ofEpochMilli(arrivalTime).toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** Appends one whole record line, newline included; {@code arrivalText} from {@link #arrivalText}. */
    static void writeRecord(ByteArrayOutputStream out, long seq, byte[] arrivalText, byte[] eventJson) {
        out.writeBytes(SEQ);
        writeDecimal(out, seq);
        out.writeBytes(ARRIVAL);
        out.writeBytes(arrivalText);
        out.writeBytes(EVENT);
        out.writeBytes(eventJson);
        out.writeBytes(END);
    }

    /** Writes a non-negative number's decimal digits, as {@code Long.toString} spells them, without a string. */
    static void writeDecimal(ByteArrayOutputStream out, long value) {
        if (value < 0) {
            throw new IllegalArgumentException("a sequence number is never negative: " + value);
        }
        byte[] digits = new byte[20];
        int at = digits.length;
        do {
            digits[--at] = (byte) ('0' + value % 10);
            value /= 10;
        } while (value != 0);
        out.write(digits, at, digits.length - at);
    }

    /** A record's place in the journal. */
    record Header(long seq, long arrivalTime) {
    }

    /**
     * Reads the sequence number and arrival time of a record line. With {@code wholeLine}, also checks
     * that the line is exactly one complete JSON object holding an {@code event} object.
     *
     * @throws IOException if the line is not such a record (torn, garbled, or missing a field)
     */
    Header header(byte[] line, int length, boolean wholeLine) throws IOException {
        try (JsonParser parser = factory.createParser(line, 0, length)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("a journal record must be a JSON object");
            }
            long seq = -1;
            String arrival = null;
            boolean event = false;
            JsonToken token;
            while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (name) {
                    case "seq" -> {
                        if (value != JsonToken.VALUE_NUMBER_INT) {
                            throw new IOException("seq must be an integer");
                        }
                        seq = parser.getLongValue();
                    }
                    case "arrivalTime" -> {
                        if (value != JsonToken.VALUE_STRING) {
                            throw new IOException("arrivalTime must be a string");
                        }
                        arrival = parser.getText();
                    }
                    case "event" -> {
                        if (value != JsonToken.START_OBJECT) {
                            throw new IOException("event must be an object");
                        }
                        event = true;
                        parser.skipChildren();
                    }
                    default -> parser.skipChildren();
                }
                if (!wholeLine && seq >= 0 && arrival != null) {
                    return new Header(seq, parseInstant(arrival));
                }
            }
            if (token != JsonToken.END_OBJECT || parser.nextToken() != null) {
                throw new IOException("a journal record must be one JSON object on its line");
            }
            if (seq < 1 || arrival == null || !event) {
                throw new IOException("a journal record needs seq (1 or more), arrivalTime and event");
            }
            return new Header(seq, parseInstant(arrival));
        }
    }

    /**
     * The stamped event of a record line.
     *
     * @throws IOException if the line is not a valid record
     */
    Event event(byte[] line, int length) throws IOException {
        Event fast = streamedEvent(line, length);
        if (fast != null) {
            return fast;
        }
        JsonNode root = cloudEvents.mapper().readTree(line, 0, length);
        JsonNode seq = root.get("seq");
        JsonNode arrival = root.get("arrivalTime");
        if (seq == null || !seq.canConvertToLong() || arrival == null || !arrival.isTextual()) {
            throw new IOException("a journal record needs seq and arrivalTime");
        }
        try {
            return cloudEvents.fromJson(root.get("event")).stamped(seq.asLong(), parseInstant(arrival.asText()));
        } catch (InvalidEventException e) {
            throw new IOException("the record's event is not a valid CloudEvent: " + e.getMessage(), e);
        }
    }

    /**
     * The record decoded with the streaming parser when it has exactly the written layout; null
     * otherwise or on any problem, so that {@link #event}'s tree path decides and words the error.
     */
    private Event streamedEvent(byte[] line, int length) {
        try (JsonParser p = factory.createParser(line, 0, length)) {
            if (p.nextToken() != JsonToken.START_OBJECT
                    || p.nextToken() != JsonToken.FIELD_NAME || !"seq".equals(p.currentName())
                    || p.nextToken() != JsonToken.VALUE_NUMBER_INT) {
                return null;
            }
            long seq = p.getLongValue();
            if (p.nextToken() != JsonToken.FIELD_NAME || !"arrivalTime".equals(p.currentName())
                    || p.nextToken() != JsonToken.VALUE_STRING) {
                return null;
            }
            long arrival = OffsetTimestamps.parseInstant(p.getText()).toEpochMilli();
            if (p.nextToken() != JsonToken.FIELD_NAME || !"event".equals(p.currentName())
                    || p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            Event e = cloudEvents.fromJson(p);
            if (p.nextToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
                return null;
            }
            return e.stamped(seq, arrival);
        } catch (IOException | InvalidEventException | RuntimeException e) {
            return null;
        }
    }

    private static long parseInstant(String text) throws IOException {
        try {
            return OffsetTimestamps.parseInstant(text).toEpochMilli();
        } catch (DateTimeParseException e) {
            throw new IOException("arrivalTime '" + text + "' is not an ISO-8601 instant");
        }
    }
}
