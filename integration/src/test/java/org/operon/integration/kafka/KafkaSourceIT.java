package org.operon.integration.kafka;

import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.operon.integration.http.IntakeOptions;
import org.operon.integration.source.SourceIntake;
import org.operon.integration.testing.InMemoryDeadLetters;
import org.operon.integration.testing.SourceMappings;
import org.operon.integration.webhook.WebhookMapping;
import org.operon.model.Event;
import org.operon.model.Severity;
import org.operon.state.DeadLetter;
import org.operon.testkit.EmbeddedKafka;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Kafka source against a real Kafka broker (one combined KRaft node in the test JVM, started once for
 * the class): records become events, offsets are committed only after the intake accepted them, malformed
 * records are dead-lettered and passed, a record the engine cannot take comes again in order, and a
 * restart with the same group neither repeats nor loses records. Each test has its own topic and group.
 */
class KafkaSourceIT {
    private static final Instant NOW = Instant.parse("2026-01-31T12:00:00Z");
    private static final Duration BROKER_WAIT = Duration.ofSeconds(30);
    /** Short retries keep the overload tests fast: 3 attempts in place (20 ms, 40 ms apart), then a seek back. */
    private static final int RETRIES = 2;

    private static EmbeddedKafka kafka;
    private static KafkaProducer<String, String> producer;

    private final OverloadableAcceptor engine = new OverloadableAcceptor();
    private final InMemoryDeadLetters deadLetters = new InMemoryDeadLetters();
    private final SourceIntake intake = new SourceIntake(engine, deadLetters, Clock.fixed(NOW, ZoneOffset.UTC),
            IntakeOptions.defaults());
    private String topic;
    private String group;
    private CamelContext camel;

