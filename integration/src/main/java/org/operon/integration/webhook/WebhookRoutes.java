package org.operon.integration.webhook;

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
import org.operon.model.CloudEventJson;
import org.operon.model.InvalidEventException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * {@code POST /api/v1/webhooks/{name}}: JSON from monitoring tools (Grafana, Nagios/Icinga, Zabbix, ...)
 * turned into events by the named webhook's mapping ({@link WebhookMapping}) and handed to the
 * {@link SourceIntake} under the source {@code webhook:<name>}. The body is read as JSON whatever its
 * {@code Content-Type} says, except that form-encoded and multipart bodies are refused (415
 * {@code unsupported_media_type}): the HTTP server decodes those as forms and keeps no raw body.
 *
 * <p>Each webhook has its own authentication ({@link WebhookAuth}); the API token does not apply here,
 * so that a monitoring tool needs only its webhook's credential. Order of checks: the name (404
 * {@code unknown_webhook}), the content type (415), the credential (401 {@code unauthorized}), the size (413
 * {@code body_too_large}), the JSON (400 {@code empty_body} or {@code malformed_json}), the mapping.
 * Nothing before a passed credential is dead-lettered or counted, so unauthenticated clients cannot fill
 * the dead-letter store; everything refused after it is.
 *
 * <p>Answers, with the JSON error {@code {"error", "detail"}} as everywhere in the API:
 * <ul>
 *   <li>202 {@code {"accepted": [ids]}} once the events are durable in the journal, with
 *       {@code "rejected": [{index, error, detail}]} for elements that could not become events (each
 *       dead-lettered);</li>
 *   <li>400 when no event could be made ({@code no_valid_events} with {@code rejected}, or the error of
 *       the whole payload such as {@code malformed_json} or {@code no_events}): resending cannot help;</li>
 *   <li>503 {@code overloaded} (with {@code Retry-After}), {@code not_accepting} or
 *       {@code journal_unavailable}: nothing is dead-lettered; the sender should retry, and a retry of
 *       the same body is deduplicated by the default ids.</li>
 * </ul>
 */
public final class WebhookRoutes extends RouteBuilder {
    public static final String PATH = "/api/v1/webhooks";
    public static final String ROUTE_ID = "webhook-intake";
    private static final String WEBHOOK_PROPERTY = "operon.webhook";
    private static final int RETRY_AFTER_SECONDS = 5;
    private static final String FORM = "application/x-www-form-urlencoded";
    private static final String MULTIPART = "multipart/";
    private static final Logger LOG = LoggerFactory.getLogger(WebhookRoutes.class);

    private final Map<String, Webhook> webhooks = new LinkedHashMap<>();
    private final SourceIntake intake;
    private final IntakeOptions options;
    private final CloudEventJson json;
    private final JsonReply reply;

    public WebhookRoutes(List<Webhook> webhooks, SourceIntake intake, IntakeOptions options) {
        webhooks.forEach(w -> this.webhooks.put(w.name(), w));
        this.intake = intake;
        this.options = options;
        ObjectMapper mapper = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        this.json = new CloudEventJson(mapper);
        this.reply = new JsonReply(mapper);
    }

    @Override
    public void configure() {
        onException(Exception.class).handled(true).process(this::answerFailure);

        from("platform-http:" + PATH + "/{name}?httpMethodRestrict=POST")
                .routeId(ROUTE_ID)
                .noStreamCaching() // the body stays a Vert.x Buffer: RequestBodies copies it once
                .process(this::authenticate)
                .process(this::acceptAndAnswer);
    }

    /** Finds the webhook named by the path and checks the request's credential. */
    private void authenticate(Exchange exchange) throws ApiException {
        String name = webhookName(exchange);
        Webhook webhook = webhooks.get(name);
        if (webhook == null) {
            throw new ApiException(404, "unknown_webhook", "no webhook is named '" + name
                    + "'; webhooks are configured in operon.webhooks.file");
        }
        UnaryOperator<String> headers = headers(exchange);
        String contentType = headers.apply("Content-Type");
        if (contentType != null && (contentType.regionMatches(true, 0, FORM, 0, FORM.length())
                || contentType.regionMatches(true, 0, MULTIPART, 0, MULTIPART.length()))) {
            // The HTTP server decodes such bodies as forms and keeps no raw body to map or to check a signature on.
            throw new ApiException(415, "unsupported_media_type", "the body must be JSON, sent with Content-Type: "
                    + "application/json (or without a Content-Type); form-encoded and multipart bodies are not read "
                    + "(curl sends application/x-www-form-urlencoded unless told otherwise)");
        }
        byte[] body = body(exchange);
        if (!webhook.auth().permits(headers, body)) {
            throw new ApiException(401, "unauthorized", webhook.auth().requirement());
        }
        exchange.getIn().removeHeader("Authorization");
        exchange.setProperty(WEBHOOK_PROPERTY, webhook);
    }

