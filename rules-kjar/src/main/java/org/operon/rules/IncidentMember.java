package org.operon.rules;

import org.operon.model.Routing;

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
 *
 * <p>It also mirrors what the incident's list says of the alert ({@link #isFlapping()},
 * {@link #isInhibited()}; copied from the incident when this is created, then kept by the rules that mark
 * the incident's member) and which {@link Routing} of the alert the incident has been offered, so that
 * the rules that keep those marks and the incident's routing filter on this fact and join the incident
 * last: an incident changes with every alert that joins it, and a join that tested the incident against
 * each of its members would cost as many tests as it has members at every change.
 */
@ClassReactive
public final class IncidentMember {
    private final String fingerprint;
    private final String incidentId;
    private boolean firing = true;
    private boolean restored;
    private boolean flapping;
    private boolean inhibited;
    private Routing offeredRouting;

    public IncidentMember(String fingerprint, String incidentId) {
        this.fingerprint = Objects.requireNonNull(fingerprint, "fingerprint");
        this.incidentId = Objects.requireNonNull(incidentId, "incidentId");
    }

    /** The membership of the alert in {@code incident}, with the marks the incident's list has for it. */
    public static IncidentMember of(String fingerprint, Incident incident) {
        IncidentMember m = new IncidentMember(fingerprint, incident.getId());
        m.flapping = incident.memberFlapping(fingerprint);
        m.inhibited = incident.memberInhibited(fingerprint);
        return m;
    }

    /** The membership of a firing alert of a restored incident, not yet reported in this session. */
    public static IncidentMember restored(String fingerprint, Incident incident) {
        IncidentMember m = of(fingerprint, incident);
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

    /** The incident's list marks the alert flapping. */
    public boolean isFlapping() { return flapping; }

    public void setFlapping(boolean flapping) { this.flapping = flapping; }

    /** The incident's list marks the alert inhibited. */
    public boolean isInhibited() { return inhibited; }

    public void setInhibited(boolean inhibited) { this.inhibited = inhibited; }

    /** The routing of the alert last offered to the incident (taken if more urgent than its own), or null. */
    public Routing getOfferedRouting() { return offeredRouting; }

    public void setOfferedRouting(Routing offeredRouting) { this.offeredRouting = offeredRouting; }

    /**
     * True when {@code routing} is to be offered to the incident: none was offered yet, or it is more urgent
     * than the one offered (so two routings of one alert are offered once each, most urgent last).
     */
    public boolean offers(Routing routing) {
        return offeredRouting == null || routing.getPriority().compareTo(offeredRouting.getPriority()) < 0;
    }

    @Override
    public String toString() {
        return "IncidentMember{" + fingerprint + " in " + incidentId + ", firing=" + firing
                + (restored ? ", restored" : "") + (flapping ? ", flapping" : "") + (inhibited ? ", inhibited" : "") + "}";
    }
}
