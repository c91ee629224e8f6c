package org.operon.actions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.operon.model.Decision;
import org.operon.state.AuditEntry;

class ActionTest {
    private final Decision decision = Decision.of("notify", "db-1", "critical-burst", List.of("e1", "e2"))
            .stamped(1_709_633_730_000L);

    @Test
    void theIdIsADeterministicDigestOfDecisionAndTarget() {
        Action webhook = Action.of(decision, "webhook");

        assertThat(webhook.id()).matches("[0-9a-f]{24}");
        assertThat(Action.of(decision, "webhook").id()).isEqualTo(webhook.id());
        assertThat(Action.of(decision, "file").id()).isNotEqualTo(webhook.id());
        assertThat(Action.of(decision.stamped(1_709_633_730_001L), "webhook").id()).isNotEqualTo(webhook.id());
    }

    @Test
    void anUnstampedDecisionHasNoAction() {
        assertThatThrownBy(() -> Action.of(Decision.of("notify", "x", "r", List.of()), "log"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theAuditEntryCarriesTheDecisionAndTheOutcome() {
        AuditEntry entry = Action.of(decision, "file").audit(AuditEntry.FAILED, "disk full");

        assertThat(entry).isEqualTo(new AuditEntry(Action.idFor(decision.getId(), "file"), decision.getId(), "notify",
                "db-1", "file", "failed", "disk full", "critical-burst", List.of("e1", "e2"),
                "2024-03-05T10:15:30Z"));
    }

    @Test
    void theFileOfAnActionIsNamedByTheDecisionsUtcDay() {
        assertThat(FileSink.fileNameFor(decision.getTime())).isEqualTo("actions-2024-03-05.jsonl");
    }
}
