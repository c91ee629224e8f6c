package org.operon.actions.mute;

import org.junit.jupiter.api.Test;
import org.operon.model.Decision;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class MutedByParamMuterTest {
    private static final Instant AT = Instant.parse("2026-11-27T20:00:00Z");
    private final Muter muter = new MutedByParamMuter();

    private static Decision decision() {
        return Decision.of("incident-notification", "checkout", "incidents", List.of("e1")).stamped(AT.toEpochMilli());
    }

    @Test
    void theReasonIsExactlyTheParameter() {
        assertThat(muter.mutes(decision().mutedBy("inhibited by alert 2bd0845d243bb57e (rule 1)"), AT))
                .contains("inhibited by alert 2bd0845d243bb57e (rule 1)");
        assertThat(muter.mutes(decision().mutedBy("  throttled  "), AT)).contains("  throttled  ");
    }

    @Test
    void withoutANonEmptyStringNothingIsMuted() {
        assertThat(muter.mutes(decision(), AT)).isEmpty();
        assertThat(muter.mutes(decision().mutedBy(""), AT)).isEmpty();
        assertThat(muter.mutes(decision().mutedBy("   "), AT)).isEmpty();
        assertThat(muter.mutes(decision().withParam(Decision.MUTED_BY_PARAM, true), AT)).isEmpty();
        assertThat(muter.mutes(decision().withParam(Decision.MUTED_BY_PARAM, null), AT)).isEmpty();
    }
}
