package org.operon.rules;

import org.kie.api.definition.type.ClassReactive;

import java.util.Objects;

/**
 * Which incident an alert belongs to now: one per fingerprint, from the moment {@code incidents.drl}
 * places the alert until its {@link org.operon.model.Alert} fact is forgotten (15 minutes after it
 * resolved) or its resolved incident is. {@code firing} mirrors the alert's state as the incident saw it
 * last, so the rules notice it resolving and firing again. When the alert fires again the rules delete
 * this and place the alert anew (it may go to another incident). The incident keeps its own list of
 * its alerts, which outlives this.
 *
 * <p>A {@linkplain #restored restored} member comes with an incident restored from its snapshot at the
 * start of a session (incident-restore.drl): its alert fired when the snapshot was taken, but the session
 * has no {@link org.operon.model.Alert} fact of it yet. It stays restored until the alert's first report
 * in the session (the same alert continuing) or the resolve timeout without one.
 */
@ClassReactive
public final class IncidentMember {
    private final String fingerprint;
    private final String incidentId;
    private boolean firing = true;
    private boolean restored;

    public IncidentMember(String fingerprint, String incidentId) {
        this.fingerprint = Objects.requireNonNull(fingerprint, "fingerprint");
        this.incidentId = Objects.requireNonNull(incidentId, "incidentId");
    }

    /** The membership of a firing alert of a restored incident, not yet reported in this session. */
    public static IncidentMember restored(String fingerprint, String incidentId) {
        IncidentMember m = new IncidentMember(fingerprint, incidentId);
        m.restored = true;
        return m;
    }

    public String getFingerprint() { return fingerprint; }

    public String getIncidentId() { return incidentId; }

    public boolean isFiring() { return firing; }

    public void setFiring(boolean firing) { this.firing = firing; }

    /** True from the incident's restore until the alert's first report in this session (or its timeout). */
    public boolean isRestored() { return restored; }

    public void setRestored(boolean restored) { this.restored = restored; }

    @Override
    public String toString() {
        return "IncidentMember{" + fingerprint + " in " + incidentId + ", firing=" + firing
                + (restored ? ", restored" : "") + "}";
    }
}
