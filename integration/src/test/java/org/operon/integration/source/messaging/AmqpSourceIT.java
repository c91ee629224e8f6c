package org.operon.integration.source.messaging;

import jakarta.jms.Connection;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import org.apache.qpid.jms.JmsConnectionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;
import org.operon.integration.testing.RecordingAcceptor.Behaviour;
import org.operon.integration.testing.SourceMappings;
import org.operon.model.Event;
import org.operon.model.Severity;
import org.operon.state.DeadLetter;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.operon.integration.source.messaging.BrokerSourceApp.event;
import org.operon.testkit.EmbeddedArtemis;

/**
 * The AMQP 1.0 source against a real Artemis broker over AMQP: a message is acknowledged only once
 * {@code SourceIntake} returned (events durable, bad input dead-lettered), so overload and a stop before
 * acceptance leave it with the broker, which delivers it again.
 */
class AmqpSourceIT {
    @TempDir
    static Path brokerDir;
    private static EmbeddedArtemis broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = EmbeddedArtemis.start(brokerDir);
    }

    @AfterAll
    static void stopBroker() throws Exception {
        broker.close();
    }

    /** A queue of its own for each test, so that nothing one test left behind reaches another. */
    private static String queueOf(TestInfo test) {
        return "operon.test." + test.getTestMethod().orElseThrow().getName();
    }

    private static AmqpSourceOptions options(String queue) {
        return new AmqpSourceOptions(broker.amqpUrl(), List.of(queue), "operon", "s3cret-not-logged");
    }

    private static void send(String queue, String... bodies) throws Exception {
        JmsConnectionFactory factory = new JmsConnectionFactory(broker.amqpUrl());
        try (Connection connection = factory.createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = session.createProducer(session.createQueue(queue));
            for (String body : bodies) {
                producer.send(session.createTextMessage(body));
            }
        }
    }

    /** Sends the bodies as text messages and returns their JMS message ids, in order. */
    private static List<String> sendWithIds(String queue, String... bodies) throws Exception {
        List<String> ids = new java.util.ArrayList<>();
        JmsConnectionFactory factory = new JmsConnectionFactory(broker.amqpUrl());
        try (Connection connection = factory.createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = session.createProducer(session.createQueue(queue));
            for (String body : bodies) {
                var message = session.createTextMessage(body);
                producer.send(message);
                ids.add(message.getJMSMessageID());
            }
        }
        return ids;
    }

    private static void sendBytes(String queue, byte[] body) throws Exception {
        JmsConnectionFactory factory = new JmsConnectionFactory(broker.amqpUrl());
        try (Connection connection = factory.createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            var message = session.createBytesMessage();
            message.writeBytes(body);
            session.createProducer(session.createQueue(queue)).send(message);
        }
    }

    @Test
    void messagesBecomeEventsAndAreAcknowledged(TestInfo test) throws Exception {
        String queue = queueOf(test);
        try (BrokerSourceApp app = BrokerSourceApp.amqp(options(queue), Behaviour.JOURNAL)) {
            send(queue, event("a1"), "[" + event("a2") + "," + event("a3") + "]");
            sendBytes(queue, event("a4").getBytes(StandardCharsets.UTF_8));

            await().atMost(Duration.ofSeconds(20)).until(() -> app.acceptedIds().size() == 4);
            assertThat(app.acceptedIds()).containsExactly("a1", "a2", "a3", "a4");
            await().atMost(Duration.ofSeconds(10)).until(() -> broker.messagesHeld(queue) == 0);
            assertThat(app.intake.counters().get("amqp:" + queue))
                    .containsEntry("received", 3L).containsEntry("accepted", 4L).containsEntry("rejected", 0L);
            assertThat(app.deadLetters.count()).isZero();
        }
    }

    @Test
    void jsonThatIsNotACloudEventIsMappedAndWhatMatchesNeitherIsDeadLettered(TestInfo test) throws Exception {
        String queue = queueOf(test);
        try (BrokerSourceApp app = BrokerSourceApp.amqp(options(queue), SourceMappings.zabbix())) {
            send(queue, SourceMappings.zabbixPayload("z1", "problem", "db-2"), "{\"eventid\":\"z2\"}", event("c3"));

            await().atMost(Duration.ofSeconds(20)).until(() -> app.acceptedIds().size() == 2);
            await().atMost(Duration.ofSeconds(10)).until(() -> broker.messagesHeld(queue) == 0);
            assertThat(app.acceptedIds()).containsExactly("z1", "c3");
            Event mapped = app.accepted().get(0);
            assertThat(mapped.getSource()).isEqualTo("amqp:" + queue);
            assertThat(mapped.getType()).isEqualTo("problem");
            assertThat(mapped.getSeverity()).isEqualTo(Severity.CRITICAL);
            assertThat(app.deadLetters.all()).extracting(DeadLetter::error).containsExactly("missing_attribute");
        }
    }

    @Test
    void mappedMessagesWithoutAnIdAreIdentifiedByTheirMessageIdNotByTheirBody(TestInfo test) throws Exception {
        String queue = queueOf(test);
        try (BrokerSourceApp app = BrokerSourceApp.amqp(options(queue), SourceMappings.withoutId())) {
            // Two genuine messages with the same body: two events, not one event and a duplicate.
            List<String> messageIds = sendWithIds(queue, "{\"kind\":\"disk.full\",\"host\":\"db-1\"}",
                    "{\"kind\":\"disk.full\",\"host\":\"db-1\"}");

            await().atMost(Duration.ofSeconds(20)).until(() -> app.acceptedIds().size() == 2);
            assertThat(messageIds).doesNotHaveDuplicates().allSatisfy(id -> assertThat(id).isNotBlank());
            assertThat(app.acceptedIds()).containsExactly(messageIds.get(0) + "-0", messageIds.get(1) + "-0");
        }
    }

    @Test
    void aBinaryModeMessageTakesItsAttributesFromApplicationProperties(TestInfo test) throws Exception {
        String queue = queueOf(test);
        try (BrokerSourceApp app = BrokerSourceApp.amqp(options(queue), Behaviour.JOURNAL)) {
            // The AMQP binding's names (cloudEvents:id) are not JMS identifiers: the sender must not validate them.
            JmsConnectionFactory factory = new JmsConnectionFactory(broker.amqpUrl() + "?jms.validatePropertyNames=false");
            try (Connection connection = factory.createConnection()) {
                Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageProducer producer = session.createProducer(session.createQueue(queue));
                var colon = session.createTextMessage("{\"labels\":{\"service\":\"billing\"}}");
                colon.setStringProperty("cloudEvents:specversion", "1.0");
                colon.setStringProperty("cloudEvents:id", "p1");
                colon.setStringProperty("cloudEvents:source", "/amqp-binary");
                colon.setStringProperty("cloudEvents:type", "alert");
                colon.setStringProperty("cloudEvents:subject", "db-5");
                producer.send(colon);
                var underscore = session.createBytesMessage();
                underscore.writeBytes("{}".getBytes(StandardCharsets.UTF_8));
                underscore.setStringProperty("cloudEvents_specversion", "1.0");
                underscore.setStringProperty("cloudEvents_id", "p2");
                underscore.setStringProperty("cloudEvents_source", "/amqp-binary");
                underscore.setStringProperty("cloudEvents_type", "alert");
                underscore.setStringProperty("cloudEvents_severity", "warning");
                producer.send(underscore);
                var invalid = session.createTextMessage("{}");
                invalid.setStringProperty("cloudEvents_specversion", "1.0");
                invalid.setStringProperty("cloudEvents_id", "p3");
                producer.send(invalid);
            }

            await().atMost(Duration.ofSeconds(20)).until(() -> app.acceptedIds().size() == 2
                    && app.deadLetters.count() == 1);
            await().atMost(Duration.ofSeconds(10)).until(() -> broker.messagesHeld(queue) == 0);
            assertThat(app.acceptedIds()).containsExactly("p1", "p2");
            assertThat(app.accepted().get(0).getSource()).isEqualTo("/amqp-binary");
            assertThat(app.accepted().get(0).getSubject()).isEqualTo("db-5");
            assertThat(app.accepted().get(0).getLabels()).containsEntry("service", "billing");
            assertThat(app.accepted().get(1).getSeverity()).isEqualTo(Severity.WARNING);
            assertThat(app.deadLetters.all().get(0).detail()).startsWith("binary-mode CloudEvent: ");
        }
    }

    @Test
    void aBadMessageIsDeadLetteredAndAcknowledgedAndTheNextIsConsumed(TestInfo test) throws Exception {
        String queue = queueOf(test);
        try (BrokerSourceApp app = BrokerSourceApp.amqp(options(queue), Behaviour.JOURNAL)) {
            send(queue, "{not json", event("b2"));

            await().atMost(Duration.ofSeconds(20)).until(() -> app.acceptedIds().contains("b2"));
            await().atMost(Duration.ofSeconds(10)).until(() -> broker.messagesHeld(queue) == 0);
            List<DeadLetter> letters = app.deadLetters.all();
            assertThat(letters).hasSize(1);
            assertThat(letters.get(0).channel()).isEqualTo("amqp:" + queue);
            assertThat(letters.get(0).error()).isEqualTo("malformed_json");
            assertThat(letters.get(0).payload()).isEqualTo("{not json");
            // Not redelivered: the queue is empty and the bad message was seen once only.
            assertThat(app.intake.counters().get("amqp:" + queue)).containsEntry("received", 2L)
                    .containsEntry("rejected", 1L);
            assertThat(app.acceptedIds()).containsExactly("b2");
        }
    }

    @Test
    void anOverloadedEngineLeavesTheMessageUnacknowledgedUntilItIsAcceptedOnce(TestInfo test) throws Exception {
        String queue = queueOf(test);
        try (BrokerSourceApp app = BrokerSourceApp.amqp(options(queue), Behaviour.OVERLOADED)) {
            send(queue, event("c1"));

            await().atMost(Duration.ofSeconds(20)).until(() -> app.attempts() >= 3);
            assertThat(app.acceptedIds()).isEmpty();
            assertThat(broker.messagesHeld(queue)).as("still with the broker, unacknowledged").isEqualTo(1);
            assertThat(app.deadLetters.count()).as("overload is not a bad payload").isZero();

            app.acceptor.behave(Behaviour.JOURNAL);
            await().atMost(Duration.ofSeconds(20)).until(() -> app.acceptedIds().contains("c1"));
            send(queue, event("c2"));
            await().atMost(Duration.ofSeconds(20)).until(() -> app.acceptedIds().contains("c2"));
            assertThat(app.acceptedIds()).containsExactly("c1", "c2");
            await().atMost(Duration.ofSeconds(10)).until(() -> broker.messagesHeld(queue) == 0);
        }
    }

    @Test
    void aMessageNotYetDurableWhenOperonStopsIsDeliveredAgainAfterTheRestart(TestInfo test) throws Exception {
        String queue = queueOf(test);
        BrokerSourceApp first = BrokerSourceApp.amqp(options(queue), Behaviour.HOLD);
        send(queue, event("d1"));
        // The journal write never confirms: the message is received but not accepted when Operon stops.
        await().atMost(Duration.ofSeconds(20)).until(() -> !first.acceptor.held().isEmpty());
        first.close();
        assertThat(first.acceptedIds()).isEmpty();
        assertThat(broker.messagesHeld(queue)).as("not acknowledged by the stopped consumer").isEqualTo(1);

        try (BrokerSourceApp restarted = BrokerSourceApp.amqp(options(queue), Behaviour.JOURNAL)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> restarted.acceptedIds().contains("d1"));
            send(queue, event("d2"));
            await().atMost(Duration.ofSeconds(20)).until(() -> restarted.acceptedIds().contains("d2"));
            assertThat(restarted.acceptedIds()).containsExactly("d1", "d2");
            await().atMost(Duration.ofSeconds(10)).until(() -> broker.messagesHeld(queue) == 0);
        }
    }
}
