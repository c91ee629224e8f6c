package org.operon.rules;

import org.kie.api.definition.type.ClassReactive;
import org.operon.model.Decision;
import org.operon.model.Explainable;
import org.operon.model.IncidentSnapshot;
import org.operon.model.Priority;
import org.operon.model.Routing;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * One incident: firing alerts of one correlation key grouped together, with its lifecycle (open,
 * acknowledged, resolved, reopened), routing, escalation level and notification state. The state behind
 * {@code incidents.drl}, {@code incident-notifications.drl} and {@code escalation.drl}; one fact per
 * incident, from the moment its first alert fires until its reopen window passed after it resolved (and
 * its last notification went out).
 *
 * <p>Every change is made by a method below, which records the decision it calls for as pending; the
 * rule "incidents: publish the change" (low salience, after every change of the moment) sends them in
 * order, each with the snapshot of the incident then and the next {@link #getVersion() version}. Within
 * one moment an {@code incident-updated} merges into any other decision of the incident, so an incident
 * that opens with several alerts and gets its routing at that moment sends one {@code incident-opened}.
 *
 * <p>The incident keeps its own list of alerts (fingerprint, labels, state, whether inhibited or flapping),
 * which outlives the alert facts: an alert forgotten 15 minutes after it resolved stays in the list as
 * resolved. Class reactive (any change re-evaluates every rule over it); not thread-safe, only the
 * session's rules touch it. Read-only for other rules: {@link #getId()}, {@link #getCorrelationKey()},
 * {@link #getStatus()}, {@link #isActive()}, {@link #getService()}, {@link #getGroupLabels()},
 * {@link #getCommonLabels()}, {@link #getFingerprints()}.
 *
 * <p><b>Restored.</b> {@link #restore} rebuilds an incident from its stored snapshot when a new session
 * starts (incident-restore.drl). Such an incident holds every change up to the snapshot's
 * {@code updatedAt}; the journal the session replays next reaches back before that moment, so the changes
 * the replay would make at or before it ({@link #join}, {@link #reopen}, {@link #memberResolved},
 * {@link #acknowledge}, {@link #resolve}, {@link #notification}) are already in it and change nothing.
 * Routing, flapping and inhibition marks are states the incident follows, so they apply as usual.
 */
@ClassReactive
public final class Incident implements Explainable {
    public static final String OPEN = "open";
    public static final String ACKNOWLEDGED = "acknowledged";
    public static final String RESOLVED = "resolved";
    public static final String KIND_ALERTS = "alerts";
    public static final String KIND_STORM = "storm";
    /** Who resolved an incident whose alerts all resolved. */
    public static final String BY_OPERON = "operon";
    /** The mute reason of a notification whose firing alerts are all inhibited. */
    public static final String ALL_INHIBITED = "all alerts inhibited";

    private static final String FIRING = "firing";
    /** How many member fingerprints {@link #explain()} lists. */
    static final int EXPLAINED_ALERTS = 20;

    /** The incident's record of one of its alerts. */
    private static final class Member {
        final String fingerprint;
        final Map<String, String> labels;
        boolean firing = true;
        Instant startsAt;
        boolean inhibited;
        boolean flapping;
        /** The state last sent in a notification ({@code firing} or {@code resolved}), or null. */
        String notified;
        /** Its position in the incident's list of alerts. */
        int index;
        /** {@link #summary()} as last built; null after a change. Snapshots share it until the member changes. */
        private Map<String, Object> summary;

        Member(UngroupedAlert alert) {
            this(alert.getFingerprint(), alert.getLabels(), alert.getStartsAt());
        }

        Member(String fingerprint, Map<String, String> labels, Instant startsAt) {
            this.fingerprint = fingerprint;
            this.labels = labels;
            this.startsAt = startsAt;
        }

        /** A notification counts this member as changed: its state differs from the one last sent. */
        boolean changedSinceNotified() {
            if (flapping || (firing && inhibited)) {
                return false;
            }
            return firing ? !FIRING.equals(notified) : FIRING.equals(notified);
        }


        /** The member as snapshot data: the same unmodifiable map until the member changes. */
        Map<String, Object> summary() {
            if (summary != null) {
                return summary;
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("fingerprint", fingerprint);
            m.put("alertname", labels.get("alertname"));
            m.put("status", firing ? FIRING : RESOLVED);
            m.put("labels", labels);
            m.put("startsAt", startsAt.toString());
            m.put("inhibited", inhibited);
            m.put("flapping", flapping);
            summary = Collections.unmodifiableMap(m);
            return summary;
        }
    }

    /** A decision waiting to be published: its type, rule, params and the ids of the events behind it. */
    private static final class Pending {
        final String type;
        final String rule;
        final Map<String, Object> params;
        final LinkedHashSet<String> eventIds = new LinkedHashSet<>(2);

        Pending(String type, String rule, Map<String, Object> params) {
            this.type = type;
            this.rule = rule;
            this.params = params;
        }
    }

    private final String id;
    private final String correlationKey;
    private final Map<String, String> groupLabels;
    private final long openedAt;
    private final LinkedHashMap<String, Member> alerts = new LinkedHashMap<>();
    /**
     * The summaries of the members by position, as the last {@link #snapshot()} listed them, and the members
     * changed since then: a snapshot copies the list and rebuilds only those, so that a storm of N alerts
     * joining one by one costs N array copies instead of N walks over every member. Null until first needed.
     */
    private ArrayList<Map<String, Object>> summaries;
    private final ArrayList<Member> changedSinceSnapshot = new ArrayList<>();
    private final List<Pending> pending = new ArrayList<>(2);
    /** How many members fire now. */
    private int firingCount;
    /** The labels every member has with the same value, unmodifiable; recomputed when a member joins. */
    private Map<String, String> commonLabels = Map.of();
    /** {@link #notifiedAlerts()} as last built; null after a notification changed it. */
    private Map<String, String> notifiedAlerts;
    private String kind;
    private int stormCount;
    private String status = OPEN;
    private long updatedAt;
    private long acknowledgedAt = -1;
    private String acknowledgedBy;
    private long resolvedAt = -1;
    private String resolvedBy;
    private int reopenCount;
    private int escalationLevel = 1;
    private Routing routing;
    private long lastNotifiedAt = -1;
    private long version;
    private boolean expired;
    /** When the pending escalation countdown falls due (epoch ms), -1 when none is armed. */
    private long escalatesAt = -1;
    /** A restored incident's countdown from its snapshot, taken by the next arming; -1 when none. */
    private long restoredEscalatesAt = -1;
    /** A restored incident holds every change up to this moment (epoch ms); -1 when not restored. */
    private long restoredThrough = -1;

    private Incident(UngroupedAlert first, long now) {
        this(IncidentDecisions.incidentId(first.getCorrelationKey(), now), first.getCorrelationKey(),
                first.getGroupLabels(), now);
    }

    private Incident(String id, String correlationKey, Map<String, String> groupLabels, long openedAt) {
        this.id = id;
        this.correlationKey = correlationKey;
        this.groupLabels = groupLabels;
        this.openedAt = openedAt;
        this.updatedAt = openedAt;
        this.kind = KIND_ALERTS;
    }

    /** A new incident of the alert's key, opened now with the alert as its first: pending incident-opened. */
    public static Incident open(UngroupedAlert first, long now, String rule) {
        Incident incident = new Incident(first, now);
        incident.place(first);
        incident.record(IncidentDecisions.OPENED, rule, first.getEventId(), Map.of());
        return incident;
    }

    /**
     * The incident a stored snapshot describes (see {@link #snapshot()}), for a new session: same id, key,
     * labels, status, times, version, escalation level, routing, notification state and alert list. It
     * holds every change up to the snapshot's {@code updatedAt} (see the class comment) and has no pending
     * decision. Fields a snapshot may lack are taken as: {@code notifiedAlerts} absent, each firing alert
     * that is not inhibited as notified firing and each resolved one as notified resolved (if it was ever
     * notified); {@code escalatesAt} absent, a full escalation delay from the next arming. It never throws
     * for a snapshot {@link IncidentSnapshot} accepted: a malformed optional field counts as absent (a
     * time as none, labels as none, a routing as none), an alert entry without fingerprint is left out.
     */
    public static Incident restore(IncidentSnapshot s) {
        Map<String, Object> m = s.getSnapshot();
        Incident incident = new Incident(s.getId(), s.getCorrelationKey(), stringMap(m.get("groupLabels")),
                millis(m, "openedAt"));
        incident.status = s.getStatus();
        incident.kind = KIND_STORM.equals(m.get("kind")) ? KIND_STORM : KIND_ALERTS;
        incident.stormCount = intOf(m.get("stormCount"), 0);
        incident.updatedAt = s.getUpdatedAt().toEpochMilli();
        incident.acknowledgedAt = optionalMillis(m, "acknowledgedAt");
        incident.acknowledgedBy = m.get("acknowledgedBy") instanceof String by ? by : null;
        incident.reopenCount = intOf(m.get("reopenCount"), 0);
        incident.escalationLevel = Math.max(1, intOf(m.get("escalationLevel"), 1));
        incident.routing = restoredRouting(m.get("routing"), s);
        incident.lastNotifiedAt = optionalMillis(m, "lastNotifiedAt");
        incident.version = s.getVersion();
        incident.restoredEscalatesAt = optionalMillis(m, "escalatesAt");
        incident.restoredThrough = incident.updatedAt;
        Map<String, String> notified = m.containsKey("notifiedAlerts") ? stringMap(m.get("notifiedAlerts")) : null;
        if (m.get("alerts") instanceof List<?> list) {
            for (Object o : list) {
                if (!(o instanceof Map<?, ?> a) || !(a.get("fingerprint") instanceof String fp)) {
                    continue;
                }
                long startsAt = optionalMillis(a.get("startsAt"));
                Member member = new Member(fp, stringMap(a.get("labels")),
                        Instant.ofEpochMilli(startsAt < 0 ? incident.openedAt : startsAt));
                member.firing = FIRING.equals(a.get("status"));
                member.inhibited = Boolean.TRUE.equals(a.get("inhibited"));
                member.flapping = Boolean.TRUE.equals(a.get("flapping"));
                if (notified != null) {
                    member.notified = notified.get(fp);
                } else if (incident.lastNotifiedAt >= 0) {
                    member.notified = !member.firing ? RESOLVED : member.inhibited ? null : FIRING;
                }
                incident.alerts.put(fp, member);
            }
        }
        incident.recount();
        return incident;
    }

    private static Routing restoredRouting(Object value, IncidentSnapshot s) {
        if (!(value instanceof Map<?, ?> r) || !(r.get("team") instanceof String team)) {
            return null;
        }
        Priority priority;
        Duration delay;
        try {
            priority = Priority.valueOf(String.valueOf(r.get("priority")));
            delay = r.get("escalationDelay") instanceof String d ? Duration.parse(d) : null;
        } catch (RuntimeException e) {
            return null;
        }
        List<String> channels = new ArrayList<>();
        if (r.get("channels") instanceof List<?> list) {
            list.forEach(c -> channels.add(String.valueOf(c)));
        }
        // Only team, priority, channels and delay are kept; the incident reads nothing else of its routing.
        return new Routing("", team, priority, channels, delay, false, "restored", s.getUpdatedAt());
    }

    /** A map of strings (labels, notified states); anything else counts as none. */
    private static Map<String, String> stringMap(Object value) {
        Map<String, String> copy = new LinkedHashMap<>();
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> {
                if (k != null && v != null) {
                    copy.put(String.valueOf(k), String.valueOf(v));
                }
            });
        }
        return Collections.unmodifiableMap(copy);
    }

    private static long millis(Map<String, Object> m, String field) {
        return Instant.parse(String.valueOf(m.get(field))).toEpochMilli();
    }

    private static long optionalMillis(Map<String, Object> m, String field) {
        return optionalMillis(m.get(field));
    }

    /** Epoch ms of an RFC 3339 time; -1 for null or anything unreadable. */
    private static long optionalMillis(Object value) {
        if (value instanceof String t) {
            try {
                return Instant.parse(t).toEpochMilli();
            } catch (DateTimeParseException e) {
                return -1;
            }
        }
        return -1;
    }

    private static int intOf(Object value, int absent) {
        return value instanceof Number n ? n.intValue() : absent;
    }

    /** True for a restored incident at or before the moment its snapshot was taken: the change is in it. */
    private boolean restoredAlready(long now) {
        return now <= restoredThrough;
    }

    /**
     * For a restored incident: the wait from {@code now} to its next notification tick. On the
     * group-interval grid of its last notification (the first tick at or after now); never notified,
     * {@code groupWaitMillis} after it opened; 0 when that has passed.
     */
    public long restoredNotificationWait(long now, long groupWaitMillis, long groupIntervalMillis) {
        long due;
        if (lastNotifiedAt < 0) {
            due = openedAt + groupWaitMillis;
        } else {
            long ticks = Math.max(1, Math.floorDiv(now - lastNotifiedAt + groupIntervalMillis - 1, groupIntervalMillis));
            due = lastNotifiedAt + ticks * groupIntervalMillis;
        }
        return Math.max(0, due - now);
    }

    /**
     * An escalation countdown is armed now: returns its wait, the routing's delay, or for a restored
     * incident the rest of the countdown its snapshot had (0 when overdue: it escalates at once), and
     * records when it falls due ({@code escalatesAt} in the snapshot). No rule reads that time, so the
     * caller need not {@code update} the incident.
     */
    public long armEscalation(long now) {
        long wait = restoredEscalatesAt >= 0 ? Math.max(0, restoredEscalatesAt - now) : getEscalationDelayMillis();
        restoredEscalatesAt = -1;
        escalatesAt = now + wait;
        return wait;
    }

    /** The alert joins (or, having resolved, rejoins) this active incident: pending incident-updated. */
    public void join(UngroupedAlert alert, long now, String rule) {
        if (restoredAlready(now)) {
            return;
        }
        place(alert);
        updatedAt = now;
        record(IncidentDecisions.UPDATED, rule, alert.getEventId(), Map.of());
    }

    /**
     * This resolved incident reopens with the alert: open again, reopen count up, escalation back at
     * level 1, acknowledgement and resolve cleared. Pending incident-reopened.
     */
    public void reopen(UngroupedAlert alert, long now, String rule) {
        if (restoredAlready(now)) {
            return;
        }
        place(alert);
        status = OPEN;
        reopenCount++;
        escalationLevel = 1;
        escalatesAt = -1;
        acknowledgedAt = -1;
        acknowledgedBy = null;
        resolvedAt = -1;
        resolvedBy = null;
        updatedAt = now;
        record(IncidentDecisions.REOPENED, rule, alert.getEventId(), Map.of());
    }

    private void place(UngroupedAlert alert) {
        Member m = alerts.get(alert.getFingerprint());
        if (m == null) {
            add(new Member(alert));
        } else {
            if (!m.firing) {
                m.firing = true;
                firingCount++;
            }
            m.startsAt = alert.getStartsAt();
            changed(m);
        }
        if (alert.isStorm() && alert.getCorrelationKey().equals(correlationKey)) {
            kind = KIND_STORM;
            stormCount = Math.max(stormCount, alert.getStormCount());
        }
    }

    /** Firing count and common labels computed over the whole list (after a restore). */
    private void recount() {
        List<Member> members = List.copyOf(alerts.values());
        alerts.clear();
        summaries = null;
        changedSinceSnapshot.clear();
        firingCount = 0;
        commonLabels = Map.of();
        members.forEach(this::add);
        notifiedAlerts = null;
    }

    /** A new member (not yet in the list): kept last, counted, and the common labels narrowed to it. */
    private void add(Member m) {
        if (alerts.isEmpty()) {
            commonLabels = Collections.unmodifiableMap(new LinkedHashMap<>(m.labels));
        } else {
            boolean narrows = false;
            for (Map.Entry<String, String> e : commonLabels.entrySet()) {
                if (!e.getValue().equals(m.labels.get(e.getKey()))) {
                    narrows = true;
                    break;
                }
            }
            if (narrows) {
                Map<String, String> common = new LinkedHashMap<>(commonLabels);
                common.entrySet().removeIf(e -> !e.getValue().equals(m.labels.get(e.getKey())));
                commonLabels = Collections.unmodifiableMap(common);
            }
        }
        m.index = alerts.size();
        alerts.put(m.fingerprint, m);
        if (summaries != null) {
            summaries.add(m.summary());
        }
        if (m.firing) {
            firingCount++;
        }
        if (m.notified != null) {
            notifiedAlerts = null;
        }
    }

    /**
     * A member alert resolved. When it was the last firing one of an incident not yet resolved, the
     * incident resolves by {@value #BY_OPERON} (pending incident-resolved), else pending incident-updated.
     */
    public void memberResolved(String fingerprint, String eventId, long now, String rule) {
        Member m = alerts.get(fingerprint);
        if (m == null || !m.firing || restoredAlready(now)) {
            return;
        }
        m.firing = false;
        changed(m);
        firingCount--;
        updatedAt = now;
        if (isActive() && firingCount == 0) {
            resolve(BY_OPERON, eventId, now, rule);
        } else {
            record(IncidentDecisions.UPDATED, rule, eventId, Map.of());
        }
    }

    /** The operator's acknowledgement: only an open incident changes (pending incident-acknowledged). */
    public boolean acknowledge(String by, String comment, String eventId, long now, String rule) {
        if (!OPEN.equals(status) || restoredAlready(now)) {
            return false;
        }
        status = ACKNOWLEDGED;
        escalatesAt = -1;
        acknowledgedAt = now;
        acknowledgedBy = by;
        updatedAt = now;
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("by", by);
        params.put("comment", comment);
        record(IncidentDecisions.ACKNOWLEDGED, rule, eventId, params);
        return true;
    }

    /** Resolves an incident that is not resolved yet (pending incident-resolved); false when it was. */
    public boolean resolve(String by, String eventId, long now, String rule) {
        if (RESOLVED.equals(status) || restoredAlready(now)) {
            return false;
        }
        status = RESOLVED;
        escalatesAt = -1;
        resolvedAt = now;
        resolvedBy = by;
        updatedAt = now;
        record(IncidentDecisions.RESOLVED, rule, eventId, Map.of("by", by));
        return true;
    }

    /** True when {@code candidate} is more urgent than the incident's routing, or it has none yet. */
    public boolean routesLessUrgentlyThan(Routing candidate) {
        return routing == null || candidate.getPriority().compareTo(routing.getPriority()) < 0;
    }

    /** Takes the routing of a member alert (more urgent than its own): pending incident-updated. */
    public void takeRouting(Routing r, long now, String rule) {
        routing = r;
        updatedAt = now;
        record(IncidentDecisions.UPDATED, rule, null, Map.of());
    }

    /** Escalates to {@code level}: pending incident-escalated (level, team, contact, channels). */
    public void escalate(int level, String contact, long now, String rule) {
        escalationLevel = level;
        escalatesAt = -1;
        updatedAt = now;
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("level", level);
        params.put("team", getRoutingTeam());
        params.put("contact", contact);
        params.put("channels", routing == null ? List.of() : routing.getChannels());
        record(IncidentDecisions.ESCALATED, rule, null, params);
    }

    /** True when the member alert is marked flapping in the incident's list. */
    public boolean memberFlapping(String fingerprint) {
        Member m = alerts.get(fingerprint);
        return m != null && m.flapping;
    }

    /** True when the member alert is marked inhibited in the incident's list. */
    public boolean memberInhibited(String fingerprint) {
        Member m = alerts.get(fingerprint);
        return m != null && m.inhibited;
    }

    /** Marks a member alert flapping or not: pending incident-updated. */
    public void markFlapping(String fingerprint, boolean flapping, long now, String rule) {
        Member m = alerts.get(fingerprint);
        if (m != null && m.flapping != flapping) {
            m.flapping = flapping;
            changed(m);
            updatedAt = now;
            record(IncidentDecisions.UPDATED, rule, null, Map.of());
        }
    }

    /** Marks a member alert inhibited or not: pending incident-updated. */
    public void markInhibited(String fingerprint, boolean inhibited, long now, String rule) {
        Member m = alerts.get(fingerprint);
        if (m != null && m.inhibited != inhibited) {
            m.inhibited = inhibited;
            changed(m);
            updatedAt = now;
            record(IncidentDecisions.UPDATED, rule, null, Map.of());
        }
    }

    /**
     * The reopen window of the resolve at {@code resolvedAt} has passed: when the incident is still
     * resolved from then, it is expired (the rules forget it once no timer of it is pending).
     */
    public boolean expireIfResolvedAt(long resolvedAt) {
        if (RESOLVED.equals(status) && this.resolvedAt == resolvedAt) {
            expired = true;
        }
        return expired;
    }

    /**
     * The notification at a group-interval tick (or the group-wait one), or null when none is due:
     * <ul>
     *   <li>resolved: {@code resolved} if the incident was ever notified, else nothing (its ticks stop);</li>
     *   <li>never notified: {@code first};</li>
     *   <li>an alert added, firing again or resolved since the last notification: {@code changed}
     *       (flapping alerts and inhibited firing alerts do not count);</li>
     *   <li>open (not acknowledged) and {@code repeatMillis} since the last notification: {@code repeat}.</li>
     * </ul>
     * {@code firing} lists the firing alerts that are not inhibited; {@code resolved} those resolved since
     * a notification listed them firing. When firing alerts exist and all are inhibited, the decision is
     * muted {@value #ALL_INHIBITED}. A notification (muted or not) counts as sent. A restored incident
     * sends none at or before the moment its snapshot was taken (the snapshot says what was sent).
     */
    public Decision notification(long now, long repeatMillis, String rule) {
        if (restoredAlready(now)) {
            return null;
        }
        String reason;
        if (RESOLVED.equals(status)) {
            if (lastNotifiedAt < 0) {
                return null;
            }
            reason = "resolved";
        } else if (lastNotifiedAt < 0) {
            reason = "first";
        } else if (alerts.values().stream().anyMatch(Member::changedSinceNotified)) {
            reason = "changed";
        } else if (OPEN.equals(status) && now - lastNotifiedAt >= repeatMillis) {
            reason = "repeat";
        } else {
            return null;
        }
        List<Map<String, Object>> firing = new ArrayList<>();
        List<Map<String, Object>> resolved = new ArrayList<>();
        boolean anyFiring = false;
        for (Member m : alerts.values()) {
            if (m.firing) {
                anyFiring = true;
                if (!m.inhibited) {
                    firing.add(m.summary());
                    m.notified = FIRING;
                }
            } else if (FIRING.equals(m.notified)) {
                resolved.add(m.summary());
                m.notified = RESOLVED;
            }
        }
        notifiedAlerts = null;
        lastNotifiedAt = now;
        updatedAt = now;
        version++;
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("reason", reason);
        params.put("firing", List.copyOf(firing));
        params.put("resolved", List.copyOf(resolved));
        Decision d = IncidentDecisions.of(IncidentDecisions.NOTIFICATION, this, rule, List.of(), params);
        return anyFiring && firing.isEmpty() ? d.mutedBy(ALL_INHIBITED) : d;
    }

    private void record(String type, String rule, String eventId, Map<String, Object> params) {
        boolean update = IncidentDecisions.UPDATED.equals(type);
        if (update && !pending.isEmpty()) {
            // An update merges into the last pending decision, whatever its type.
            if (eventId != null) {
                pending.get(pending.size() - 1).eventIds.add(eventId);
            }
            return;
        }
        Pending next = new Pending(type, rule, params);
        for (Iterator<Pending> it = pending.iterator(); it.hasNext(); ) {
            Pending p = it.next();
            if (IncidentDecisions.UPDATED.equals(p.type) || p.type.equals(type)) {
                next.eventIds.addAll(p.eventIds);
                it.remove();
            }
        }
        if (eventId != null) {
            next.eventIds.add(eventId);
        }
        pending.add(next);
    }

    private Map<String, String> notifiedAlerts() {
        if (notifiedAlerts == null) {
            Map<String, String> notified = new LinkedHashMap<>();
            for (Member m : alerts.values()) {
                if (m.notified != null) {
                    notified.put(m.fingerprint, m.notified);
                }
            }
            notifiedAlerts = Collections.unmodifiableMap(notified);
        }
        return notifiedAlerts;
    }

    /** True while a change of the incident waits to be published. */
    public boolean isPending() { return !pending.isEmpty(); }

    /** The oldest pending decision, with the snapshot now and the next version; removes it. */
    public Decision takePending() {
        Pending p = pending.remove(0);
        version++;
        return IncidentDecisions.of(p.type, this, p.rule, List.copyOf(p.eventIds), p.params);
    }

    /**
     * The incident as JSON-ready data (strings, numbers, booleans, lists, maps, null): times as RFC 3339
     * UTC strings, durations as ISO-8601. Keys: id, correlationKey, groupLabels, commonLabels, status,
     * kind, openedAt, updatedAt, acknowledgedAt, acknowledgedBy, resolvedAt, resolvedBy, reopenCount,
     * escalationLevel, routing ({team, priority, channels, escalationDelay} or null), alerts (fingerprint,
     * alertname, status, labels, startsAt, inhibited, flapping), firingCount, resolvedCount,
     * lastNotifiedAt, notifiedAlerts ({fingerprint: "firing"|"resolved"}, what the last notification that
     * listed each alert said of it), escalatesAt (when the pending escalation falls due, or null), version;
     * a storm incident also has stormCount (the alerts of the storm when it last changed). {@link #restore}
     * reads it back.
     */
    public Map<String, Object> snapshot() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("id", id);
        s.put("correlationKey", correlationKey);
        s.put("groupLabels", groupLabels);
        s.put("commonLabels", getCommonLabels());
        s.put("status", status);
        s.put("kind", kind);
        s.put("openedAt", time(openedAt));
        s.put("updatedAt", time(updatedAt));
        s.put("acknowledgedAt", time(acknowledgedAt));
        s.put("acknowledgedBy", acknowledgedBy);
        s.put("resolvedAt", time(resolvedAt));
        s.put("resolvedBy", resolvedBy);
        s.put("reopenCount", reopenCount);
        s.put("escalationLevel", escalationLevel);
        s.put("routing", routingMap());
        s.put("alerts", summaryList());
        s.put("firingCount", getFiringCount());
        s.put("resolvedCount", alerts.size() - firingCount);
        s.put("lastNotifiedAt", time(lastNotifiedAt));
        s.put("notifiedAlerts", notifiedAlerts());
        s.put("escalatesAt", time(escalatesAt));
        s.put("version", version);
        if (KIND_STORM.equals(kind)) {
            s.put("stormCount", stormCount);
        }
        return Collections.unmodifiableMap(s);
    }

    /** Call after changing a member's firing, startsAt, inhibited or flapping. */
    private void changed(Member m) {
        m.summary = null;
        if (summaries != null) {
            if (changedSinceSnapshot.size() >= alerts.size()) {
                summaries = null;
                changedSinceSnapshot.clear();
            } else {
                changedSinceSnapshot.add(m);
            }
        }
    }

    /** The members' summaries in order, unmodifiable: the list kept since the last snapshot, brought up to date. */
    private List<Map<String, Object>> summaryList() {
        if (summaries == null) {
            summaries = new ArrayList<>(Math.max(16, alerts.size() * 2));
            for (Member m : alerts.values()) {
                summaries.add(m.summary());
            }
        } else {
            for (Member m : changedSinceSnapshot) {
                summaries.set(m.index, m.summary());
            }
        }
        changedSinceSnapshot.clear();
        @SuppressWarnings("unchecked")
        Map<String, Object>[] copy = summaries.toArray(new Map[0]);
        return Collections.unmodifiableList(Arrays.asList(copy));
    }

    private Map<String, Object> routingMap() {
        if (routing == null) {
            return null;
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("team", routing.getTeam());
        r.put("priority", routing.getPriority().name());
        r.put("channels", routing.getChannels());
        Duration delay = routing.getEscalationDelay();
        r.put("escalationDelay", delay == null ? null : delay.toString());
        return Collections.unmodifiableMap(r);
    }

    private static String time(long epochMillis) {
        return epochMillis < 0 ? null : Instant.ofEpochMilli(epochMillis).toString();
    }

    public String getId() { return id; }

    public String getCorrelationKey() { return correlationKey; }

    /** The group-by labels with their values (present ones only); for a storm key, {@code service}. */
    public Map<String, String> getGroupLabels() { return groupLabels; }

    /** The labels every alert of the incident has with the same value (Alertmanager's commonLabels). */
    public Map<String, String> getCommonLabels() {
        return commonLabels;
    }

    /**
     * The service the incident is about: the {@code service} value of its group labels, else of its common
     * labels; null when its alerts name none or different ones. For rules that relate incidents to the
     * service catalogue (such as inhibition by an incident on a dependency).
     */
    public String getService() {
        String service = groupLabels.get("service");
        return service != null ? service : getCommonLabels().get("service");
    }

    /** {@link #OPEN}, {@link #ACKNOWLEDGED} or {@link #RESOLVED}. */
    public String getStatus() { return status; }

    /** Open or acknowledged. */
    public boolean isActive() { return !RESOLVED.equals(status); }

    /** {@link #KIND_ALERTS}, or {@link #KIND_STORM} once an alert joined it during a storm of its service. */
    public String getKind() { return kind; }

    public int getStormCount() { return stormCount; }

    /** Epoch ms. */
    public long getOpenedAt() { return openedAt; }

    /** Epoch ms of the last change. */
    public long getUpdatedAt() { return updatedAt; }

    /** Epoch ms, -1 while not resolved. */
    public long getResolvedAt() { return resolvedAt; }

    public String getResolvedBy() { return resolvedBy; }

    public String getAcknowledgedBy() { return acknowledgedBy; }

    public int getReopenCount() { return reopenCount; }

    /** 1 at open and after a reopen; +1 at each escalation. */
    public int getEscalationLevel() { return escalationLevel; }

    /** The routing of its most urgent member alert, or null before any was routed. */
    public Routing getRouting() { return routing; }

    /** The routing's team, or null. */
    public String getRoutingTeam() { return routing == null ? null : routing.getTeam(); }

    /** The routing's escalation delay in ms, or -1 when there is no routing or it never escalates. */
    public long getEscalationDelayMillis() {
        return routing == null || routing.getEscalationDelay() == null ? -1 : routing.getEscalationDelay().toMillis();
    }

    /** Epoch ms of the last notification, -1 before the first. */
    public long getLastNotifiedAt() { return lastNotifiedAt; }

    public long getVersion() { return version; }

    /** True once the reopen window after its resolve has passed. */
    public boolean isExpired() { return expired; }

    /** How many of its alerts fire now. */
    public int getFiringCount() {
        return firingCount;
    }

    /** The fingerprints of its firing alerts, in the order they joined. */
    public List<String> getFiringFingerprints() {
        List<String> firing = new ArrayList<>();
        for (Member m : alerts.values()) {
            if (m.firing) {
                firing.add(m.fingerprint);
            }
        }
        return firing;
    }

    /** For a restored incident, the moment its snapshot holds every change up to (epoch ms); -1 otherwise. */
    public long getRestoredThrough() { return restoredThrough; }

    /** When the pending escalation falls due (epoch ms), -1 when none is armed. */
    public long getEscalatesAt() { return escalatesAt; }

    /** The fingerprints of its alerts, in the order they joined. */
    public List<String> getFingerprints() { return List.copyOf(alerts.keySet()); }

    @Override
    public String explainKey() {
        return id;
    }

    /**
     * {@code status}, {@code correlationKey}, {@code kind}, {@code version}, {@code alertCount}, {@code alerts}
     * (the fingerprints of the first {@value #EXPLAINED_ALERTS} alerts; a decision's lineage is kept with every
     * action, and a storm incident has thousands), {@code escalationLevel}.
     */
    @Override
    public Map<String, Object> explain() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("status", status);
        fields.put("correlationKey", correlationKey);
        fields.put("kind", kind);
        fields.put("version", version);
        fields.put("alertCount", alerts.size());
        List<String> first = new ArrayList<>(Math.min(alerts.size(), EXPLAINED_ALERTS));
        for (String fp : alerts.keySet()) {
            if (first.size() == EXPLAINED_ALERTS) {
                break;
            }
            first.add(fp);
        }
        fields.put("alerts", first);
        fields.put("escalationLevel", escalationLevel);
        return fields;
    }

    @Override
    public String toString() {
        return "Incident{" + id + ", key=" + correlationKey + ", status=" + status + ", alerts=" + alerts.size() + "}";
    }
}
