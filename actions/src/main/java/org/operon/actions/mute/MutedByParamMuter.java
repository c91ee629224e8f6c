package org.operon.actions.mute;

import org.operon.model.Decision;

import java.time.Instant;
import java.util.Optional;

/**
 * Mutes a decision the rules already marked as muted: when it carries a non-empty string in
 * {@link Decision#MUTED_BY_PARAM} (set by {@link Decision#mutedBy}, e.g. for inhibition or throttling),
 * that string is the reason, exactly as given. Any other value (absent, blank, not a string) mutes
 * nothing. It reads only the decision, so it cannot fail and belongs first in a {@link CompositeMuter}:
 * the rules' own reason then wins over a maintenance window or silence that also matches.
 */
public final class MutedByParamMuter implements Muter {

    @Override
    public Optional<String> mutes(Decision decision, Instant at) {
        Object reason = decision.getParams().get(Decision.MUTED_BY_PARAM);
        if (reason instanceof String text && !text.isBlank()) {
            return Optional.of(text);
        }
        return Optional.empty();
    }
}
