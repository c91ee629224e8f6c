package org.operon.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a rule decided should happen, as data. Rules send decisions out of the session through the
 * {@code decisions} channel; they never perform effects themselves.
 *
 * <p>A rule builds a decision with {@link #of}; the engine then {@link #stamped stamps} it with the
 * session clock's time, which also fixes its {@link #getId() id}. The id is a digest of rule, type,
 * subject and time, so replaying the same journal yields the same ids: that is what lets the action
 * side perform each effect at most once across restarts.
 */
public final class Decision {
    /**
     * The parameter that holds back a decision's actions: when a decision carries a non-empty string
     * here (such as {@code "inhibited by alert 2bd0845d243bb57e (rule 1)"} or
     * {@code "throttled: once within PT10M per subject"}), the dispatcher performs none of its actions
     * and records each in the audit log as {@code suppressed} with this reason, as it does for silences.
     */
    public static final String MUTED_BY_PARAM = "mutedBy";

    private final String type;
    private final String subject;
    private final String rule;
    private final List<String> eventIds;
    private final Map<String, Object> params;
    private final long time;
    private final String id;
    private final Lineage lineage;

    private Decision(String type, String subject, String rule, List<String> eventIds, Map<String, Object> params,
                     long time, Lineage lineage) {
        this.type = Objects.requireNonNull(type, "type");
        this.subject = Objects.requireNonNull(subject, "subject");
        this.rule = Objects.requireNonNull(rule, "rule");
        this.eventIds = List.copyOf(eventIds);
        this.params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
        this.time = time;
        this.id = time < 0 ? null : digest(rule, type, subject, time);
        this.lineage = lineage;
    }

    /** A decision not yet stamped by the engine. */
    public static Decision of(String type, String subject, String rule, List<String> eventIds) {
        return new Decision(type, subject, rule, eventIds, Map.of(), -1, null);
    }

    /** A copy with one more parameter, for the action's template. */
    public Decision withParam(String name, Object value) {
        Map<String, Object> p = new LinkedHashMap<>(params);
        p.put(name, value);
        return new Decision(type, subject, rule, eventIds, p, time, lineage);
    }

    /** A copy stamped with the session clock's epoch milliseconds; this fixes the id. */
    public Decision stamped(long sessionTime) {
        if (sessionTime < 0) {
            throw new IllegalArgumentException("session time must not be negative: " + sessionTime);
        }
        return new Decision(type, subject, rule, eventIds, params, sessionTime, lineage);
    }

    private static String digest(String rule, String type, String subject, long time) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String part : new String[] {rule, type, subject, Long.toString(time)}) {
                sha.update(part.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
            }
            return HexFormat.of().formatHex(sha.digest(), 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** What kind of effect is wanted, e.g. {@code notify} or {@code heartbeat-missed}. */
    public String getType() { return type; }

    /** The host, service or correlation key the decision is about. */
    public String getSubject() { return subject; }

    /** The name of the rule that decided. */
    public String getRule() { return rule; }

    /** Ids of the events behind the decision, oldest first. */
    public List<String> getEventIds() { return eventIds; }

    public Map<String, Object> getParams() { return params; }

    /** A copy whose actions the dispatcher holds back with this reason (see {@link #MUTED_BY_PARAM}). */
    public Decision mutedBy(String reason) {
        return withParam(MUTED_BY_PARAM, Objects.requireNonNull(reason, "reason"));
    }

    /**
     * A copy carrying {@code lineage}: why it was decided (the engine attaches it when a rule sends the
     * decision). The lineage is not part of the decision's id, {@link #equals} or params, so it changes
     * nothing about what is done, only what can be explained; copies made later keep it.
     */
    public Decision withLineage(Lineage lineage) {
        return new Decision(type, subject, rule, eventIds, params, time, lineage);
    }

    /** Why it was decided (see {@link #withLineage}); null when nobody attached one. */
    public Lineage getLineage() { return lineage; }

    /** Session-clock epoch milliseconds of the decision; -1 until stamped. */
    public long getTime() { return time; }

    /** Deterministic id (see class comment); null until stamped. */
    public String getId() { return id; }

    @Override
    public boolean equals(Object o) {
        return o instanceof Decision d && time == d.time && type.equals(d.type) && subject.equals(d.subject)
                && rule.equals(d.rule) && eventIds.equals(d.eventIds) && params.equals(d.params);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, subject, rule, time);
    }

    @Override
    public String toString() {
        return "Decision{id=" + id + ", type=" + type + ", subject=" + subject + ", rule=" + rule + ", time=" + time
                + ", eventIds=" + eventIds + "}";
    }
}
