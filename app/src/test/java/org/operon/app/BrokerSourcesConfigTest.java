package org.operon.app;

import org.junit.jupiter.api.Test;
import org.operon.app.config.ConfigException;
import org.operon.app.config.OperonConfig;

import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The AMQP and MQTT source keys: what they switch on, what they refuse, and that secrets stay hidden. */
class BrokerSourcesConfigTest {

    private static OperonConfig load(Map<String, String> env) {
        return OperonConfig.load(env, new Properties());
    }

    @Test
    void withoutABrokerUrlThereAreNoBrokerSources() {
        OperonConfig config = load(Map.of("OPERON_AMQP_QUEUES", "alerts", "OPERON_MQTT_TOPICS", "alerts/#"));

        assertThat(OperonApp.brokerSources(config, null).routeIds()).isEmpty();
    }

    @Test
    void aBrokerUrlWithQueuesOrTopicsAddsOneRouteEach() {
        OperonConfig config = load(Map.of(
                "OPERON_AMQP_URL", "amqp://broker:5672", "OPERON_AMQP_QUEUES", "alerts, tickets",
                "OPERON_AMQP_USERNAME", "operon", "OPERON_AMQP_PASSWORD", "amqp-hunter2",
                "OPERON_MQTT_URL", "tcp://broker:1883", "OPERON_MQTT_TOPICS", "sensors/+/alarm",
                "OPERON_MQTT_CLIENT_ID", "operon-eu1", "OPERON_MQTT_PASSWORD", "mqtt-hunter2"));

        assertThat(OperonApp.brokerSources(config, null).routeIds()).containsExactly(
                "operon-source-amqp-alerts", "operon-source-amqp-tickets", "operon-source-mqtt-sensors/+/alarm");
        assertThat(config.get(OperonConfig.MQTT_CLIENT_ID)).isEqualTo("operon-eu1");
        assertThat(config.describe()).containsEntry("operon.amqp.password", "****")
                .containsEntry("operon.mqtt.password", "****").containsEntry("operon.amqp.username", "operon");
        assertThat(config.describe().toString()).doesNotContain("hunter2");
    }

    @Test
    void aBrokerUrlWithNothingToConsumeRefusesToStart() {
        assertThatThrownBy(() -> load(Map.of("OPERON_AMQP_URL", "amqp://broker:5672")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("operon.amqp.queues");
        assertThatThrownBy(() -> load(Map.of("OPERON_MQTT_URL", "tcp://broker:1883")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("operon.mqtt.topics");
    }

    @Test
    void credentialsInAUrlAreRefusedWithoutBeingShown() {
        assertThatThrownBy(() -> load(Map.of("OPERON_AMQP_URL", "amqp://operon:hunter2@broker:5672",
                "OPERON_AMQP_QUEUES", "alerts")))
                .hasMessageContaining("operon.amqp.url").hasMessageContaining("credentials")
                .hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> load(Map.of("OPERON_AMQP_URL", "amqp://broker:5672?jms.password=hunter2",
                "OPERON_AMQP_QUEUES", "alerts")))
                .hasMessageContaining("operon.amqp.url").hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> load(Map.of("OPERON_MQTT_URL", "http://broker:1883", "OPERON_MQTT_TOPICS", "a")))
                .hasMessageContaining("operon.mqtt.url").hasMessageContaining("tcp://host:1883");
    }
}
