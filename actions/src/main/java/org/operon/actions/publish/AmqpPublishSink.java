package org.operon.actions.publish;

import java.time.Duration;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.component.amqp.AMQPComponent;
import org.apache.camel.model.RouteDefinition;
import org.apache.qpid.jms.JmsConnectionFactory;
import org.operon.actions.Action;
import org.operon.actions.ActionOptions;
import org.operon.actions.ActionSink;

/**
 * Target {@code amqp}: sends the decision as a CloudEvent ({@link DecisionEvents#decisionEvent}, structured mode,
 * a text message) to the AMQP 1.0 queue {@link PublishOptions.Amqp#queue()}, persistent, with the action id as
 * JMS correlation id. The action is sent once the broker accepted the message, within the per-attempt timeout
 * ({@code operon.actions.webhook.timeout}; see {@link #connectionFactory}). Connection failures and timeouts are
 * retried by the shared error handling. The password goes to the connection factory only, never into a URI or a log.
 */
public final class AmqpPublishSink implements ActionSink {
    public static final String NAME = "amqp";
    static final String COMPONENT = "operon-publish-amqp";

    private final PublishOptions publish;
    private final Publisher publisher;

    public AmqpPublishSink(ActionOptions options) {
        this.publish = options.targetSettings(PublishOptions.class).filter(p -> p.amqp() != null)
                .orElseThrow(() -> new IllegalArgumentException("target 'amqp' needs " + PublishOptions.AMQP_URL));
        PublishOptions.Amqp amqp = publish.amqp();
        Duration connect = options.connectTimeout().plus(options.responseTimeout());
        Duration answer = options.responseTimeout();
        this.publisher = new Publisher(context -> endpoint(context, amqp, connect, answer));
    }

    /**
     * The target's connection factory without its credentials: every wait of Qpid JMS is bounded, since its
     * defaults wait without end for a send's disposition ({@code jms.sendTimeout}) and 60 s to close. The
     * connection (TCP and AMQP open) must be made within {@code connect}; a send, any other request and the close
     * must be answered within {@code answer}. A stalled broker thus fails the attempt with a
     * {@code JmsOperationTimedOutException}, which is retried (see {@link Publisher}).
     */
    static JmsConnectionFactory connectionFactory(PublishOptions.Amqp amqp, Duration connect, Duration answer) {
        JmsConnectionFactory connections = new JmsConnectionFactory(amqp.url());
        connections.setConnectTimeout(connect.toMillis());
        connections.setSendTimeout(answer.toMillis());
        connections.setRequestTimeout(answer.toMillis());
        connections.setCloseTimeout(answer.toMillis());
        return connections;
    }

    private static Endpoint endpoint(CamelContext context, PublishOptions.Amqp amqp, Duration connect,
                                     Duration answer) {
        synchronized (AmqpPublishSink.class) {
            if (context.hasComponent(COMPONENT) == null) {
                JmsConnectionFactory connections = connectionFactory(amqp, connect, answer);
                if (!amqp.username().isEmpty()) {
                    connections.setUsername(amqp.username());
                }
                if (!amqp.password().isEmpty()) {
                    connections.setPassword(amqp.password());
                }
                context.addComponent(COMPONENT, new AMQPComponent(connections));
            }
        }
        return context.getEndpoint(COMPONENT + ":queue:" + amqp.queue()
                + "?disableReplyTo=true&deliveryPersistent=true&jmsMessageType=Text");
    }

    /** True: a consumer drops a repeat by the CloudEvent id (the action id). */
    @Override
    public boolean deduplicatesByKey() {
        return true;
    }

    @Override
    public void perform(RouteDefinition route) {
        route.process(exchange -> {
            Action action = exchange.getIn().getBody(Action.class);
            int hops = DecisionEvents.checkedHops(action.decision(), publish.maxHops());
            publisher.send(exchange, DecisionEvents.decisionEvent(action, hops), Map.of(
                    "JMSCorrelationID", action.id()));
        });
    }
}
