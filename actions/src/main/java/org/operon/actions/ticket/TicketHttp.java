package org.operon.actions.ticket;

import java.net.URI;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;

import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;

/**
 * One ticketing API's requests, each sent through the sink's camel-http endpoint (host only, the action
 * timeouts, no client retries; see {@code HttpTarget}) with the full URL in the {@code CamelHttpUri} header,
 * so that credentials and paths show in no endpoint registry. A non-2xx answer throws Camel's
 * {@code HttpOperationFailedException} and a connection problem an {@code IOException}: the action routes
 * retry 5xx, 429 and I/O failures and fail every other answer at once.
 */
final class TicketHttp {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** What an id taken from an answer may look like before it goes into a path. */
    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    private final ProducerTemplate producer;
    private final String endpoint;
    private final Map<String, String> headers;

    TicketHttp(ProducerTemplate producer, String endpoint, Map<String, String> headers) {
        this.producer = producer;
        this.endpoint = endpoint;
        this.headers = headers;
    }

    /**
     * Sends one request and returns the answer's JSON ({@link MissingNode} for an empty body).
     *
     * @param query the raw query string, or null
     * @param body  the JSON body (sent as {@code application/json}), or null for none
     */
    JsonNode send(String method, URI uri, String query, Object body) throws Exception {
        String json = body == null ? null : MAPPER.writeValueAsString(body);
        Exchange result = producer.send(endpoint, exchange -> {
            exchange.getIn().removeHeaders("*");
            exchange.getIn().setHeader(Exchange.HTTP_METHOD, method);
            exchange.getIn().setHeader(Exchange.HTTP_URI, uri.toString());
            if (query != null) {
                exchange.getIn().setHeader(Exchange.HTTP_QUERY, query);
            }
            exchange.getIn().setHeader("Accept", "application/json");
            headers.forEach(exchange.getIn()::setHeader);
            if (json != null) {
                exchange.getIn().setHeader(Exchange.CONTENT_TYPE, "application/json");
            }
            exchange.getIn().setBody(json);
        });
        if (result.getException() != null) {
            throw result.getException();
        }
        String answer = result.getMessage().getBody(String.class);
        return answer == null || answer.isBlank() ? MissingNode.getInstance() : MAPPER.readTree(answer);
    }

    /** {@code value} when it is a plain id fit for a URL path. */
    static String safeId(String value, String what) {
        if (value == null || !SAFE_ID.matcher(value).matches()) {
            throw new IllegalStateException("the ticketing system answered without a usable " + what);
        }
        return value;
    }
}
