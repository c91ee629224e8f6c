package org.operon.integration.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.util.URISupport;
import org.operon.engine.EventAcceptor;
import org.operon.integration.http.ApiException;
import org.operon.integration.http.ApiTokenCheck;
import org.operon.integration.http.JsonReply;
import org.operon.state.AuditLog;
import org.operon.state.AuditEntry;
import org.operon.state.DeadLetterStore;
import org.operon.state.FailedActionStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URISyntaxException;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The read side of the API, JSON over platform-http:
 * <ul>
 *   <li>{@code GET /api/v1/actions?limit=N}: {@code {"actions": [audit entries]}}, newest first;
 *       {@code ?status=failed} lists the failed actions instead ({@code FailedAction}: the decision and the
 *       last error, newest failure first; re-driven by {@code POST /api/v1/actions/{id}/retry}), and
 *       {@code ?status=sent} or {@code ?status=suppressed} the audit entries with that status among the
 *       newest {@value #MAX_LIMIT}; any other status is answered 400 {@code bad_status};</li>
 *   <li>{@code GET /api/v1/deadletters?limit=N}: {@code {"deadletters": [dead letters]}}, newest first;</li>
 *   <li>{@code GET /api/v1/health}: 200 {@code {"status":"up"}} once the engine accepts events, else 503
 *       {@code {"status":"starting"}}. Always open, never behind the API token.</li>
 * </ul>
 * {@code limit} defaults to {@value #DEFAULT_LIMIT} and must be an integer from 1 to {@value #MAX_LIMIT};
 * anything else is answered 400 {@code bad_limit}. Records are serialized by Jackson with their component
 * names as fields. Failures are answered once, by the error handling declared in {@link #configure()}:
 * an {@link ApiException} with its status and code, anything else 500 {@code internal_error}.
 */
public class ReadApiRoutes extends RouteBuilder {
    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1000;
    private static final Logger LOG = LoggerFactory.getLogger(ReadApiRoutes.class);

    private final AuditLog audit;
    private final DeadLetterStore deadLetters;
    private final FailedActionStore failedActions;
    private final EventAcceptor acceptor;
    private final ApiTokenCheck tokenCheck;
    private final JsonReply reply = new JsonReply(new ObjectMapper());

    /** The read API with no token; see {@link #ReadApiRoutes(AuditLog, DeadLetterStore, EventAcceptor, ApiTokenCheck)}. */
    public ReadApiRoutes(AuditLog audit, DeadLetterStore deadLetters, EventAcceptor acceptor) {
        this(audit, deadLetters, acceptor, ApiTokenCheck.disabled());
    }

    /** The read API guarded by {@code tokenCheck} on every route except health. */
    public ReadApiRoutes(AuditLog audit, DeadLetterStore deadLetters, EventAcceptor acceptor, ApiTokenCheck tokenCheck) {
        this(audit, deadLetters, FailedActionStore.NONE, acceptor, tokenCheck);
    }

    /** The read API with the failed actions listed by {@code ?status=failed}, guarded by {@code tokenCheck}. */
    public ReadApiRoutes(AuditLog audit, DeadLetterStore deadLetters, FailedActionStore failedActions,
                         EventAcceptor acceptor, ApiTokenCheck tokenCheck) {
        this.failedActions = Objects.requireNonNull(failedActions, "failedActions");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.deadLetters = Objects.requireNonNull(deadLetters, "deadLetters");
        this.acceptor = Objects.requireNonNull(acceptor, "acceptor");
        this.tokenCheck = Objects.requireNonNull(tokenCheck, "tokenCheck");
    }

    @Override
    public void configure() {
        onException(Exception.class).handled(true).process(this::answerFailure);

        from("platform-http:/api/v1/actions?httpMethodRestrict=GET")
                .routeId("api-actions")
                .process(tokenCheck)
                .process(e -> reply.write(e, 200, Map.of("actions", actions(e))));

        from("platform-http:/api/v1/deadletters?httpMethodRestrict=GET")
                .routeId("api-deadletters")
                .process(tokenCheck)
                .process(e -> reply.write(e, 200, Map.of("deadletters", deadLetters.latest(limit(e)))));

        from("platform-http:/api/v1/health?httpMethodRestrict=GET")
                .routeId("api-health")
                .process(e -> {
                    boolean up = acceptor.isAccepting();
                    reply.write(e, up ? 200 : 503, Map.of("status", up ? "up" : "starting"));
                });
    }

    private void answerFailure(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (failure instanceof ApiException api) {
            reply.writeError(exchange, api.status(), api.error(), api.detail());
        } else {
            LOG.warn("Unexpected failure in the read API", failure);
            reply.writeError(exchange, 500, "internal_error", "Operon failed to answer ("
                    + (failure == null ? "unknown error" : failure.getClass().getSimpleName()) + ")");
        }
    }

    /** The audit entries, or the failed actions, that {@code status} and {@code limit} ask for. */
    private List<?> actions(Exchange exchange) throws ApiException {
        int limit = limit(exchange);
        String status = queryParam(exchange, "status");
        if (status == null || status.isBlank()) {
            return audit.latest(limit);
        }
        String s = status.strip();
        if (AuditEntry.FAILED.equals(s)) {
            return failedActions.latest(limit);
        }
        if (AuditEntry.SENT.equals(s) || AuditEntry.SUPPRESSED.equals(s)) {
            return audit.latest(MAX_LIMIT).stream().filter(a -> s.equals(a.status())).limit(limit).toList();
        }
        throw new ApiException(400, "bad_status", "status must be failed, sent or suppressed, not '" + status + "'");
    }

    private static String queryParam(Exchange exchange, String name) throws ApiException {
        String query = exchange.getIn().getHeader(Exchange.HTTP_QUERY, String.class);
        try {
            Object value = query == null ? null : URISupport.parseQuery(query).get(name);
            return value == null ? null : value.toString();
        } catch (URISyntaxException e) {
            throw new ApiException(400, "bad_query", "the query string cannot be parsed: " + e.getMessage());
        }
    }

    /** The {@code limit} query parameter, read from the query string itself (not from same-named headers). */
    static int limit(Exchange exchange) throws ApiException {
        String query = exchange.getIn().getHeader(Exchange.HTTP_QUERY, String.class);
        Object value;
        try {
            value = query == null ? null : URISupport.parseQuery(query).get("limit");
        } catch (URISyntaxException e) {
            throw new ApiException(400, "bad_query", "the query string cannot be parsed: " + e.getMessage());
        }
        if (value == null) {
            return DEFAULT_LIMIT;
        }
        String text = value.toString();
        try {
            int limit = Integer.parseInt(text.trim());
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new ApiException(400, "bad_limit",
                "limit must be an integer from 1 to " + MAX_LIMIT + ", not '" + text + "'");
    }
}
