package org.operon.app.config;

import org.junit.jupiter.api.Test;
import org.operon.integration.kafka.KafkaSourceOptions;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The operon.kafka.* options: off by default, typed and checked at load, secrets never shown. */
class KafkaSourceConfigTest {

    @Test
    void withoutBrokersThereIsNoKafkaSource() {
        assertThat(OperonConfig.load(Map.of(), new Properties()).kafkaSource()).isEmpty();
    }

    @Test
    void brokersAndTopicsMakeTheSourceWithDefaultsForTheRest() {
        OperonConfig c = OperonConfig.load(Map.of("OPERON_KAFKA_BOOTSTRAP_SERVERS", "k1:9092,k2:9092",
                "OPERON_KAFKA_TOPICS", "alerts, audit"), new Properties());

        KafkaSourceOptions k = c.kafkaSource().orElseThrow();
        assertThat(k.bootstrapServers()).isEqualTo("k1:9092,k2:9092");
        assertThat(k.topics()).containsExactly("alerts", "audit");
        assertThat(k.groupId()).isEqualTo("operon");
        assertThat(k.autoOffsetReset()).isEqualTo("earliest");
        assertThat(k.security().protocol()).isEqualTo("PLAINTEXT");
        assertThat(k.retryBackoff()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void securitySettingsArePassedOnAndTheSecretsMasked() {
        String jaas = "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\" password=\"p4ss\";";
        OperonConfig c = OperonConfig.load(Map.of("OPERON_KAFKA_BOOTSTRAP_SERVERS", "k1:9093",
                "OPERON_KAFKA_TOPICS", "alerts", "OPERON_KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                "OPERON_KAFKA_SASL_MECHANISM", "PLAIN", "OPERON_KAFKA_SASL_JAAS_CONFIG", jaas,
                "OPERON_KAFKA_SSL_TRUSTSTORE_LOCATION", "/etc/operon/ca.p12",
                "OPERON_KAFKA_SSL_TRUSTSTORE_PASSWORD", "tru5t"), new Properties());

        KafkaSourceOptions.Security s = c.kafkaSource().orElseThrow().security();
        assertThat(s.protocol()).isEqualTo("SASL_SSL");
        assertThat(s.saslMechanism()).isEqualTo("PLAIN");
        assertThat(s.saslJaasConfig()).isEqualTo(jaas);
        assertThat(s.truststorePassword()).isEqualTo("tru5t");
        assertThat(c.describe()).containsEntry("operon.kafka.sasl-jaas-config", "****")
                .containsEntry("operon.kafka.ssl-truststore-password", "****")
                .containsEntry("operon.kafka.ssl-keystore-password", "")
                .containsEntry("operon.kafka.ssl-truststore-location", "/etc/operon/ca.p12");
        assertThat(c.describe().toString()).doesNotContain("p4ss").doesNotContain("tru5t");
    }

    @Test
    void brokersWithoutTopicsStopTheStart() {
        assertThatThrownBy(() -> OperonConfig.load(Map.of("OPERON_KAFKA_BOOTSTRAP_SERVERS", "k1:9092"), new Properties()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("operon.kafka.topics");
    }

    @Test
    void anUnknownSecurityProtocolOrOffsetResetNamesItsKey() {
        assertThatThrownBy(() -> OperonConfig.load(Map.of("OPERON_KAFKA_SECURITY_PROTOCOL", "TLS"), new Properties()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("operon.kafka.security-protocol")
                .hasMessageContaining("SASL_SSL");
        assertThatThrownBy(() -> OperonConfig.load(Map.of("OPERON_KAFKA_AUTO_OFFSET_RESET", "none"), new Properties()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("operon.kafka.auto-offset-reset");
    }

    @Test
    void aMappingNamesAWebhookOfTheWebhooksFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path file = java.nio.file.Files.writeString(dir.resolve("webhooks.yaml"), """
                webhooks:
                  - name: zabbix
                    auth: {bearer_token: t0ken-for-the-http-endpoint}
                    event: {type: zabbix.problem, id: $.eventid}
                """);
        OperonConfig c = OperonConfig.load(Map.of("OPERON_KAFKA_BOOTSTRAP_SERVERS", "k1:9092",
                "OPERON_KAFKA_TOPICS", "alerts", "OPERON_WEBHOOKS_FILE", file.toString(),
                "OPERON_KAFKA_MAPPING", "zabbix", "OPERON_MQTT_MAPPING", "zabbix"), new Properties());

        assertThat(c.kafkaSource().orElseThrow().mapping()).isSameAs(c.webhooks().get(0).mapping());
        assertThat(c.sourceMapping(OperonConfig.MQTT_MAPPING)).isSameAs(c.webhooks().get(0).mapping());
        assertThat(c.sourceMapping(OperonConfig.AMQP_MAPPING)).isNull();
        assertThat(OperonConfig.load(Map.of("OPERON_KAFKA_BOOTSTRAP_SERVERS", "k1:9092",
                "OPERON_KAFKA_TOPICS", "alerts"), new Properties()).kafkaSource().orElseThrow().mapping()).isNull();
    }

    @Test
    void aMappingNamingNoWebhookStopsTheStartNamingTheKey() {
        assertThatThrownBy(() -> OperonConfig.load(Map.of("OPERON_KAFKA_BOOTSTRAP_SERVERS", "k1:9092",
                "OPERON_KAFKA_TOPICS", "alerts", "OPERON_KAFKA_MAPPING", "nagios"), new Properties()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("operon.kafka.mapping=nagios");
        assertThatThrownBy(() -> OperonConfig.load(Map.of("OPERON_AMQP_MAPPING", "nagios"), new Properties()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("operon.amqp.mapping=nagios");
    }
}
