package org.operon.integration.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/**
 * Vert.x failure handler for bodies over the server's limit ({@code camel.server.maxBodySize}). Vert.x's
 * body handler refuses such a body with 413 before any Camel route runs and discards it; this handler
 * turns that refusal into the intake's answer: 413 {@code body_too_large} as JSON, and a dead letter
 * without payload whose size is the declared {@code Content-Length} (or, for a chunked body, the server
 * limit plus one, a lower bound). A request that fails the API token check is answered 401 and not
 * dead-lettered. Other failures are passed on untouched.
 *
 * <p>The dead letter is written on a Vert.x worker thread, never on the event loop.
 */
final class ServerBodyLimitHandler implements Handler<RoutingContext> {
    private final DeadLetterWriter deadLetters;
    private final ApiTokenCheck tokenCheck;
    private final ObjectMapper mapper;
    private final long intakeLimit;
    private final long serverLimit;

    ServerBodyLimitHandler(DeadLetterWriter deadLetters, ApiTokenCheck tokenCheck, ObjectMapper mapper,
                           long intakeLimit, long serverLimit) {
        this.deadLetters = deadLetters;
        this.tokenCheck = tokenCheck;
        this.mapper = mapper;
        this.intakeLimit = intakeLimit;
        this.serverLimit = serverLimit;
    }

    @Override
    public void handle(RoutingContext context) {
        if (context.statusCode() != 413 || context.response().ended() || context.response().headWritten()) {
            context.next();
            return;
        }
        boolean permitted = tokenCheck.permits(context.request().getHeader(ApiTokenCheck.AUTHORIZATION));
        long declared = EventIntakeRoutes.declaredLength(context.request());
        String detail = (declared >= 0 ? "the body is " + declared + " bytes" : "the body is over " + serverLimit + " bytes")
                + "; the limit is " + intakeLimit + " bytes (the body was refused unread, so no part of it was kept)";
        context.vertx().executeBlocking(() -> {
            if (!permitted) {
                return JsonReply.errorBody("unauthorized",
                        "this API requires the header 'Authorization: Bearer <token>' with the configured API token");
            }
            deadLetters.write("body_too_large", detail, null, new byte[0], declared >= 0 ? declared : serverLimit + 1);
            return JsonReply.errorBody("body_too_large", detail);
        }, false).onComplete(result -> {
            HttpServerResponse response = context.response();
            if (result.failed()) {
                response.setStatusCode(500).end();
                return;
            }
            response.setStatusCode(permitted ? 413 : 401)
                    .putHeader("Content-Type", JsonReply.APPLICATION_JSON)
                    .end(json(result.result()));
        });
    }

    private String json(Object body) {
        try {
            return mapper.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            return "{\"error\":\"body_too_large\"}";
        }
    }
}
