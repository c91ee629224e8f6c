package org.operon.actions.publish;

import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.apache.camel.model.RouteDefinition;
import org.operon.actions.Action;
import org.operon.actions.ActionOptions;
import org.operon.actions.ActionSink;
import org.operon.model.CloudEventJson;
import org.operon.model.InvalidEventException;

/**
 * Target {@code operon} ("post_event"): a rule emits an event back into Operon. The event
 * ({@link DecisionEvents#postedEvent}: type from the decision's {@code eventType} param, never
 * {@code operon.*}) is sent to Operon's source intake, the Camel endpoint {@value #INTAKE}, under the source name
 * {@value #SOURCE_NAME} (header {@value #SOURCE_HEADER}). Like every source's events it is journaled before it is
 * accepted; the action is sent once the intake returned, that is once the event is durable. Its id is the action
 * id, so the intake's drop of duplicates by id and source makes a repeat harmless.
 *
 * <p>The event is checked here first with the intake's own rules (CloudEvents, no reserved type); an invalid one
 * fails the action without reaching the intake. An event the intake rejects anyway also fails it. When the intake
 * cannot accept now (engine queue full, journal unconfirmed) the attempt is retried. Events past
 * {@link PublishOptions#maxHops()} are refused (see {@link DecisionEvents}).
 */
public final class OperonEventSink implements ActionSink {
    public static final String NAME = "operon";
    /** Operon's source intake (integration's {@code SourceIntake.ENDPOINT}); by URI, so no compile dependency. */
    public static final String INTAKE = "direct:operon-intake";
    /** The intake's header naming the source (integration's {@code SourceIntake.SOURCE_HEADER}). */
    public static final String SOURCE_HEADER = "OperonSource";
    /** The source name the posted events are counted and dead-lettered under. */
    public static final String SOURCE_NAME = "operon:post-event";

    private static final CloudEventJson INTAKE_RULES = new CloudEventJson().rejectingReservedTypes();

    private final int maxHops;
    private final Publisher publisher = new Publisher(context -> context.getEndpoint(INTAKE));

    public OperonEventSink(ActionOptions options) {
        this.maxHops = options.targetSettings(PublishOptions.class).orElse(PublishOptions.defaults()).maxHops();
    }

    /** True: Operon's intake drops an event whose source and id it accepted in the last 10 minutes. */
    @Override
    public boolean deduplicatesByKey() {
        return true;
    }

    @Override
    public void perform(RouteDefinition route) {
        route.process(exchange -> {
            Action action = exchange.getIn().getBody(Action.class);
            int hops = DecisionEvents.checkedHops(action.decision(), maxHops);
            String event = DecisionEvents.postedEvent(action, hops);
            try {
                INTAKE_RULES.fromJson(INTAKE_RULES.parseTree(event));
            } catch (InvalidEventException e) {
                throw new IllegalArgumentException("the event to post is invalid: " + e.error() + ": " + e.detail());
            }
            Object outcome = publisher.send(exchange, event.getBytes(StandardCharsets.UTF_8),
                    Map.of(SOURCE_HEADER, SOURCE_NAME));
            List<?> rejected = rejections(outcome);
            if (!rejected.isEmpty()) {
                throw new IllegalArgumentException("Operon's intake rejected the posted event: " + rejected.get(0));
            }
        });
    }

    /** The intake outcome's {@code rejected()} list; empty when the reply has none. */
    private static List<?> rejections(Object outcome) {
        if (outcome == null) {
            return List.of();
        }
        try {
            Method rejected = outcome.getClass().getMethod("rejected");
            Object list = rejected.invoke(outcome);
            return list instanceof List<?> l ? l : List.of();
        } catch (ReflectiveOperationException e) {
            return List.of();
        }
    }
}
