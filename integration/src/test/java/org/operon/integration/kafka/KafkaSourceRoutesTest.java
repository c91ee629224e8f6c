package org.operon.integration.kafka;

import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.apache.camel.component.kafka.KafkaConfiguration;
import org.apache.camel.component.kafka.KafkaEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.operon.integration.http.IntakeOptions;
import org.operon.integration.source.SourceIntake;
import org.operon.integration.testing.InMemoryDeadLetters;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Kafka source's configuration, without a broker: commit settings, security pass-through, validation. */
class KafkaSourceRoutesTest {
    private static final String JAAS = "org.apache.kafka.common.security.scram.ScramLoginModule required "
            + "username=\"operon\" password=\"s3cret-jaas\";";
    private static final KafkaSourceOptions.Security SASL = new KafkaSourceOptions.Security("SASL_SSL", "SCRAM-SHA-512",
            JAAS, "/etc/operon/truststore.p12", "s3cret-trust", "", "");

    @Test
    void offsetsAreCommittedOnlyByTheRouteOnePollAtATime() {
        KafkaConfiguration c = KafkaSourceRoutes.configuration(KafkaSourceOptions.of("b1:9092,b2:9092", List.of("alerts"),
                "operon"));

        assertThat(c.isAutoCommitEnable()).isFalse();
        assertThat(c.isAllowManualCommit()).isTrue();
        assertThat(c.isBatching()).as("one exchange, one journal append and one commit per poll").isTrue();
        // A failed batch is not committed: the route seeks its partitions back itself (see KafkaSourceIT).
        assertThat(c.isBreakOnFirstError()).isFalse();
        assertThat(c.getBrokers()).isEqualTo("b1:9092,b2:9092");
        assertThat(c.getGroupId()).isEqualTo("operon");
        assertThat(c.getAutoOffsetReset()).isEqualTo("earliest");
        assertThat(c.getValueDeserializer()).endsWith("ByteArrayDeserializer");
        assertThat(c.getSecurityProtocol()).isEqualTo("PLAINTEXT");
        assertThat(c.getSaslJaasConfig()).isNull();
        assertThat(c.getIsolationLevel()).as("aborted transactions are never read (KafkaSourceIT)")
                .isEqualTo("read_committed");
        // An idle topic beside a busy one on the same broker must not hold the busy one back for long: the
        // bench measured single-event records at 14 k events/s with Kafka's 500 ms, 90-120 k with 50 ms.
        assertThat(c.getFetchWaitMaxMs()).isEqualTo(50);
        // A batch that is not full is handed over after an empty poll: a lone record waits about this long.
        assertThat(c.getPollTimeoutMs()).isEqualTo(50L);
        // ... and, when records keep coming slower than a full poll, 100 ms after the last batch.
        assertThat(c.getBatchingIntervalMs()).isEqualTo(100);
    }

    @Test
    void securitySettingsReachTheClientButNeitherTheUriNorToString() throws Exception {
        KafkaSourceOptions options = KafkaSourceOptions.of("b1:9093", List.of("alerts", "audit"), "operon")
                .withSecurity(SASL);
        SourceIntake intake = new SourceIntake(new OverloadableAcceptor(), new InMemoryDeadLetters(),
                Clock.systemUTC(), IntakeOptions.defaults());
        try (CamelContext camel = new DefaultCamelContext()) {
            camel.addRoutes(new KafkaSourceRoutes(intake, options));
            camel.start();

            KafkaEndpoint endpoint = (KafkaEndpoint) camel.getRoute(KafkaSourceRoutes.ROUTE_ID).getEndpoint();
            assertThat(endpoint.getConfiguration().getSaslJaasConfig()).isEqualTo(JAAS);
            assertThat(endpoint.getConfiguration().getSslTruststorePassword()).isEqualTo("s3cret-trust");
            assertThat(endpoint.getConfiguration().getSecurityProtocol()).isEqualTo("SASL_SSL");
            assertThat(endpoint.getConfiguration().getTopic()).isEqualTo("alerts,audit");
            assertThat(endpoint.getEndpointUri()).doesNotContain("s3cret").doesNotContain("jaas");
            // The source waits for the engine: it starts only when asked to.
            assertThat(camel.getRouteController().getRouteStatus(KafkaSourceRoutes.ROUTE_ID))
                    .isEqualTo(ServiceStatus.Stopped);
        }
        assertThat(options.toString()).doesNotContain("s3cret").contains("saslJaasConfig=****")
                .contains("truststorePassword=****").contains("SCRAM-SHA-512");
    }

    @Test
    void optionsThatCanNeverWorkAreRefused() {
        assertThatThrownBy(() -> KafkaSourceOptions.of(" ", List.of("a"), "operon"))
                .hasMessageContaining("bootstrapServers");
        assertThatThrownBy(() -> KafkaSourceOptions.of("b:9092", List.of(), "operon")).hasMessageContaining("topics");
        assertThatThrownBy(() -> KafkaSourceOptions.of("b:9092", List.of("a"), "")).hasMessageContaining("groupId");
        assertThatThrownBy(() -> KafkaSourceOptions.of("b:9092", List.of("a"), "g").withAutoOffsetReset("none"))
                .hasMessageContaining("earliest or latest");
        assertThatThrownBy(() -> KafkaSourceOptions.of("b:9092", List.of("a"), "g").withRetries(Duration.ZERO, 1))
                .hasMessageContaining("retryBackoff");
        assertThatThrownBy(() -> new KafkaSourceOptions.Security("TLS", "", "", "", "", "", ""))
                .hasMessageContaining("PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL");
    }

    @Test
    void theRetryDelayDoublesUpToThirtySeconds() {
        KafkaSourceOptions options = KafkaSourceOptions.of("b:9092", List.of("a"), "g");
        assertThat(options.retryBackoff()).isEqualTo(Duration.ofSeconds(1));
        assertThat(options.retries()).isEqualTo(5);
        assertThat(options.maxRetryDelay()).isEqualTo(Duration.ofSeconds(30));
        assertThat(options.withRetries(Duration.ofMinutes(1), 1).maxRetryDelay()).isEqualTo(Duration.ofMinutes(1));
    }
}
