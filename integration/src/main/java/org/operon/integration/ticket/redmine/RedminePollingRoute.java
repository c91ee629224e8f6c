package org.operon.integration.ticket.redmine;

import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;

/**
 * The timer that runs {@link RedminePoller#poll()} every {@link RedmineOptions#period()}. A failed poll (Redmine
 * unreachable, engine overloaded) is logged and tried again at the next tick from the same position; polls
 * never overlap. Camel: the route does not start by itself; start {@link #ROUTE_ID} once the engine accepts,
 * stop it first on shutdown (a poll in progress finishes; the position moves only past what was accepted).
 */
public final class RedminePollingRoute extends RouteBuilder {
    public static final String ROUTE_ID = "redmine-ticket-source";

    private final RedminePoller poller;
    private final RedmineOptions options;

    public RedminePollingRoute(RedminePoller poller, RedmineOptions options) {
        this.poller = poller;
        this.options = options;
    }

    @Override
    public void configure() {
        onException(Exception.class).handled(true)
                .log(LoggingLevel.WARN, "Redmine poll failed, retried at the next tick: ${exception.message}");
        fromF("timer:%s?period=%d&delay=%d", ROUTE_ID, options.period().toMillis(),
                Math.min(options.period().toMillis(), 1000)).routeId(ROUTE_ID).autoStartup(false)
                .process(exchange -> exchange.getMessage().setBody(poller.poll()));
    }
}
