package org.operon.actions.mute;

import org.operon.model.Decision;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Asks several muters in order and answers with the first reason given: a decision is muted when any
 * of them mutes it. A muter that throws stops the evaluation and the exception reaches the caller (the
 * dispatcher then performs the action unmuted), so put muters that cannot fail first.
 */
public final class CompositeMuter implements Muter {
    private final List<Muter> muters;

    private CompositeMuter(List<Muter> muters) {
        this.muters = List.copyOf(muters);
    }

    /** A muter that mutes when any of {@code muters}, asked in this order, does. */
    public static Muter of(Muter... muters) {
        return new CompositeMuter(List.of(muters));
    }

    @Override
    public Optional<String> mutes(Decision decision, Instant at) {
        for (Muter m : muters) {
            Optional<String> reason = m.mutes(decision, at);
            if (reason.isPresent()) {
                return reason;
            }
        }
        return Optional.empty();
    }
}
