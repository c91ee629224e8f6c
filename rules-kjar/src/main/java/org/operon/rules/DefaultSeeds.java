package org.operon.rules;

import org.operon.model.AlertLimits;
import org.operon.model.IncidentPolicy;

/**
 * The configuration facts the packaged rules fall back to when the session was opened without them:
 * {@link AlertLimits#defaults()} and {@link IncidentPolicy#defaults()}. One instance of each, so that a
 * rule can tell the default apart from a configured fact by identity ({@code this == DefaultSeeds.ALERT_LIMITS})
 * and delete the default once a configured one is there. Both are immutable, so the same instances may
 * sit in several sessions.
 */
public final class DefaultSeeds {
    /** Inserted by flapping.drl and alert-storm.drl when the session has no {@link AlertLimits}. */
    public static final AlertLimits ALERT_LIMITS = AlertLimits.defaults();
    /** Inserted by incidents.drl when the session has no {@link IncidentPolicy}. */
    public static final IncidentPolicy INCIDENT_POLICY = IncidentPolicy.defaults();

    private DefaultSeeds() {
    }
}
