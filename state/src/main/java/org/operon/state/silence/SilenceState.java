package org.operon.state.silence;

import java.util.Locale;

/**
 * Where a silence is in its life at a given instant, as Alertmanager's API v2 names it
 * ({@code status.state}): {@code pending} before {@code startsAt}, {@code active} from {@code startsAt}
 * until {@code endsAt}, {@code expired} from {@code endsAt} on.
 */
public enum SilenceState {
    ACTIVE, PENDING, EXPIRED;

    /** The lower-case name the API uses: {@code active}, {@code pending}, {@code expired}. */
    public String apiName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
