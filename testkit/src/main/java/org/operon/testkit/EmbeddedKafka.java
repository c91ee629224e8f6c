package org.operon.testkit;

import java.util.List;
import java.util.Map;

import kafka.testkit.KafkaClusterTestKit;
import kafka.testkit.TestKitNodes;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * A real Kafka broker in the test JVM: one combined KRaft node (broker and controller) on free ports,
 * with the settings a single node needs to form consumer groups at once (replication factors of 1, no
 * initial rebalance delay; see STACK-NOTES). The broker's version must match the client camel-kafka is
 * built with (the {@code kafka.version} of the poms).
 */
public final class EmbeddedKafka implements AutoCloseable {
    private final KafkaClusterTestKit cluster;
    private final Admin admin;

    private EmbeddedKafka(KafkaClusterTestKit cluster) {
        this.cluster = cluster;
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()));
    }

    /** Formats, starts and waits for the node. */
    public static EmbeddedKafka start() throws Exception {
        TestKitNodes nodes = new TestKitNodes.Builder().setCombined(true).setNumBrokerNodes(1)
                .setNumControllerNodes(1).build();
        KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(nodes)
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .build();
        try {
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            return new EmbeddedKafka(cluster);
        } catch (Exception | Error e) {
            cluster.close();
            throw e;
        }
    }

    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    /** An admin client of the node, closed with it. */
    public Admin admin() {
        return admin;
    }

    /** Creates a topic with one replica and waits until it exists. */
    public void createTopic(String name, int partitions) throws Exception {
        admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get();
    }

    @Override
    public void close() throws Exception {
        try {
            admin.close();
        } finally {
            cluster.close();
        }
    }
}
