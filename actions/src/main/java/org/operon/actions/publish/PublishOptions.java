package org.operon.actions.publish;

import java.util.Optional;

import org.operon.actions.TargetSettings;

/**
 * The publish targets' settings: where {@code kafka}, {@code amqp} and {@code mqtt} publish (each null when not
 * configured, and then naming it is an error), and the hop limit that all of them and {@code operon} apply.
 *
 * @param kafka   the Kafka topic ({@value #KAFKA_BOOTSTRAP_SERVERS}, {@value #KAFKA_TOPIC}); null: none
 * @param amqp    the AMQP 1.0 queue ({@value #AMQP_URL}, {@value #AMQP_QUEUE}, …); null: none
 * @param mqtt    the MQTT topic ({@value #MQTT_URL}, {@value #MQTT_TOPIC}, …); null: none
 * @param maxHops the highest {@code operonhops} a published event may carry ({@value #MAX_HOPS}, at least 1)
 */
public record PublishOptions(Kafka kafka, Amqp amqp, Mqtt mqtt, int maxHops) implements TargetSettings {
    public static final String KAFKA_BOOTSTRAP_SERVERS = "operon.actions.publish.kafka.bootstrap-servers";
    public static final String KAFKA_TOPIC = "operon.actions.publish.kafka.topic";
    public static final String AMQP_URL = "operon.actions.publish.amqp.url";
    public static final String AMQP_QUEUE = "operon.actions.publish.amqp.queue";
    public static final String AMQP_USERNAME = "operon.actions.publish.amqp.username";
    public static final String AMQP_PASSWORD = "operon.actions.publish.amqp.password";
    public static final String MQTT_URL = "operon.actions.publish.mqtt.url";
    public static final String MQTT_TOPIC = "operon.actions.publish.mqtt.topic";
    public static final String MQTT_CLIENT_ID = "operon.actions.publish.mqtt.client-id";
    public static final String MQTT_USERNAME = "operon.actions.publish.mqtt.username";
    public static final String MQTT_PASSWORD = "operon.actions.publish.mqtt.password";
    public static final String MAX_HOPS = "operon.actions.publish.max-hops";
    /** The hop limit unless configured. */
    public static final int DEFAULT_MAX_HOPS = 3;

    public PublishOptions {
        if (maxHops < 1) {
            throw new IllegalArgumentException(MAX_HOPS + " must be at least 1, was " + maxHops);
        }
    }

    /** No broker configured, the default hop limit: only the {@code operon} target can be used. */
    public static PublishOptions defaults() {
        return new PublishOptions(null, null, null, DEFAULT_MAX_HOPS);
    }

    public PublishOptions withKafka(Kafka k) {
        return new PublishOptions(k, amqp, mqtt, maxHops);
    }

    public PublishOptions withAmqp(Amqp a) {
        return new PublishOptions(kafka, a, mqtt, maxHops);
    }

    public PublishOptions withMqtt(Mqtt m) {
        return new PublishOptions(kafka, amqp, m, maxHops);
    }

    public PublishOptions withMaxHops(int hops) {
        return new PublishOptions(kafka, amqp, mqtt, hops);
    }

    @Override
    public boolean enables(String target) {
        return switch (target) {
            case KafkaPublishSink.NAME -> kafka != null;
            case AmqpPublishSink.NAME -> amqp != null;
            case MqttPublishSink.NAME -> mqtt != null;
            case OperonEventSink.NAME -> true;
            default -> false;
        };
    }

    Optional<Kafka> kafkaOptions() {
        return Optional.ofNullable(kafka);
    }

    /**
     * A Kafka topic on a cluster reached without TLS or SASL.
     *
     * @param bootstrapServers {@code host:port} pairs, comma-separated
     * @param topic            the topic every action is published to
     */
    public record Kafka(String bootstrapServers, String topic) {
        public Kafka {
            if (bootstrapServers == null || bootstrapServers.isBlank()) {
                throw new IllegalArgumentException(KAFKA_BOOTSTRAP_SERVERS + " must name at least one broker (host:port)");
            }
            if (topic == null || topic.isBlank() || !topic.matches("[A-Za-z0-9._-]{1,249}")) {
                throw new IllegalArgumentException(KAFKA_TOPIC + " must be a Kafka topic name (letters, digits, '.', "
                        + "'_', '-'), was '" + topic + "'");
            }
            bootstrapServers = bootstrapServers.strip();
        }
    }

    /**
     * An AMQP 1.0 queue (Qpid JMS).
     *
     * @param url      e.g. {@code amqp://broker:5672} or {@code amqps://broker:5671}; without credentials
     * @param queue    the queue every action is sent to
     * @param username empty for none
     * @param password empty for none; never printed
     */
    public record Amqp(String url, String queue, String username, String password) {
        public Amqp {
            if (url == null || url.isBlank()) {
                throw new IllegalArgumentException(AMQP_URL + " must be set for target 'amqp'");
            }
            if (url.contains("@")) {
                throw new IllegalArgumentException(AMQP_URL + " must not hold credentials; use " + AMQP_USERNAME
                        + " and " + AMQP_PASSWORD);
            }
            if (queue == null || queue.isBlank() || !queue.matches("[A-Za-z0-9._/:-]+")) {
                throw new IllegalArgumentException(AMQP_QUEUE + " must name a queue (letters, digits, '.', '_', '/', "
                        + "':', '-'), was '" + queue + "'");
            }
            url = url.strip();
            username = username == null ? "" : username;
            password = password == null ? "" : password;
        }

        @Override
        public String toString() {
            return "Amqp[url=" + url + ", queue=" + queue + ", username=" + username + ", password="
                    + (password.isEmpty() ? "" : "****") + "]";
        }
    }

    /**
     * An MQTT topic (MQTT 5, QoS 1, not retained).
     *
     * @param url      e.g. {@code tcp://broker:1883} or {@code ssl://broker:8883}
     * @param topic    the topic every action is published to (no wildcards)
     * @param clientId the publisher's client id; it must not be used by another client
     * @param username empty for none
     * @param password empty for none; never printed
     */
    public record Mqtt(String url, String topic, String clientId, String username, String password) {
        public Mqtt {
            if (url == null || url.isBlank()) {
                throw new IllegalArgumentException(MQTT_URL + " must be set for target 'mqtt'");
            }
            if (topic == null || topic.isBlank() || topic.contains("+") || topic.contains("#")) {
                throw new IllegalArgumentException(MQTT_TOPIC + " must name a topic without wildcards, was '"
                        + topic + "'");
            }
            if (clientId == null || clientId.isBlank()) {
                throw new IllegalArgumentException(MQTT_CLIENT_ID + " must not be empty");
            }
            url = url.strip();
            username = username == null ? "" : username;
            password = password == null ? "" : password;
        }

        @Override
        public String toString() {
            return "Mqtt[url=" + url + ", topic=" + topic + ", clientId=" + clientId + ", username=" + username
                    + ", password=" + (password.isEmpty() ? "" : "****") + "]";
        }
    }
}
