package org.operon.integration.kafka;

import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.component.kafka.KafkaConfiguration;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.consumer.CommitManager;
import org.apache.camel.component.kafka.consumer.DefaultKafkaManualCommit;
import org.apache.camel.component.kafka.consumer.DefaultKafkaManualSyncCommit;
import org.apache.camel.component.kafka.consumer.KafkaManualCommit;
import org.apache.camel.component.kafka.consumer.KafkaManualCommitFactory;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.operon.engine.EngineOverloadedException;
import org.operon.integration.source.SourceIntake;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The Kafka source: one consumer of the configured topics that hands each record's value (a CloudEvent
 * JSON object or a batch array; JSON turned into events by the configured mapping; or the data of a
 * binary-mode CloudEvent whose attributes are {@code ce_*} headers) to {@link SourceIntake} as source
 * {@code kafka:<topic>}. Camel's batching consumer hands over the records of a poll (up to
 * {@link KafkaSourceOptions#maxPollRecords()}; a smaller batch after an empty poll or 100 ms after the last
 * batch) as one batch: their events go to the journal in appends of about 4,096 events as they are decoded
 * ({@link SourceIntake#submitAll}), and the offsets after each partition's last record are committed
 * in one asynchronous commit only after that returned, that is once the valid events are durable (the
 * next poll does not wait for the broker to store the offsets).
 * Malformed records are dead-lettered by the intake (channel {@code kafka:<topic>}) and committed with
 * the batch, so consumption continues past them. The consumer reads committed records only
 * ({@code isolation.level=read_committed}): a transactional producer's records once its transaction
 * committed, never those of an aborted one.
 *
 * <p>When the intake throws (the engine is overloaded, starting or stopping, or the journal did not
 * confirm) nothing of the batch is committed, each of its partitions is sought back to its first record
 * of the batch, and the batch is retried in place {@link KafkaSourceOptions#retries()} times with a
 * doubling delay (a retry that succeeds moves the positions past the batch again, so its records are not
 * polled a second time); after that the consumer goes on polling from the sought positions. Records already
 * fetched beyond such a position are neither submitted nor committed (see {@link #resumeAt}), so no
 * later record of a partition is committed past one not accepted. Redelivery after an unconfirmed
 * journal write, a failed commit, or a queue that filled up in the middle of a large poll (its earlier
 * appends are durable) may repeat events; the engine drops them by id.
 *
 * <p>Camel never commits on its own here (see {@link CommitOnlyWhenAsked}); the only commit is the one
 * of {@link #submitBatch} after acceptance. The route does not start with
 * Camel: start {@link #ROUTE_ID} once the engine accepts, and stop it first on shutdown.
 *
 * <p>Security settings go to the Kafka client's configuration object, never into the endpoint URI, so
 * no secret appears in Camel's logs or route listings.
 */
public final class KafkaSourceRoutes extends RouteBuilder {
    public static final String ROUTE_ID = "kafka-source";
    /** The name the source's own Kafka component is registered under (its configuration holds the settings). */
    static final String COMPONENT = "operon-kafka";
    /**
     * How long one poll waits for records. Camel's batching consumer hands over a batch that is not full after
     * a poll found nothing and this long has passed since its first record (or at {@link #BATCHING_INTERVAL_MS}),
     * so this is also how long a lone record waits: send to durable 58-74 ms at 50 ms, 1.0-2.0 s at Camel's 1 s
     * (KafkaSourceIT, one record at a time). A stopping source waits for the poll in progress.
     */
    static final long POLL_TIMEOUT_MS = 50;
    /**
     * A batch that is not full is also handed over at the first poll this long after the last batch (Camel's
     * batchingIntervalMs), so that steady traffic below a full poll's worth waits no longer than this.
     */
    static final int BATCHING_INTERVAL_MS = 100;
    /** How long the broker may hold a fetch for data (fetch.max.wait.ms); see {@link #configuration}. */
    static final int FETCH_WAIT_MAX_MS = 50;
    /** The prefix of the CloudEvent attribute headers in binary content mode. */
    static final String CE_PREFIX = "ce_";
    /** The header with the data's media type in binary content mode. */
    static final String CONTENT_TYPE_HEADER = "content-type";
    private static final Logger LOG = LoggerFactory.getLogger(KafkaSourceRoutes.class);

    /**
     * TEST ONLY, not a configuration key and not for users: when the JVM system property of this name is
     * {@code true}, the source journals records exactly as always but never commits their offsets, so it stays
     * in the window between the journal append and the commit for as long as it runs. {@code KafkaCrashIT}
     * (module {@code tests}) sets it on the jar's JVM to kill Operon deterministically inside that window. Absent
     * or anything but {@code true} (the default) it changes nothing. Read once, when the routes are built.
     */
    static final String HOLD_COMMITS_PROPERTY = "operon.test-only.kafka.hold-commits";

    private final SourceIntake intake;
    private final KafkaSourceOptions options;
    /** See {@link #HOLD_COMMITS_PROPERTY}; false unless a test set it. */
    private final boolean holdCommits;

    public KafkaSourceRoutes(SourceIntake intake, KafkaSourceOptions options) {
        this.intake = Objects.requireNonNull(intake, "intake");
        this.options = Objects.requireNonNull(options, "options");
        this.holdCommits = Boolean.getBoolean(HOLD_COMMITS_PROPERTY);
        if (holdCommits) {
            LOG.warn("{}=true: the Kafka source commits NO offsets. This is a test hook; never set it in production",
                    HOLD_COMMITS_PROPERTY);
        }
    }

    /**
     * The stable id of a record, {@code <topic>-<partition>-<offset>}: the same on every delivery of the record,
     * different for every other record of the topic. It is the stem of the default ids of mapped events
     * ({@code <topic>-<partition>-<offset>-<element index>}), so two records with the same value are two
     * events and a record consumed again (after a crash before its commit) gives the same ids.
     */
    static String recordId(TopicPartition partition, long offset) {
        return partition.topic() + "-" + partition.partition() + "-" + offset;
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

        // Not handled: a failed batch leaves its records uncommitted, and the route seeks back to them.
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
                .process(this::submitBatch);
    }

    static KafkaConfiguration configuration(KafkaSourceOptions options) {
        KafkaConfiguration c = new KafkaConfiguration();
        c.setBrokers(options.bootstrapServers());
        c.setGroupId(options.groupId());
        c.setAutoOffsetReset(options.autoOffsetReset());
        c.setKeyDeserializer(StringDeserializer.class.getName());
        c.setValueDeserializer(ByteArrayDeserializer.class.getName());
        c.setAutoCommitEnable(false);
        // Records of a producer's transaction are read once it committed, those of an aborted one never
        // (non-transactional records are read as soon as they are written, as before).
        c.setIsolationLevel("read_committed");
        // A fetch waits at most 50 ms for data (Kafka's default is 500 ms). The consumer has one fetch in flight
        // per broker, and while it still holds records of a busy partition it fetches only the others: with an
        // idle topic beside a busy one on the same broker, each such fetch held the busy partition back for the
        // whole wait (the bench, single-event records with an idle second topic: 14 k events/s at 500 ms, 90-120 k
        // at 50 ms). An idle consumer makes about 20 fetch requests per second per broker instead of 2.
        c.setFetchWaitMaxMs(FETCH_WAIT_MAX_MS);
        c.setAllowManualCommit(true);
        c.setBatching(true);
        c.setMaxPollRecords(options.maxPollRecords());
        c.setPollTimeoutMs(POLL_TIMEOUT_MS);
        // Records that keep coming, but slower than a full poll, never make a poll come back empty: without
        // this, at 25 records a second the first of them waited 20 s for the 500th.
        c.setBatchingIntervalMs(BATCHING_INTERVAL_MS);
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

    /**
     * Where each partition must continue after a failed batch: the offset of its first record that was not
     * accepted. Touched only by the consumer's poll thread, which runs this route.
     */
    private final Map<TopicPartition, Long> resumeAt = new HashMap<>();
    /**
     * Where each partition sought back by {@link #seekBack} was before that seek (the next record its poll
     * would have returned), until the batch is accepted; dropped when a later poll has passed the batch.
     * Touched only by the poll thread.
     */
    private final Map<TopicPartition, Long> positionBeforeSeek = new HashMap<>();
    /** The consumer that {@link #resumeAt} and {@link #positionBeforeSeek} were kept for. */
    private Consumer<?, ?> lastConsumer;

    /**
     * Submits the events of all records of a batch (one poll) to the journal, then commits, in one
     * asynchronous commit, the offset after each partition's last record. When the intake throws, nothing
     * of the batch is committed and each partition is sought back to its first record of the batch (the
     * exception goes on to the retries); records of a partition already fetched past such a position are
     * neither submitted nor committed until the partition was consumed again from there.
     */
    @SuppressWarnings("unchecked")
    private void submitBatch(Exchange exchange) throws Exception {
        List<Exchange> records = exchange.getMessage().getBody(List.class);
        if (records == null || records.isEmpty()) {
            return;
        }
        Consumer<?, ?> consumer = null;
        List<Exchange> todo = new ArrayList<>(records.size());
        List<TopicPartition> partitions = new ArrayList<>(records.size());
        List<Long> offsets = new ArrayList<>(records.size());
        List<SourceIntake.Payload> payloads = new ArrayList<>(records.size());
        for (Exchange record : records) {
            Message in = record.getMessage();
            DefaultKafkaManualCommit commit = in.getHeader(KafkaConstants.MANUAL_COMMIT, DefaultKafkaManualCommit.class);
            if (commit == null) {
                throw new IllegalStateException("the Kafka consumer gave no manual commit (allowManualCommit is off)");
            }
            consumer = commit.getConsumer();
            if (consumer != lastConsumer) {
                // A new consumer (the route was restarted) starts from the group's committed offsets: where an
                // earlier one was told to resume means nothing to it (another member may have gone past since).
                resumeAt.clear();
                positionBeforeSeek.clear();
                lastConsumer = consumer;
            }
            TopicPartition tp = commit.getPartition();
            Long resume = resumeAt.get(tp);
            if (resume != null && commit.getRecordOffset() < resume) {
                continue; // accepted and committed in an earlier attempt at this batch
            }
            todo.add(record);
            partitions.add(tp);
            offsets.add(commit.getRecordOffset());
            String topic = tp.topic();
            byte[] value = in.getBody(byte[].class);
            Headers headers = in.getHeader(KafkaConstants.HEADERS, Headers.class);
            Map<String, String> binary = binaryAttributes(headers);
            payloads.add(binary.isEmpty()
                    ? SourceIntake.Payload.of(sourceName(topic), value, options.mapping(),
                            recordId(tp, commit.getRecordOffset()))
                    : SourceIntake.Payload.binary(sourceName(topic), binary, header(headers, CONTENT_TYPE_HEADER), value));
        }
        if (todo.isEmpty()) {
            return;
        }
        Map<TopicPartition, Long> first = firstOffsets(partitions, offsets, 0);
        for (Map.Entry<TopicPartition, Long> f : first.entrySet()) {
            Long resume = resumeAt.get(f.getKey());
            if (resume != null && f.getValue() > resume) {
                // Fetched before the seek back: leave it uncommitted, it is polled again after the seek.
                first.forEach(resumeAt::putIfAbsent);
                seekBack(consumer, Map.of());
                return;
            }
        }
        resumeAt.keySet().removeAll(first.keySet());
        try {
            accept(consumer, todo, partitions, offsets, payloads, 0, todo.size());
        } catch (EngineOverloadedException | IllegalArgumentException e) {
            // Overloaded, or more events than the engine's whole queue holds (IllegalArgumentException).
            if (todo.size() == 1) {
                seekBack(consumer, first);
                throw e;
            }
            // The queue cannot take the whole batch: take its records one at a time, as far as they fit.
            for (int i = 0; i < todo.size(); i++) {
                try {
                    accept(consumer, todo, partitions, offsets, payloads, i, i + 1);
                } catch (Exception refused) {
                    seekBack(consumer, firstOffsets(partitions, offsets, i));
                    throw refused;
                }
            }
        } catch (Exception e) {
            seekBack(consumer, first);
            throw e;
        }
    }

    /** Each partition's first offset among the records from index {@code from} on. */
    private static Map<TopicPartition, Long> firstOffsets(List<TopicPartition> partitions, List<Long> offsets, int from) {
        Map<TopicPartition, Long> first = new LinkedHashMap<>();
        for (int i = from; i < partitions.size(); i++) {
            first.putIfAbsent(partitions.get(i), offsets.get(i));
        }
        return first;
    }

    /** Submits records {@code [from, to)} to the journal, then commits after each partition's last of them. */
    private void accept(Consumer<?, ?> consumer, List<Exchange> records, List<TopicPartition> partitions,
                        List<Long> offsets, List<SourceIntake.Payload> payloads, int from, int to) throws Exception {
        List<SourceIntake.Outcome> outcomes = intake.submitAll(payloads.subList(from, to));
        for (int i = 0; i < outcomes.size(); i++) {
            SourceIntake.Outcome outcome = outcomes.get(i);
            if (!outcome.rejected().isEmpty()) {
                Message in = records.get(from + i).getMessage();
                LOG.info("Record {}-{} offset {}: {} events accepted, {} dead-lettered (first: {})",
                        in.getHeader(KafkaConstants.TOPIC), in.getHeader(KafkaConstants.PARTITION),
                        in.getHeader(KafkaConstants.OFFSET), outcome.accepted().size(), outcome.rejected().size(),
                        outcome.rejected().get(0).error());
            }
        }
        Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
        for (int i = from; i < to; i++) {
            next.put(partitions.get(i), new OffsetAndMetadata(offsets.get(i) + 1));
        }
        for (Map.Entry<TopicPartition, OffsetAndMetadata> n : next.entrySet()) {
            Long before = positionBeforeSeek.remove(n.getKey());
            if (before == null) {
                continue; // not sought back since its last poll
            }
            // A retry in place that succeeded after an earlier attempt sought the partition back (no poll since:
            // the position is still the batch's start): go on where the consumer was before that seek, after
            // the batch and the rest of its poll, which Camel still holds; else they would be polled again.
            try {
                if (consumer.position(n.getKey()) < n.getValue().offset()) {
                    consumer.seek(n.getKey(), Math.max(n.getValue().offset(), before));
                }
            } catch (IllegalStateException | KafkaException e) {
                // Not assigned any more, or no position now: its records may come again, dropped by id.
                LOG.debug("Partition {}: not moved past the accepted batch ({})", n.getKey(), e.toString());
            }
        }
        if (holdCommits) {
            LOG.debug("Holding the commit of {} (test hook {})", next, HOLD_COMMITS_PROPERTY);
            return;
        }
        // Asynchronous: the poll thread goes on with the next poll while the broker stores the offsets (the
        // client sends commits in order, and waits for those in flight when it closes). When one fails, its
        // records come again after a restart or rebalance unless a later commit covered them; their events
        // are then dropped by id. The events are durable either way: the commit starts only now.
        consumer.commitAsync(next, (committed, error) -> {
            if (error != null) {
                LOG.warn("Committing Kafka offsets {} failed ({}); those records may be consumed again and their "
                        + "events are then dropped by id", committed, error.toString());
            }
        });
    }

    private void seekBack(Consumer<?, ?> consumer, Map<TopicPartition, Long> first) {
        resumeAt.putAll(first);
        for (Map.Entry<TopicPartition, Long> r : resumeAt.entrySet()) {
            if (!positionBeforeSeek.containsKey(r.getKey())) {
                try {
                    positionBeforeSeek.put(r.getKey(), consumer.position(r.getKey()));
                } catch (IllegalStateException | KafkaException e) {
                    // Then a retry that succeeds goes on from the batch's end, and the rest of its poll comes again.
                    LOG.debug("Partition {}: no position before seeking back ({})", r.getKey(), e.toString());
                }
            }
            try {
                consumer.seek(r.getKey(), r.getValue());
            } catch (IllegalStateException | KafkaException e) {
                // No longer assigned (its new owner continues from the last committed offset), or no position.
                LOG.debug("Partition {} no longer assigned: {}", r.getKey(), e.getMessage());
            }
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

    /**
     * Synchronous manual commits, and nothing else. camel-kafka 4.14 picks its commit manager by the
     * factory's class: its own factories add commits of the last processed offsets (at the end of each
     * polled partition, on rebalance, on errors); any other factory gets the no-op manager, which leaves
     * the route's own commit of a batch (on the record's consumer) as the only way an offset is committed.
     */
    static final class CommitOnlyWhenAsked implements KafkaManualCommitFactory {
        @Override
        public KafkaManualCommit newInstance(CamelExchangePayload camelExchangePayload,
                                             KafkaRecordPayload kafkaRecordPayload, CommitManager commitManager) {
            return new DefaultKafkaManualSyncCommit(camelExchangePayload, kafkaRecordPayload, commitManager);
        }
    }
}
