package org.operon.integration.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.operon.engine.Engine;
import org.operon.integration.http.ApiTokenCheck;
import org.operon.integration.http.JsonReply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The engine's status and maintenance switch, JSON over platform-http, behind the API token:
 * <ul>
 *   <li>{@code GET /api/v1/engine}: {@code accepting}, {@code paused}, {@code processed} (events
 *       processed since start), {@code backlog} (accepted, not yet processed), {@code lastSeq}
 *       (journal sequence of the last processed event) and {@code clock} (the session clock, ISO-8601);</li>
 *   <li>{@code POST /api/v1/engine/pause}: stop processing, keep accepting (until the queue is full);</li>
 *   <li>{@code POST /api/v1/engine/resume}: process again.</li>
 * </ul>
 * Both POSTs answer 200 with the status.
 */
public class EngineControlRoutes extends RouteBuilder {
    private static final Logger LOG = LoggerFactory.getLogger(EngineControlRoutes.class);

    private final Engine engine;
    private final ApiTokenCheck tokenCheck;
    private final JsonReply reply = new JsonReply(new ObjectMapper());

    public EngineControlRoutes(Engine engine, ApiTokenCheck tokenCheck) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.tokenCheck = Objects.requireNonNull(tokenCheck, "tokenCheck");
    }

    @Override
    public void configure() {
        onException(Exception.class).handled(true).process(this::answerFailure);

        from("platform-http:/api/v1/engine?httpMethodRestrict=GET")
                .routeId("api-engine-status")
                .process(tokenCheck)
                .process(e -> reply.write(e, 200, status()));

        from("platform-http:/api/v1/engine/pause?httpMethodRestrict=POST")
                .routeId("api-engine-pause")
                .process(tokenCheck)
                .process(e -> {
                    engine.pause();
                    reply.write(e, 200, status());
                });

        from("platform-http:/api/v1/engine/resume?httpMethodRestrict=POST")
                .routeId("api-engine-resume")
                .process(tokenCheck)
                .process(e -> {
                    engine.resume();
                    reply.write(e, 200, status());
                });
    }

    private Map<String, Object> status() {
        Engine.Status s = engine.status();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("accepting", s.accepting());
        body.put("paused", s.paused());
        body.put("processed", s.processed());
        body.put("backlog", s.backlog());
        body.put("lastSeq", s.lastSeq());
        body.put("clock", java.time.Instant.ofEpochMilli(s.clockTime()).toString());
        // How long events stay in the session: "5m" when a rule of the rules directory may match one after its
        // arrival, "none" when each leaves once the rules fired on it (docs/rules.md, "Event").
        body.put("eventRetention", s.keepsEvents() ? "5m" : "none");
        return body;
    }

    private void answerFailure(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (failure instanceof org.operon.integration.http.ApiException api) {
            reply.writeError(exchange, api.status(), api.error(), api.detail());
        } else {
            LOG.warn("Unexpected failure in the engine API", failure);
            reply.writeError(exchange, 500, "internal_error", "Operon failed to answer ("
                    + (failure == null ? "unknown error" : failure.getClass().getSimpleName()) + ")");
        }
    }
}
