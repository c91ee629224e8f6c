package org.operon.integration.http;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.http.HttpServerRequest;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ExtendedStartupListener;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.platform.http.vertx.HttpMessage;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.operon.engine.EngineOverloadedException;
import org.operon.engine.EventAcceptor;
import org.operon.model.CloudEventJson;
import org.operon.model.Event;
import org.operon.model.InvalidEventException;
import org.operon.state.DeadLetterStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * {@code POST /api/v1/events}: CloudEvents in over HTTP (platform-http on Vert.x), handed to the
 * {@link EventAcceptor}.
 *
 * <p>Accepted forms are described in {@link CloudEventRequestDecoder}. A 202 answer
 * {@code {"accepted": [ids]}} is sent only after the acceptor's future completed, that is once the events
 * are durable in the event journal. A batch with invalid elements accepts the valid ones and lists each
 * invalid one under {@code "rejected"} as {@code {"index", "error", "detail"}}, dead-lettered on its own
 * (index set, payload the element's JSON); when no element is valid the answer is 400 with the rejections.
 *
 * <p>Every other failure is answered once, by the error handling declared in {@link #configure()}, with
 * {@code {"error": code, "detail": text}}:
 * <ul>
 *   <li>400 {@code malformed_json} (with line and column), {@code empty_body}, {@code empty_batch},
 *       {@code missing_attribute}, {@code wrong_type}, {@code invalid_value}, {@code reserved_type} (a type
 *       starting with {@code operon.}, which only Operon itself makes);</li>
 *   <li>413 {@code body_too_large} (the detail names the limit), 415 {@code unsupported_media_type} (the
 *       detail names the accepted types);</li>
 *   <li>503 {@code journal_unavailable} when the journal failed or did not confirm in time;</li>
 *   <li>500 {@code internal_error} for anything unexpected;</li>
 * </ul>
 * and each of these is dead-lettered with the payload (its first
 * {@link IntakeOptions#deadLetterPayloadBytes()}). Not dead-lettered, because the client keeps the events
 * and sends them again: 503 {@code overloaded} (the engine's queue is full; {@code Retry-After} says when
 * to retry) and 503 {@code not_accepting} (the engine is starting or stopping). Also not dead-lettered:
 * 401 {@code unauthorized}, so that unauthenticated clients cannot fill the store.
 *
 * <p>Body size: the Vert.x server reads at most {@code camel.server.maxBodySize} bytes of a body, which
 * the application sets to {@link IntakeOptions#serverMaxBodySize()} (twice the intake limit by default).
 * A body over the intake limit but within the server's reaches this route and is dead-lettered with its
 * prefix. A body over the server's limit is refused by Vert.x before the route runs; this class installs
 * a Vert.x failure handler on the platform-http router that answers it with the same 413 JSON and a dead
 * letter holding no payload (Vert.x discarded it), its size being the declared {@code Content-Length}.
 */
public class EventIntakeRoutes extends RouteBuilder {
    public static final String PATH = "/api/v1/events";
    public static final String CHANNEL = "http:" + PATH;
    public static final String ROUTE_ID = "event-intake";
    /** The name its requests are counted under in {@link IntakeCounters}. */
    public static final String COUNTER_SOURCE = CHANNEL;
    /** Exchange property: the request was counted as received, so a refusal of it counts as rejected. */
    private static final String COUNTED_PROPERTY = "operon.intakeCounted";

    /** Codes whose requests are not dead-lettered; see the class comment for why. */
    private static final List<String> NOT_DEAD_LETTERED = List.of("unauthorized", "overloaded", "not_accepting");
    private static final String REQUEST_PROPERTY = "operon.intakeRequest";
    private static final int RETRY_AFTER_SECONDS = 5;
    private static final Logger LOG = LoggerFactory.getLogger(EventIntakeRoutes.class);

    private final DurableAcceptance durable;
    private final IntakeOptions options;
    private final ApiTokenCheck tokenCheck;
    private final DeadLetterWriter deadLetters;
    private IntakeCounters counters = new IntakeCounters();
    private final CloudEventRequestDecoder decoder;
    private final JsonReply reply;

    /** The intake with an open API (no token); see {@link #EventIntakeRoutes(EventAcceptor, DeadLetterStore, Clock, IntakeOptions, ApiTokenCheck)}. */
    public EventIntakeRoutes(EventAcceptor acceptor, DeadLetterStore deadLetters, Clock clock, IntakeOptions options) {
        this(acceptor, deadLetters, clock, options, ApiTokenCheck.disabled());
    }

    /** The intake guarded by {@code tokenCheck}, which runs first on every request. */
    public EventIntakeRoutes(EventAcceptor acceptor, DeadLetterStore deadLetters, Clock clock, IntakeOptions options,
                             ApiTokenCheck tokenCheck) {
        this.options = Objects.requireNonNull(options, "options");
        this.durable = new DurableAcceptance(Objects.requireNonNull(acceptor, "acceptor"), options.acceptTimeout());
        this.tokenCheck = Objects.requireNonNull(tokenCheck, "tokenCheck");
        this.deadLetters = new DeadLetterWriter(Objects.requireNonNull(deadLetters, "deadLetters"),
                Objects.requireNonNull(clock, "clock"), CHANNEL, options.deadLetterPayloadBytes());
        ObjectMapper mapper = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        // Types starting with "operon." are Operon's own (e.g. operon.alert): no client may send them.
        this.decoder = new CloudEventRequestDecoder(new CloudEventJson(mapper).rejectingReservedTypes());
        this.reply = new JsonReply(mapper);
    }

    /**
     * Counts this intake's requests into {@code counters} (shown by {@code GET /api/v1/sources}) under
     * {@value #COUNTER_SOURCE}; without it they are counted privately. Changes nothing else.
     */
    public EventIntakeRoutes countingInto(IntakeCounters counters) {
        this.counters = Objects.requireNonNull(counters, "counters");
        return this;
    }

    @Override
    public void configure() throws Exception {
        onException(Exception.class).handled(true).process(this::answerFailure);

        from("platform-http:" + PATH + "?httpMethodRestrict=POST")
                .routeId(ROUTE_ID)
                .noStreamCaching() // the body stays a Vert.x Buffer: RequestBodies copies it once
                .process(tokenCheck)
                .process(this::readRequest)
                .process(this::decode)
                .process(this::acceptAndAnswer);

        getContext().addStartupListener(new ServerBodyLimitInstaller());
    }

    /** Reads headers and body into an {@link IntakeRequest} (kept for dead letters) and enforces the size limit. */
    private void readRequest(Exchange exchange) throws ApiException {
        counters.received(COUNTER_SOURCE, 1);
        exchange.setProperty(COUNTED_PROPERTY, true);
        byte[] body = RequestBodies.bytes(exchange.getIn());
        IntakeRequest request = new IntakeRequest(exchange.getIn().getHeader(Exchange.CONTENT_TYPE, String.class),
                ceAttributes(exchange), body);
        exchange.setProperty(REQUEST_PROPERTY, request);
        if (request.body().length > options.maxBodyBytes()) {
            throw new ApiException(413, "body_too_large", tooLargeDetail(request.body().length + " bytes"));
        }
    }

    private void decode(Exchange exchange) throws InvalidEventException, ApiException {
        exchange.getMessage().setBody(decoder.decode(exchange.getProperty(REQUEST_PROPERTY, IntakeRequest.class)));
    }

    /**
     * Hands the valid events to the acceptor and waits until they are durable, then dead-letters the
     * rejected batch elements and answers. Rejected elements are dead-lettered only after acceptance, so
     * that a batch the client must resend (overloaded) does not leave duplicate dead letters.
     */
    private void acceptAndAnswer(Exchange exchange) throws EngineOverloadedException, ApiException {
        DecodedRequest decoded = exchange.getMessage().getBody(DecodedRequest.class);
        List<String> acceptedIds = decoded.events().isEmpty() ? List.of() : accept(decoded.events());
        List<Map<String, Object>> rejected = new ArrayList<>();
        for (DecodedRequest.Rejection r : decoded.rejected()) {
            deadLetters.write(r.error(), r.detail(), r.index(), r.payload().getBytes(StandardCharsets.UTF_8));
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("index", r.index());
            entry.put("error", r.error());
            entry.put("detail", r.detail());
            rejected.add(entry);
        }
        counters.accepted(COUNTER_SOURCE, acceptedIds.size());
        counters.rejected(COUNTER_SOURCE, rejected.size());
        Map<String, Object> body;
        int status;
        if (acceptedIds.isEmpty()) {
            status = 400;
            body = JsonReply.errorBody("no_valid_events",
                    "none of the " + rejected.size() + " events in the batch is valid; see \"rejected\"");
        } else {
            status = 202;
            body = new LinkedHashMap<>();
        }
        body.put("accepted", acceptedIds);
        if (!rejected.isEmpty()) {
            body.put("rejected", rejected);
        }
        reply.write(exchange, status, body);
    }

    private List<String> accept(List<Event> events) throws EngineOverloadedException, ApiException {
        return durable.accept(events, "events",
                        "and resending them is safe because repeated ids are recognised as duplicates")
                .stream().map(Event::getId).toList();
    }

    /** The one place intake failures are answered and, unless the client keeps the events, dead-lettered. */
    private void answerFailure(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        int status;
        String error;
        String detail;
        Integer retryAfter = null;
        if (failure instanceof EngineOverloadedException overloaded) {
            status = 503;
            error = "overloaded";
            detail = "the engine's queue is full; nothing was accepted; retry after "
                    + overloaded.retryAfterSeconds() + " s";
            retryAfter = overloaded.retryAfterSeconds();
        } else if (failure instanceof ApiException api) {
            status = api.status();
            error = api.error();
            detail = api.detail();
            retryAfter = status == 503 ? RETRY_AFTER_SECONDS : null;
        } else if (failure instanceof InvalidEventException invalid) {
            status = 400;
            error = invalid.error();
            detail = invalid.detail();
        } else {
            LOG.warn("Unexpected failure in the event intake", failure);
            status = 500;
            error = "internal_error";
            detail = "Operon failed to process the request ("
                    + (failure == null ? "unknown error" : failure.getClass().getSimpleName())
                    + "); the request was kept as a dead letter";
        }
        if (!NOT_DEAD_LETTERED.contains(error)) {
            IntakeRequest request = exchange.getProperty(REQUEST_PROPERTY, IntakeRequest.class);
            byte[] payload = request == null ? new byte[0] : request.payloadForDeadLetter();
            deadLetters.write(error, detail, null, payload);
        }
        if (status < 500 && exchange.getProperty(COUNTED_PROPERTY) != null) {
            counters.rejected(COUNTER_SOURCE, 1); // the whole request, refused as such
        }
        reply.writeError(exchange, status, error, detail);
        if (retryAfter != null) {
            exchange.getMessage().setHeader("Retry-After", String.valueOf(retryAfter));
        }
    }

    private String tooLargeDetail(String size) {
        return "the body is " + size + "; the limit is " + options.maxBodyBytes() + " bytes";
    }

    /** The {@code ce-*} request headers, read from the HTTP request itself so that query parameters cannot pose as them. */
    private static Map<String, String> ceAttributes(Exchange exchange) {
        Map<String, String> attributes = new LinkedHashMap<>();
        if (exchange.getIn() instanceof HttpMessage http && http.getRequest() != null) {
            http.getRequest().headers().forEach(h -> putCeAttribute(attributes, h.getKey(), h.getValue()));
        } else {
            exchange.getIn().getHeaders().forEach((name, value) -> putCeAttribute(attributes, name,
                    value == null ? null : value.toString()));
        }
        return attributes;
    }

    private static void putCeAttribute(Map<String, String> attributes, String header, String value) {
        if (value != null && header.length() > 3 && header.regionMatches(true, 0, "ce-", 0, 3)) {
            attributes.put(header.substring(3).toLowerCase(Locale.ROOT), percentDecode(value));
        }
    }

    /**
     * Decodes {@code %XX} escapes as UTF-8, as the CloudEvents HTTP binding requires of header values; a
     * {@code %} not followed by two hex digits is kept as it is.
     */
    static String percentDecode(String value) {
        if (value.indexOf('%') < 0) {
            return value;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] raw = value.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] == '%' && i + 2 < raw.length
                    && Character.digit(raw[i + 1], 16) >= 0 && Character.digit(raw[i + 2], 16) >= 0) {
                bytes.write(Character.digit(raw[i + 1], 16) * 16 + Character.digit(raw[i + 2], 16));
                i += 2;
            } else {
                bytes.write(raw[i]);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /**
     * Once the context has started (and with it the platform-http server), adds to each platform-http
     * router the failure handler that answers Vert.x's own 413, and warns when the server limit is not the
     * one the intake expects. Works whether the routes are added before the context starts (Camel Main)
     * or to a running context.
     */
    private final class ServerBodyLimitInstaller implements ExtendedStartupListener {
        private boolean installed;

        @Override
        public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
            if (alreadyStarted) {
                install(context);
            }
        }

        @Override
        public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
            install(context);
        }

        private synchronized void install(CamelContext context) {
            if (installed) {
                return;
            }
            installed = true;
            var routers = context.getRegistry().findByType(VertxPlatformHttpRouter.class);
            if (routers.isEmpty()) {
                LOG.warn("No platform-http router found: bodies over camel.server.maxBodySize get Vert.x's plain 413");
            }
            for (VertxPlatformHttpRouter router : routers) {
                Long serverLimit = router.getServer() == null ? null : router.getServer().getMaxBodySize();
                if (serverLimit == null || serverLimit != options.serverMaxBodySize()) {
                    LOG.warn("camel.server.maxBodySize is {}; the event intake expects {} (IntakeOptions.serverMaxBodySize): "
                            + "set camel.server.maxBodySize={} so that over-limit bodies are dead-lettered and "
                            + "the server never buffers unbounded bodies",
                            serverLimit, options.serverMaxBodySize(), options.serverMaxBodySize());
                }
                router.route(PATH).failureHandler(new ServerBodyLimitHandler(deadLetters, tokenCheck, reply.mapper(),
                        options.maxBodyBytes(), serverLimit == null ? options.serverMaxBodySize() : serverLimit));
            }
        }
    }

    static long declaredLength(HttpServerRequest request) {
        String length = request.getHeader("Content-Length");
        try {
            return length == null ? -1 : Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
