package org.operon.integration.incident;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.platform.http.vertx.HttpMessage;
import org.operon.engine.EngineOverloadedException;
import org.operon.engine.EventAcceptor;
import org.operon.integration.http.ApiException;
import org.operon.integration.http.ApiTokenCheck;
import org.operon.integration.http.DurableAcceptance;
import org.operon.integration.http.IntakeOptions;
import org.operon.integration.http.JsonReply;
import org.operon.integration.http.RequestBodies;
import org.operon.model.Event;
import org.operon.model.IncidentCommand;
import org.operon.state.incident.IncidentQuery;
import org.operon.state.incident.IncidentStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The incident API, JSON over platform-http. Reads come from the {@link IncidentStore}; commands go
 * through the engine as {@link IncidentCommand} events, so that the journal, and every replay, has them.
 * <ul>
 *   <li>{@code GET /api/v1/incidents?status=&key=&limit=}: 200 {@code {"incidents": [snapshot…]}}, newest
 *       {@code updatedAt} first. {@code status} is {@code open}, {@code acknowledged}, {@code resolved} or
 *       {@code active} (open or acknowledged), {@code key} a correlation key, {@code limit} from 1 to
 *       {@value IncidentQuery#MAX_LIMIT} (default {@value IncidentQuery#DEFAULT_LIMIT}); an empty value
 *       counts as not given. 400 {@code bad_status}, {@code bad_limit}, {@code bad_query}.</li>
 *   <li>{@code GET /api/v1/incidents/{id}}: 200 with the snapshot, 404 {@code not_found}.</li>
 *   <li>{@code POST /api/v1/incidents/{id}/acknowledge} and {@code …/resolve}, with an optional JSON body
 *       {@code {"by": "…", "comment": "…"}} ({@code by} defaults to {@value #DEFAULT_BY}): see
 *       {@link #command}.</li>
 * </ul>
 * Failures are answered once, by the error handling declared in {@link #configure()}, with
 * {@code {"error": code, "detail": text}}; 503s carry {@code Retry-After}. Every route runs the
 * {@link ApiTokenCheck} first. Nothing is dead-lettered: commands are not events from outside.
 *
 * <p>Platform-http processes each request on a Vert.x worker thread, never on the event loop, so the
 * commands block there while they wait for the journal and the store.
 */
public class IncidentRoutes extends RouteBuilder {
    public static final String INCIDENTS_PATH = "/api/v1/incidents";
    /** Who gave a command whose body names nobody. */
    public static final String DEFAULT_BY = "api";
    public static final int MAX_BY_LENGTH = 256;
    public static final int MAX_COMMENT_LENGTH = 2048;
    /** How long a command waits, after the journal took it, for the store to show its effect. */
    public static final Duration DEFAULT_COMMAND_WAIT = Duration.ofSeconds(5);
    /** What a 503 {@code not_accepting} or {@code journal_unavailable} tells the client. */
    static final int RETRY_AFTER_SECONDS = 5;

    private static final Logger LOG = LoggerFactory.getLogger(IncidentRoutes.class);
    private static final String ACKNOWLEDGE = "acknowledge";
    private static final String RESOLVE = "resolve";

    private final IncidentStore store;
    private final DurableAcceptance acceptance;
    private final Clock clock;
    private final ApiTokenCheck tokenCheck;
    private final Duration commandWait;
    private final ObjectMapper mapper = new ObjectMapper();
    private final JsonReply reply = new JsonReply(mapper);
    private final CommandBody bodies = new CommandBody(mapper);

    /** The API with {@link #DEFAULT_COMMAND_WAIT}. */
    public IncidentRoutes(IncidentStore store, EventAcceptor acceptor, Clock clock, IntakeOptions options,
                          ApiTokenCheck tokenCheck) {
        this(store, acceptor, clock, options, tokenCheck, DEFAULT_COMMAND_WAIT);
    }

    /**
     * @param store       the incidents, fed by the application from the engine's decisions
     * @param acceptor    the engine, which journals the command events
     * @param clock       the time of command events
     * @param options     {@link IntakeOptions#acceptTimeout()}: how long to wait for the journal
     * @param tokenCheck  run first on every route
     * @param commandWait how long a command waits for the store to show its effect before answering 202
     */
    public IncidentRoutes(IncidentStore store, EventAcceptor acceptor, Clock clock, IntakeOptions options,
                          ApiTokenCheck tokenCheck, Duration commandWait) {
        this.store = Objects.requireNonNull(store, "store");
        this.acceptance = new DurableAcceptance(Objects.requireNonNull(acceptor, "acceptor"),
                Objects.requireNonNull(options, "options").acceptTimeout());
        this.clock = Objects.requireNonNull(clock, "clock");
        this.tokenCheck = Objects.requireNonNull(tokenCheck, "tokenCheck");
        if (commandWait == null || commandWait.isNegative()) {
            throw new IllegalArgumentException("commandWait must not be negative, not " + commandWait);
        }
        this.commandWait = commandWait;
    }

    @Override
    public void configure() {
        onException(Exception.class).handled(true).process(this::answerFailure);

        from("platform-http:" + INCIDENTS_PATH + "?httpMethodRestrict=GET")
                .routeId("api-incidents")
                .process(tokenCheck)
                .process(e -> reply.write(e, 200, Map.of("incidents", store.list(query(e)))));

        from("platform-http:" + INCIDENTS_PATH + "/{incidentId}?httpMethodRestrict=GET")
                .routeId("api-incident")
                .process(tokenCheck)
                .process(e -> reply.write(e, 200, known(incidentId(e, ""))));

        from("platform-http:" + INCIDENTS_PATH + "/{incidentId}/" + ACKNOWLEDGE + "?httpMethodRestrict=POST")
                .routeId("api-incident-acknowledge")
                .process(tokenCheck)
                .process(e -> command(e, ACKNOWLEDGE));

        from("platform-http:" + INCIDENTS_PATH + "/{incidentId}/" + RESOLVE + "?httpMethodRestrict=POST")
                .routeId("api-incident-resolve")
                .process(tokenCheck)
                .process(e -> command(e, RESOLVE));
    }

    /**
     * Acknowledges or resolves an incident:
     * <ul>
     *   <li>400 for a body that is not a JSON object with at most {@code by} (a non-blank string of at most
     *       {@value #MAX_BY_LENGTH} characters, no control characters) and {@code comment} (a string of at most
     *       {@value #MAX_COMMENT_LENGTH} characters, or null); 404 when the store does not know the id;</li>
     *   <li>409 {@code conflict} for acknowledging a resolved incident;</li>
     *   <li>200 with the unchanged snapshot, nothing sent to the engine, for acknowledging an acknowledged
     *       incident or resolving a resolved one (the rules would change nothing);</li>
     *   <li>otherwise the command event goes to the engine (503 {@code overloaded} with {@code Retry-After}
     *       when its queue is full; 503 {@code not_accepting} or {@code journal_unavailable}), and once it
     *       is in the journal the answer waits up to the command wait for the store to show the incident
     *       with the new status: 200 with that snapshot, or 202 {@code {"accepted": true, "incident": id}}
     *       when it does not show in time (the engine will still process the command).</li>
     * </ul>
     */
    private void command(Exchange exchange, String command) throws ApiException, EngineOverloadedException {
        CommandBody.Parsed body = bodies.parse(RequestBodies.bytes(exchange.getIn()));
        String id = incidentId(exchange, "/" + command);
        Map<String, Object> current = known(id);
        String status = (String) current.get("status");
        String target = command.equals(ACKNOWLEDGE) ? IncidentStore.ACKNOWLEDGED : IncidentStore.RESOLVED;
        if (command.equals(ACKNOWLEDGE) && IncidentStore.RESOLVED.equals(status)) {
            throw new ApiException(409, "conflict", "incident " + id
                    + " is resolved and cannot be acknowledged; it reopens when its alerts fire again");
        }
        if (target.equals(status)) {
            reply.write(exchange, 200, current);
            return;
        }
        String type = command.equals(ACKNOWLEDGE) ? IncidentCommand.TYPE_ACKNOWLEDGE : IncidentCommand.TYPE_RESOLVE;
        Event event = IncidentCommand.event(UUID.randomUUID().toString(), type, id, body.by(), body.comment(),
                clock.instant());
        CompletableFuture<Map<String, Object>> shown = store.awaitSnapshot(id, s -> target.equals(s.get("status")));
        try {
            long started = System.nanoTime();
            acceptance.accept(List.of(event), "command", "and sending it again is safe (a repeated "
                    + command + " changes nothing)");
            LOG.info("incident {}: {} by '{}' accepted as event {}", id, command, body.by(), event.getId());
            long waited = System.nanoTime() - started;
            reply.write(exchange, 200, shown.get(Math.max(0, commandWait.toNanos() - waited), TimeUnit.NANOSECONDS));
        } catch (TimeoutException e) {
            Map<String, Object> accepted = new LinkedHashMap<>();
            accepted.put("accepted", true);
            accepted.put("incident", id);
            reply.write(exchange, 202, accepted);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(503, "not_accepting", "Operon is stopping; the " + command
                    + " was journaled and will take effect");
        } catch (ExecutionException e) {
            throw new IllegalStateException("the store's future never fails", e);
        } finally {
            shown.cancel(false);
        }
    }

    /** The incident's snapshot, or 404. */
    private Map<String, Object> known(String id) throws ApiException {
        return store.get(id).orElseThrow(() -> new ApiException(404, "not_found", "no incident '" + id + "'"));
    }

    /**
     * The id segment of the request path, which ends with {@code /<id><suffix>}: read from the path itself,
     * since platform-http also turns query parameters into headers, which could pose as the path
     * parameter. Not URL-decoded: incident ids need no encoding, and an encoded one is simply not found.
     */
    private static String incidentId(Exchange exchange, String suffix) {
        String path = exchange.getIn() instanceof HttpMessage http && http.getRequest() != null
                ? http.getRequest().path() : exchange.getIn().getHeader(Exchange.HTTP_PATH, String.class);
        String prefix = INCIDENTS_PATH + "/";
        int start = path == null ? -1 : path.indexOf(prefix);
        if (start < 0 || !path.endsWith(suffix)) {
            return ""; // not routed here by these routes' paths; found by no one
        }
        return path.substring(start + prefix.length(), path.length() - suffix.length());
    }

    /**
     * The listing's query, from the raw query string (not from same-named headers), each name and value
     * URL-decoded ({@code +} for a space, {@code %2F} for a slash). Unknown parameters are ignored.
     */
    private static IncidentQuery query(Exchange exchange) throws ApiException {
        Map<String, String> params = parameters(exchange.getIn().getHeader(Exchange.HTTP_QUERY, String.class));
        IncidentQuery query = IncidentQuery.all();
        String status = params.get("status");
        if (status != null) {
            try {
                query = query.withStatus(IncidentQuery.StatusFilter.parse(status));
            } catch (IllegalArgumentException e) {
                throw new ApiException(400, "bad_status", e.getMessage());
            }
        }
        String key = params.get("key");
        if (key != null) {
            query = query.withCorrelationKey(key);
        }
        String limit = params.get("limit");
        if (limit != null) {
            query = query.withLimit(limit(limit));
        }
        return query;
    }

    /** The non-empty parameters of the query string; a parameter given twice is refused. */
    private static Map<String, String> parameters(String query) throws ApiException {
        Map<String, String> params = new LinkedHashMap<>();
        if (query == null || query.isEmpty()) {
            return params;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            if (params.containsKey(name)) {
                throw new ApiException(400, "bad_query", "the parameter '" + name + "' may be given once only");
            }
            params.put(name, value);
        }
        params.values().removeIf(String::isEmpty);
        return params;
    }

    private static String decode(String text) throws ApiException {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, "bad_query", "the query string is not URL-encoded correctly: "
                    + e.getMessage());
        }
    }

    private static int limit(String text) throws ApiException {
        try {
            int limit = Integer.parseInt(text.trim());
            if (limit >= 1 && limit <= IncidentQuery.MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new ApiException(400, "bad_limit",
                "limit must be an integer from 1 to " + IncidentQuery.MAX_LIMIT + ", not '" + text + "'");
    }

    private void answerFailure(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Integer retryAfter = null;
        if (failure instanceof EngineOverloadedException overloaded) {
            retryAfter = overloaded.retryAfterSeconds();
            reply.writeError(exchange, 503, "overloaded",
                    "the engine's queue is full; nothing was accepted; retry after " + retryAfter + " s");
        } else if (failure instanceof ApiException api) {
            retryAfter = api.status() == 503 ? RETRY_AFTER_SECONDS : null;
            reply.writeError(exchange, api.status(), api.error(), api.detail());
        } else {
            LOG.warn("Unexpected failure in the incident API", failure);
            reply.writeError(exchange, 500, "internal_error", "Operon failed to answer ("
                    + (failure == null ? "unknown error" : failure.getClass().getSimpleName()) + ")");
        }
        if (retryAfter != null) {
            exchange.getMessage().setHeader("Retry-After", String.valueOf(retryAfter));
        }
    }
}
