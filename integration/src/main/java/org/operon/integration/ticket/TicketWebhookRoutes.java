package org.operon.integration.ticket;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.platform.http.vertx.HttpMessage;
import org.operon.engine.EngineOverloadedException;
import org.operon.integration.http.ApiException;
import org.operon.integration.http.IntakeOptions;
import org.operon.integration.http.JsonReply;
import org.operon.integration.http.RequestBodies;
import org.operon.integration.source.SourceIntake;
import org.operon.integration.webhook.WebhookAuth;
import org.operon.model.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Ticket systems that push: {@code POST /api/v1/tickets/jira} (Jira webhooks) and
 * {@code POST /api/v1/tickets/servicenow} (ServiceNow outbound REST), each authenticated like a named webhook
 * ({@link WebhookAuth}: bearer token or HMAC-SHA256 signature), mapped by {@link TicketPayloads} and submitted
 * through {@link SourceIntake#submitEvents} as the sources {@code jira} and {@code servicenow}.
 *
 * <p>Answers: 202 {@code {"accepted": [id]}} once the change is durable; 200 {@code {"accepted": []}} for a
 * Jira webhook event other than issue updated/deleted (ignored); 401 for a wrong credential; 400 (dead-lettered)
 * for a body that is not JSON or lacks the fields; 503 with {@code Retry-After} when the engine cannot accept
 * now (the sender retries). Only the configured systems get a route.
 */
public final class TicketWebhookRoutes extends RouteBuilder {
    public static final String PATH = "/api/v1/tickets";
    public static final String JIRA_ROUTE_ID = "jira-ticket-source";
    public static final String SERVICENOW_ROUTE_ID = "servicenow-ticket-source";
    private static final Logger LOG = LoggerFactory.getLogger(TicketWebhookRoutes.class);
    private static final int RETRY_AFTER_SECONDS = 5;

    private final WebhookAuth jira;
    private final WebhookAuth serviceNow;
    private final SourceIntake intake;
    private final IntakeOptions options;
    private final ObjectMapper mapper = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private final JsonReply reply = new JsonReply(mapper);

    /** @param jira the Jira webhook's credential, or null for no Jira route; likewise {@code serviceNow} */
    public TicketWebhookRoutes(WebhookAuth jira, WebhookAuth serviceNow, SourceIntake intake, IntakeOptions options) {
        this.jira = jira;
        this.serviceNow = serviceNow;
        this.intake = intake;
        this.options = options;
    }

    @Override
    public void configure() {
        onException(Exception.class).handled(true).process(this::answerFailure);
        if (jira != null) {
            from("platform-http:" + PATH + "/jira?httpMethodRestrict=POST").routeId(JIRA_ROUTE_ID)
                    .process(e -> take(e, "jira", jira, TicketPayloads::jira));
        }
        if (serviceNow != null) {
            from("platform-http:" + PATH + "/servicenow?httpMethodRestrict=POST").routeId(SERVICENOW_ROUTE_ID)
                    .process(e -> take(e, "servicenow", serviceNow, TicketPayloads::serviceNow));
        }
    }

    private void take(Exchange exchange, String source, WebhookAuth auth, Function<JsonNode, Event> mapping)
            throws ApiException, EngineOverloadedException {
        byte[] body = RequestBodies.bytes(exchange.getIn());
        body = body == null ? new byte[0] : body;
        if (!auth.permits(headers(exchange), body)) {
            throw new ApiException(401, "unauthorized", auth.requirement());
        }
        exchange.getIn().removeHeader("Authorization");
        if (body.length > options.maxBodyBytes()) {
            refuse(exchange, source, body, 413, "body_too_large", "the body has " + body.length
                    + " bytes; the limit is " + options.maxBodyBytes() + " (operon.intake.max-body-bytes)");
            return;
        }
        Event event;
        try {
            event = mapping.apply(mapper.readTree(body));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            refuse(exchange, source, body, 400, "invalid_json", "the body is not JSON: " + e.getOriginalMessage());
            return;
        } catch (IOException e) {
            refuse(exchange, source, body, 400, "invalid_json", "the body could not be read as JSON");
            return;
        } catch (IllegalArgumentException e) {
            refuse(exchange, source, body, 400, "invalid_payload", e.getMessage());
            return;
        }
        if (event == null) {
            reply.write(exchange, 200, Map.of("accepted", List.of()));
            return;
        }
        SourceIntake.Outcome outcome = intake.submitEvents(source, List.of(event), List.of(), body);
        reply.write(exchange, 202, Map.of("accepted", outcome.accepted()));
    }

    private void refuse(Exchange exchange, String source, byte[] body, int status, String error, String detail)
            throws ApiException, EngineOverloadedException {
        intake.submitEvents(source, List.of(), List.of(new SourceIntake.Rejection(null, error, detail)), body);
        reply.writeError(exchange, status, error, detail);
    }

    private void answerFailure(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (failure instanceof EngineOverloadedException overloaded) {
            reply.writeError(exchange, 503, "overloaded", "the engine's queue is full; nothing was accepted; retry after "
                    + overloaded.retryAfterSeconds() + " s");
            exchange.getMessage().setHeader("Retry-After", String.valueOf(overloaded.retryAfterSeconds()));
        } else if (failure instanceof ApiException api) {
            reply.writeError(exchange, api.status(), api.error(), api.detail());
            if (api.status() == 503) {
                exchange.getMessage().setHeader("Retry-After", String.valueOf(RETRY_AFTER_SECONDS));
            }
        } else {
            LOG.warn("Unexpected failure in the ticket webhook intake", failure);
            reply.writeError(exchange, 500, "internal_error", "Operon failed to process the request ("
                    + (failure == null ? "unknown error" : failure.getClass().getSimpleName()) + "); retry later");
        }
    }

    /** Request headers by name, from the HTTP request itself (not query parameters posing as headers). */
    private static UnaryOperator<String> headers(Exchange exchange) {
        if (exchange.getIn() instanceof HttpMessage http && http.getRequest() != null) {
            return name -> http.getRequest().getHeader(name);
        }
        return name -> exchange.getIn().getHeader(name, String.class);
    }
}