    @BeforeAll
    static void startBroker() throws Exception {
        kafka = EmbeddedKafka.start();
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer());
    }

    @AfterAll
    static void stopBroker() throws Exception {
        producer.close();
        kafka.close();
    }

    @BeforeEach
    void topicAndGroup(TestInfo test) throws Exception {
        String name = test.getTestMethod().orElseThrow().getName();
        topic = "events-" + name;
        group = "operon-" + name;
        kafka.createTopic(topic, 1);
    }

    @AfterEach
    void stopSource() throws Exception {
        if (camel != null) {
            camel.stop();
        }
    }

    static String event(String id) {
        return """
                {"specversion":"1.0","id":"%s","source":"/kafka-test","type":"alert","subject":"db-1",
                 "severity":"critical"}""".formatted(id);
    }

    @Test
    void eachRecordsEventsAreAcceptedAndItsOffsetCommitted() throws Exception {
        startSource();
        send(event("k1"));
        send("[" + event("k2") + "," + event("k3") + "]");

        await().atMost(BROKER_WAIT).until(() -> engine.accepted().size() == 3);
        assertThat(engine.accepted()).containsExactly("k1", "k2", "k3");
        await().atMost(BROKER_WAIT).until(() -> committed() == 2);
        assertThat(intake.counters().get(KafkaSourceRoutes.sourceName(topic)))
                .containsEntry("received", 2L).containsEntry("accepted", 3L).containsEntry("rejected", 0L);
        assertThat(deadLetters.count()).isZero();
    }

    @Test
    void malformedRecordsAreDeadLetteredOnceAndConsumptionContinues() throws Exception {
        startSource();
        send("{not json");
        send("[" + event("m1") + ",{\"specversion\":\"1.0\",\"type\":\"alert\"}]");
        send(event("m2"));

        await().atMost(BROKER_WAIT).until(() -> committed() == 3);
        assertThat(engine.accepted()).containsExactly("m1", "m2");
        List<DeadLetter> letters = deadLetters.all();
        assertThat(letters).hasSize(2);
        assertThat(letters).extracting(DeadLetter::channel).containsOnly("kafka:" + topic);
        assertThat(letters.get(0).index()).isNull();
        assertThat(letters.get(1).index()).isEqualTo(1);
        assertThat(intake.counters().get("kafka:" + topic)).containsEntry("rejected", 2L);
    }

    @Test
    void aRecordTheEngineCannotTakeIsNotCommittedAndIsConsumedAgainBeforeLaterOnes() throws Exception {
        engine.overloaded(true);
        startSource();
        send(event("o1"));
        send(event("o2"));

        // More refusals than attempts in place: the consumer sought back and polled o1 again (a batch
        // is refused as a whole, so o2 is refused with it, never on its own before o1).
        await().atMost(BROKER_WAIT).until(() -> engine.refused().size() > 2 * (RETRIES + 1));
        assertThat(engine.refused()).startsWith("o1").containsOnly("o1", "o2");
        assertThat(engine.accepted()).isEmpty();
        assertThat(committed()).isEqualTo(-1);

        engine.overloaded(false);
        await().atMost(BROKER_WAIT).until(() -> committed() == 2);
        assertThat(engine.accepted()).containsExactly("o1", "o2");
        assertThat(deadLetters.count()).isZero();
    }

    @Test
    void aBatchAcceptedOnItsRetryInPlaceIsNotPolledAgain() throws Exception {
        startSource();
        send(event("w1"));
        await().atMost(BROKER_WAIT).until(() -> engine.accepted().size() == 1);

        // The first attempt is refused (the partition is sought back to r1), the retry in place 20 ms later
        // succeeds: the source must go on after the batch, not poll r1 and r2 again.
        engine.refuseNext(1);
        send("[" + event("r1") + "," + event("r2") + "]");
        send(event("r3"));
        await().atMost(BROKER_WAIT).until(() -> committed() == 3);
        await().during(Duration.ofMillis(500)).atMost(BROKER_WAIT)
                .until(() -> engine.accepted().size() == 4);
        assertThat(engine.refused()).isNotEmpty().startsWith("r1");
        assertThat(engine.accepted()).containsExactly("w1", "r1", "r2", "r3");
    }

    @Test
    void whereToResumeAfterARefusedBatchIsForgottenWhenTheRouteRestarts() throws Exception {
        engine.overloaded(true);
        startSource();
        send(event("g1"));
        // Refused in place and after the seek back: the source keeps "resume at offset 0" for the partition.
        await().atMost(BROKER_WAIT).until(() -> engine.refused().size() > 2 * (RETRIES + 1));
        camel.getRouteController().stopRoute(KafkaSourceRoutes.ROUTE_ID);

        // Meanwhile another member of the group took g1: the group's offset is past it.
        kafka.admin().alterConsumerGroupOffsets(group, Map.of(new TopicPartition(topic, 0), new OffsetAndMetadata(1)))
                .all().get();
        send(event("g2"));
        engine.overloaded(false);
        camel.getRouteController().startRoute(KafkaSourceRoutes.ROUTE_ID);

        await().atMost(BROKER_WAIT).until(() -> committed() == 2);
        await().during(Duration.ofMillis(300)).atMost(BROKER_WAIT).until(() -> engine.accepted().size() == 1);
        assertThat(engine.accepted()).containsExactly("g2");
    }

    @Test
    void aRestartWithTheSameGroupNeitherRepeatsNorLosesRecords() throws Exception {
        startSource();
        send(event("r1"));
        send(event("r2"));
        await().atMost(BROKER_WAIT).until(() -> committed() == 2);
        camel.stop();

        send(event("r3"));
        send(event("r4"));
        startSource();

        await().atMost(BROKER_WAIT).until(() -> committed() == 4);
        // Had the second consumer started before r1 and r2's commits, they would come again before r3.
        assertThat(engine.accepted()).containsExactly("r1", "r2", "r3", "r4");
    }

    @Test
    void aRecordNotAcceptedWhenTheSourceStopsIsConsumedAfterTheRestart() throws Exception {
        engine.overloaded(true);
        startSource();
        send(event("s1"));
        await().atMost(BROKER_WAIT).until(() -> !engine.refused().isEmpty());
        camel.stop();
        assertThat(committed()).isEqualTo(-1);

        engine.overloaded(false);
        startSource();
        await().atMost(BROKER_WAIT).until(() -> committed() == 1);
        assertThat(engine.accepted()).containsExactly("s1");
    }

    @Test
    void jsonThatIsNotACloudEventIsMappedAndWhatMatchesNeitherIsDeadLettered() throws Exception {
        startSource(SourceMappings.zabbix());
        send(SourceMappings.zabbixPayload("z1", "problem", "db-2"));
        send(event("c1"));
        send("{\"eventid\":\"z2\",\"host\":\"db-3\"}");
        send("{not json");
        send(SourceMappings.zabbixPayload("z3", "recovery", "db-2"));

        await().atMost(BROKER_WAIT).until(() -> committed() == 5);
        assertThat(engine.accepted()).containsExactly("z1", "c1", "z3");
        Event mapped = engine.events().get(0);
        assertThat(mapped.getSource()).isEqualTo("kafka:" + topic);
        assertThat(mapped.getType()).isEqualTo("problem");
        assertThat(mapped.getSubject()).isEqualTo("db-2");
        assertThat(mapped.getSeverity()).isEqualTo(Severity.CRITICAL);
        assertThat(mapped.getLabels()).containsEntry("host", "db-2");
        assertThat(engine.events().get(1).getSource()).isEqualTo("/kafka-test");
        List<DeadLetter> letters = deadLetters.all();
        assertThat(letters).extracting(DeadLetter::error).containsExactly("missing_attribute", "malformed_json");
        assertThat(letters.get(0).detail()).contains("type");
        assertThat(letters).extracting(DeadLetter::channel).containsOnly("kafka:" + topic);
    }

    @Test
    void mappedRecordsWithoutAnIdAreIdentifiedByTopicPartitionAndOffsetNotByTheirValue() throws Exception {
        startSource(SourceMappings.withoutId());
        // Two genuine records with the same value: two events, not one event and a duplicate.
        send("{\"kind\":\"disk.full\",\"host\":\"db-1\"}");
        send("{\"kind\":\"disk.full\",\"host\":\"db-1\"}");

        await().atMost(BROKER_WAIT).until(() -> committed() == 2);
        assertThat(engine.accepted()).containsExactly(topic + "-0-0-0", topic + "-0-1-0");
        assertThat(engine.events()).extracting(Event::getSubject).containsExactly("db-1", "db-1");
    }

    @Test
    void withoutAMappingJsonThatIsNotACloudEventIsDeadLettered() throws Exception {
        startSource();
        send(SourceMappings.zabbixPayload("z1", "problem", "db-2"));
        send(event("c2"));

        await().atMost(BROKER_WAIT).until(() -> committed() == 2);
        assertThat(engine.accepted()).containsExactly("c2");
        assertThat(deadLetters.all()).extracting(DeadLetter::error).containsExactly("missing_attribute");
    }

    @Test
    void aBinaryModeRecordIsOneEventWithItsAttributesInCeHeaders() throws Exception {
        startSource();
        sendBinary("{\"labels\":{\"service\":\"billing\"}}", "ce_specversion", "1.0", "ce_id", "b1",
                "ce_source", "/kafka-binary", "ce_type", "alert", "ce_subject", "db-4", "ce_severity", "warning",
                "content-type", "application/json");
        // No ce_type: not a valid CloudEvent; dead-lettered, and the next record is consumed.
        sendBinary("{}", "ce_specversion", "1.0", "ce_id", "b2", "ce_source", "/kafka-binary");
        // A ce_ header without ce_specversion is not binary mode: the value must then be structured.
        sendBinary(event("b3"), "ce_id", "ignored");

        await().atMost(BROKER_WAIT).until(() -> committed() == 3);
        assertThat(engine.accepted()).containsExactly("b1", "b3");
        Event binary = engine.events().get(0);
        assertThat(binary.getSource()).isEqualTo("/kafka-binary");
        assertThat(binary.getType()).isEqualTo("alert");
        assertThat(binary.getSubject()).isEqualTo("db-4");
        assertThat(binary.getSeverity()).isEqualTo(Severity.WARNING);
        assertThat(binary.getLabels()).containsEntry("service", "billing");
        List<DeadLetter> letters = deadLetters.all();
        assertThat(letters).hasSize(1);
        assertThat(letters.get(0).error()).isEqualTo("missing_attribute");
        assertThat(letters.get(0).detail()).startsWith("binary-mode CloudEvent: ").contains("type");
    }

    @Test
    void recordsOfAnAbortedTransactionAreNeverConsumedAndThoseOfACommittedOneOnceItCommitted() throws Exception {
        try (KafkaProducer<String, String> transactional = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "operon-test-" + topic), new StringSerializer(), new StringSerializer())) {
            transactional.initTransactions();
            transactional.beginTransaction();
            transactional.send(new ProducerRecord<>(topic, event("t1-aborted"))).get();
            transactional.abortTransaction();
            transactional.beginTransaction();
            transactional.send(new ProducerRecord<>(topic, event("t2"))).get();
            startSource();
            send(event("t3-plain")); // behind the open transaction: read only once it ends
            await().during(Duration.ofMillis(500)).atMost(BROKER_WAIT).until(() -> engine.accepted().isEmpty());
            transactional.commitTransaction();
        }

        await().atMost(BROKER_WAIT).until(() -> engine.accepted().size() == 2);
        assertThat(engine.accepted()).containsExactly("t2", "t3-plain");
    }

    private void sendBinary(String value, String... headers) throws ExecutionException, InterruptedException {
        ProducerRecord<String, String> record = new ProducerRecord<>(topic, value);
        for (int i = 0; i < headers.length; i += 2) {
            record.headers().add(headers[i], headers[i + 1].getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        producer.send(record).get();
    }

    private void startSource() throws Exception {
        startSource(null);
    }

    private void startSource(WebhookMapping mapping) throws Exception {
        KafkaSourceOptions options = KafkaSourceOptions.of(kafka.bootstrapServers(), List.of(topic), group)
                .withRetries(Duration.ofMillis(20), RETRIES).withMapping(mapping);
        camel = new DefaultCamelContext();
        camel.addRoutes(new KafkaSourceRoutes(intake, options));
        camel.start();
        camel.getRouteController().startRoute(KafkaSourceRoutes.ROUTE_ID);
    }

    private void send(String value) throws ExecutionException, InterruptedException {
        producer.send(new ProducerRecord<>(topic, value)).get();
    }

    /** The group's committed offset of the topic's only partition (the next record it will read), or -1. */
    private long committed() throws ExecutionException, InterruptedException {
        Map<TopicPartition, OffsetAndMetadata> offsets = kafka.admin().listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get();
        OffsetAndMetadata offset = offsets.get(new TopicPartition(topic, 0));
        return offset == null ? -1 : offset.offset();
    }
}
