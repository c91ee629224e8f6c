package org.operon.state.silence;

import org.operon.model.Matcher;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A silence as stored and as {@code GET /api/v2/silences} shows it: while it is active, decisions whose
 * labels match all of its matchers cause no action (see {@code org.operon.actions.mute.SilenceMuter}).
 *
 * <p>Its {@link #state(Instant) state} is computed, never stored: {@code pending} while
 * {@code at < startsAt}, {@code expired} once {@code endsAt <= at}, {@code active} in between. (At the
 * very instant {@code endsAt} Alertmanager still calls a silence active; Operon calls it expired, so that a
 * silence expired "now" is expired at once.)
 *
 * @param id        the silence's UUID
 * @param matchers  what it silences, all of which must match; in the order given
 * @param startsAt  when it starts to act
 * @param endsAt    when it stops; never before {@code startsAt} (equal for a pending silence expired early)
 * @param createdBy who created it, as given; may be empty
 * @param comment   why, as given; may be empty
 * @param updatedAt when it was last written
 * @throws InvalidSilenceException naming the field when a rule below is broken
 */
public record Silence(String id, List<Matcher> matchers, Instant startsAt, Instant endsAt, String createdBy,
                      String comment, Instant updatedAt) {

    public Silence {
        if (id == null || id.isBlank()) {
            throw new InvalidSilenceException("id", "a stored silence needs an id");
        }
        matchers = checkedMatchers(matchers);
        required("startsAt", startsAt);
        required("endsAt", endsAt);
        required("createdBy", createdBy);
        required("comment", comment);
        required("updatedAt", updatedAt);
        if (endsAt.isBefore(startsAt)) {
            throw new InvalidSilenceException("endsAt", "must not be before startsAt");
        }
    }

    /** Where the silence is in its life at {@code at}; see the class comment. */
    public SilenceState state(Instant at) {
        if (!endsAt.isAfter(at)) {
            return SilenceState.EXPIRED;
        }
        return at.isBefore(startsAt) ? SilenceState.PENDING : SilenceState.ACTIVE;
    }

    /** Whether every matcher matches the label set (absent labels count as empty). */
    public boolean matches(Map<String, String> labels) {
        return matchers.stream().allMatch(m -> m.matches(labels));
    }

    /** A copy with other times and {@code updatedAt}, same id, matchers, author and comment. */
    Silence withTimes(Instant newStartsAt, Instant newEndsAt, Instant newUpdatedAt) {
        return new Silence(id, matchers, newStartsAt, newEndsAt, createdBy, comment, newUpdatedAt);
    }

    /**
     * Alertmanager's rules for the matchers of any silence: at least one, none null, and not all of them
     * matching the empty string (by {@link Matcher#matchesEmpty()}), since such a silence would silence
     * nearly everything.
     *
     * @return an unmodifiable copy
     */
    static List<Matcher> checkedMatchers(List<Matcher> matchers) {
        if (matchers == null || matchers.isEmpty()) {
            throw new InvalidSilenceException("matchers", "at least one matcher is required");
        }
        List<Matcher> copy = new ArrayList<>(matchers.size());
        boolean allMatchEmpty = true;
        for (int i = 0; i < matchers.size(); i++) {
            Matcher m = matchers.get(i);
            if (m == null) {
                throw new InvalidSilenceException("matchers[" + i + "]", "must not be null");
            }
            allMatchEmpty &= m.matchesEmpty();
            copy.add(m);
        }
        if (allMatchEmpty) {
            throw new InvalidSilenceException("matchers", "at least one matcher must not match the empty string");
        }
        return List.copyOf(copy);
    }

    static void required(String field, Object value) {
        if (value == null) {
            throw new InvalidSilenceException(field, "is required");
        }
    }
}
