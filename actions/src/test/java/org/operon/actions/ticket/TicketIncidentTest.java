package org.operon.actions.ticket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.operon.actions.ticket.TicketTestbed.INCIDENT;
import static org.operon.actions.ticket.TicketTestbed.T0;
import static org.operon.actions.ticket.TicketTestbed.incident;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.operon.actions.Action;
import org.operon.model.Decision;
import org.operon.model.TicketChange;

class TicketIncidentTest {

    private static TicketIncident of(Decision d) {
        return TicketIncident.of(Action.of(d, "redmine"));
    }

    @Test
    void theDescriptionNamesTheIncidentAndEndsWithTheMarkerTheSourcesRead() {
        TicketIncident incident = of(incident("incident-opened", "open", T0));
        assertThat(incident.description()).isEqualTo("""
                Operon incident inc-3f1c0a9b27d4 for checkout, open since 2026-11-27T20:00:00Z.
                Priority: P1, team: payments.

                Firing alerts:
                - HighLatency (instance=host-1, service=checkout)

                operon-incident: inc-3f1c0a9b27d4""");
        assertThat(TicketChange.incidentIn(incident.description())).isEqualTo(INCIDENT);
        assertThat(incident.summary(255)).isEqualTo("[P1] checkout: HighLatency");
        assertThat(incident.summary(10)).isEqualTo("[P1] chec…").hasSize(10);
    }

    @Test
    void notesSayWhatChangedAndRepeatsAndResolutionsAreRecognised() {
        assertThat(of(incident("incident-notification", "open", T0, "reason", "changed",
                "resolved", List.of(Map.of("alertname", "ErrorRate")))).changeNote())
                .isEqualTo("Notification (changed). Status: open. Firing: HighLatency. Resolved: ErrorRate.");
        assertThat(of(incident("incident-acknowledged", "acknowledged", T0, "by", "alice")).changeNote())
                .isEqualTo("Acknowledged by alice. Status: acknowledged. Firing: HighLatency.");
        assertThat(of(incident("incident-notification", "open", T0, "reason", "repeat")).isRepeat()).isTrue();
        assertThat(of(incident("incident-notification", "open", T0, "reason", "first")).isRepeat()).isFalse();
        TicketIncident resolved = of(incident("incident-resolved", "resolved", T0.plusSeconds(60)));
        assertThat(resolved.isResolved()).isTrue();
        assertThat(resolved.resolveNote()).isEqualTo("Incident inc-3f1c0a9b27d4 resolved by operon at "
                + T0.plusSeconds(60) + ".");
        assertThat(resolved.changeNote()).contains("Firing: none.");
    }

    @Test
    void aDecisionWithoutAnIncidentSnapshotIsRefused() {
        assertThatThrownBy(() -> of(TicketTestbed.notIncident(T0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("takes incident-* decisions").hasMessageContaining("'notify'");
        Decision badId = Decision.of("incident-opened", "checkout", "incidents", List.of("e1"))
                .withParam("incident", Map.of("id", "../../admin", "status", "open")).stamped(T0.toEpochMilli());
        assertThatThrownBy(() -> of(badId)).isInstanceOf(IllegalArgumentException.class);
    }
}
