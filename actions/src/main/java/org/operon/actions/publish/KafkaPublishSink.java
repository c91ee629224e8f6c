package org.operon.actions.publish;

import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.component.kafka.KafkaConfiguration;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.model.RouteDefinition;
import org.operon.actions.Action;
import org.operon.actions.ActionOptions;
import org.operon.actions.ActionSink;

/**
 * Target {@code kafka}: publishes the decision as a CloudEvent ({@link DecisionEvents#decisionEvent}, structured
 * mode, header {@code content-type: application/cloudevents+json; charset=UTF-8}) to
 * {@link PublishOptions.Kafka#topic()}, with the decision's subject as the record key so that the events about
 * one subject stay in order on one partition. The producer is idempotent and waits for all in-sync replicas
 * ({@code acks=all}); the action is sent once the broker acknowledged the record. A timeout or another
 * retriable Kafka error is retried by the shared error handling; the event id (the action id) lets consumers
 * drop a repeat.
 */
public final class KafkaPublishSink implements ActionSink {
    public static final String NAME = "kafka";
    static final String COMPONENT = "operon-publish-kafka";
    static final String CONTENT_TYPE = "application/cloudevents+json; charset=UTF-8";

    private final PublishOptions publish;
    private final Publisher publisher;

    public KafkaPublishSink(ActionOptions options) {
        this.publish = options.targetSettings(PublishOptions.class).filter(p -> p.kafka() != null)
                .orElseThrow(() -> new IllegalArgumentException("target 'kafka' needs "
                        + PublishOptions.KAFKA_BOOTSTRAP_SERVERS));
        PublishOptions.Kafka kafka = publish.kafka();
        int requestMillis = (int) Math.min(Integer.MAX_VALUE, options.responseTimeout().toMillis());
        int blockMillis = (int) Math.min(Integer.MAX_VALUE, options.connectTimeout().toMillis() + requestMillis);
        this.publisher = new Publisher(context -> endpoint(context, kafka, requestMillis, blockMillis));
    }

    private static Endpoint endpoint(CamelContext context, PublishOptions.Kafka kafka, int requestMillis,
                                     int blockMillis) {
        synchronized (KafkaPublishSink.class) {
            if (context.hasComponent(COMPONENT) == null) {
                KafkaConfiguration c = new KafkaConfiguration();
                c.setBrokers(kafka.bootstrapServers());
                c.setRequestRequiredAcks("all");
                c.setEnableIdempotence(true);
                c.setRequestTimeoutMs(requestMillis);
                c.setDeliveryTimeoutMs(requestMillis + 1000);
                c.setMaxBlockMs(blockMillis);
                c.setLingerMs(0);
                KafkaComponent component = new KafkaComponent();
                component.setConfiguration(c);
                context.addComponent(COMPONENT, component);
            }
        }
        return context.getEndpoint(COMPONENT + ":" + kafka.topic());
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
                    KafkaConstants.KEY, action.decision().getSubject(),
                    "content-type", CONTENT_TYPE));
        });
    }
}