    private void acceptAndAnswer(Exchange exchange) throws EngineOverloadedException, ApiException {
        Webhook webhook = exchange.getProperty(WEBHOOK_PROPERTY, Webhook.class);
        byte[] body = body(exchange);
        String source = webhook.sourceName();
        if (body.length > options.maxBodyBytes()) {
            SourceIntake.Outcome outcome = intake.submitEvents(source, List.of(), List.of(new SourceIntake.Rejection(
                    null, "body_too_large", "the body has " + body.length + " bytes; the limit is "
                    + options.maxBodyBytes() + " (operon.intake.max-body-bytes)")), body);
            answerRefused(exchange, 413, outcome);
            return;
        }
        JsonNode root;
        try {
            root = json.parseTree(new String(body, StandardCharsets.UTF_8));
        } catch (InvalidEventException e) {
            SourceIntake.Outcome outcome = intake.submitEvents(source, List.of(),
                    List.of(new SourceIntake.Rejection(null, e.error(), e.detail())), body);
            answerRefused(exchange, 400, outcome);
            return;
        }
        WebhookMapping.Result mapped = webhook.mapping().map(webhook.name(), body, root);
        SourceIntake.Outcome outcome = intake.submitEvents(source, mapped.events(), mapped.rejected(), body);
        if (outcome.accepted().isEmpty()) {
            answerRefused(exchange, 400, outcome);
            return;
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("accepted", outcome.accepted());
        if (!outcome.rejected().isEmpty()) {
            answer.put("rejected", rejections(outcome));
        }
        reply.write(exchange, 202, answer);
    }

    /**
     * 4xx for a payload of which nothing was accepted: the whole payload's own error when it was refused
     * as a whole, else {@code no_valid_events}; with the rejections.
     */
    private void answerRefused(Exchange exchange, int status, SourceIntake.Outcome outcome) {
        List<SourceIntake.Rejection> rejected = outcome.rejected();
        Map<String, Object> body;
        if (rejected.size() == 1 && rejected.get(0).index() == null) {
            body = JsonReply.errorBody(rejected.get(0).error(), rejected.get(0).detail());
        } else {
            body = JsonReply.errorBody("no_valid_events", "none of the " + rejected.size()
                    + " selected elements could become an event; see \"rejected\"");
        }
        body.put("accepted", List.of());
        body.put("rejected", rejections(outcome));
        reply.write(exchange, status, body);
    }

    private static List<Map<String, Object>> rejections(SourceIntake.Outcome outcome) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (SourceIntake.Rejection r : outcome.rejected()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("index", r.index());
            entry.put("error", r.error());
            entry.put("detail", r.detail());
            out.add(entry);
        }
        return out;
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
            LOG.warn("Unexpected failure in the webhook intake", failure);
            reply.writeError(exchange, 500, "internal_error", "Operon failed to process the request ("
                    + (failure == null ? "unknown error" : failure.getClass().getSimpleName()) + "); retry later");
        }
    }

    private static byte[] body(Exchange exchange) {
        byte[] body = RequestBodies.bytes(exchange.getIn());
        return body == null ? new byte[0] : body;
    }

    /**
     * The webhook name: the last segment of the request path, read from the path itself since
     * platform-http also turns query parameters into headers, which could pose as the path parameter.
     */
    private static String webhookName(Exchange exchange) {
        String path = exchange.getIn() instanceof HttpMessage http && http.getRequest() != null
                ? http.getRequest().path() : exchange.getIn().getHeader(Exchange.HTTP_PATH, String.class);
        if (path == null) {
            return "";
        }
        int slash = path.lastIndexOf('/');
        return slash < 0 ? path : path.substring(slash + 1);
    }

    /** Request headers by name, from the HTTP request itself (not query parameters posing as headers). */
    private static UnaryOperator<String> headers(Exchange exchange) {
        if (exchange.getIn() instanceof HttpMessage http && http.getRequest() != null) {
            return name -> http.getRequest().getHeader(name);
        }
        return name -> exchange.getIn().getHeader(name, String.class);
    }
}
