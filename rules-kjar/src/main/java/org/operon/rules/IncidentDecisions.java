package org.operon.rules;

import org.operon.model.Decision;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The decisions of {@code incidents.drl}, {@code incident-notifications.drl} and {@code escalation.drl},
 * and the two derivations every replay must repeat exactly: the correlation key of an alert and the id
 * of an incident.
 *
 * <p>Every decision has subject the incident's correlation key and params {@code incident} (the full
 * snapshot, see {@link Incident#snapshot()}) and {@code labels} (the incident's common labels, which
 * silences and maintenance windows match), plus the per-type params named on each constant.
 */
public final class IncidentDecisions {
    /** Sent at once when an incident's first alert fires (only the notification waits). */
    public static final String OPENED = "incident-opened";
    /** An alert joined, or a member alert changed state, flapping or inhibition: a snapshot sync, no pager. */
    public static final String UPDATED = "incident-updated";
    /** Params {@code by}, {@code comment}: the operator's acknowledge command. */
    public static final String ACKNOWLEDGED = "incident-acknowledged";
    /** Param {@code by}: {@value Incident#BY_OPERON} when all its alerts resolved, else the operator. */
    public static final String RESOLVED = "incident-resolved";
    /** A new firing alert of its key within the reopen window after it resolved. */
    public static final String REOPENED = "incident-reopened";
    /** Params {@code level}, {@code team}, {@code contact} (may be null), {@code channels}. */
    public static final String ESCALATED = "incident-escalated";
    /**
     * Params {@code reason} ({@code first}, {@code changed}, {@code repeat}, {@code resolved}), {@code firing}
     * and {@code resolved} (lists of alert summaries): the Alertmanager-style notification.
     */
    public static final String NOTIFICATION = "incident-notification";

    /** The value a missing group-by label counts as in a correlation key. */
    public static final String MISSING_LABEL = "-";

    private IncidentDecisions() {
    }

    /**
     * The correlation key of an alert: the values of the {@code groupBy} labels joined by {@code /}, a
     * missing label counting as {@value #MISSING_LABEL}. With the default {@code [service]}: {@code checkout}.
     */
    public static String correlationKey(Map<String, String> labels, List<String> groupBy) {
        StringBuilder key = new StringBuilder();
        for (String label : groupBy) {
            if (key.length() > 0) {
                key.append('/');
            }
            String value = labels.get(label);
            key.append(value == null ? MISSING_LABEL : value);
        }
        return key.toString();
    }

    /** The group-by labels the alert has, with their values, in the order of {@code groupBy}. */
    public static Map<String, String> groupLabels(Map<String, String> labels, List<String> groupBy) {
        Map<String, String> group = new LinkedHashMap<>();
        for (String label : groupBy) {
            if (labels.get(label) != null) {
                group.put(label, labels.get(label));
            }
        }
        return Collections.unmodifiableMap(group);
    }

    /**
     * {@code inc-} and the first 12 hex digits of SHA-256 of the key, a zero byte and the opening time in
     * epoch milliseconds: the same incident gets the same id in every replay of the journal.
     */
    public static String incidentId(String correlationKey, long openedAt) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update((correlationKey + "\0" + openedAt).getBytes(StandardCharsets.UTF_8));
            return "inc-" + HexFormat.of().formatHex(sha.digest(), 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** A decision about an incident as it is now (its snapshot), with the per-type params. */
    static Decision of(String type, Incident incident, String rule, List<String> eventIds, Map<String, Object> params) {
        Decision d = Decision.of(type, incident.getCorrelationKey(), rule, eventIds)
                .withParam("incident", incident.snapshot())
                .withParam("labels", incident.getCommonLabels());
        for (Map.Entry<String, Object> p : params.entrySet()) {
            d = d.withParam(p.getKey(), p.getValue());
        }
        return d;
    }
}
