package org.operon.actions.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.operon.actions.Action;
import org.operon.model.CloudEventJson;
import org.operon.model.Decision;
import org.operon.model.Event;
import org.operon.model.Lineage;

class DecisionEventsTest {
    private static final Instant T0 = Instant.parse("2024-03-05T10:15:30Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    static Event event(String id, Object hops) {
        Event.Builder b = Event.builder().id(id).source("test").type("disk.full").subject("web-1").time(T0);
        if (hops != null) {
            b.extension(Lineage.HOPS_EXTENSION, hops);
        }
        return b.build();
    }

    static Decision decisionBehind(Event... events) {
        return Decision.of("disk-cleanup", "web-1", "cleanup", List.of(events).stream().map(Event::getId).toList())
                .stamped(T0.toEpochMilli())
                .withLineage(Lineage.of("cleanup", "org.operon.rules", "cleanup.drl", List.of((Object[]) events)));
    }

    @Test
    void theHopCountIsOneMoreThanTheHighestBehindTheDecision() {
        assertThat(DecisionEvents.hops(Decision.of("t", "s", "r", List.of()).stamped(1))).isEqualTo(1);
        assertThat(DecisionEvents.hops(decisionBehind(event("a", null)))).isEqualTo(1);
        assertThat(DecisionEvents.hops(decisionBehind(event("a", 2), event("b", "1")))).isEqualTo(3);
        assertThat(DecisionEvents.checkedHops(decisionBehind(event("a", 2)), 3)).isEqualTo(3);
        assertThatThrownBy(() -> DecisionEvents.checkedHops(decisionBehind(event("a", 3)), 3))
                .isInstanceOf(DecisionEvents.HopLimitException.class)
                .hasMessageContaining("hop 4").hasMessageContaining("operon.actions.publish.max-hops is 3");
    }

    @Test
    void theDecisionEventIsAValidCloudEventIdentifiedByTheActionId() throws Exception {
        Decision d = Decision.of("restart", "web-1", "r", List.of("e1")).withParam("unit", "nginx")
                .stamped(T0.toEpochMilli());
        Action action = Action.of(d, "kafka");

        JsonNode event = JSON.readTree(DecisionEvents.decisionEvent(action, 2));

        assertThat(event.path("id").asText()).isEqualTo(action.id());
        assertThat(event.path("type").asText()).isEqualTo("operon.decision.restart");
        assertThat(event.path("source").asText()).isEqualTo("operon");
        assertThat(event.path("subject").asText()).isEqualTo("web-1");
        assertThat(event.path("time").asText()).isEqualTo("2024-03-05T10:15:30Z");
        assertThat(event.path("operonhops").asInt()).isEqualTo(2);
        assertThat(event.path("data").path("decisionId").asText()).isEqualTo(d.getId());
        assertThat(event.path("data").path("params").path("unit").asText()).isEqualTo("nginx");
        Event parsed = new CloudEventJson().fromJson(event);
        assertThat(parsed.getExtensions()).containsEntry("operonhops", 2);
    }

    @Test
    void aPostedEventTakesItsTypeFromTheParamsAndNeverAReservedOne() throws Exception {
        Decision d = Decision.of("post", "web-1", "r", List.of("e1")).withParam("eventType", "cleanup.requested")
                .withParam("eventSeverity", "warning").withParam("eventLabels", Map.of("team", "ops"))
                .withParam("eventData", Map.of("path", "/var/log")).stamped(T0.toEpochMilli());

        Event posted = new CloudEventJson().rejectingReservedTypes()
                .fromJson(JSON.readTree(DecisionEvents.postedEvent(Action.of(d, "operon"), 1)));

        assertThat(posted.getType()).isEqualTo("cleanup.requested");
        assertThat(posted.getSubject()).isEqualTo("web-1");
        assertThat(posted.getSeverity().wireName()).isEqualTo("warning");
        assertThat(posted.getLabels()).containsEntry("team", "ops");
        assertThat(posted.getExtensions()).containsEntry("operonhops", 1);
        assertThatThrownBy(() -> DecisionEvents.postedEvent(Action.of(Decision.of("post", "s", "r", List.of())
                .withParam("eventType", "operon.alert").stamped(1), "operon"), 1))
                .hasMessageContaining("is reserved");
        assertThatThrownBy(() -> DecisionEvents.postedEvent(Action.of(Decision.of("post", "s", "r", List.of())
                .stamped(1), "operon"), 1)).hasMessageContaining("no 'eventType' param");
    }
}
