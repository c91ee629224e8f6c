package org.operon.integration.kafka;

import org.operon.integration.webhook.WebhookMapping;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * How the Kafka source connects and consumes: the brokers, the topics, the consumer group, the
 * security settings passed to the Kafka client, and how a record the engine cannot take now is retried.
 *
 * @param bootstrapServers {@code host:port} pairs, comma-separated
 * @param topics           the topics consumed; a record of topic {@code t} is source {@code kafka:t}
 * @param groupId          the consumer group whose committed offsets say where consumption continues
 * @param autoOffsetReset  where a group without committed offsets starts: {@code earliest} or {@code latest}
 * @param security         TLS/SASL settings; {@link Security#none()} for a plaintext connection
 * @param retryBackoff     delay before the first retry of a record the engine did not accept; doubled per attempt
 * @param retries          retries in place before the consumer seeks back to the record and polls it again
 * @param mapping          turns values that are not CloudEvents into events (a named webhook's mapping); null:
 *                         only CloudEvents are accepted
 * @param maxPollRecords   records per poll, which are one batch: one offset commit (and a journal append per 4,096 events)
 */
public record KafkaSourceOptions(String bootstrapServers, List<String> topics, String groupId, String autoOffsetReset,
                                 Security security, Duration retryBackoff, int retries, WebhookMapping mapping,
                                 int maxPollRecords) {
    /** The longest delay between two retries of one record. */
    public static final Duration MAX_RETRY_DELAY = Duration.ofSeconds(30);
    /** Retries in place before seeking back, unless set otherwise. */
    public static final int DEFAULT_RETRIES = 5;
    /** Records per poll unless set otherwise. */
    public static final int DEFAULT_MAX_POLL_RECORDS = 500;

    public KafkaSourceOptions {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("bootstrapServers must name at least one broker (host:port)");
        }
        topics = List.copyOf(topics);
        if (topics.isEmpty() || topics.stream().anyMatch(t -> t == null || t.isBlank() || t.contains(","))) {
            throw new IllegalArgumentException("topics must name at least one topic, without blanks or commas: " + topics);
        }
        if (groupId == null || groupId.isBlank()) {
            throw new IllegalArgumentException("groupId must not be empty");
        }
        if (!Set.of("earliest", "latest").contains(autoOffsetReset)) {
            throw new IllegalArgumentException("autoOffsetReset must be earliest or latest, not " + autoOffsetReset);
        }
        Objects.requireNonNull(security, "security");
        if (retryBackoff == null || retryBackoff.isNegative() || retryBackoff.isZero()) {
            throw new IllegalArgumentException("retryBackoff must be positive");
        }
        if (retries < 0) {
            throw new IllegalArgumentException("retries must not be negative");
        }
        if (maxPollRecords < 1) {
            throw new IllegalArgumentException("maxPollRecords must be at least 1, not " + maxPollRecords);
        }
    }

    /** Plaintext options with the defaults: start at the earliest offset, 1 s backoff, 5 retries in place. */
    public static KafkaSourceOptions of(String bootstrapServers, List<String> topics, String groupId) {
        return new KafkaSourceOptions(bootstrapServers, topics, groupId, "earliest", Security.none(),
                Duration.ofSeconds(1), DEFAULT_RETRIES, null, DEFAULT_MAX_POLL_RECORDS);
    }

    public KafkaSourceOptions withSecurity(Security security) {
        return new KafkaSourceOptions(bootstrapServers, topics, groupId, autoOffsetReset, security, retryBackoff, retries, mapping,
                maxPollRecords);
    }

    public KafkaSourceOptions withAutoOffsetReset(String autoOffsetReset) {
        return new KafkaSourceOptions(bootstrapServers, topics, groupId, autoOffsetReset, security, retryBackoff, retries, mapping,
                maxPollRecords);
    }

    public KafkaSourceOptions withRetries(Duration retryBackoff, int retries) {
        return new KafkaSourceOptions(bootstrapServers, topics, groupId, autoOffsetReset, security, retryBackoff, retries, mapping,
                maxPollRecords);
    }

    /** These options with values that are not CloudEvents mapped to events by {@code mapping} (null: none). */
    public KafkaSourceOptions withMapping(WebhookMapping mapping) {
        return new KafkaSourceOptions(bootstrapServers, topics, groupId, autoOffsetReset, security, retryBackoff, retries, mapping,
                maxPollRecords);
    }

    /** These options with {@code maxPollRecords} records per poll (one commit each). */
    public KafkaSourceOptions withMaxPollRecords(int maxPollRecords) {
        return new KafkaSourceOptions(bootstrapServers, topics, groupId, autoOffsetReset, security, retryBackoff, retries, mapping,
                maxPollRecords);
    }

    /** The delay between two retries never exceeds this: {@link #MAX_RETRY_DELAY}, or the backoff when it is longer. */
    public Duration maxRetryDelay() {
        return retryBackoff.compareTo(MAX_RETRY_DELAY) > 0 ? retryBackoff : MAX_RETRY_DELAY;
    }

    /**
     * The Kafka client's security settings, passed through unchanged; empty strings mean "not set". The
     * secrets (JAAS configuration, store passwords) never appear in {@link #toString()}, in endpoint URIs or
     * in logs: they go to the Kafka client's configuration only, which masks them itself.
     *
     * @param protocol           {@code security.protocol}: PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL
     * @param saslMechanism      {@code sasl.mechanism}, e.g. PLAIN, SCRAM-SHA-512
     * @param saslJaasConfig     {@code sasl.jaas.config} (secret)
     * @param truststoreLocation {@code ssl.truststore.location}
     * @param truststorePassword {@code ssl.truststore.password} (secret)
     * @param keystoreLocation   {@code ssl.keystore.location} (client certificate)
     * @param keystorePassword   {@code ssl.keystore.password} (secret)
     */
    public record Security(String protocol, String saslMechanism, String saslJaasConfig, String truststoreLocation,
                           String truststorePassword, String keystoreLocation, String keystorePassword) {
        private static final Set<String> PROTOCOLS = Set.of("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL");

        public Security {
            protocol = orEmpty(protocol).isEmpty() ? "PLAINTEXT" : protocol;
            if (!PROTOCOLS.contains(protocol)) {
                throw new IllegalArgumentException("the security protocol must be one of PLAINTEXT, SSL, SASL_PLAINTEXT, "
                        + "SASL_SSL, not " + protocol);
            }
            saslMechanism = orEmpty(saslMechanism);
            saslJaasConfig = orEmpty(saslJaasConfig);
            truststoreLocation = orEmpty(truststoreLocation);
            truststorePassword = orEmpty(truststorePassword);
            keystoreLocation = orEmpty(keystoreLocation);
            keystorePassword = orEmpty(keystorePassword);
        }

        public static Security none() {
            return new Security("PLAINTEXT", "", "", "", "", "", "");
        }

        private static String orEmpty(String s) {
            return s == null ? "" : s.trim();
        }

        @Override
        public String toString() {
            return "Security[protocol=" + protocol + ", saslMechanism=" + saslMechanism
                    + ", saslJaasConfig=" + masked(saslJaasConfig) + ", truststoreLocation=" + truststoreLocation
                    + ", truststorePassword=" + masked(truststorePassword) + ", keystoreLocation=" + keystoreLocation
                    + ", keystorePassword=" + masked(keystorePassword) + "]";
        }

        private static String masked(String secret) {
            return secret.isEmpty() ? "" : "****";
        }
    }
}
