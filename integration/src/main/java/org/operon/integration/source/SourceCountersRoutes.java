package org.operon.integration.source;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.operon.integration.http.ApiException;
import org.operon.integration.http.ApiTokenCheck;
import org.operon.integration.http.JsonReply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Objects;

/**
 * {@code GET /api/v1/sources}, behind the API token: the intake counters of every source that has sent
 * something since start ({@link SourceIntake#counters()}), as
 * {@code {"sources": {"webhook:grafana": {"received": 3, "accepted": 5, "rejected": 1}, ...}}}, sorted by
 * name. {@code received} counts payloads (a webhook request, a syslog batch, a broker message);
 * {@code accepted} and {@code rejected} count events or whole payloads. Operon's own HTTP intake is
 * listed too when it counts into the same {@link org.operon.integration.http.IntakeCounters} (as the
 * application wires it): {@code http:/api/v1/events}, {@code http:/api/v2/alerts} and
 * {@code http:/api/v1/alertmanager}.
 */
public final class SourceCountersRoutes extends RouteBuilder {
    public static final String PATH = "/api/v1/sources";
    private static final Logger LOG = LoggerFactory.getLogger(SourceCountersRoutes.class);

    private final SourceIntake intake;
    private final ApiTokenCheck tokenCheck;
    private final JsonReply reply = new JsonReply(new ObjectMapper());

    public SourceCountersRoutes(SourceIntake intake, ApiTokenCheck tokenCheck) {
        this.intake = Objects.requireNonNull(intake, "intake");
        this.tokenCheck = Objects.requireNonNull(tokenCheck, "tokenCheck");
    }

    @Override
    public void configure() {
        onException(Exception.class).handled(true).process(this::answerFailure);

        from("platform-http:" + PATH + "?httpMethodRestrict=GET")
                .routeId("api-sources")
                .process(tokenCheck)
                .process(e -> reply.write(e, 200, Map.of("sources", intake.counters())));
    }

    private void answerFailure(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (failure instanceof ApiException api) {
            reply.writeError(exchange, api.status(), api.error(), api.detail());
        } else {
            LOG.warn("Unexpected failure in GET {}", PATH, failure);
            reply.writeError(exchange, 500, "internal_error", "Operon failed to list the source counters");
        }
    }
}
