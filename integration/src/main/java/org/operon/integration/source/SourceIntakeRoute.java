package org.operon.integration.source;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;

import java.util.Objects;

/**
 * The intake as a Camel endpoint, {@value SourceIntake#ENDPOINT}, for source routes (Kafka, AMQP, MQTT,
 * routes from the routes directory): the body (CloudEvent JSON: one event or a batch array) is
 * submitted under the source named by the header {@value SourceIntake#SOURCE_HEADER} (default
 * {@code route:<route id>}). The exchange completes normally once the valid events are durable, with
 * the {@link SourceIntake.Outcome} as body (bad input is dead-lettered, not thrown); it fails with the
 * exception of {@link SourceIntake#submit} when nothing could be accepted now, so the calling route
 * does not acknowledge and its broker redelivers.
 */
public final class SourceIntakeRoute extends RouteBuilder {
    public static final String ROUTE_ID = "operon-intake";

    private final SourceIntake intake;

    public SourceIntakeRoute(SourceIntake intake) {
        this.intake = Objects.requireNonNull(intake, "intake");
    }

    @Override
    public void configure() {
        // No error handler of its own: a failure goes back to the calling route, whose error handling
        // decides about retries and acknowledgement (a handler here would mark it final and stop them).
        from(SourceIntake.ENDPOINT).routeId(ROUTE_ID).errorHandler(noErrorHandler()).process(this::submit);
    }

    private void submit(Exchange exchange) throws Exception {
        String source = exchange.getIn().getHeader(SourceIntake.SOURCE_HEADER, String.class);
        if (source == null || source.isBlank()) {
            source = "route:" + exchange.getFromRouteId();
        }
        byte[] body = exchange.getIn().getBody(byte[].class);
        exchange.getMessage().setBody(intake.submit(source, body));
    }
}
