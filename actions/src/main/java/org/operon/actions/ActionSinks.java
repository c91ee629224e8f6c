package org.operon.actions;

import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.operon.actions.exec.AnsibleSink;
import org.operon.actions.exec.AwxSink;
import org.operon.actions.exec.ExecSink;
import org.operon.actions.publish.AmqpPublishSink;
import org.operon.actions.publish.KafkaPublishSink;
import org.operon.actions.publish.MqttPublishSink;
import org.operon.actions.publish.OperonEventSink;
import org.operon.actions.ticket.JiraSink;
import org.operon.actions.ticket.RedmineSink;
import org.operon.actions.ticket.ServiceNowSink;

/**
 * The registry of sinks by target name. Adding a sink is one class implementing {@link ActionSink}
 * and one line here.
 */
public final class ActionSinks {
    private static final Map<String, Function<ActionOptions, ActionSink>> REGISTERED = Map.ofEntries(
            Map.entry(LogSink.NAME, LogSink::new),
            Map.entry(FileSink.NAME, FileSink::new),
            Map.entry(WebhookSink.NAME, WebhookSink::new),
            Map.entry(ChatSink.NAME, ChatSink::new),
            Map.entry(PagerDutySink.NAME, PagerDutySink::new),
            Map.entry(EmailSink.NAME, EmailSink::new),
            Map.entry(OpsgenieSink.NAME, OpsgenieSink::new),
            Map.entry(KafkaPublishSink.NAME, KafkaPublishSink::new),
            Map.entry(AmqpPublishSink.NAME, AmqpPublishSink::new),
            Map.entry(MqttPublishSink.NAME, MqttPublishSink::new),
            Map.entry(OperonEventSink.NAME, OperonEventSink::new),
            Map.entry(ExecSink.NAME, ExecSink::new),
            Map.entry(AnsibleSink.NAME, AnsibleSink::new),
            Map.entry(AwxSink.NAME, AwxSink::new),
            Map.entry(RedmineSink.NAME, RedmineSink::new),
            Map.entry(JiraSink.NAME, JiraSink::new),
            Map.entry(ServiceNowSink.NAME, ServiceNowSink::new));

    private ActionSinks() {
    }

    /** Every target name a configuration may use. */
    public static Set<String> names() {
        return REGISTERED.keySet();
    }

    /**
     * Whether the sink registered under {@code name} drops repeats by the action's key (see
     * {@link ActionSink#deduplicatesByKey()}); it is created from {@code options} to be asked, and then dropped.
     */
    static boolean deduplicatesByKey(String name, ActionOptions options) {
        return create(name, options).deduplicatesByKey();
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
