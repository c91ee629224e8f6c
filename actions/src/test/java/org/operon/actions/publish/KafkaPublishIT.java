package org.operon.actions.publish;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.operon.actions.Action;
import org.operon.actions.ActionOptions;
import org.operon.actions.ActionRoutes;
import org.operon.model.Decision;
import org.operon.testkit.EmbeddedKafka;

/**
 * The {@code kafka} target against a real Kafka broker (one combined KRaft node in the test JVM): the record's
 * key is the decision's subject, its value the structured CloudEvent, its {@code content-type} header says so;
 * a decision past the hop limit publishes nothing.
 */
class KafkaPublishIT {
    private static final Instant T0 = Instant.parse("2024-03-05T10:15:30Z");

    @TempDir
    Path dir;

    @Test
    void publishesTheDecisionEventKeyedBySubject() throws Exception {
        try (EmbeddedKafka cluster = EmbeddedKafka.start()) {
            cluster.createTopic("operon-decisions", 1);
            ActionOptions options = ActionOptions.defaults().withFileDirectory(dir).withRetries(2, Duration.ofMillis(10))
                    .withTargetSettings(PublishOptions.defaults().withKafka(
                            new PublishOptions.Kafka(cluster.bootstrapServers(), "operon-decisions")))
                    .withDefaultTargets(List.of(KafkaPublishSink.NAME));
            CamelContext camel = new DefaultCamelContext();
            camel.addRoutes(new ActionRoutes(options));
            camel.start();
            Decision decision = Decision.of("restart", "web-1", "restart-rule", List.of("e1")).withParam("unit", "nginx")
                    .stamped(T0.toEpochMilli());
            Decision looping = DecisionEventsTest.decisionBehind(DecisionEventsTest.event("a", 5));
            try {
                for (Decision d : List.of(decision, looping)) {
                    Action action = Action.of(d, KafkaPublishSink.NAME);
                    Exchange done = camel.createProducerTemplate().send(ActionRoutes.endpointFor(KafkaPublishSink.NAME),
                            e -> e.getIn().setBody(action));
                    if (d == decision) {
                        assertThat(done.getException()).isNull();
                    } else {
                        assertThat(done.getException()).isInstanceOf(DecisionEvents.HopLimitException.class);
                    }
                }
            } finally {
                camel.stop();
            }

            List<ConsumerRecord<String, String>> records = new ArrayList<>();
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"), new StringDeserializer(), new StringDeserializer())) {
                TopicPartition partition = new TopicPartition("operon-decisions", 0);
                consumer.assign(List.of(partition));
                consumer.seekToBeginning(List.of(partition));
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (records.isEmpty() && System.nanoTime() < deadline) {
                    consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                }
                consumer.poll(Duration.ofMillis(300)).forEach(records::add);
            }
            assertThat(records).hasSize(1);
            ConsumerRecord<String, String> record = records.get(0);
            assertThat(record.key()).isEqualTo("web-1");
            assertThat(new String(record.headers().lastHeader("content-type").value(), StandardCharsets.UTF_8))
                    .isEqualTo(KafkaPublishSink.CONTENT_TYPE);
            JsonNode event = new ObjectMapper().readTree(record.value());
            assertThat(event.path("id").asText()).isEqualTo(Action.idFor(decision.getId(), KafkaPublishSink.NAME));
            assertThat(event.path("type").asText()).isEqualTo("operon.decision.restart");
            assertThat(event.path("data").path("params").path("unit").asText()).isEqualTo("nginx");
        }
    }
}
