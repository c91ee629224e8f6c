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
 */
@ClassReactive
public final class IncidentMember {
    private final String fingerprint;
    private final String incidentId;
    private boolean firing = true;

    public IncidentMember(String fingerprint, String incidentId) {
        this.fingerprint = Objects.requireNonNull(fingerprint, "fingerprint");
        this.incidentId = Objects.requireNonNull(incidentId, "incidentId");
    }

    public String getFingerprint() { return fingerprint; }

    public String getIncidentId() { return incidentId; }

    public boolean isFiring() { return firing; }

    public void setFiring(boolean firing) { this.firing = firing; }

    @Override
    public String toString() {
        return "IncidentMember{" + fingerprint + " in " + incidentId + ", firing=" + firing + "}";
    }
}
