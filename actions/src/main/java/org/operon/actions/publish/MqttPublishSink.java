package org.operon.actions.publish;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Producer;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5Component;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5Configuration;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5Endpoint;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5Producer;
import org.apache.camel.model.RouteDefinition;
import org.operon.actions.Action;
import org.operon.actions.ActionOptions;
import org.operon.actions.ActionSink;

/**
 * Target {@code mqtt}: publishes the decision as a CloudEvent ({@link DecisionEvents#decisionEvent}, structured
 * mode, UTF-8 JSON payload) to the MQTT topic {@link PublishOptions.Mqtt#topic()} with QoS 1, not retained. The
 * action is sent once the broker acknowledged (PUBACK) within the per-attempt timeout
 * ({@code operon.actions.webhook.timeout}). A broker that cannot be reached, or does not acknowledge in time, is
 * retried by the shared error handling. The endpoint is built directly, so the password never appears in an endpoint URI.
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
        long waitMillis = options.responseTimeout().toMillis();
        this.publisher = new Publisher(context -> endpoint(context, mqtt, connectSeconds, waitMillis));
    }

    private static Endpoint endpoint(CamelContext context, PublishOptions.Mqtt mqtt, int connectSeconds,
                                     long waitMillis) {
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
        PahoMqtt5Endpoint endpoint = new TimedEndpoint(uri, mqtt.topic(), component, config, waitMillis);
        return addEndpoint(context, uri, endpoint);
    }

    /**
     * Paho's {@code MqttClient.publish} waits for the broker's PUBACK without end unless the client has a time
     * to wait, which Camel's configuration does not expose: this endpoint's producer sets it on the client it
     * creates, to the per-attempt timeout ({@code operon.actions.webhook.timeout}). A broker that stalls then
     * fails the attempt with Paho's client timeout (reason code 32000), which is retried (see {@link Publisher}).
     */
    static final class TimedEndpoint extends PahoMqtt5Endpoint {
        private final long waitMillis;

        TimedEndpoint(String uri, String topic, PahoMqtt5Component component, PahoMqtt5Configuration config,
                      long waitMillis) {
            super(uri, topic, component, config);
            this.waitMillis = waitMillis;
        }

        @Override
        public Producer createProducer() {
            return new PahoMqtt5Producer(this) {
                @Override
                protected void doStart() throws Exception {
                    super.doStart();
                    getClient().setTimeToWait(waitMillis);
                }
            };
        }
    }

    private static Endpoint addEndpoint(CamelContext context, String uri, PahoMqtt5Endpoint endpoint) {
        try {
            context.addEndpoint(uri, endpoint);
            return endpoint;
        } catch (Exception e) {
            throw new IllegalStateException("the MQTT publisher endpoint cannot be added: " + e.getMessage(), e);
        }
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
            publisher.send(exchange, DecisionEvents.decisionEvent(action, hops).getBytes(StandardCharsets.UTF_8),
                    Map.of());
        });
    }
}
