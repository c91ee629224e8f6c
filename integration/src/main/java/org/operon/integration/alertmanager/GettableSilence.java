package org.operon.integration.alertmanager;

import org.operon.model.Matcher;
import org.operon.state.silence.Silence;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A silence as {@code GET /api/v2/silences} and {@code GET /api/v2/silence/{id}} show it: Alertmanager's
 * {@code GettableSilence}, with its field names and order:
 *
 * <pre>{@code
 * {"id": "…", "status": {"state": "active"}, "updatedAt": "2024-03-05T10:00:00.000Z",
 *  "matchers": [{"name": "alertname", "value": "DiskFull", "isRegex": false, "isEqual": true}],
 *  "startsAt": "…", "endsAt": "…", "createdBy": "ops", "comment": "disk swap"}
 * }</pre>
 */
final class GettableSilence {
    private GettableSilence() {
    }

    /** The JSON object of {@code silence}, its state computed at {@code now}. */
    static Map<String, Object> of(Silence silence, Instant now) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", silence.id());
        json.put("status", Map.of("state", silence.state(now).apiName()));
        json.put("updatedAt", Rfc3339.format(silence.updatedAt()));
        json.put("matchers", silence.matchers().stream().map(GettableSilence::matcher).toList());
        json.put("startsAt", Rfc3339.format(silence.startsAt()));
        json.put("endsAt", Rfc3339.format(silence.endsAt()));
        json.put("createdBy", silence.createdBy());
        json.put("comment", silence.comment());
        return json;
    }

    static List<Map<String, Object>> of(List<Silence> silences, Instant now) {
        return silences.stream().map(s -> of(s, now)).toList();
    }

    private static Map<String, Object> matcher(Matcher m) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", m.name());
        json.put("value", m.value());
        json.put("isRegex", m.isRegex());
        json.put("isEqual", m.isEqual());
        return json;
    }
}
