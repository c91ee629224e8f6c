package org.operon.integration.source;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.operon.integration.http.IntakeOptions;
import org.operon.integration.testing.InMemoryDeadLetters;
import org.operon.integration.testing.RecordingAcceptor;
import org.operon.integration.testing.SourceMappings;
import org.operon.integration.webhook.WebhookConfig;
import org.operon.integration.webhook.WebhookMapping;
import org.operon.model.Event;
import org.operon.state.DeadLetter;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Which payloads SourceIntake reads as CloudEvents, which it maps, and binary mode. */
class SourceIntakePayloadsTest {
    private final RecordingAcceptor engine = new RecordingAcceptor();
    private final InMemoryDeadLetters deadLetters = new InMemoryDeadLetters();
    private final SourceIntake intake = new SourceIntake(engine, deadLetters,
            Clock.fixed(Instant.parse("2026-01-31T12:00:00Z"), ZoneOffset.UTC),
            new IntakeOptions(256, 128, 8192, Duration.ofSeconds(5)));

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String cloudEvent(String id) {
        return "{\"specversion\":\"1.0\",\"id\":\"" + id + "\",\"source\":\"/t\",\"type\":\"alert\"}";
    }

    private List<String> ids() {
        return engine.accepted().stream().map(Event::getId).toList();
    }

    @Test
    void cloudEventsStayCloudEventsAlsoWithAMappingAndInvalidOnesAreNotMapped() throws Exception {
        WebhookMapping mapping = SourceMappings.zabbix();
        intake.submit("kafka:t", utf8(cloudEvent("c1")), mapping);
        intake.submit("kafka:t", utf8("[" + cloudEvent("c2") + "," + cloudEvent("c3") + "]"), mapping);
        // Has specversion, so it is a CloudEvent, an invalid one: dead-lettered, not handed to the mapping.
        intake.submit("kafka:t", utf8("{\"specversion\":\"1.0\",\"eventid\":\"z9\",\"kind\":\"problem\"}"), mapping);

        assertThat(ids()).containsExactly("c1", "c2", "c3");
        assertThat(deadLetters.all()).extracting(DeadLetter::error).containsExactly("missing_attribute");
    }

    @Test
    void otherJsonIsMappedWithTheSourceNameAsDefaultSourceAndSplitArraysAreMappedToo() throws Exception {
        WebhookMapping split = WebhookConfig.parse(new ObjectMapper().readTree("""
                {"webhooks":[{"name":"batch","auth":{"bearer_token":"only-for-the-http-endpoint"},"events":"$[*]",
                  "event":{"type":"batch.item","id":"$.n"}}]}"""), name -> null).get(0).mapping();

        SourceIntake.Outcome one = intake.submit("mqtt:a/b", utf8(SourceMappings.zabbixPayload("z1", "problem", "db")),
                SourceMappings.zabbix());
        SourceIntake.Outcome array = intake.submit("amqp:q", utf8("[{\"n\":\"i1\"},{\"n\":\"i2\"}]"), split);

        assertThat(one.accepted()).containsExactly("z1");
        assertThat(array.accepted()).containsExactly("i1", "i2");
        assertThat(engine.accepted()).extracting(Event::getSource).containsExactly("mqtt:a/b", "amqp:q", "amqp:q");
        assertThat(deadLetters.count()).isZero();
    }

    @Test
    void mappedEventsWithoutAnIdTakeTheMessageIdAsStemElseTheBodysHash() throws Exception {
        WebhookMapping mapping = SourceMappings.withoutId();
        byte[] body = utf8("{\"kind\":\"problem\",\"host\":\"db\"}");

        // Two messages with the same body and their own ids are two events; a redelivery repeats its ids.
        intake.submit("kafka:t", body, mapping, "t-0-41");
        intake.submit("kafka:t", body, mapping, "t-0-42");
        intake.submit("kafka:t", body, mapping, "t-0-41");
        // Without a message id (MQTT, an AMQP message without one) the body decides: same body, same id.
        intake.submit("mqtt:a/b", body, mapping, null);
        intake.submit("mqtt:a/b", body, mapping);

        assertThat(ids()).hasSize(5);
        assertThat(ids().subList(0, 3)).containsExactly("t-0-41-0", "t-0-42-0", "t-0-41-0");
        assertThat(ids().get(3)).matches("[0-9a-f]{32}-0").isEqualTo(ids().get(4));
    }

    @Test
    void withoutAMappingOtherJsonIsRejectedAsNotACloudEvent() throws Exception {
        SourceIntake.Outcome outcome = intake.submit("kafka:t", utf8("{\"eventid\":\"z1\"}"), null);

        assertThat(outcome.accepted()).isEmpty();
        assertThat(outcome.rejected()).extracting(SourceIntake.Rejection::error).containsExactly("missing_attribute");
        assertThat(deadLetters.all().get(0).channel()).isEqualTo("kafka:t");
    }

    @Test
    void binaryModeTakesTheAttributesAndTheBodyAsData() throws Exception {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("specversion", "1.0");
        attributes.put("id", "b1");
        attributes.put("source", "/bin");
        attributes.put("type", "alert");

        intake.submitBinary("kafka:t", attributes, "application/json", utf8("{\"k\":1}"));
        intake.submitBinary("kafka:t", attributes, "text/plain", utf8("disk full"));
        attributes.put("type", "operon.internal");
        SourceIntake.Outcome reserved = intake.submitBinary("kafka:t", attributes, null, utf8("{}"));
        SourceIntake.Outcome tooLarge = intake.submitBinary("kafka:t", Map.of(), null, new byte[257]);

        assertThat(engine.accepted()).extracting(Event::getData).containsExactly(Map.of("k", 1), "disk full");
        assertThat(reserved.rejected()).extracting(SourceIntake.Rejection::error).containsExactly("reserved_type");
        assertThat(tooLarge.rejected()).extracting(SourceIntake.Rejection::error).containsExactly("body_too_large");
        assertThat(intake.counters().get("kafka:t")).containsEntry("received", 4L).containsEntry("accepted", 2L)
                .containsEntry("rejected", 2L);
    }
}
