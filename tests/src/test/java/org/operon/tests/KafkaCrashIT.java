package org.operon.tests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.operon.testkit.EmbeddedKafka;
import org.operon.tests.support.OperonProcess;
import org.operon.tests.support.WebhookReceiver;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Crash safety of the Kafka source through the running jar and a real Kafka broker (one KRaft node in
 * the test JVM): Operon is killed (kill -9) between receipt and decision, with records journaled but not
 * decided, a record received but not accepted (the engine's queue full), and records not yet consumed.
 * After the restart every record has exactly one effect: one webhook request per event, each with its
 * own Idempotency-Key, none missing and none repeated, and the group's offsets are committed to the end.
 *
 * <p>The second case kills Operon in the other window: records whose events are durable in the journal
 * (some decided and acted on, some not yet decided) but whose offsets were never committed. The jar runs with
 * the test-only hook {@code operon.test-only.kafka.hold-commits} (see {@code KafkaSourceRoutes}), which holds
 * every commit, so the kill lands in that window deterministically. After the restart the broker delivers all
 * of them again: the copies carry the same event ids (CloudEvents ids; {@code <topic>-<partition>-<offset>-0}
 * for mapped records) and the engine's duplicate detection drops them, while the journal gives back the events
 * that were not yet decided.
 */
class KafkaCrashIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOPIC = "operon-events";
    private static final String GROUP = "operon";
    /** One decision, sent to the webhook target, per event of type kafka.test. */
    private static final String RULE = """
            package org.example.rules;

            import java.util.List;
            import org.operon.model.Decision;
            import org.operon.model.Event;

            rule "kafka-seen"
            when
                $e : Event(type == "kafka.test")
            then
                channels["decisions"].send(Decision.of("kafka-seen", $e.getId(), drools.getRule().getName(),
                        List.of($e.getId())));
            end
            """;
    /** Records that are not CloudEvents are mapped by the webhook "kafka-json" (operon.kafka.mapping). */
    private static final String WEBHOOKS = """
            webhooks:
              - name: kafka-json
                auth: {bearer_token: "a-token-for-the-http-endpoint-only"}
                event:
                  type: kafka.test
                  id: $.eventid
                  subject: $.host
                  severity: info
            """;

    /** A mapping without an id expression: mapped events get the default id, the record's topic-partition-offset. */
    private static final String WEBHOOKS_WITHOUT_ID = """
            webhooks:
              - name: kafka-json
                auth: {bearer_token: "a-token-for-the-http-endpoint-only"}
                event:
                  type: kafka.test
                  subject: $.host
                  severity: info
            """;
    private static final String COMMIT_TOPIC = "operon-commit-window";
    private static final String COMMIT_GROUP = "operon-commit-window";

    private static EmbeddedKafka kafka;
    private static KafkaProducer<String, String> producer;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startBroker() throws Exception {
        kafka = EmbeddedKafka.start();
        kafka.createTopic(TOPIC, 1);
        kafka.createTopic(COMMIT_TOPIC, 1);
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer());
    }

    @AfterAll
    static void stopBroker() throws Exception {
        producer.close();
        kafka.close();
    }

    /** Odd numbers as structured CloudEvents, even ones as JSON the mapping turns into events. */
    private static void produce(int n) throws Exception {
        String value = n % 2 == 1
                ? """
                  {"specversion":"1.0","id":"k-%d","source":"/crash-test","type":"kafka.test","subject":"svc-%d",
                   "severity":"info"}""".formatted(n, n)
                : """
                  {"eventid":"k-%d","host":"svc-%d"}""".formatted(n, n);
        producer.send(new ProducerRecord<>(TOPIC, value)).get();
    }

    /** The group's committed offset of the topic's only partition, or -1. */
    private static long committed() throws Exception {
        return committed(GROUP, TOPIC);
    }

    private static long committed(String group, String topic) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = kafka.admin().listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get();
        OffsetAndMetadata offset = offsets.get(new TopicPartition(topic, 0));
        return offset == null ? -1 : offset.offset();
    }

    private static JsonNode kafkaCounters(OperonProcess operon) throws Exception {
        return kafkaCounters(operon, TOPIC);
    }

    private static JsonNode kafkaCounters(OperonProcess operon, String topic) throws Exception {
        return operon.getJson("/api/v1/sources").get("sources").get("kafka:" + topic);
    }

    /** Webhook requests per event id (the decision's subject). */
    private static Map<String, List<String>> keysByEvent(WebhookReceiver webhook) throws Exception {
        Map<String, List<String>> keys = new HashMap<>();
        for (WebhookReceiver.Request r : webhook.requests()) {
            String subject = JSON.readTree(r.body()).get("subject").asText();
            keys.computeIfAbsent(subject, s -> new ArrayList<>()).add(r.header("Idempotency-Key"));
        }
        return keys;
    }

    private static List<String> ids(int from, int to) {
        return IntStream.rangeClosed(from, to).mapToObj(i -> "k-" + i).toList();
    }

    private static long sentActions(OperonProcess operon) throws Exception {
        JsonNode actions = operon.getJson("/api/v1/actions?limit=1000").get("actions");
        long n = 0;
        for (JsonNode a : actions) {
            if (a.get("type").asText().equals("kafka-seen") && a.get("status").asText().equals("sent")) {
                n++;
            }
        }
        return n;
    }

    private static void assertOneEffectPerEvent(WebhookReceiver webhook, List<String> expected) throws Exception {
        Map<String, List<String>> keys = keysByEvent(webhook);
        assertThat(keys.keySet()).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(keys.values()).allSatisfy(k -> assertThat(k).hasSize(1).doesNotContainNull());
        assertThat(keys.values().stream().map(k -> k.get(0)).distinct().count()).isEqualTo(expected.size());
    }

    @Test
    void recordsInFlightWhenOperonIsKilledHaveExactlyOneEffectAfterTheRestart() throws Exception {
        Path rules = Files.createDirectories(tmp.resolve("rules"));
        Files.writeString(rules.resolve("kafka-seen.drl"), RULE);
        Path webhooksFile = Files.writeString(tmp.resolve("webhooks.yaml"), WEBHOOKS);
        Path data = tmp.resolve("data");
        try (WebhookReceiver webhook = new WebhookReceiver()) {
            Map<String, String> env = new HashMap<>(Map.of(
                    "OPERON_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                    "OPERON_KAFKA_TOPICS", TOPIC,
                    "OPERON_KAFKA_GROUP_ID", GROUP,
                    "OPERON_KAFKA_RETRY_BACKOFF", "100ms",
                    "OPERON_KAFKA_MAPPING", "kafka-json",
                    "OPERON_WEBHOOKS_FILE", webhooksFile.toString(),
                    "OPERON_RULES_DIR", rules.toString(),
                    "OPERON_ACTIONS_WEBHOOK_URL", webhook.url(),
                    "OPERON_ACTIONS_TARGETS_DEFAULT", "log",
                    "OPERON_ACTIONS_TARGETS_KAFKA_SEEN", "webhook"));
            // First run: a queue of 5, so that the 6th record is received but cannot be accepted.
            Map<String, String> smallQueue = new HashMap<>(env);
            smallQueue.put("OPERON_ENGINE_QUEUE_CAPACITY", "5");
            OperonProcess first = OperonProcess.start(data, smallQueue);
            assertThat(first.post("/api/v1/engine/pause", "application/json", "").statusCode()).isEqualTo(200);
            for (int n = 1; n <= 7; n++) {
                produce(n);
            }

            // k-1..k-5 journaled (paused: not decided) and committed; k-6 received and refused (queue full)
            // again and again, so neither it nor k-7 is committed.
            await().atMost(Duration.ofSeconds(60)).until(() -> committed() == 5
                    && kafkaCounters(first) != null && kafkaCounters(first).get("received").asLong() > 7);
            assertThat(kafkaCounters(first).get("accepted").asLong()).isEqualTo(5);
            assertThat(first.engineStatus().get("backlog").asInt()).isEqualTo(5);
            first.kill();
            assertThat(committed()).isEqualTo(5);
            assertThat(webhook.requests()).isEmpty();

            // While Operon is down: a record that can never be an event, and three more events.
            producer.send(new ProducerRecord<>(TOPIC, "{not json")).get();
            for (int n = 8; n <= 10; n++) {
                produce(n);
            }

            OperonProcess second = OperonProcess.start(data, env);
            // k-1..k-5 from the journal, k-6..k-10 redelivered by the broker from offset 5.
            webhook.awaitRequests(10, Duration.ofSeconds(90));
            await().atMost(Duration.ofSeconds(30)).until(() -> committed() == 11 && sentActions(second) == 10);
            assertOneEffectPerEvent(webhook, ids(1, 10));
            assertThat(second.getJson("/api/v1/deadletters?limit=100").get("deadletters")).hasSize(1);
            second.kill();

            // A third run repeats nothing: the journal's decided events stay decided, the offsets are committed.
            try (OperonProcess third = OperonProcess.start(data, env)) {
                produce(11);
                webhook.awaitRequests(11, Duration.ofSeconds(60));
                await().atMost(Duration.ofSeconds(30)).until(() -> committed() == 12 && sentActions(third) == 11);
                assertOneEffectPerEvent(webhook, ids(1, 11));
                assertThat(kafkaCounters(third).get("received").asLong()).isEqualTo(1);
                assertThat(third.getJson("/api/v1/deadletters?limit=100").get("deadletters")).hasSize(1);
            }
        }
    }
    @Test
    void recordsJournaledButNotCommittedWhenOperonIsKilledHaveExactlyOneEffectAfterTheRestart() throws Exception {
        Path rules = Files.createDirectories(tmp.resolve("rules"));
        Files.writeString(rules.resolve("kafka-seen.drl"), RULE);
        Path webhooksFile = Files.writeString(tmp.resolve("webhooks.yaml"), WEBHOOKS_WITHOUT_ID);
        Path data = tmp.resolve("data");
        // Offsets 0..5 of the topic: a CloudEvent, two records with the same mapped value (two genuine events),
        // then, with the engine paused, a CloudEvent, a mapped record and a CloudEvent.
        String sameValue = """
                {"host":"svc-same"}""";
        List<String> expected = List.of("c-1", COMMIT_TOPIC + "-0-1-0", COMMIT_TOPIC + "-0-2-0",
                "c-4", COMMIT_TOPIC + "-0-4-0", "c-6");
        try (WebhookReceiver webhook = new WebhookReceiver()) {
            Map<String, String> env = new HashMap<>(Map.of(
                    "OPERON_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                    "OPERON_KAFKA_TOPICS", COMMIT_TOPIC,
                    "OPERON_KAFKA_GROUP_ID", COMMIT_GROUP,
                    "OPERON_KAFKA_MAPPING", "kafka-json",
                    "OPERON_WEBHOOKS_FILE", webhooksFile.toString(),
                    "OPERON_RULES_DIR", rules.toString(),
                    "OPERON_ACTIONS_WEBHOOK_URL", webhook.url(),
                    "OPERON_ACTIONS_TARGETS_DEFAULT", "log",
                    "OPERON_ACTIONS_TARGETS_KAFKA_SEEN", "webhook"));
            // First run: every commit held (test-only hook), so no offset is ever committed.
            Map<String, String> holding = new HashMap<>(env);
            holding.put("JDK_JAVA_OPTIONS", "-Doperon.test-only.kafka.hold-commits=true");
            OperonProcess first = OperonProcess.start(data, holding);
            produceTo(COMMIT_TOPIC, cloudEvent("c-1"));
            produceTo(COMMIT_TOPIC, sameValue);
            produceTo(COMMIT_TOPIC, sameValue);
            // Journaled, decided and acted on: one webhook request each, the two equal values included.
            webhook.awaitRequests(3, Duration.ofSeconds(60));
            assertThat(keysByEvent(webhook).keySet()).containsExactlyInAnyOrderElementsOf(expected.subList(0, 3));
            // The three actions' results come back as events once each action is recorded: let them be processed
            // before pausing, so that what waits in the queue below is only the three records.
            await().atMost(Duration.ofSeconds(60)).until(() -> first.engineStatus().get("processed").asLong() >= 6
                    && first.engineStatus().get("backlog").asInt() == 0);

            assertThat(first.post("/api/v1/engine/pause", "application/json", "").statusCode()).isEqualTo(200);
            produceTo(COMMIT_TOPIC, cloudEvent("c-4"));
            produceTo(COMMIT_TOPIC, """
                    {"host":"svc-other"}""");
            produceTo(COMMIT_TOPIC, cloudEvent("c-6"));
            // Journaled (durable) but not decided; nothing committed.
            await().atMost(Duration.ofSeconds(60)).until(() -> kafkaCounters(first, COMMIT_TOPIC) != null
                    && kafkaCounters(first, COMMIT_TOPIC).get("accepted").asLong() == 6
                    && first.engineStatus().get("backlog").asInt() == 3);
            assertThat(committed(COMMIT_GROUP, COMMIT_TOPIC)).isEqualTo(-1);
            first.kill();
            assertThat(webhook.requests()).hasSize(3);
            assertThat(committed(COMMIT_GROUP, COMMIT_TOPIC)).isEqualTo(-1);

            // Second run, no hook: the broker delivers offsets 0..5 again; the journal holds c-4, offset 4, c-6
            // undecided. Then one more record, c-7: actions of the webhook target are performed in decision order
            // and the copies were journaled before it, so once c-7's request is in, a copy that got through would
            // have had its request too.
            try (OperonProcess second = OperonProcess.start(data, env)) {
                // The killed consumer stays in the group until its session times out (45 s), then the group rebalances.
                await().atMost(Duration.ofSeconds(120)).until(() -> committed(COMMIT_GROUP, COMMIT_TOPIC) == 6);
                produceTo(COMMIT_TOPIC, cloudEvent("c-7"));
                webhook.awaitRequests(7, Duration.ofSeconds(60));
                await().atMost(Duration.ofSeconds(30)).until(() -> committed(COMMIT_GROUP, COMMIT_TOPIC) == 7);
                List<String> all = new ArrayList<>(expected);
                all.add("c-7");
                assertOneEffectPerEvent(webhook, all);
                // The copies were consumed and journaled again (accepted), and dropped by the engine.
                assertThat(kafkaCounters(second, COMMIT_TOPIC).get("received").asLong()).isEqualTo(7);
                assertThat(kafkaCounters(second, COMMIT_TOPIC).get("accepted").asLong()).isEqualTo(7);
                assertThat(second.getJson("/api/v1/deadletters?limit=100").get("deadletters")).isEmpty();
            }
        }
    }

    private static String cloudEvent(String id) {
        return """
                {"specversion":"1.0","id":"%s","source":"/crash-test","type":"kafka.test","subject":"%s",
                 "severity":"info"}""".formatted(id, id);
    }

    private static void produceTo(String topic, String value) throws Exception {
        producer.send(new ProducerRecord<>(topic, value)).get();
    }
}
