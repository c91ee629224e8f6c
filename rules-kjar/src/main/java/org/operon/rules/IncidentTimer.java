package org.operon.rules;

import org.kie.api.definition.type.ClassReactive;

/**
 * A countdown for one incident: the next notification tick ({@link #NOTIFY}), the next escalation
 * ({@link #ESCALATE}), the end of the reopen window ({@link #FORGET}) or the resolve timeout of a restored
 * incident's alerts ({@link #UNREPORTED}). One timer rule in
 * {@code incidents.drl} marks it {@link #isDue() due} when it falls due; the rule of its kind then acts
 * and deletes it. The timer rule joins nothing but this fact, so no change of the incident can move or
 * cancel a pending countdown. A fresh instance per countdown.
 */
@ClassReactive
public final class IncidentTimer {
    /** The group-wait / group-interval tick of incident-notifications.drl. */
    public static final String NOTIFY = "notify";
    /** The escalation delay of escalation.drl. */
    public static final String ESCALATE = "escalate";
    /** The reopen window of a resolved incident, after which incidents.drl forgets it. */
    public static final String FORGET = "forget";
    /** The resolve timeout of the firing alerts of a restored incident, of incident-restore.drl. */
    public static final String UNREPORTED = "unreported";
    /** How many escalation levels an incident has when its routing's team is not on record. */
    public static final int LEVELS_WITHOUT_TEAM = 3;

    private final String kind;
    private final String incidentId;
    private final int level;
    private final long resolvedAt;
    private final long dueAt;
    private final long waitMillis;
    private boolean due;

    private IncidentTimer(String kind, String incidentId, int level, long resolvedAt, long now, long waitMillis) {
        this.kind = kind;
        this.incidentId = incidentId;
        this.level = level;
        this.resolvedAt = resolvedAt;
        this.waitMillis = Math.max(0, waitMillis);
        this.dueAt = now + this.waitMillis;
    }

    /** The next notification tick of an incident, {@code waitMillis} from {@code now}. */
    public static IncidentTimer notify(String incidentId, long now, long waitMillis) {
        return new IncidentTimer(NOTIFY, incidentId, 0, -1, now, waitMillis);
    }

    /** The escalation from {@code level} to the next one, {@code waitMillis} from {@code now}. */
    public static IncidentTimer escalate(String incidentId, int level, long now, long waitMillis) {
        return new IncidentTimer(ESCALATE, incidentId, level, -1, now, waitMillis);
    }

    /** The end of the reopen window of an incident resolved at {@code resolvedAt}. */
    public static IncidentTimer forget(String incidentId, long resolvedAt, long now, long waitMillis) {
        return new IncidentTimer(FORGET, incidentId, 0, resolvedAt, now, waitMillis);
    }

    /**
     * The resolve timeout of the firing alerts of an incident restored now: the alerts no report names
     * by then resolve. It falls {@code resolveTimeoutMillis} after the latest of now, the snapshot's last
     * change ({@code updatedAt}) and the moment it was read from the store ({@code readAt}, when Operon
     * started hearing alerts again, which after a stop lies beyond the replayed journal).
     */
    public static IncidentTimer unreported(String incidentId, long now, long updatedAt, long readAt,
                                           long resolveTimeoutMillis) {
        long from = Math.max(now, Math.max(updatedAt, readAt));
        return new IncidentTimer(UNREPORTED, incidentId, 0, -1, now, from + resolveTimeoutMillis - now);
    }

    public String getKind() { return kind; }

    public String getIncidentId() { return incidentId; }

    /** For {@link #ESCALATE}: the level the incident was at when armed; 0 otherwise. */
    public int getLevel() { return level; }

    /** For {@link #FORGET}: the resolve it counts from (epoch ms); -1 otherwise. */
    public long getResolvedAt() { return resolvedAt; }

    /** The session time it falls due (epoch ms). */
    public long getDueAt() { return dueAt; }

    /** The delay from insertion, never negative. */
    public long getWaitMillis() { return waitMillis; }

    /** True once it fell due; the rule of its kind then handles and deletes it. */
    public boolean isDue() { return due; }

    public void setDue(boolean due) { this.due = due; }

    @Override
    public String toString() {
        return "IncidentTimer{" + kind + ", incident=" + incidentId + ", dueAt=" + dueAt + ", due=" + due + "}";
    }
}
