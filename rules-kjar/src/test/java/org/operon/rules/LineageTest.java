package org.operon.rules;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.operon.model.AlertReport;
import org.operon.model.Decision;
import org.operon.model.Event;
import org.operon.model.InvalidEventException;
import org.operon.model.Lineage;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.operon.rules.Timeline.critical;
import static org.operon.rules.Timeline.minutes;
import static org.operon.rules.Timeline.seconds;

/**
 * The lineage the packaged (executable-model) rules' decisions carry: the sending rule's file comes from the
 * index the build writes (src/build/DrlCheck.java), the facts explain themselves ({@code Explainable}).
 */
class LineageTest {
    private static final Map<String, String> HIGH_CPU = Map.of("alertname", "HighCpu", "instance", "web-01",
            "service", "checkout", "severity", "critical");
    private static final String HIGH_CPU_FP = "2bd0845d243bb57e";

    private final Timeline timeline = new Timeline();

    @AfterEach
    void close() {
        timeline.close();
    }

    @Test
    void aCriticalBurstNamesItsRuleFileBurstAndTheThreeEvents() {
        timeline.at(seconds(0), critical("e1", "db1"))
                .at(seconds(60), critical("e2", "db1"))
                .at(seconds(70), critical("x1", "db2"))
                .at(seconds(90), critical("e3", "db1"))
                .until(minutes(10));

        Decision notify = timeline.decisions().stream().filter(d -> d.getType().equals("notify")).findFirst()
                .orElseThrow();
        Lineage lineage = notify.getLineage();
        assertThat(lineage.getRule()).isEqualTo("critical-burst");
        assertThat(lineage.getRulePackage()).isEqualTo("org.operon.rules");
        assertThat(lineage.getFile()).isEqualTo("org/operon/rules/critical-burst.drl");
        assertThat(lineage.getFacts()).singleElement().satisfies(f -> {
            assertThat(f).containsEntry("kind", "CriticalBurst").containsEntry("key", "db1");
            assertThat((Map<String, Object>) f.get("fields")).containsEntry("notified", true)
                    .containsEntry("threshold", 3).containsEntry("window", "5m");
        });
        // The events of the burst, not the other subject's.
        assertThat(lineage.getEvents()).extracting(e -> e.get("id")).containsExactly("e1", "e2", "e3");
        assertThat(lineage.getEvents()).allSatisfy(e -> assertThat(e).containsEntry("severity", "critical")
                .containsEntry("subject", "db1"));
    }

    @Test
    void anAlertFiringNamesTheNoticeTheAlertAndTheRuleThatMadeTheChange() throws InvalidEventException {
        Map<String, Object> alert = new LinkedHashMap<>();
        alert.put("labels", HIGH_CPU);
        Event report = AlertReport.fromData(alert).toEvent("r1", "/api/v2/alerts", null);

        timeline.at(seconds(0), report).until(seconds(1));

        Decision firing = timeline.allDecisions().stream().filter(d -> d.getType().equals("alert-firing")).findFirst()
                .orElseThrow();
        Lineage lineage = firing.getLineage();
        assertThat(lineage.getRule()).isEqualTo("alerts: send the notice");
        assertThat(lineage.getFile()).isEqualTo("org/operon/rules/alerts.drl");
        assertThat(lineage.getFacts()).singleElement().satisfies(f -> {
            assertThat(f).containsEntry("kind", "AlertNotice").containsEntry("key", HIGH_CPU_FP);
            assertThat((Map<String, Object>) f.get("fields")).containsEntry("status", "firing")
                    .containsEntry("alertname", "HighCpu").containsEntry("decidedBy", firing.getRule())
                    .containsEntry("eventId", "r1").doesNotContainKey("mutedBy");
        });
    }
}
