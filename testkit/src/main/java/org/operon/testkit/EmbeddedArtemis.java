package org.operon.testkit;

import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.postoffice.Binding;
import org.apache.activemq.artemis.core.postoffice.QueueBinding;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;

/**
 * A real ActiveMQ Artemis broker in the test JVM: AMQP and MQTT acceptors on free ports of 127.0.0.1,
 * persistence and security off (any user and password are accepted).
 */
public final class EmbeddedArtemis implements AutoCloseable {
    private final EmbeddedActiveMQ broker;
    private final int amqpPort;
    private final int mqttPort;

    private EmbeddedArtemis(EmbeddedActiveMQ broker, int amqpPort, int mqttPort) {
        this.broker = broker;
        this.amqpPort = amqpPort;
        this.mqttPort = mqttPort;
    }

    public static EmbeddedArtemis start(Path dir) throws Exception {
        int amqpPort = freePort();
        int mqttPort = freePort();
        ConfigurationImpl config = new ConfigurationImpl();
        config.setPersistenceEnabled(false);
        config.setSecurityEnabled(false);
        config.setJMXManagementEnabled(false);
        config.setBrokerInstance(dir.toFile());
        config.setJournalDirectory(dir.resolve("journal").toString());
        config.setBindingsDirectory(dir.resolve("bindings").toString());
        config.setPagingDirectory(dir.resolve("paging").toString());
        config.setLargeMessagesDirectory(dir.resolve("large").toString());
        config.addAcceptorConfiguration("amqp", "tcp://127.0.0.1:" + amqpPort + "?protocols=AMQP");
        config.addAcceptorConfiguration("mqtt", "tcp://127.0.0.1:" + mqttPort + "?protocols=MQTT");
        EmbeddedActiveMQ broker = new EmbeddedActiveMQ();
        broker.setConfiguration(config);
        broker.start();
        return new EmbeddedArtemis(broker, amqpPort, mqttPort);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    public String amqpUrl() {
        return "amqp://127.0.0.1:" + amqpPort;
    }

    public String mqttUrl() {
        return "tcp://127.0.0.1:" + mqttPort;
    }

    /**
     * Messages the broker still holds for {@code address} over all its queues, delivered but unacknowledged
     * ones included: 0 means every message was acknowledged. An MQTT topic {@code a/b} is the address
     * {@code a.b}.
     */
    public long messagesHeld(String address) throws Exception {
        var bindings = broker.getActiveMQServer().getPostOffice().getBindingsForAddress(SimpleString.of(address));
        long held = 0;
        for (Binding b : bindings.getBindings()) {
            if (b instanceof QueueBinding q) {
                held += q.getQueue().getMessageCount();
            }
        }
        return held;
    }

    /**
     * Consumers attached to the queues of {@code address}: for an MQTT topic {@code a/b} (address {@code a.b}),
     * 1 once a subscriber's session subscribed, so that messages published from then on are kept for it.
     */
    public int consumers(String address) throws Exception {
        var bindings = broker.getActiveMQServer().getPostOffice().getBindingsForAddress(SimpleString.of(address));
        int consumers = 0;
        for (Binding b : bindings.getBindings()) {
            if (b instanceof QueueBinding q) {
                consumers += q.getQueue().getConsumerCount();
            }
        }
        return consumers;
    }

    @Override
    public void close() throws Exception {
        broker.stop();
    }
}
