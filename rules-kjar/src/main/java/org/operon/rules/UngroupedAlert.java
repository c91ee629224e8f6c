package org.operon.rules;

import org.kie.api.definition.type.ClassReactive;
import org.operon.model.Alert;
import org.operon.model.IncidentPolicy;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An alert that starts firing (first report, or firing again after it resolved) and has no incident
 * yet: the state behind {@code incidents.drl} between the alert's change and the rule that places it.
 * It carries a copy of what the incident needs from the alert, its correlation key and the time limits
 * of the session's {@link IncidentPolicy} measured back from now. The rules place it in exactly one
 * incident (rejoin, join, reopen or open, in that order of precedence) and delete it in the same firing.
 *
 * <p>During a storm of the alert's service the rules mark it {@link #duringStorm} (before placing it):
 * with any grouping other than {@code [service]} it then goes to the service's storm incident, key
 * {@code <service>/storm}. Class reactive: any change re-evaluates every rule over it.
 */
@ClassReactive
public final class UngroupedAlert {
    /** The correlation key suffix of a storm incident under a grouping other than {@code [service]}. */
    public static final String STORM_KEY_SUFFIX = "/storm";

    private final String fingerprint;
    private final Map<String, String> labels;
    private final String service;
    private final Instant startsAt;
    private final String eventId;
    private final String previousIncidentId;
    private final long time;
    private final long groupsSince;
    private final long reopensSince;
    private final boolean groupsByServiceOnly;
    private String correlationKey;
    private Map<String, String> groupLabels;
    private boolean storm;
    private int stormCount;

    private UngroupedAlert(Alert alert, IncidentPolicy policy, String previousIncidentId, long now) {
        this.fingerprint = alert.getFingerprint();
        this.labels = alert.getLabels();
        this.service = alert.label("service");
        this.startsAt = alert.getStartsAt();
        this.eventId = alert.getLastEventId();
        this.previousIncidentId = previousIncidentId;
        this.time = now;
        this.groupsSince = now - policy.getGroupingWindow().toMillis();
        this.reopensSince = now - policy.getReopenWindow().toMillis();
        this.groupsByServiceOnly = policy.getGroupBy().equals(List.of("service"));
        this.correlationKey = IncidentDecisions.correlationKey(labels, policy.getGroupBy());
        this.groupLabels = IncidentDecisions.groupLabels(labels, policy.getGroupBy());
    }

    /**
     * @param previousIncidentId the incident the alert belonged to when it resolved, or null
     * @param now                the session time
     */
    public static UngroupedAlert of(Alert alert, IncidentPolicy policy, String previousIncidentId, long now) {
        return new UngroupedAlert(alert, policy, previousIncidentId, now);
    }

    /**
     * Marks the alert as starting during a storm of its service that counts {@code count} alerts. Under
     * a grouping other than {@code [service]} it is moved to the storm incident's key and group labels;
     * under {@code [service]} its own incident is the service's, and that becomes the storm incident.
     */
    public void duringStorm(int count) {
        storm = true;
        stormCount = count;
        if (!groupsByServiceOnly) {
            correlationKey = service + STORM_KEY_SUFFIX;
            groupLabels = Map.of("service", service);
        }
    }

    public String getFingerprint() { return fingerprint; }

    /** The alert's labels (immutable, sorted by name). */
    public Map<String, String> getLabels() { return labels; }

    /** The alert's {@code service} label, or null. */
    public String getService() { return service; }

    public Instant getStartsAt() { return startsAt; }

    /** The alert's last report (the one that made it fire), or null. */
    public String getEventId() { return eventId; }

    /** The incident the alert belonged to when it last resolved, or null. */
    public String getPreviousIncidentId() { return previousIncidentId; }

    /** The session time it started firing (epoch ms). */
    public long getTime() { return time; }

    /** An active incident opened after this (epoch ms) still takes new alerts: now minus the grouping window. */
    public long getGroupsSince() { return groupsSince; }

    /** A resolved incident resolved after this (epoch ms) reopens: now minus the reopen window. */
    public long getReopensSince() { return reopensSince; }

    public String getCorrelationKey() { return correlationKey; }

    /** The group-by labels the alert has (for a storm incident: {@code service}). */
    public Map<String, String> getGroupLabels() { return groupLabels; }

    /** True when it started during a storm of its service. */
    public boolean isStorm() { return storm; }

    /** The storm's alert count when it started, 0 outside a storm. */
    public int getStormCount() { return stormCount; }

    @Override
    public String toString() {
        return "UngroupedAlert{fingerprint=" + fingerprint + ", key=" + correlationKey + ", storm=" + storm + "}";
    }
}
