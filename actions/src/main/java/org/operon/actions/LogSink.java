package org.operon.actions;

import org.apache.camel.model.RouteDefinition;

/** Target {@code log}: writes the action JSON at INFO to the logger {@code operon.actions}. */
public final class LogSink implements ActionSink {
    public static final String NAME = "log";

    public LogSink(ActionOptions options) {
    }

    /** True: every line carries the action id: a reader drops a repeated line by it. */
    @Override
    public boolean deduplicatesByKey() {
        return true;
    }

    @Override
    public void perform(RouteDefinition route) {
        route.process(exchange -> exchange.getIn().setBody(ActionJson.action(exchange.getIn().getBody(Action.class))))
                .to("log:operon.actions?level=INFO&plain=true");
    }
}
