package org.operon.tests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.jms.Connection;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import org.apache.qpid.jms.JmsConnectionFactory;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.operon.testkit.EmbeddedArtemis;
import org.operon.tests.support.OperonProcess;
import org.operon.tests.support.WebhookReceiver;

import java.nio.charset.StandardCharsets;
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
 * Crash safety of the AMQP 1.0 and MQTT sources through the running jar and a real broker (ActiveMQ Artemis
 * with AMQP and MQTT acceptors in the test JVM), modelled on {@link KafkaCrashIT}: Operon is killed (kill -9)
 * with messages journaled but not decided (engine paused), one message received but not accepted (the
 * engine's queue full, so it is retried in place and never acknowledged) and one more behind it; while it
 * is down more messages and one that can never be an event arrive. After the restart the journal gives back
 * the journaled events, the broker delivers the unacknowledged messages again (AMQP: back on the queue when the
 * connection died; MQTT: kept in the persistent session of the stable client id and resent when the restarted
 * Operon resumes it), and every event has exactly one effect: one webhook request, each with its own
 * Idempotency-Key, none missing, none repeated, and the broker holds nothing.
 *
 * <p>Odd messages are structured CloudEvents, even ones JSON the webhook mapping {@code broker-json} turns into
 * events without an id expression (default ids: the AMQP message id, for MQTT the body's hash). The rule keys
 * its decision by the event's subject, which is unique per message.
 */
class BrokerSourcesCrashIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** One decision, sent to the webhook target, per event of type broker.test, keyed by its subject. */
    private static final String RULE = """
            package org.example.rules;

            import java.util.List;
            import org.operon.model.Decision;
            import org.operon.model.Event;

            rule "broker-seen"
            when
                $e : Event(type == "broker.test")
            then
                channels["decisions"].send(Decision.of("broker-seen", $e.getSubject(), drools.getRule().getName(),
                        List.of($e.getId())));
            end
            """;
    private static final String WEBHOOKS = """
            webhooks:
              - name: broker-json
                auth: {bearer_token: "a-token-for-the-http-endpoint-only"}
                event:
                  type: broker.test
                  subject: $.host
                  severity: info
            """;
    /** Not the address of the MQTT topic: on Artemis the topic a/b is the address a.b. */
    private static final String QUEUE = "operon.crash.amqp";
    private static final String TOPIC = "operon/crash/mqtt";

    @TempDir
    static Path brokerDir;
    private static EmbeddedArtemis broker;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = EmbeddedArtemis.start(brokerDir);
    }

    @AfterAll
    static void stopBroker() throws Exception {
        broker.close();
    }

    /** Message {@code n} with subject {@code <prefix>-<n>}: a CloudEvent when n is odd, mapped JSON when even. */
    private static String message(String prefix, int n) {
        String subject = prefix + "-" + n;
        return n % 2 == 1
                ? """
                  {"specversion":"1.0","id":"%s","source":"/crash-test","type":"broker.test","subject":"%s",
                   "severity":"info"}""".formatted(subject, subject)
                : """
                  {"host":"%s"}""".formatted(subject);
    }

    private static List<String> subjects(String prefix, int from, int to) {
        return IntStream.rangeClosed(from, to).mapToObj(i -> prefix + "-" + i).toList();
    }

    private Map<String, String> env(WebhookReceiver webhook, Map<String, String> source) throws Exception {
        Path rules = Files.createDirectories(tmp.resolve("rules"));
        Files.writeString(rules.resolve("broker-seen.drl"), RULE);
        Path webhooksFile = Files.writeString(tmp.resolve("webhooks.yaml"), WEBHOOKS);
        Map<String, String> env = new HashMap<>(source);
        env.putAll(Map.of(
                "OPERON_WEBHOOKS_FILE", webhooksFile.toString(),
                "OPERON_RULES_DIR", rules.toString(),
                "OPERON_ACTIONS_WEBHOOK_URL", webhook.url(),
                "OPERON_ACTIONS_TARGETS_DEFAULT", "log",
                "OPERON_ACTIONS_TARGETS_BROKER_SEEN", "webhook"));
        return env;
    }

    /** The same environment with an engine queue of 5, so that a sixth waiting event cannot be accepted. */
    private static Map<String, String> smallQueue(Map<String, String> env) {
        Map<String, String> small = new HashMap<>(env);
        small.put("OPERON_ENGINE_QUEUE_CAPACITY", "5");
        return small;
    }

    private static JsonNode counters(OperonProcess operon, String source) throws Exception {
        return operon.getJson("/api/v1/sources").get("sources").get(source);
    }

    /** Webhook requests' Idempotency-Keys per decision subject. */
    private static Map<String, List<String>> keysBySubject(WebhookReceiver webhook) throws Exception {
        Map<String, List<String>> keys = new HashMap<>();
        for (WebhookReceiver.Request r : webhook.requests()) {
            String subject = JSON.readTree(r.body()).get("subject").asText();
            keys.computeIfAbsent(subject, s -> new ArrayList<>()).add(r.header("Idempotency-Key"));
        }
        return keys;
    }

    private static void assertOneEffectPerEvent(WebhookReceiver webhook, List<String> expected) throws Exception {
        Map<String, List<String>> keys = keysBySubject(webhook);
        assertThat(keys.keySet()).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(keys.values()).allSatisfy(k -> assertThat(k).hasSize(1).doesNotContainNull());
        assertThat(keys.values().stream().map(k -> k.get(0)).distinct().count()).isEqualTo(expected.size());
    }

    private static long sentActions(OperonProcess operon) throws Exception {
        long n = 0;
        for (JsonNode a : operon.getJson("/api/v1/actions?limit=1000").get("actions")) {
            if (a.get("type").asText().equals("broker-seen") && a.get("status").asText().equals("sent")) {
                n++;
            }
        }
        return n;
    }

    private static void sendAmqp(String... bodies) throws Exception {
        JmsConnectionFactory factory = new JmsConnectionFactory(broker.amqpUrl());
        try (Connection connection = factory.createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = session.createProducer(session.createQueue(QUEUE));
            for (String body : bodies) {
                producer.send(session.createTextMessage(body));
            }
        }
    }

    /** Publishes with QoS 1: returns once the broker has each message (PUBACK). */
    private static void publishMqtt(String... payloads) throws Exception {
        MqttClient client = new MqttClient(broker.mqttUrl(), "publisher-" + System.nanoTime(), new MemoryPersistence());
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(true);
        client.connect(options);
        try {
            for (String payload : payloads) {
                MqttMessage message = new MqttMessage(payload.getBytes(StandardCharsets.UTF_8));
                message.setQos(1);
                client.publish(TOPIC, message);
            }
        } finally {
            client.disconnect();
            client.close();
        }
    }

    @Test
    void amqpMessagesInFlightWhenOperonIsKilledHaveExactlyOneEffectAfterTheRestart() throws Exception {
        String source = "amqp:" + QUEUE;
        try (WebhookReceiver webhook = new WebhookReceiver()) {
            Map<String, String> env = env(webhook, Map.of(
                    "OPERON_AMQP_URL", broker.amqpUrl(),
                    "OPERON_AMQP_QUEUES", QUEUE,
                    "OPERON_AMQP_MAPPING", "broker-json"));
            OperonProcess first = OperonProcess.start(tmp.resolve("data"), smallQueue(env));
            assertThat(first.post("/api/v1/engine/pause", "application/json", "").statusCode()).isEqualTo(200);
            List<String> bodies = new ArrayList<>();
            for (int n = 1; n <= 7; n++) {
                bodies.add(message("a", n));
            }
            sendAmqp(bodies.toArray(String[]::new));

            // a-1..a-5 journaled (paused: not decided) and acknowledged; a-6 received and refused (queue full)
            // again and again, never acknowledged, and a-7 waits behind it: the broker holds those two.
            await().atMost(Duration.ofSeconds(60)).until(() -> counters(first, source) != null
                    && counters(first, source).get("accepted").asLong() == 5
                    && counters(first, source).get("received").asLong() > 7);
            assertThat(first.engineStatus().get("backlog").asInt()).isEqualTo(5);
            await().atMost(Duration.ofSeconds(10)).until(() -> broker.messagesHeld(QUEUE) == 2);
            first.kill();
            assertThat(webhook.requests()).isEmpty();

            // While Operon is down: a message that can never be an event, and three more events.
            sendAmqp("{not json", message("a", 8), message("a", 9), message("a", 10));
            await().atMost(Duration.ofSeconds(10)).until(() -> broker.messagesHeld(QUEUE) == 6);

            try (OperonProcess second = OperonProcess.start(tmp.resolve("data"), env)) {
                // a-1..a-5 from the journal; a-6..a-10 delivered again or for the first time by the broker.
                webhook.awaitRequests(10, Duration.ofSeconds(90));
                await().atMost(Duration.ofSeconds(30)).until(() -> broker.messagesHeld(QUEUE) == 0
                        && sentActions(second) == 10);
                assertOneEffectPerEvent(webhook, subjects("a", 1, 10));
                assertThat(counters(second, source).get("accepted").asLong()).isEqualTo(5);
                assertThat(counters(second, source).get("rejected").asLong()).isEqualTo(1);
                assertThat(second.getJson("/api/v1/deadletters?limit=100").get("deadletters")).hasSize(1);

                // One more after the restart: performed in decision order after everything above, so a repeat
                // of any earlier event would have reached the webhook before it.
                sendAmqp(message("a", 11));
                webhook.awaitRequests(11, Duration.ofSeconds(60));
                assertOneEffectPerEvent(webhook, subjects("a", 1, 11));
            }
        }
    }

    @Test
    void mqttMessagesInFlightWhenOperonIsKilledHaveExactlyOneEffectAfterTheRestart() throws Exception {
        String source = "mqtt:" + TOPIC;
        String address = TOPIC.replace('/', '.');
        try (WebhookReceiver webhook = new WebhookReceiver()) {
            Map<String, String> env = env(webhook, Map.of(
                    "OPERON_MQTT_URL", broker.mqttUrl(),
                    "OPERON_MQTT_TOPICS", TOPIC,
                    "OPERON_MQTT_CLIENT_ID", "operon-crash-test",
                    "OPERON_MQTT_MAPPING", "broker-json"));
            OperonProcess first = OperonProcess.start(tmp.resolve("data"), smallQueue(env));
            // MQTT keeps messages only for a session that has subscribed: wait for Operon's subscription.
            await().atMost(Duration.ofSeconds(60)).until(() -> broker.consumers(address) == 1);
            assertThat(first.post("/api/v1/engine/pause", "application/json", "").statusCode()).isEqualTo(200);
            List<String> payloads = new ArrayList<>();
            for (int n = 1; n <= 7; n++) {
                payloads.add(message("m", n));
            }
            publishMqtt(payloads.toArray(String[]::new));

            // m-1..m-5 journaled (paused: not decided) and acknowledged (PUBACK); m-6 received and refused
            // (queue full) again and again, never acknowledged, and m-7 delivered behind it, unacknowledged.
            await().atMost(Duration.ofSeconds(60)).until(() -> counters(first, source) != null
                    && counters(first, source).get("accepted").asLong() == 5
                    && counters(first, source).get("received").asLong() > 7);
            assertThat(first.engineStatus().get("backlog").asInt()).isEqualTo(5);
            await().atMost(Duration.ofSeconds(10)).until(() -> broker.messagesHeld(address) == 2);
            first.kill();
            assertThat(webhook.requests()).isEmpty();

            // While Operon is down the broker keeps the session's messages: a message that can never be an
            // event, and three more events.
            publishMqtt("{not json", message("m", 8), message("m", 9), message("m", 10));
            await().atMost(Duration.ofSeconds(10)).until(() -> broker.messagesHeld(address) == 6);

            try (OperonProcess second = OperonProcess.start(tmp.resolve("data"), env)) {
                // m-1..m-5 from the journal; m-6..m-10 resent by the broker when the session is resumed.
                webhook.awaitRequests(10, Duration.ofSeconds(90));
                await().atMost(Duration.ofSeconds(30)).until(() -> broker.messagesHeld(address) == 0
                        && sentActions(second) == 10);
                assertOneEffectPerEvent(webhook, subjects("m", 1, 10));
                assertThat(counters(second, source).get("accepted").asLong()).isEqualTo(5);
                assertThat(counters(second, source).get("rejected").asLong()).isEqualTo(1);
                assertThat(second.getJson("/api/v1/deadletters?limit=100").get("deadletters")).hasSize(1);

                publishMqtt(message("m", 11));
                webhook.awaitRequests(11, Duration.ofSeconds(60));
                assertOneEffectPerEvent(webhook, subjects("m", 1, 11));
            }
        }
    }
}
