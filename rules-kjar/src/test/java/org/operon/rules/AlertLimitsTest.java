package org.operon.rules;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.operon.model.AlertLimits;
import org.operon.model.Decision;
import org.operon.model.IncidentPolicy;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;
import static org.operon.rules.FlappingTest.AlertReportsForTest.report;
import static org.operon.rules.IncidentTimelines.at;
import static org.operon.rules.IncidentTimelines.labels;
import static org.operon.rules.IncidentTimelines.time;
import static org.operon.rules.Timeline.minutes;
import static org.operon.rules.Timeline.seconds;

/**
 * flapping.drl and alert-storm.drl read their limits from the session's AlertLimits fact: here 2 changes
 * within 5 minutes are flapping, and more than 3 alerts of a service within 1 minute a storm. Without one,
 * the defaults (FlappingTest, AlertStormTest).
 */
class AlertLimitsTest {
    private static final AlertLimits TIGHT = new AlertLimits(2, minutes(5), 3, minutes(1));
    private static final Map<String, String> HIGH_CPU = Map.of("alertname", "HighCpu", "instance", "web-01");

    private Timeline timeline = Timeline.seeded(TIGHT);

    @AfterEach
    void close() {
        timeline.close();
    }

    private List<String> types() {
        return timeline.decisions().stream().map(Decision::getType).filter(t -> t.startsWith("alert-")).toList();
    }

    @Test
    void aSeededLimitReplacesTheDefaultAndWithoutOneTheDefaultIsUsed() {
        timeline.until(seconds(1));
        assertThat(timeline.facts(AlertLimits.class)).containsExactly(TIGHT);
        try (Timeline plain = new Timeline()) {
            plain.until(seconds(1));
            assertThat(plain.facts(AlertLimits.class)).containsExactly(DefaultSeeds.ALERT_LIMITS);
            assertThat(plain.facts(IncidentPolicy.class)).containsExactly(DefaultSeeds.INCIDENT_POLICY);
        }
    }

    @Test
    void twoStateChangesWithinTheSeededWindowAreFlapping() {
        timeline.at(seconds(0), report("r0", HIGH_CPU, null, null))
                .at(minutes(1), report("r1", HIGH_CPU, null, at(minutes(1))))
                .at(minutes(2), report("r2", HIGH_CPU, null, null))
                .until(minutes(3));

        assertThat(timeline.decisions()).extracting(Decision::getType, Decision::getTime).filteredOn(
                t -> ((String) t.toList().get(0)).startsWith("alert-")).containsExactly(
                tuple("alert-firing", time(seconds(0))),
                tuple("alert-resolved", time(minutes(1))),
                tuple("alert-flapping", time(minutes(2))));
        assertThat(timeline.decisions()).filteredOn(d -> d.getType().equals("alert-flapping")).singleElement()
                .satisfies(d -> assertThat(d.getParams()).containsEntry("changes", 2).containsEntry("window", "5m"));
    }

    @Test
    void flappingEndsAfterTheSeededQuietWindow() {
        timeline.at(seconds(0), report("r0", HIGH_CPU, null, null))
                .at(minutes(1), report("r1", HIGH_CPU, null, at(minutes(1))))
                .at(minutes(2), report("r2", HIGH_CPU, null, at(Duration.ofDays(1))))
                .until(minutes(10));

        assertThat(timeline.decisions()).filteredOn(d -> d.getType().equals("alert-flapping-ended")).singleElement()
                .satisfies(d -> assertThat(d.getTime()).isEqualTo(time(minutes(7))));
    }

    @Test
    void twoStateChangesFurtherApartThanTheSeededWindowAreNotFlapping() {
        timeline.at(seconds(0), report("r0", HIGH_CPU, null, null))
                .at(minutes(1), report("r1", HIGH_CPU, null, at(minutes(1))))
                .at(minutes(6), report("r2", HIGH_CPU, null, null))
                .until(minutes(7));

        assertThat(types()).containsExactly("alert-firing", "alert-resolved", "alert-firing");
    }

    @Test
    void fourAlertsOfAServiceWithinTheSeededWindowAreAStorm() {
        for (int n = 1; n <= 4; n++) {
            timeline.at(seconds(10L * n), report("s" + n, labels("A" + n, "checkout", "warning"), null, null));
        }
        timeline.until(minutes(3));

        assertThat(types()).containsExactly("alert-firing", "alert-firing", "alert-firing", "alert-storm",
                "alert-storm-ended");
        assertThat(timeline.decisions()).filteredOn(d -> d.getType().equals("alert-storm")).singleElement()
                .satisfies(d -> {
                    assertThat(d.getTime()).isEqualTo(time(seconds(40)));
                    assertThat(d.getParams()).containsEntry("count", 4).containsEntry("window", "1m");
                });
        assertThat(timeline.decisions()).filteredOn(d -> d.getType().equals("alert-storm-ended")).singleElement()
                .satisfies(d -> assertThat(d.getTime()).isEqualTo(time(seconds(100))));
    }

    @Test
    void fourAlertsSpreadOverMoreThanTheSeededWindowAreNoStorm() {
        for (int n = 0; n < 4; n++) {
            timeline.at(seconds(20L * n), report("s" + n, labels("A" + n, "checkout", "warning"), null, null));
        }
        timeline.until(minutes(3));

        assertThat(types()).containsOnly("alert-firing").hasSize(4);
    }
}
