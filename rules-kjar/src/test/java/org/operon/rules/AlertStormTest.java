package org.operon.rules;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.operon.model.Decision;
import org.operon.model.Event;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;
import static org.operon.rules.FlappingTest.AlertReportsForTest.report;
import static org.operon.rules.Timeline.T0;
import static org.operon.rules.Timeline.minutes;
import static org.operon.rules.Timeline.seconds;

/** alert-storm.drl: more than 20 alerts of one service starting within 2 minutes are one storm. */
class AlertStormTest {
    private final Timeline timeline = new Timeline();

    @AfterEach
    void close() {
        timeline.close();
    }

    private static String at(Duration offset) {
        return Instant.ofEpochMilli(T0 + offset.toMillis()).toString();
    }

    /** The labels of alert number {@code n} of a service (null: no service label); 3 alertnames take turns. */
    private static Map<String, String> labels(String service, int n) {
        Map<String, String> labels = new HashMap<>();
        labels.put("alertname", List.of("HighLatency", "ErrorRate", "PodCrashLooping").get(n % 3));
        labels.put("instance", "pod-" + n);
        if (service != null) {
            labels.put("service", service);
        }
        return labels;
    }

    /** Alert {@code n} of the service fires (report id {@code <service>-<n>}). */
    private static Event fires(String service, int n) {
        return report(service + "-" + n, labels(service, n), null, null);
    }

    private static Event resolves(String service, int n, Duration offset) {
        return report(service + "-" + n + "-resolved", labels(service, n), null, at(offset));
    }

    /** Alerts {@code from..to} of the service fire, one a second starting at {@code start}. */
    private Timeline oneASecond(String service, int from, int to, Duration start) {
        for (int n = from; n <= to; n++) {
            timeline.at(start.plusSeconds(n - from), fires(service, n));
        }
        return timeline;
    }

    private List<Decision> ofType(String type) {
        return timeline.decisions().stream().filter(d -> d.getType().equals(type)).toList();
    }

    @Test
    void twentyAlertsOfOneServiceAreNoStorm() {
        oneASecond("checkout", 1, 20, seconds(0)).until(minutes(10));

        assertThat(ofType("alert-firing")).hasSize(20);
        assertThat(ofType("alert-storm")).isEmpty();
        assertThat(timeline.facts(AlertStorm.class)).as("forgotten after 2 quiet minutes").isEmpty();
    }

    @Test
    void theTwentyFirstAlertWithinTheWindowStartsOneStormInsteadOfItsAlertFiring() {
        oneASecond("checkout", 1, 20, seconds(0))
                .at(seconds(40), fires("checkout", 21))
                .until(seconds(41));

        assertThat(ofType("alert-firing")).hasSize(20)
                .extracting(d -> d.getEventIds().get(0)).doesNotContain("checkout-21");
        assertThat(ofType("alert-storm")).singleElement().satisfies(d -> {
            assertThat(d.getSubject()).isEqualTo("checkout");
            assertThat(d.getTime()).isEqualTo(T0 + 40_000);
            assertThat(d.getRule()).isEqualTo("alert-storm");
            assertThat(d.getEventIds()).hasSize(21).startsWith("checkout-1").endsWith("checkout-21");
            assertThat(d.getParams()).containsEntry("service", "checkout")
                    .containsEntry("count", 21)
                    .containsEntry("alertnames", List.of("ErrorRate", "PodCrashLooping", "HighLatency"))
                    .containsEntry("since", at(seconds(40)))
                    .containsEntry("window", "2m");
        });
        assertThat(timeline.decisions()).last().extracting(Decision::getType).isEqualTo("alert-storm");
    }

    @Test
    void duringTheStormFiringsAreHeldBackAndItEndsAfterTwoQuietMinutes() {
        oneASecond("checkout", 1, 21, seconds(0))
                .at(seconds(50), fires("checkout", 22), fires("checkout", 23))
                .at(seconds(70), fires("checkout", 24))
                .until(Duration.ofMillis(190_000 - 1));
        assertThat(timeline.decisions()).extracting(Decision::getType).containsOnly("alert-firing", "alert-storm");
        assertThat(ofType("alert-firing")).hasSize(20);
        assertThat(ofType("alert-storm")).hasSize(1);

        timeline.until(minutes(4));

        assertThat(ofType("alert-storm-ended")).singleElement().satisfies(d -> {
            assertThat(d.getSubject()).isEqualTo("checkout");
            assertThat(d.getTime()).isEqualTo(T0 + 190_000); // 70 s + 2 m
            assertThat(d.getParams()).containsEntry("count", 24)
                    .containsEntry("heldBack", 4)
                    .containsEntry("since", at(seconds(20)));
        });
        assertThat(timeline.facts(AlertStorm.class)).isEmpty();

        timeline.at(minutes(4).plusSeconds(30), fires("checkout", 25)).until(minutes(4).plusSeconds(31));

        assertThat(timeline.decisions()).last().satisfies(d -> {
            assertThat(d.getType()).isEqualTo("alert-firing");
            assertThat(d.getEventIds()).containsExactly("checkout-25");
        });
    }

