package org.operon.actions.publish;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5Component;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5Configuration;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5Endpoint;
import org.apache.camel.model.RouteDefinition;
import org.operon.actions.Action;
import org.operon.actions.ActionOptions;
import org.operon.actions.ActionSink;

/**
 * Target {@code mqtt}: publishes the decision as a CloudEvent ({@link DecisionEvents#decisionEvent}, structured
 * mode, UTF-8 JSON payload) to the MQTT topic {@link PublishOptions.Mqtt#topic()} with QoS 1, not retained. The
 * action is sent once the broker acknowledged (PUBACK). A broker that cannot be reached is retried by the
 * shared error handling. The endpoint is built directly, so the password never appears in an endpoint URI.
 */
public final class MqttPublishSink implements ActionSink {
    public static final String NAME = "mqtt";

    private final PublishOptions publish;
    private final Publisher publisher;

    public MqttPublishSink(ActionOptions options) {
        this.publish = options.targetSettings(PublishOptions.class).filter(p -> p.mqtt() != null)
                .orElseThrow(() -> new IllegalArgumentException("target 'mqtt' needs " + PublishOptions.MQTT_URL));
        PublishOptions.Mqtt mqtt = publish.mqtt();
        int connectSeconds = (int) Math.max(1, options.connectTimeout().toSeconds());
        this.publisher = new Publisher(context -> endpoint(context, mqtt, connectSeconds));
    }

    private static Endpoint endpoint(CamelContext context, PublishOptions.Mqtt mqtt, int connectSeconds) {
        PahoMqtt5Configuration config = new PahoMqtt5Configuration();
        config.setBrokerUrl(mqtt.url());
        config.setClientId(mqtt.clientId());
        config.setQos(1);
        config.setRetained(false);
        config.setCleanStart(true);
        // Paho reconnects in the background after a lost connection; meanwhile attempts fail "not connected"
        // and are retried (see Publisher).
        config.setAutomaticReconnect(true);
        config.setConnectionTimeout(connectSeconds);
        if (!mqtt.username().isEmpty()) {
            config.setUserName(mqtt.username());
        }
        if (!mqtt.password().isEmpty()) {
            config.setPassword(mqtt.password());
        }
        PahoMqtt5Component component = context.getComponent("paho-mqtt5", PahoMqtt5Component.class);
        String uri = "paho-mqtt5:operon-publish-" + mqtt.clientId();
        PahoMqtt5Endpoint endpoint = new PahoMqtt5Endpoint(uri, mqtt.topic(), component, config);
        return addEndpoint(context, uri, endpoint);
    }

    private static Endpoint addEndpoint(CamelContext context, String uri, PahoMqtt5Endpoint endpoint) {
        try {
            context.addEndpoint(uri, endpoint);
            return endpoint;
        } catch (Exception e) {
            throw new IllegalStateException("the MQTT publisher endpoint cannot be added: " + e.getMessage(), e);
        }
    }

    @Override
    public void perform(RouteDefinition route) {
        route.process(exchange -> {
            Action action = exchange.getIn().getBody(Action.class);
            int hops = DecisionEvents.checkedHops(action.decision(), publish.maxHops());
            publisher.send(exchange, DecisionEvents.decisionEvent(action, hops).getBytes(StandardCharsets.UTF_8),
                    Map.of());
        });
    }
}
