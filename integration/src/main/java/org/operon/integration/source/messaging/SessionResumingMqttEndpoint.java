package org.operon.integration.source.messaging;

import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5Component;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5Configuration;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5Consumer;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5Endpoint;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttClientPersistence;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttException;

/**
 * A camel-paho-mqtt5 endpoint whose consumer sets its message callback <em>before</em> it connects.
 *
 * <p>camel-paho-mqtt5 4.14's consumer connects first and sets the callback afterwards. When a persistent
 * session is resumed ({@code cleanStart=false}), the broker resends the session's unacknowledged messages
 * right after CONNACK; one that arrives before the callback is set is dropped by Paho without an
 * acknowledgement, and the broker, which counts it as delivered on this connection, does not send it again
 * until the next connection. That made redelivery after a restart unreliable (seen against Artemis in about
 * one restart in five). Here the consumer gets a client that connects only when the consumer subscribes,
 * which it does after setting the callback; the consumer disconnects and closes that client when it stops.
 */
final class SessionResumingMqttEndpoint extends PahoMqtt5Endpoint {

    SessionResumingMqttEndpoint(String uri, String topic, PahoMqtt5Component component,
                                PahoMqtt5Configuration configuration) {
        super(uri, topic, component, configuration);
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        Consumer consumer = new CallbackFirstConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    /** The consumer with a client of its own that connects on the first subscription. */
    private static final class CallbackFirstConsumer extends PahoMqtt5Consumer {
        CallbackFirstConsumer(SessionResumingMqttEndpoint endpoint, Processor processor) {
            super(endpoint, processor);
        }

        @Override
        protected void doStart() throws Exception {
            SessionResumingMqttEndpoint endpoint = (SessionResumingMqttEndpoint) getEndpoint();
            PahoMqtt5Configuration config = endpoint.getConfiguration();
            ConnectOnSubscribeClient client = new ConnectOnSubscribeClient(config.getBrokerUrl(), config.getClientId(),
                    endpoint.persistence(), endpoint.connectionOptions());
            client.setManualAcks(config.isManualAcksEnabled());
            setClient(client);
            // With a client given, the consumer sets the callback and subscribes: the subscription connects.
            super.doStart();
        }

        @Override
        protected void doStop() throws Exception {
            MqttClient client = getClient();
            super.doStop(); // leaves a client it did not create connected
            if (client != null) {
                try {
                    if (client.isConnected()) {
                        client.disconnect(); // a normal DISCONNECT: the session and its messages stay with the broker
                    }
                } finally {
                    client.close();
                }
            }
        }
    }

    private MqttConnectionOptions connectionOptions() {
        return createMqttConnectionOptions();
    }

    private MqttClientPersistence persistence() {
        return createMqttClientPersistence(getConfiguration());
    }

    /** Connects (with the endpoint's options) when first asked to subscribe. */
    private static final class ConnectOnSubscribeClient extends MqttClient {
        private final MqttConnectionOptions options;

        ConnectOnSubscribeClient(String brokerUrl, String clientId, MqttClientPersistence persistence,
                                 MqttConnectionOptions options) throws MqttException {
            super(brokerUrl, clientId, persistence);
            this.options = options;
        }

        @Override
        public IMqttToken subscribe(String topicFilter, int qos) throws MqttException {
            if (!isConnected()) {
                connect(options);
            }
            return super.subscribe(topicFilter, qos);
        }
    }
}
