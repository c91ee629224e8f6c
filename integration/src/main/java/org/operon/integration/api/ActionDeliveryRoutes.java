package org.operon.integration.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.platform.http.vertx.HttpMessage;
import org.operon.integration.http.ApiException;
import org.operon.integration.http.ApiTokenCheck;
import org.operon.integration.http.JsonReply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The delivery side of the actions API, behind the API token:
 * <ul>
 *   <li>{@code POST /api/v1/actions/{id}/retry}: queues a failed action again (see
 *       {@code GET /api/v1/actions?status=failed}); 202 {@code {"status":"queued","action":{...}}},
 *       404 {@code not_found} for an unknown id, 409 {@code not_failed} for an action that is sent,
 *       suppressed, or queued or running already, 503 {@code not_running} while Operon starts or stops.</li>
 *   <li>{@code GET /api/v1/actions/targets}: {@code {"targets": [{name, circuit, consecutiveFailures,
 *       openUntil, queued, running, maxConcurrent, rate}]}}.</li>
 * </ul>
 */
public class ActionDeliveryRoutes extends RouteBuilder {
    public static final String RETRY = "/retry";
    public static final String TARGETS_PATH = ExplainRoutes.ACTIONS_PATH + "/targets";
    /** Action ids are hex digests; anything else cannot name one. */
    private static final Pattern ACTION_ID = Pattern.compile("[0-9a-zA-Z_-]{1,64}");
    private static final Logger LOG = LoggerFactory.getLogger(ActionDeliveryRoutes.class);

    private final ActionDelivery delivery;
    private final ApiTokenCheck tokenCheck;
    private final JsonReply reply = new JsonReply(new ObjectMapper());

    public ActionDeliveryRoutes(ActionDelivery delivery, ApiTokenCheck tokenCheck) {
        this.delivery = Objects.requireNonNull(delivery, "delivery");
        this.tokenCheck = Objects.requireNonNull(tokenCheck, "tokenCheck");
    }

    @Override
    public void configure() {
        onException(Exception.class).handled(true).process(this::answerFailure);

        from("platform-http:" + ExplainRoutes.ACTIONS_PATH + "/{actionId}" + RETRY + "?httpMethodRestrict=POST")
                .routeId("api-action-retry")
                .process(tokenCheck)
                .process(e -> retry(e, actionId(e)));

        from("platform-http:" + TARGETS_PATH + "?httpMethodRestrict=GET")
                .routeId("api-action-targets")
                .process(tokenCheck)
                .process(e -> reply.write(e, 200, Map.of("targets", delivery.targets())));
    }

    private void retry(Exchange exchange, String actionId) throws ApiException {
        if (!ACTION_ID.matcher(actionId).matches()) {
            throw new ApiException(404, "not_found", "no action '" + actionId + "'");
        }
        ActionDelivery.Retry retry;
        try {
            retry = delivery.retry(actionId);
        } catch (IllegalStateException e) {
            throw new ApiException(503, "not_running", "actions are not being performed now; try again later");
        }
        switch (retry.outcome()) {
            case QUEUED -> reply.write(exchange, 202, Map.of("status", "queued", "action", retry.action()));
            case UNKNOWN -> throw new ApiException(404, "not_found", retry.detail());
            default -> throw new ApiException(409, "not_failed", retry.detail());
        }
    }

    /** The id segment of the request path, read from the path itself (as {@link ExplainRoutes} does). */
    private static String actionId(Exchange exchange) {
        String path = exchange.getIn() instanceof HttpMessage http && http.getRequest() != null
                ? http.getRequest().path() : exchange.getIn().getHeader(Exchange.HTTP_PATH, String.class);
        String prefix = ExplainRoutes.ACTIONS_PATH + "/";
        int start = path == null ? -1 : path.indexOf(prefix);
        if (start < 0 || !path.endsWith(RETRY)) {
            return "";
        }
        return path.substring(start + prefix.length(), path.length() - RETRY.length());
    }

    private void answerFailure(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (failure instanceof ApiException api) {
            reply.writeError(exchange, api.status(), api.error(), api.detail());
        } else {
            LOG.warn("Unexpected failure in the actions delivery API: {}",
                    failure == null ? "unknown error" : failure.getClass().getSimpleName());
            reply.writeError(exchange, 500, "internal_error", "Operon failed to answer ("
                    + (failure == null ? "unknown error" : failure.getClass().getSimpleName()) + ")");
        }
    }
}
