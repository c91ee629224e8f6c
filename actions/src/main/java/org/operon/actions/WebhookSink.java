package org.operon.actions;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import org.apache.camel.Exchange;
import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.camel.model.RouteDefinition;
import org.operon.actions.template.Template;

/**
 * Target {@code webhook}: POSTs (or PUTs, {@link WebhookOptions#method()}) the decision as JSON
 * ({@link ActionJson#decision}), or the configured JSON body template rendered from it, to the
 * configured URL with {@code Content-Type: application/json}, {@code Idempotency-Key: <action id>} and
 * the configured header templates, through camel-http (Apache HttpClient 5). Header values are never
 * logged (they may hold credentials). Any 2xx answer means sent; any other answer is an
 * {@code HttpOperationFailedException}, retried by {@link ActionRoutes} when it is a 5xx or 429.
 * The answer's status is reported as the detail {@code httpStatus} (see {@link ActionOutcomeListener}).
 *
 * <p>The endpoint URI holds only scheme://host:port/path and the timeouts; the URL's query (which may
 * carry a token) is handed to the producer per message in the {@code CamelHttpQuery} header, and user
 * info in the URL becomes an {@code Authorization: Basic} header, so neither shows in route dumps,
 * endpoint registries or Camel's logs. HttpClient's own retries are off:
 * every attempt is one of ours, counted and backed off by {@link ActionRoutes}.
 */
public final class WebhookSink implements ActionSink {
    public static final String NAME = "webhook";

    /** Registry name of the configurer that switches off HttpClient's built-in retries. */
    static final String CLIENT_CONFIGURER = "operonWebhookClientConfigurer";
    /** Turns off HttpClient's automatic retries (it would otherwise repeat a 503 or 429 by itself). */
    static final HttpClientConfigurer NO_CLIENT_RETRIES = builder -> builder.disableAutomaticRetries();

    private final String endpoint;
    private final String rawQuery;
    private final String authorization;
    private final String method;
    private final Template body;
    private final Map<String, Template> headers = new LinkedHashMap<>();

    public WebhookSink(ActionOptions options) {
        URI url = options.webhookUri().orElseThrow(() -> new IllegalArgumentException(
                "target 'webhook' needs " + ActionOptions.WEBHOOK_URL));
        long connectMillis = options.connectTimeout().toMillis();
        long responseMillis = options.responseTimeout().toMillis();
        this.endpoint = ActionOptions.redacted(url)
                + "?connectTimeout=" + connectMillis
                + "&connectionRequestTimeout=" + connectMillis
                + "&responseTimeout=" + responseMillis
                + "&soTimeout=" + responseMillis
                + "&httpClientConfigurer=#" + CLIENT_CONFIGURER
                // Only the status counts (retries, outcome details): the answer's body is not read into the exchange.
                + "&ignoreResponseBody=true";
        this.rawQuery = url.getRawQuery();
        this.authorization = url.getUserInfo() == null ? null : "Basic " + Base64.getEncoder()
                .encodeToString(url.getUserInfo().getBytes(StandardCharsets.UTF_8));
        WebhookOptions shape = options.webhookOptions();
        this.method = shape.method();
        this.body = shape.bodyTemplate() == null ? null : WebhookOptions.body(shape.bodyTemplate());
        shape.headers().forEach((name, value) -> headers.put(name, WebhookOptions.header(name, value)));
    }

    /** The request body for one action: the decision as JSON, or the body template rendered and checked. */
    String body(Action action) {
        if (body == null) {
            return ActionJson.decision(action);
        }
        try {
            return WebhookOptions.checkJson(body.render(DecisionModel.of(action)));
        } catch (IllegalArgumentException e) {
            // no cause: the audit reason is the root cause's message, and this one names the key
            throw new IllegalArgumentException(WebhookOptions.BODY_TEMPLATE + " rendered invalid JSON: " + e.getMessage());
        }
    }

    /** True: the receiver drops a repeat by its {@code Idempotency-Key} (the action id). */
    @Override
    public boolean deduplicatesByKey() {
        return true;
    }

    @Override
    public void perform(RouteDefinition route) {
        route.process(exchange -> {
            Action action = exchange.getIn().getBody(Action.class);
            String payload = body(action);
            exchange.getIn().removeHeaders("*");
            if (!headers.isEmpty()) {
                JsonNode model = DecisionModel.of(action);
                headers.forEach((name, value) -> exchange.getIn().setHeader(name, value.render(model)));
            }
            exchange.getIn().setHeader(Exchange.HTTP_METHOD, method);
            exchange.getIn().setHeader(Exchange.CONTENT_TYPE, "application/json");
            exchange.getIn().setHeader("Idempotency-Key", action.id());
            if (rawQuery != null) {
                exchange.getIn().setHeader(Exchange.HTTP_QUERY, rawQuery);
            }
            if (authorization != null) {
                exchange.getIn().setHeader("Authorization", authorization);
            }
            exchange.getIn().setBody(payload);
        }).to(endpoint).process(exchange -> {
            Integer status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
            if (status != null) {
                exchange.setProperty(ActionOutcomeListener.DETAILS_PROPERTY, java.util.Map.of("httpStatus", status));
            }
        });
    }
}
