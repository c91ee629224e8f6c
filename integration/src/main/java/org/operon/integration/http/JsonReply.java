package org.operon.integration.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes an HTTP answer with a JSON body into an exchange of a platform-http route.
 *
 * <p>It first removes every header of the message: platform-http copies message headers into the
 * response, so the request's headers (among them {@code Authorization} and the {@code ce-*} attributes)
 * would otherwise be echoed back to the client.
 */
public final class JsonReply {
    public static final String APPLICATION_JSON = "application/json";

    private final ObjectMapper mapper;

    public JsonReply(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public ObjectMapper mapper() {
        return mapper;
    }

    /**
     * Sets status, {@code Content-Type: application/json} and the body serialized by Jackson, as a
     * {@link ByteBuffer} over the bytes: the server then sends a {@code Content-Length} and the body in one
     * piece (a text body goes out chunked), written as it is (Camel's platform-http on Vert.x turns a
     * {@code byte[]} body into a stream and pumps it to the connection, on the event loop). A buffer is read
     * once: whatever reads the body before the server writes it (a log of {@code ${body}}, a converter) must
     * read {@code ((ByteBuffer) body).duplicate()}, or the client gets an empty answer.
     */
    public void write(Exchange exchange, int status, Object body) {
        Message message = exchange.getMessage();
        message.removeHeaders("*");
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        message.setHeader(Exchange.CONTENT_TYPE, APPLICATION_JSON);
        try {
            message.setBody(ByteBuffer.wrap(mapper.writeValueAsBytes(body)));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("could not serialize the response body", e);
        }
    }

    /** Writes {@code {"error": error, "detail": detail}} with the given status. */
    public void writeError(Exchange exchange, int status, String error, String detail) {
        write(exchange, status, errorBody(error, detail));
    }

    /** The JSON error object every API failure answers with; callers may add fields to it. */
    public static Map<String, Object> errorBody(String error, String detail) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", error);
        body.put("detail", detail);
        return body;
    }
}
