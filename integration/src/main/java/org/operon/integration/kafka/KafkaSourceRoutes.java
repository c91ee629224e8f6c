package org.operon.integration.kafka;

import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.component.kafka.KafkaConfiguration;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.CommitManager;
import org.apache.camel.component.kafka.consumer.DefaultKafkaManualSyncCommit;
import org.apache.camel.component.kafka.consumer.KafkaManualCommit;
import org.apache.camel.component.kafka.consumer.KafkaManualCommitFactory;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.operon.integration.source.SourceIntake;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The Kafka source: one consumer of the configured topics that hands each record's value (a CloudEvent
 * JSON object or a batch array; JSON turned into events by the configured mapping; or the data of a
 * binary-mode CloudEvent whose attributes are {@code ce_*} headers) to {@link SourceIntake} as source
 * {@code kafka:<topic>}, and commits the
 * record's offset only after the intake returned, that is once its valid events are durable in the
 * journal. Malformed records are dead-lettered by the intake (channel {@code kafka:<topic>}) and
 * committed, so consumption continues past them.
 *
 * <p>When the intake throws (the engine is overloaded, starting or stopping, or the journal did not
 * confirm) the record is retried in place {@link KafkaSourceOptions#retries()} times with a doubling
 * delay; then Camel's {@code breakOnFirstError} closes the consumer without committing and a new one
 * continues from the last committed offset, so the record is polled again and no later record of its
 * partition is committed past it. Redelivery after an unconfirmed journal write may repeat events;
 * the rules drop them by id.
 *
 * <p>Camel never commits on its own here (see {@link CommitOnlyWhenAsked}); the only commit is the
 * synchronous one of {@link #commit} after acceptance, one per record. The route does not start with
 * Camel: start {@link #ROUTE_ID} once the engine accepts, and stop it first on shutdown.
 *
 * <p>Security settings go to the Kafka client's configuration object, never into the endpoint URI, so
 * no secret appears in Camel's logs or route listings.
 */
public final class KafkaSourceRoutes extends RouteBuilder {
    public static final String ROUTE_ID = "kafka-source";
    /** The name the source's own Kafka component is registered under (its configuration holds the settings). */
    static final String COMPONENT = "operon-kafka";
    /** How long one poll waits for records; a stopping source waits for the poll in progress (Camel's default is 5 s). */
    static final long POLL_TIMEOUT_MS = 1000;
    /** The prefix of the CloudEvent attribute headers in binary content mode. */
    static final String CE_PREFIX = "ce_";
    /** The header with the data's media type in binary content mode. */
    static final String CONTENT_TYPE_HEADER = "content-type";
    private static final Logger LOG = LoggerFactory.getLogger(KafkaSourceRoutes.class);

    private final SourceIntake intake;
    private final KafkaSourceOptions options;

    public KafkaSourceRoutes(SourceIntake intake, KafkaSourceOptions options) {
        this.intake = Objects.requireNonNull(intake, "intake");
        this.options = Objects.requireNonNull(options, "options");
    }

    /** The intake's source name of records from {@code topic}, which is also their dead-letter channel. */
    public static String sourceName(String topic) {
        return "kafka:" + topic;
    }

    @Override
    public void configure() {
        KafkaComponent component = new KafkaComponent();
        component.setConfiguration(configuration(options));
        component.setKafkaManualCommitFactory(new CommitOnlyWhenAsked());
        getContext().addComponent(COMPONENT, component);

        // Not handled: a failed exchange leaves its record uncommitted, and breakOnFirstError seeks back to it.
        onException(Exception.class)
                .maximumRedeliveries(options.retries())
                .redeliveryDelay(options.retryBackoff().toMillis())
                .useExponentialBackOff().backOffMultiplier(2)
                .maximumRedeliveryDelay(options.maxRetryDelay().toMillis())
                .retryAttemptedLogLevel(LoggingLevel.DEBUG)
                .retriesExhaustedLogLevel(LoggingLevel.WARN)
                .logStackTrace(false).logExhaustedMessageHistory(false).logExhaustedMessageBody(false);

        from(COMPONENT + ":" + String.join(",", options.topics()))
                .routeId(ROUTE_ID)
                .autoStartup(false)
                .process(this::submit)
                .process(this::commit);
    }

    static KafkaConfiguration configuration(KafkaSourceOptions options) {
        KafkaConfiguration c = new KafkaConfiguration();
        c.setBrokers(options.bootstrapServers());
        c.setGroupId(options.groupId());
        c.setAutoOffsetReset(options.autoOffsetReset());
        c.setKeyDeserializer(StringDeserializer.class.getName());
        c.setValueDeserializer(ByteArrayDeserializer.class.getName());
        c.setAutoCommitEnable(false);
        c.setAllowManualCommit(true);
        c.setBreakOnFirstError(true);
        c.setPollTimeoutMs(POLL_TIMEOUT_MS);
        KafkaSourceOptions.Security s = options.security();
        c.setSecurityProtocol(s.protocol());
        if (!s.saslMechanism().isEmpty()) {
            c.setSaslMechanism(s.saslMechanism());
        }
        if (!s.saslJaasConfig().isEmpty()) {
            c.setSaslJaasConfig(s.saslJaasConfig());
        }
        if (!s.truststoreLocation().isEmpty()) {
            c.setSslTruststoreLocation(s.truststoreLocation());
        }
        if (!s.truststorePassword().isEmpty()) {
            c.setSslTruststorePassword(s.truststorePassword());
        }
        if (!s.keystoreLocation().isEmpty()) {
            c.setSslKeystoreLocation(s.keystoreLocation());
        }
        if (!s.keystorePassword().isEmpty()) {
            c.setSslKeystorePassword(s.keystorePassword());
        }
        return c;
    }

    private void submit(Exchange exchange) throws Exception {
        Message in = exchange.getMessage();
        String topic = in.getHeader(KafkaConstants.TOPIC, String.class);
        byte[] value = in.getBody(byte[].class);
        Headers headers = in.getHeader(KafkaConstants.HEADERS, Headers.class);
        Map<String, String> binary = binaryAttributes(headers);
        SourceIntake.Outcome outcome = binary.isEmpty()
                ? intake.submit(sourceName(topic), value, options.mapping())
                : intake.submitBinary(sourceName(topic), binary, header(headers, CONTENT_TYPE_HEADER), value);
        if (!outcome.rejected().isEmpty()) {
            LOG.info("Record {}-{} offset {}: {} events accepted, {} dead-lettered (first: {})", topic,
                    in.getHeader(KafkaConstants.PARTITION), in.getHeader(KafkaConstants.OFFSET),
                    outcome.accepted().size(), outcome.rejected().size(), outcome.rejected().get(0).error());
        }
    }

    /**
     * The CloudEvent attributes of a binary-mode record (CloudEvents Kafka protocol binding): the headers
     * {@code ce_<attribute>} (UTF-8), keyed by attribute name in lower case; empty unless the record has a
     * {@code ce_specversion} header, in which case its value is the event's data.
     */
    static Map<String, String> binaryAttributes(Headers headers) {
        if (headers == null || headers.lastHeader(CE_PREFIX + "specversion") == null) {
            return Map.of();
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        for (Header h : headers) {
            if (h.key().regionMatches(true, 0, CE_PREFIX, 0, CE_PREFIX.length()) && h.key().length() > CE_PREFIX.length()) {
                attributes.put(h.key().substring(CE_PREFIX.length()).toLowerCase(Locale.ROOT),
                        h.value() == null ? "" : new String(h.value(), StandardCharsets.UTF_8));
            }
        }
        return attributes;
    }

    private static String header(Headers headers, String name) {
        Header h = headers.lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    /** Commits the record's offset (synchronously); runs only once {@link #submit} returned. */
    private void commit(Exchange exchange) {
        KafkaManualCommit commit = exchange.getMessage().getHeader(KafkaConstants.MANUAL_COMMIT, KafkaManualCommit.class);
        if (commit == null) {
            throw new IllegalStateException("the Kafka consumer gave no manual commit (allowManualCommit is off)");
        }
        commit.commit();
    }

    /**
     * Synchronous manual commits, and nothing else. camel-kafka 4.14 picks its commit manager by the
     * factory's class: its own factories add commits of the last processed offsets (at the end of each
     * polled partition, on rebalance, on errors); any other factory gets the no-op manager, which leaves
     * {@link KafkaManualCommit#commit()} as the only way an offset is committed.
     */
    static final class CommitOnlyWhenAsked implements KafkaManualCommitFactory {
        @Override
        public KafkaManualCommit newInstance(CamelExchangePayload camelExchangePayload,
                                             KafkaRecordPayload kafkaRecordPayload, CommitManager commitManager) {
            return new DefaultKafkaManualSyncCommit(camelExchangePayload, kafkaRecordPayload, commitManager);
        }
    }
}
