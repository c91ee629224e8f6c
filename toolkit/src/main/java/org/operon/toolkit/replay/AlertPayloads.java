package org.operon.toolkit.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.operon.model.AlertReport;
import org.operon.model.Event;
import org.operon.model.InvalidEventException;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Recorded alert payloads turned into {@value AlertReport#EVENT_TYPE} events the way Operon's alert
 * intake turns them when they are posted, so a replay sees what production saw.
 *
 * <ul>
 *   <li>An Alertmanager webhook notification (an object with an {@code alerts} array), as
 *   {@code POST /api/v1/alertmanager} takes it: an alert with {@code status: resolved} resolves at its
 *   {@code endsAt} (at the payload's time when it has none or one after it); a firing alert's past
 *   {@code endsAt} is ignored and it gets the webhook's resolve timeout of 4 h 10 min; source
 *   {@code /api/v1/alertmanager}.</li>
 *   <li>A Prometheus alert list (a JSON array of alerts), as {@code POST /api/v2/alerts} takes it;
 *   source {@code /api/v2/alerts}.</li>
 * </ul>
 *
 * <p><b>Time.</b> A recorded payload does not say when it was received. Its time is the payload's own
 * {@code receivedAt} or {@code time} field when it has one (a recorder may add it to a webhook
 * notification); otherwise the latest of its alerts' {@code startsAt} and, for alerts of status
 * {@code resolved}, {@code endsAt}. All alerts of one payload arrive together at that time. A payload
 * from which no time can be told is refused.
 *
 * <p>Event ids are {@code <file name>:<line>:<index of the alert>}, so the same file always gives the
 * same events.
 */
final class AlertPayloads {
    /** The resolve timeout Operon's webhook gives firing alerts by default (AlertmanagerWebhookRoutes). */
    static final Duration WEBHOOK_RESOLVE_TIMEOUT = Duration.ofHours(4).plusMinutes(10);
    static final String WEBHOOK_SOURCE = "/api/v1/alertmanager";
    static final String ALERTS_SOURCE = "/api/v2/alerts";

    private final ObjectMapper mapper;

    AlertPayloads(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** True when the JSON object is a webhook notification. */
    static boolean isWebhook(JsonNode node) {
        return node.isObject() && node.path("alerts").isArray();
    }

    /** The events of a webhook notification, all at the payload's time (see the class comment). */
    List<Event> fromWebhook(JsonNode payload, String idPrefix) throws InvalidEventException {
        JsonNode alerts = payload.get("alerts");
        Instant now = explicitTime(payload);
        if (now == null) {
            now = latest(alerts, true);
        }
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < alerts.size(); i++) {
            JsonNode alert = alerts.get(i);
            AlertReport report = report(alert, i);
            String state = alert.path("status").isTextual() ? alert.get("status").asText() : null;
            try {
                report = report.withWebhookStatus(state, now, WEBHOOK_RESOLVE_TIMEOUT);
            } catch (InvalidEventException e) {
                throw new InvalidEventException(e.error(), "alert " + i + ": " + e.detail());
            }
            events.add(report.toEvent(idPrefix + ":" + i, WEBHOOK_SOURCE, now));
        }
        return events;
    }

    /** The events of a Prometheus alert list, all at the latest {@code startsAt}. */
    List<Event> fromList(JsonNode list, String idPrefix) throws InvalidEventException {
        Instant now = latest(list, false);
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            events.add(report(list.get(i), i).toEvent(idPrefix + ":" + i, ALERTS_SOURCE, now));
        }
        return events;
    }

    private AlertReport report(JsonNode alert, int index) throws InvalidEventException {
        try {
            return AlertReport.fromData(mapper.convertValue(alert, Object.class));
        } catch (InvalidEventException e) {
            throw new InvalidEventException(e.error(), "alert " + index + ": " + e.detail());
        }
    }

    private static Instant explicitTime(JsonNode payload) throws InvalidEventException {
        for (String field : new String[] {"receivedAt", "time"}) {
            JsonNode t = payload.get(field);
            if (t != null && !t.isNull()) {
                Instant at = AlertReport.parseTime(field, t.asText());
                if (at != null) {
                    return at;
                }
            }
        }
        return null;
    }

    /** The latest startsAt (and endsAt of resolved alerts, when {@code resolvedEnds}); refuses a payload with none. */
    private static Instant latest(JsonNode alerts, boolean resolvedEnds) throws InvalidEventException {
        Instant latest = null;
        for (int i = 0; i < alerts.size(); i++) {
            JsonNode alert = alerts.get(i);
            latest = later(latest, AlertReport.parseTime("alert " + i + ": startsAt", text(alert, "startsAt")));
            if (resolvedEnds && "resolved".equals(text(alert, "status"))) {
                latest = later(latest, AlertReport.parseTime("alert " + i + ": endsAt", text(alert, "endsAt")));
            }
        }
        if (latest == null) {
            throw new InvalidEventException("missing_attribute", "cannot tell when this payload was received: "
                    + "no alert has startsAt (or, resolved, endsAt), and the payload has no receivedAt");
        }
        return latest;
    }

    private static String text(JsonNode alert, String field) {
        JsonNode v = alert.get(field);
        return v != null && v.isTextual() ? v.asText() : null;
    }

    private static Instant later(Instant a, Instant b) {
        return a == null || (b != null && b.isAfter(a)) ? b : a;
    }
}
