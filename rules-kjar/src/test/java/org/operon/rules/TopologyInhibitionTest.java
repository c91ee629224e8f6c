package org.operon.rules;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.operon.model.AlertFingerprint;
import org.operon.model.reference.Service;
import org.operon.rules.InhibitionTest.Alerts;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.operon.rules.Timeline.minutes;
import static org.operon.rules.Timeline.seconds;

/**
 * inhibition.drl with services: while an alert of service S fires, the alerts of each service that
 * depends on S directly are muted.
 */
class TopologyInhibitionTest {
    // frontend -> checkout -> db: a chain of direct dependencies.
    private static final Service DB = new Service("db", "dba", "tier-1", List.of());
    private static final Service CHECKOUT = new Service("checkout", "shop", "tier-1", List.of("db"));
    private static final Service FRONTEND = new Service("frontend", "web", "tier-2", List.of("checkout"));

    private static final Map<String, String> DB_DOWN = Map.of("alertname", "DbDown", "service", "db");
    private static final Map<String, String> DB_SLOW = Map.of("alertname", "DbSlow", "service", "db");
    private static final Map<String, String> CHECKOUT_ERRORS = Map.of("alertname", "Errors", "service", "checkout");
    private static final Map<String, String> FRONTEND_ERRORS = Map.of("alertname", "Errors", "service", "frontend");
    private static final String DB_DOWN_FP = AlertFingerprint.of(DB_DOWN);
    private static final String DB_SLOW_FP = AlertFingerprint.of(DB_SLOW);
    private static final String CHECKOUT_FP = AlertFingerprint.of(CHECKOUT_ERRORS);
    private static final String FRONTEND_FP = AlertFingerprint.of(FRONTEND_ERRORS);
    private static final String BY_DB_DOWN = "inhibited by service db, which checkout depends on (alert " + DB_DOWN_FP + ")";

    private final Timeline timeline = new Timeline().withFacts(DB, CHECKOUT, FRONTEND);

    @AfterEach
    void close() {
        timeline.close();
    }

    @Test
    void aFiringAlertOnAServiceMutesTheAlertsOfAServiceThatDependsOnIt() {
        timeline.at(seconds(0), Alerts.firing("r1", DB_DOWN))
                .at(seconds(30), Alerts.firing("r2", CHECKOUT_ERRORS));

        assertThat(Alerts.mutedBy(Alerts.only(timeline, "alert-firing", CHECKOUT_FP))).isEqualTo(BY_DB_DOWN);
        assertThat(Alerts.mutedBy(Alerts.only(timeline, "alert-firing", DB_DOWN_FP))).isNull();
        assertThat(timeline.facts(InhibitedAlert.class)).containsExactly(new InhibitedAlert(CHECKOUT_FP, BY_DB_DOWN));
    }

    @Test
    void aServiceThatIsDependedOnIsNotMutedByItsDependents() {
        timeline.at(seconds(0), Alerts.firing("r1", CHECKOUT_ERRORS))
                .at(seconds(30), Alerts.firing("r2", DB_DOWN));

        assertThat(Alerts.mutedBy(Alerts.only(timeline, "alert-firing", DB_DOWN_FP))).isNull();
        assertThat(timeline.facts(InhibitedAlert.class)).as("checkout fired first, but is inhibited from now on")
                .containsExactly(new InhibitedAlert(CHECKOUT_FP, BY_DB_DOWN));
    }

    @Test
    void inhibitionDoesNotFollowChainsOfDependencies() {
        // frontend depends on checkout, which depends on db: db's alert does not reach frontend.
        timeline.at(seconds(0), Alerts.firing("r1", DB_DOWN))
                .at(seconds(30), Alerts.firing("r2", FRONTEND_ERRORS));

        assertThat(Alerts.mutedBy(Alerts.only(timeline, "alert-firing", FRONTEND_FP))).isNull();
        assertThat(timeline.facts(InhibitedAlert.class)).isEmpty();

        // An alert of checkout, inhibited itself, still inhibits frontend's (as in Alertmanager).
        timeline.at(minutes(1), Alerts.firing("r3", CHECKOUT_ERRORS));
        assertThat(timeline.facts(InhibitedAlert.class)).extracting(InhibitedAlert::getFingerprint)
                .containsExactlyInAnyOrder(CHECKOUT_FP, FRONTEND_FP);
    }

    @Test
    void servicesThatDependOnEachOtherDoNotMuteEachOther() {
        Service a = new Service("a", null, null, List.of("b"));
        Service b = new Service("b", null, null, List.of("a"));
        Map<String, String> alertA = Map.of("alertname", "Down", "service", "a");
        Map<String, String> alertB = Map.of("alertname", "Down", "service", "b");
        timeline.withFacts(a, b).at(seconds(0), Alerts.firing("r1", alertA), Alerts.firing("r2", alertB));

        assertThat(timeline.decisions()).hasSize(2).allSatisfy(d -> assertThat(Alerts.mutedBy(d)).isNull());
        assertThat(timeline.facts(InhibitedAlert.class)).isEmpty();
    }

    @Test
    void theNeededServiceRecoveringLiftsTheInhibition() {
        timeline.at(seconds(0), Alerts.firing("r1", DB_DOWN))
                .at(seconds(30), Alerts.firing("r2", CHECKOUT_ERRORS))
                .at(minutes(2), Alerts.resolved("r3", DB_DOWN, minutes(2)));

        assertThat(timeline.facts(InhibitedAlert.class)).isEmpty();

        timeline.at(minutes(3), Alerts.resolved("r4", CHECKOUT_ERRORS, minutes(3)));
        assertThat(Alerts.mutedBy(Alerts.only(timeline, "alert-resolved", CHECKOUT_FP))).isNull();
    }

    @Test
    void twoAlertsOfTheNeededServiceEachInhibitAndOneResolvingLeavesTheOther() {
        String byDbSlow = "inhibited by service db, which checkout depends on (alert " + DB_SLOW_FP + ")";
        timeline.at(seconds(0), Alerts.firing("r1", DB_DOWN), Alerts.firing("r2", DB_SLOW))
                .at(seconds(30), Alerts.firing("r3", CHECKOUT_ERRORS))
                .at(minutes(1), Alerts.resolved("r4", DB_DOWN, minutes(1)));

        assertThat(timeline.facts(InhibitedAlert.class)).containsExactly(new InhibitedAlert(CHECKOUT_FP, byDbSlow));

        timeline.at(minutes(2), Alerts.resolved("r5", CHECKOUT_ERRORS, minutes(2)));
        assertThat(Alerts.mutedBy(Alerts.only(timeline, "alert-resolved", CHECKOUT_FP))).isEqualTo(byDbSlow);
    }

    @Test
    void alertsWithoutAServiceLabelOrOfUnknownServicesAreNotInvolved() {
        Map<String, String> noService = Map.of("alertname", "Errors", "instance", "web-01");
        Map<String, String> unknown = Map.of("alertname", "Errors", "service", "search");
        timeline.at(seconds(0), Alerts.firing("r1", DB_DOWN), Alerts.firing("r2", noService),
                Alerts.firing("r3", unknown));

        assertThat(timeline.decisions()).hasSize(3).allSatisfy(d -> assertThat(Alerts.mutedBy(d)).isNull());
        assertThat(timeline.facts(InhibitedAlert.class)).isEmpty();
    }
}
