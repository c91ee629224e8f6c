package org.operon.integration.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.operon.model.CloudEventJson;
import org.operon.model.Event;
import org.operon.model.InvalidEventException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The fast path of every CloudEvents intake: a body that is one valid CloudEvent object or a non-empty
 * array of only valid ones, decoded token by token from its bytes, with no tree for the envelope and no
 * text copy of the body. What it gives equals the tree path's result (see
 * {@link CloudEventJson#fromJson(JsonParser)}); for anything else (malformed, an invalid element, an empty
 * array, not CloudEvents, trailing tokens) it gives null, and the caller's tree path decides and words the
 * problem as always. Event types reserved for Operon ({@value CloudEventJson#RESERVED_TYPE_PREFIX}) are
 * never accepted here.
 */
public final class StreamedCloudEvents {
    /** Its mapper must not check for trailing tokens, since {@code data} is read in the middle of the input. */
    private final CloudEventJson streaming = new CloudEventJson(new ObjectMapper()).rejectingReservedTypes();
    private final JsonFactory factory = streaming.mapper().getFactory();

    /** The events of a body that is one valid CloudEvent (a JSON object), else null. */
    public Event single(byte[] body) {
        List<Event> events = decode(body, JsonToken.START_OBJECT);
        return events == null ? null : events.get(0);
    }

    /** The events of a body that is a non-empty JSON array of only valid CloudEvents, else null. */
    public List<Event> batch(byte[] body) {
        return decode(body, JsonToken.START_ARRAY);
    }

    /** The events of a body that is either, else null. */
    public List<Event> singleOrBatch(byte[] body) {
        return decode(body, null);
    }

    private List<Event> decode(byte[] body, JsonToken shape) {
        if (!plainUtf8Json(body)) {
            return null;
        }
        try (JsonParser p = factory.createParser(body)) {
            JsonToken t = p.nextToken();
            if (shape != null && t != shape) {
                return null;
            }
            List<Event> events;
            if (t == JsonToken.START_OBJECT) {
                events = List.of(streaming.fromJson(p));
            } else if (t == JsonToken.START_ARRAY) {
                events = new ArrayList<>();
                while ((t = p.nextToken()) == JsonToken.START_OBJECT) {
                    events.add(streaming.fromJson(p));
                }
                if (t != JsonToken.END_ARRAY || events.isEmpty()) {
                    return null;
                }
            } else {
                return null;
            }
            return p.nextToken() == null ? events : null;
        } catch (IOException | InvalidEventException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Whether the streaming parser reads {@code body} exactly as the tree path's UTF-8 text does: it starts
     * (after whitespace) with an object or array, so it has no byte-order mark and is not UTF-16/32, which
     * the byte parser would detect; and it has no UTF-8-encoded surrogate (ED A0..BF), which the text
     * decoding replaces and the byte parser keeps. Other invalid UTF-8 makes the byte parser fail.
     */
    private static boolean plainUtf8Json(byte[] body) {
        int i = 0;
        while (i < body.length && (body[i] == ' ' || body[i] == '\n' || body[i] == '\r' || body[i] == '\t')) {
            i++;
        }
        if (i == body.length || (body[i] != '{' && body[i] != '[')) {
            return false;
        }
        for (int j = i; j < body.length - 1; j++) {
            if (body[j] == (byte) 0xED && (body[j + 1] & 0xFF) >= 0xA0) {
                return false;
            }
        }
        return true;
    }
}