    @Test
    void aHeldBackFiringHasItsResolveHeldBackTooWhileOneThatWasSentResolvesNormally() {
        oneASecond("checkout", 1, 22, seconds(0))
                .at(seconds(30), resolves("checkout", 1, seconds(30)), resolves("checkout", 22, seconds(30)))
                .until(minutes(1));

        assertThat(ofType("alert-resolved")).singleElement()
                .satisfies(d -> assertThat(d.getEventIds()).containsExactly("checkout-1-resolved"));
        // alerts 2..21 resolve by themselves 5 minutes after their report; only those sent are resolved.
        timeline.until(minutes(20));
        assertThat(ofType("alert-resolved")).hasSize(20);
        assertThat(timeline.facts(StormHeldFiring.class)).isEmpty();
    }

    @Test
    void alertsPostedTogetherAreOneStormWithoutAnyAlertFiring() {
        List<Event> batch = new ArrayList<>();
        for (int n = 1; n <= 25; n++) {
            batch.add(fires("checkout", n));
        }
        timeline.at(seconds(0), batch.toArray(Event[]::new)).until(seconds(1));

        assertThat(timeline.decisions()).singleElement().satisfies(d -> {
            assertThat(d.getType()).isEqualTo("alert-storm");
            assertThat(d.getParams()).containsEntry("count", 25);
        });
    }

    @Test
    void twoServicesAreCountedApartAndAStormHoldsBackOnlyItsOwn() {
        for (int n = 1; n <= 15; n++) {
            timeline.at(seconds(n), fires("checkout", n), fires("payments", n));
        }
        timeline.until(seconds(20));
        assertThat(ofType("alert-firing")).hasSize(30);
        assertThat(ofType("alert-storm")).isEmpty();

        oneASecond("checkout", 16, 21, seconds(20)).at(seconds(30), fires("payments", 16)).until(seconds(31));

        assertThat(ofType("alert-storm")).singleElement().extracting(Decision::getSubject).isEqualTo("checkout");
        assertThat(timeline.decisions()).last().satisfies(d -> {
            assertThat(d.getType()).isEqualTo("alert-firing");
            assertThat(d.getEventIds()).containsExactly("payments-16");
        });
    }

    @Test
    void alertsWithoutAServiceLabelAreNotCounted() {
        oneASecond(null, 1, 30, seconds(0)).until(minutes(1));

        assertThat(timeline.decisions()).hasSize(30).extracting(Decision::getType).containsOnly("alert-firing");
        assertThat(timeline.facts(AlertStorm.class)).isEmpty();
    }

    @Test
    void startsSpreadOverMoreThanTheWindowAreNoStorm() {
        // 21 alerts 6 s apart: the 1st (0s) and the 21st (120s) are exactly 2 minutes apart.
        for (int n = 1; n <= 21; n++) {
            timeline.at(seconds(6L * (n - 1)), fires("checkout", n));
        }
        timeline.until(minutes(10));

        assertThat(ofType("alert-firing")).hasSize(21);
        assertThat(ofType("alert-storm")).isEmpty();
    }

    @Test
    void anAlertThatFiresAgainWithinTheWindowCountsOnce() {
        oneASecond("checkout", 1, 20, seconds(0))
                .at(seconds(30), resolves("checkout", 1, seconds(30)))
                .at(seconds(40), fires("checkout", 1))
                .until(minutes(1));

        assertThat(ofType("alert-storm")).isEmpty();
        assertThat(timeline.decisions()).extracting(Decision::getType, Decision::getTime).endsWith(
                tuple("alert-resolved", T0 + 30_000), tuple("alert-firing", T0 + 40_000));
    }
}
