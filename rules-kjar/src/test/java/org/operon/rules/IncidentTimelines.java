package org.operon.rules;

import org.operon.model.AlertFingerprint;
import org.operon.model.Decision;
import org.operon.model.Event;
import org.operon.model.IncidentCommand;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.operon.rules.FlappingTest.AlertReportsForTest.report;
import static org.operon.rules.Timeline.T0;

/** Inputs and readings shared by the incident tests: alert reports, operator commands, snapshots. */
final class IncidentTimelines {
    /** Far beyond every test: an alert reported with this end keeps firing without re-sends. */
    static final Duration FOREVER = Duration.ofDays(7);

    private IncidentTimelines() {
    }

    static Map<String, String> labels(String alertname, String service, String severity) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("alertname", alertname);
        if (service != null) {
            labels.put("service", service);
        }
        if (severity != null) {
            labels.put("severity", severity);
        }
        labels.put("instance", "host-1");
        return labels;
    }

    static String at(Duration offset) {
        return Instant.ofEpochMilli(T0 + offset.toMillis()).toString();
    }

    /** A firing report whose end lies a week ahead: the alert fires until a resolved report. */
    static Event fires(String id, Map<String, String> labels) {
        return report(id, labels, null, at(FOREVER));
    }

    /** A report that resolves the alert at {@code offset}, its arrival. */
    static Event resolves(String id, Map<String, String> labels, Duration offset) {
        return report(id, labels, null, at(offset));
    }

    static String fingerprint(Map<String, String> labels) {
        return AlertFingerprint.of(labels);
    }

    static Event acknowledge(String eventId, String incidentId, String by, String comment) {
        return IncidentCommand.event(eventId, IncidentCommand.TYPE_ACKNOWLEDGE, incidentId, by, comment, null);
    }

    static Event resolveCommand(String eventId, String incidentId, String by) {
        return IncidentCommand.event(eventId, IncidentCommand.TYPE_RESOLVE, incidentId, by, null, null);
    }

    /** The id an incident of {@code key} opened at {@code offset} must have, computed here independently. */
    static String expectedId(String key, Duration offset) throws Exception {
        java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
        byte[] digest = sha.digest((key + "\0" + (T0 + offset.toMillis())).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return "inc-" + java.util.HexFormat.of().formatHex(digest).substring(0, 12);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> snapshot(Decision d) {
        return (Map<String, Object>) d.getParams().get("incident");
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> alertsOf(Decision d) {
        return (List<Map<String, Object>>) snapshot(d).get("alerts");
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> list(Decision d, String param) {
        return (List<Map<String, Object>>) d.getParams().get(param);
    }

    /** The decisions of a type, in the order sent. */
    static List<Decision> ofType(Timeline timeline, String type) {
        return timeline.allDecisions().stream().filter(d -> d.getType().equals(type)).toList();
    }

    /** The incident decisions (types incident-*), in the order sent. */
    static List<Decision> incidentDecisions(Timeline timeline) {
        return timeline.incidentDecisions();
    }

    static long time(Duration offset) {
        return T0 + offset.toMillis();
    }
}
