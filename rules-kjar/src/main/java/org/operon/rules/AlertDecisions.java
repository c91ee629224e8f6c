package org.operon.rules;

import org.operon.model.Alert;
import org.operon.model.Decision;

import java.util.List;

/**
 * The decisions of {@code alerts.drl}: {@value #FIRING} when an alert starts firing and
 * {@value #RESOLVED} when it resolves. The subject is the alert's fingerprint (its identity, so two
 * alerts changing at the same moment get different decision ids); eventIds is the event of the report
 * behind the change (for a resolve timeout, the alert's last report). Params:
 * <ul>
 *   <li>{@code fingerprint}, {@code status} ({@code firing} or {@code resolved}), {@code alertname}
 *       (absent when the alert has no such label);</li>
 *   <li>{@code labels} and {@code annotations}: maps of strings (silences match {@code labels});</li>
 *   <li>{@code startsAt}, {@code endsAt}: RFC 3339 strings; {@code generatorURL} (absent when the sender
 *       gave none).</li>
 * </ul>
 */
public final class AlertDecisions {
    public static final String FIRING = "alert-firing";
    public static final String RESOLVED = "alert-resolved";

    private AlertDecisions() {
    }

    public static Decision firing(Alert alert, String rule, String eventId) {
        return of(FIRING, alert, rule, eventId);
    }

    public static Decision resolved(Alert alert, String rule, String eventId) {
        return of(RESOLVED, alert, rule, eventId);
    }

    private static Decision of(String type, Alert alert, String rule, String eventId) {
        Decision d = Decision.of(type, alert.getFingerprint(), rule, eventId == null ? List.of() : List.of(eventId))
                .withParam("fingerprint", alert.getFingerprint())
                .withParam("status", alert.getStatus().wireName());
        if (alert.getAlertname() != null) {
            d = d.withParam("alertname", alert.getAlertname());
        }
        d = d.withParam("labels", alert.getLabels())
                .withParam("annotations", alert.getAnnotations())
                .withParam("startsAt", alert.getStartsAt().toString())
                .withParam("endsAt", alert.getEndsAt().toString());
        return alert.getGeneratorURL() == null ? d : d.withParam("generatorURL", alert.getGeneratorURL());
    }
}
