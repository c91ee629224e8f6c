package org.operon.actions;

import java.util.Map;
import java.util.Set;
import java.util.function.Function;

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
            EmailSink.NAME, EmailSink::new,
            OpsgenieSink.NAME, OpsgenieSink::new);

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
