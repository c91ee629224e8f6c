package org.operon.actions;

import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.operon.actions.ticket.JiraSink;
import org.operon.actions.ticket.RedmineSink;
import org.operon.actions.ticket.ServiceNowSink;

/**
 * The registry of sinks by target name. Adding a sink is one class implementing {@link ActionSink}
 * and one line here.
 */
public final class ActionSinks {
    private static final Map<String, Function<ActionOptions, ActionSink>> REGISTERED = Map.of(
            LogSink.NAME, LogSink::new,
            FileSink.NAME, FileSink::new,
            WebhookSink.NAME, WebhookSink::new,
            ChatSink.NAME, ChatSink::new,
            PagerDutySink.NAME, PagerDutySink::new,
            RedmineSink.NAME, RedmineSink::new,
            JiraSink.NAME, JiraSink::new,
            ServiceNowSink.NAME, ServiceNowSink::new);

    private ActionSinks() {
    }

    /** Every target name a configuration may use. */
    public static Set<String> names() {
        return REGISTERED.keySet();
    }

    /** The sink registered under {@code name}, configured by {@code options}. */
    static ActionSink create(String name, ActionOptions options) {
        Function<ActionOptions, ActionSink> factory = REGISTERED.get(name);
        if (factory == null) {
            throw new IllegalArgumentException("unknown target '" + name + "'; known targets: " + names());
        }
        return factory.apply(options);
    }
}
