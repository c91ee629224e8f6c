package org.operon.rules;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.operon.model.ActionOutcome;
import org.operon.model.Decision;
import org.operon.model.Event;

import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.operon.rules.Timeline.minutes;
import static org.operon.rules.Timeline.seconds;

/** action-results.drl and remediation-failed.drl: results of actions come back as facts; failed remediation escalates. */
class RemediationFailedTest {
    private final Timeline timeline = new Timeline();

    @AfterEach
    void close() {
        timeline.close();
    }

    private static Event result(String actionId, String decisionId, String decisionType, String subject, String target,
                                String status, String reason, Map<String, Object> details) {
        return new ActionOutcome(actionId, decisionId, decisionType, "some-rule", subject, target, status, reason, details)
                .event(Instant.parse("2025-03-01T12:00:00Z"));
    }

    @Test
    void aFailedRemediationEscalatesOnceWithTheTargetsReport() {
        timeline.at(minutes(1), result("a1", "d1", "remediate", "web1", "webhook", ActionOutcome.FAILED,
                        "HTTP 500 after 3 attempts", Map.of("httpStatus", 500)))
                .at(minutes(2), result("a2", "d1", "remediate", "web1", "file", ActionOutcome.FAILED,
                        "disk full", Map.of()))
                .until(minutes(3));

        assertThat(timeline.decisions()).hasSize(1);
        Decision escalate = timeline.decisions().get(0);
        assertThat(escalate.getType()).isEqualTo("escalate");
        assertThat(escalate.getSubject()).isEqualTo("web1");
        assertThat(escalate.getRule()).isEqualTo("remediation-failed");
        assertThat(escalate.getTime()).isEqualTo(Timeline.T0 + minutes(1).toMillis());
        assertThat(escalate.getEventIds()).containsExactly("a1:failed");
        assertThat(escalate.getParams()).containsEntry("failedDecision", "d1").containsEntry("actionId", "a1")
                .containsEntry("target", "webhook").containsEntry("reason", "HTTP 500 after 3 attempts")
                .containsEntry("details", Map.of("httpStatus", 500));
        assertThat(timeline.facts(Event.class)).as("results never stay as events").isEmpty();
        assertThat(timeline.facts(ActionResult.class)).extracting(ActionResult::getActionId)
                .containsExactlyInAnyOrder("a1", "a2");
        ActionResult first = timeline.facts(ActionResult.class).stream()
                .filter(r -> r.getActionId().equals("a1")).findFirst().orElseThrow();
        assertThat(first.detail("httpStatus")).isEqualTo(500);
        assertThat(first.getStatus()).isEqualTo("failed");
    }

    @Test
    void sentSuppressedAndOtherDecisionTypesDoNotEscalate() {
        timeline.at(seconds(10), result("a1", "d1", "remediate", "web1", "webhook", ActionOutcome.SENT, null,
                        Map.of("httpStatus", 200)),
                        result("a2", "d2", "remediate", "web2", "webhook", ActionOutcome.SUPPRESSED,
                                "silenced by s1", null),
                        result("a3", "d3", "notify", "web3", "webhook", ActionOutcome.FAILED, "HTTP 404", null),
                        result("a4", "d4", "remediate", "web4", "webhook", ActionOutcome.REJECTED,
                                "rejected by alice", null))
                .until(minutes(1));

        assertThat(timeline.decisions()).isEmpty();
        assertThat(timeline.facts(ActionResult.class)).hasSize(4);
    }

    @Test
    void theEscalationsOwnFailureDoesNotLoop() {
        timeline.at(seconds(0), result("a1", "d1", "remediate", "web1", "webhook", ActionOutcome.FAILED, "HTTP 500",
                null));
        String escalationId = timeline.decisions().get(0).getId();
        timeline.at(seconds(5), result("a9", escalationId, "escalate", "web1", "webhook", ActionOutcome.FAILED,
                        "HTTP 500", null))
                .until(minutes(5));

        assertThat(timeline.decisions()).extracting(Decision::getType).containsExactly("escalate");
    }

    @Test
    void resultsAreForgottenAfterAnHourAndAFailureAfterThatEscalatesAgain() {
        timeline.at(seconds(0), result("a1", "d1", "remediate", "web1", "webhook", ActionOutcome.FAILED, "x", null))
                .until(minutes(61));
        assertThat(timeline.facts(ActionResult.class)).isEmpty();
        timeline.at(minutes(62), result("a1", "d1", "remediate", "web1", "webhook", ActionOutcome.FAILED, "y", null));
        assertThat(timeline.decisions()).extracting(Decision::getType).containsExactly("escalate", "escalate");
    }
}
