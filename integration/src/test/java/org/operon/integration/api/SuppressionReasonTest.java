package org.operon.integration.api;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SuppressionReasonTest {

    @Test
    void eachMuterAndRuleReasonIsRecognised() {
        assertThat(SuppressionReason.parse("silenced by 3f1c"))
                .containsEntry("kind", "silence").containsEntry("silenceIds", List.of("3f1c"));
        assertThat(SuppressionReason.parse("maintenance window nightly backup"))
                .containsEntry("kind", "maintenance").containsEntry("window", "nightly backup");
        assertThat(SuppressionReason.parse("inhibited by alert 2bd0845d243bb57e (rule node down)"))
                .containsEntry("kind", "inhibited").containsEntry("alert", "2bd0845d243bb57e")
                .containsEntry("inhibitRule", "node down");
        assertThat(SuppressionReason.parse("inhibited by service db, which checkout depends on (alert 99aa)"))
                .containsEntry("kind", "inhibited").containsEntry("service", "db")
                .containsEntry("dependent", "checkout").containsEntry("alert", "99aa");
        assertThat(SuppressionReason.parse("all alerts inhibited")).containsEntry("kind", "inhibited");
        assertThat(SuppressionReason.parse("throttled: once within PT10M per subject (first 0a1b2c)"))
                .containsEntry("kind", "throttled").containsEntry("firstDecision", "0a1b2c");
        assertThat(SuppressionReason.parse("held back by my rule"))
                .containsEntry("kind", "rule").containsEntry("reason", "held back by my rule")
                .doesNotContainKeys("silenceIds", "window", "alert");
    }

    @Test
    void aReasonThatOnlyMentionsASilenceIsNotASilence() {
        assertThat(SuppressionReason.parse("not silenced by anything")).containsEntry("kind", "rule");
        assertThat(SuppressionReason.parse(null)).containsEntry("kind", "rule");
    }
}
