package org.operon.rules;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.operon.model.Decision;
import org.operon.model.Event;
import org.operon.model.TicketChange;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;
import static org.operon.rules.IncidentTimelines.expectedId;
import static org.operon.rules.IncidentTimelines.fires;
import static org.operon.rules.IncidentTimelines.incidentDecisions;
import static org.operon.rules.IncidentTimelines.labels;
import static org.operon.rules.IncidentTimelines.snapshot;
import static org.operon.rules.IncidentTimelines.time;
import static org.operon.rules.Timeline.minutes;
import static org.operon.rules.Timeline.seconds;

/** tickets.drl: ticket changes acknowledge and resolve the incident they name, through incidents.drl's commands. */
class TicketsTest {
    private static final Map<String, String> LATENCY = labels("HighLatency", "checkout", "critical");

    private final Timeline timeline = new Timeline();

    @AfterEach
    void close() {
        timeline.close();
    }

    private static Event ticket(String id, String effect, String incident, String status) {
        return TicketChange.event(id, TicketChange.REDMINE, "42", status, TicketChange.RESOLVE.equals(effect), effect,
                incident, "Alice", Instant.parse("2025-03-01T12:00:00Z"));
    }

    private List<org.assertj.core.groups.Tuple> lifecycle() {
        return incidentDecisions(timeline).stream().filter(d -> !d.getType().equals("incident-notification"))
                .map(d -> tuple(d.getType(), d.getSubject(), d.getTime())).toList();
    }

    private List<Decision> lifecycleDecisions() {
        return incidentDecisions(timeline).stream().filter(d -> !d.getType().equals("incident-notification")).toList();
    }

    @Test
    void anInProgressTicketAcknowledgesAndAClosedOneResolvesItsIncident() throws Exception {
        String id = expectedId("checkout", seconds(0));
        timeline.at(seconds(0), fires("r1", LATENCY))
                .at(minutes(1), ticket("t1", TicketChange.ACKNOWLEDGE, id, "In Progress"))
                .at(minutes(2), ticket("t2", TicketChange.ACKNOWLEDGE, id, "In Progress"))
                .at(minutes(5), ticket("t3", TicketChange.RESOLVE, id, "Closed"))
                .until(minutes(6));

        assertThat(lifecycle()).containsExactly(
                tuple("incident-opened", "checkout", time(seconds(0))),
                tuple("incident-acknowledged", "checkout", time(minutes(1))),
                tuple("incident-resolved", "checkout", time(minutes(5))));
        Decision acked = lifecycleDecisions().get(1);
        assertThat(acked.getEventIds()).containsExactly("t1");
        assertThat(acked.getParams()).containsEntry("by", "redmine:Alice")
                .containsEntry("comment", "redmine ticket 42: In Progress");
        assertThat(snapshot(acked)).containsEntry("status", "acknowledged").containsEntry("acknowledgedBy", "redmine:Alice");
        Decision resolved = lifecycleDecisions().get(2);
        assertThat(snapshot(resolved)).containsEntry("status", "resolved").containsEntry("resolvedBy", "redmine:Alice");
        assertThat(timeline.facts(Event.class)).as("ticket changes never stay as events").isEmpty();
        assertThat(timeline.facts(ReceivedIncidentCommand.class)).isEmpty();
        assertThat(timeline.facts(ReceivedTicketChange.class)).extracting(ReceivedTicketChange::getEventId)
                .containsExactlyInAnyOrder("t1", "t2", "t3");
    }

    @Test
    void aClosedTicketResolvesAnOpenIncidentDirectly() throws Exception {
        String id = expectedId("checkout", seconds(0));
        timeline.at(seconds(0), fires("r1", LATENCY))
                .at(minutes(1), ticket("t1", TicketChange.RESOLVE, id, "Closed"))
                .until(minutes(2));

        assertThat(lifecycle()).containsExactly(
                tuple("incident-opened", "checkout", time(seconds(0))),
                tuple("incident-resolved", "checkout", time(minutes(1))));
    }

    @Test
    void unknownIncidentsNoIncidentAndNeutralStatusesChangeNothing() throws Exception {
        String id = expectedId("checkout", seconds(0));
        timeline.at(seconds(0), fires("r1", LATENCY))
                .at(minutes(1), ticket("t1", TicketChange.ACKNOWLEDGE, "inc-000000000000", "In Progress"),
                        ticket("t2", TicketChange.RESOLVE, "inc-000000000000", "Closed"),
                        ticket("t3", TicketChange.RESOLVE, null, "Closed"),
                        ticket("t4", TicketChange.NONE, id, "Feedback"),
                        ticket("t5", TicketChange.RESOLVE, "not-an-incident-id", "Closed"))
                .until(minutes(2));

        assertThat(lifecycle()).containsExactly(tuple("incident-opened", "checkout", time(seconds(0))));
        assertThat(timeline.facts(ReceivedIncidentCommand.class)).isEmpty();
        assertThat(timeline.facts(Event.class)).isEmpty();
    }

    @Test
    void receivedChangesAreForgottenAfterTenMinutes() {
        timeline.at(seconds(0), ticket("t1", TicketChange.NONE, null, "New")).until(minutes(11));
        assertThat(timeline.facts(ReceivedTicketChange.class)).isEmpty();
    }

    @Test
    void theDescriptionMarkerNamesTheIncident() {
        assertThat(TicketChange.incidentIn("Opened by Operon.\r\noperon-incident: inc-0123456789ab\r\n"))
                .isEqualTo("inc-0123456789ab");
        assertThat(TicketChange.incidentIn("operon-incident: inc-0123")).isNull();
        assertThat(TicketChange.incidentIn(null)).isNull();
    }
}
