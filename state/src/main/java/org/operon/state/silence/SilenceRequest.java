package org.operon.state.silence;

import org.operon.model.Matcher;
import java.time.Instant;
import java.util.List;

/**
 * What a client asks to be silenced: the content of Alertmanager's {@code PostableSilence}, before the
 * store gives it an id, fixes its start and stamps it.
 *
 * @param matchers  at least one; not all matching the empty string (see {@link Silence})
 * @param startsAt  when to start; null means now. A start in the past becomes now when a silence is
 *                  created (as Alertmanager does)
 * @param endsAt    when to end; required, after {@code startsAt}, and in the future when stored
 * @param createdBy who asks; required, may be empty
 * @param comment   why; required, may be empty
 * @throws InvalidSilenceException naming the field when a rule above that needs no clock is broken
 */
public record SilenceRequest(List<Matcher> matchers, Instant startsAt, Instant endsAt, String createdBy,
                             String comment) {

    public SilenceRequest {
        matchers = Silence.checkedMatchers(matchers);
        Silence.required("endsAt", endsAt);
        Silence.required("createdBy", createdBy);
        Silence.required("comment", comment);
        if (startsAt != null && !startsAt.isBefore(endsAt)) {
            throw new InvalidSilenceException("endsAt", "start time must be before end time");
        }
    }
}
