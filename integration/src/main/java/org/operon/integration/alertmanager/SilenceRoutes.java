package org.operon.integration.alertmanager;

import org.operon.model.InvalidMatcherException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;
import org.operon.integration.http.ApiException;
import org.operon.integration.http.ApiTokenCheck;
import org.operon.integration.http.JsonReply;
import org.operon.state.silence.InvalidSilenceException;
import org.operon.model.Matcher;
import org.operon.state.silence.Silence;
import org.operon.state.silence.SilenceNotFoundException;
import org.operon.state.silence.SilenceStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The silence part of Prometheus Alertmanager's API v2, over platform-http, so that {@code amtool silence
 * add|query|expire|update|import} and Grafana manage Operon's silences unchanged. Paths, JSON shapes and
 * status codes follow Alertmanager's {@code api/v2/openapi.yaml} and its handlers:
 * <ul>
 *   <li>{@code POST /api/v2/silences} with a {@link PostableSilence}: 200 {@code {"silenceID": "…"}}.
 *       Without {@code id} a silence is created; with one it is updated as {@link SilenceStore#update}
 *       says (the answer then carries the same id, or the id of the silence that replaced it).
 *       400 for bad input, 404 when the {@code id} is unknown.</li>
 *   <li>{@code GET /api/v2/silences}, optionally with repeated {@code filter} parameters in amtool's
 *       matcher syntax ({@code filter=alertname="DiskFull"}): 200 with a JSON array of
 *       {@link GettableSilence}, in Alertmanager's order (see {@link SilenceStore#list(List)}); 400 for a
 *       filter that is not a matcher.</li>
 *   <li>{@code GET /api/v2/silence/{silenceID}}: 200 with the {@link GettableSilence}, or 404.</li>
 *   <li>{@code DELETE /api/v2/silence/{silenceID}}: expires it; 200 with an empty body, also when it was
 *       already expired (as Alertmanager does since 0.24), or 404.</li>
 * </ul>
 * An id that is not a UUID is simply not found (404); Alertmanager's generated server answers 422 for it.
 * Missing or ill-typed fields are 400 here, where Alertmanager's generated server answers 422.
 *
 * <p><b>Errors</b> are answered as Alertmanager answers them: the body is a JSON <em>string</em> (the
 * OpenAPI's {@code type: string}), e.g. {@code "endsAt: end time must be in the future, not …"}, not
 * Operon's {@code {"error", "detail"}} object, because Alertmanager's Go client (amtool) decodes the body
 * of a 400 or 404 as a string. Anything unexpected is 500 with a string naming the failure's type.
 *
 * <p>Every route runs the {@link ApiTokenCheck} first (401 without the token when one is configured).
 */
public class SilenceRoutes extends RouteBuilder {
    public static final String SILENCES_PATH = "/api/v2/silences";
    public static final String SILENCE_PATH = "/api/v2/silence";
    private static final String ID_PARAM = "silenceID";
    private static final Logger LOG = LoggerFactory.getLogger(SilenceRoutes.class);

    private final SilenceStore store;
    private final Clock clock;
    private final ApiTokenCheck tokenCheck;
    private final ObjectMapper mapper = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private final JsonReply reply = new JsonReply(mapper);

    /**
     * @param store      the silences
     * @param clock      "now" for the {@code status.state} of listed silences; the store's clock
     * @param tokenCheck run first on every route
     */
    public SilenceRoutes(SilenceStore store, Clock clock, ApiTokenCheck tokenCheck) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.tokenCheck = Objects.requireNonNull(tokenCheck, "tokenCheck");
    }

    @Override
    public void configure() {
        onException(Exception.class).handled(true).process(this::answerFailure);

        from("platform-http:" + SILENCES_PATH + "?httpMethodRestrict=GET,POST")
                .routeId("alertmanager-silences")
                .process(tokenCheck)
                .process(this::silences);

        from("platform-http:" + SILENCE_PATH + "/{" + ID_PARAM + "}?httpMethodRestrict=GET,DELETE")
                .routeId("alertmanager-silence")
                .process(tokenCheck)
                .process(this::silence);
    }

    private void silences(Exchange exchange) throws ApiException {
        if ("POST".equals(method(exchange))) {
            PostableSilence posted = PostableSilence.from(body(exchange));
            Silence silence = posted.id() == null ? store.create(posted.request())
                    : store.update(posted.id(), posted.request());
            reply.write(exchange, 200, Map.of("silenceID", silence.id()));
        } else {
            List<Matcher> filter = filters(exchange);
            reply.write(exchange, 200, GettableSilence.of(store.list(filter), clock.instant()));
        }
    }

    private void silence(Exchange exchange) {
        String id = exchange.getIn().getHeader(ID_PARAM, String.class);
        if ("DELETE".equals(method(exchange))) {
            store.expire(id);
            Message message = exchange.getMessage();
            message.removeHeaders("*");
            message.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
            message.setBody("");
        } else {
            Silence silence = store.get(id).orElseThrow(() -> new SilenceNotFoundException(id));
            reply.write(exchange, 200, GettableSilence.of(silence, clock.instant()));
        }
    }

    private static String method(Exchange exchange) {
        return exchange.getIn().getHeader(Exchange.HTTP_METHOD, String.class);
    }

    private JsonNode body(Exchange exchange) throws ApiException {
        String text = exchange.getIn().getBody(String.class);
        if (text == null || text.isBlank()) {
            throw new ApiException(400, "empty_body", "the body must be a PostableSilence JSON object");
        }
        try {
            return mapper.readTree(text);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw new ApiException(400, "malformed_json", "the body is not valid JSON" + where + ": "
                    + e.getOriginalMessage());
        }
    }

    /**
     * The {@code filter} parameters, read from the raw query string (each may repeat, and is URL-encoded
     * as Go's client encodes it: {@code +} for a space). Other parameters are ignored.
     */
    static List<Matcher> filters(Exchange exchange) {
        String query = exchange.getIn().getHeader(Exchange.HTTP_QUERY, String.class);
        List<Matcher> filters = new ArrayList<>();
        if (query == null || query.isEmpty()) {
            return filters;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            if (name.equals("filter")) {
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
                try {
                    filters.add(Matcher.parse(value));
                } catch (InvalidMatcherException e) {
                    throw new InvalidSilenceException("filter", e.problem());
                }
            }
        }
        return filters;
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new InvalidSilenceException("query", "is not URL-encoded correctly: " + e.getMessage());
        }
    }

    /** Answers every failure once, with a JSON string body (see the class comment). */
    private void answerFailure(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (failure instanceof InvalidMatcherException invalid) {
            reply.write(exchange, 400, invalid.getMessage());
        } else if (failure instanceof SilenceNotFoundException notFound) {
            reply.write(exchange, 404, notFound.getMessage());
        } else if (failure instanceof ApiException api) {
            reply.write(exchange, api.status(), api.detail());
        } else {
            LOG.warn("Unexpected failure in the silences API", failure);
            reply.write(exchange, 500, "Operon failed to answer ("
                    + (failure == null ? "unknown error" : failure.getClass().getSimpleName()) + ")");
        }
    }
}
