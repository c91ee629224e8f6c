package org.operon.integration.alertmanager;

import org.operon.model.InvalidMatcherException;
import com.fasterxml.jackson.databind.JsonNode;
import org.operon.state.silence.InvalidSilenceException;
import org.operon.model.Matcher;
import org.operon.state.silence.SilenceRequest;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * The body of {@code POST /api/v2/silences}: Alertmanager's {@code PostableSilence}, read field by field
 * so that every refusal names the field.
 *
 * <pre>{@code
 * {"id": "optional, to update", "matchers": [{"name": "alertname", "value": "DiskFull",
 *   "isRegex": false, "isEqual": true}], "startsAt": "2024-03-05T10:00:00Z",
 *  "endsAt": "2024-03-05T12:00:00Z", "createdBy": "ops", "comment": "disk swap"}
 * }</pre>
 *
 * <ul>
 *   <li>{@code matchers}: required array; in each, {@code name}, {@code value} (strings) and
 *       {@code isRegex} (boolean) are required, {@code isEqual} (boolean) defaults to true, as in the
 *       OpenAPI.</li>
 *   <li>{@code endsAt}, {@code createdBy}, {@code comment}: required; the last two may be empty.</li>
 *   <li>{@code startsAt}: RFC 3339; missing, null or Go's zero time means now. (The OpenAPI marks it
 *       required; Operon is lenient here, Alertmanager also treats the zero time as now.)</li>
 *   <li>{@code id}: optional; empty means none. Other fields (a {@code status} or {@code updatedAt}
 *       copied from a {@code GettableSilence}) are ignored.</li>
 * </ul>
 *
 * @param id      the silence to update, or null to create one
 * @param request what to silence
 */
record PostableSilence(String id, SilenceRequest request) {

    /** @throws InvalidSilenceException naming the field that is missing, of the wrong type or invalid */
    static PostableSilence from(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new InvalidSilenceException("body", "must be a PostableSilence JSON object");
        }
        List<Matcher> matchers = matchers(body.get("matchers"));
        Instant startsAt = time(body, "startsAt", false);
        Instant endsAt = time(body, "endsAt", true);
        String createdBy = text(body, "createdBy", true);
        String comment = text(body, "comment", true);
        String id = text(body, "id", false);
        return new PostableSilence(id == null || id.isEmpty() ? null : id,
                new SilenceRequest(matchers, startsAt, endsAt, createdBy, comment));
    }

    private static List<Matcher> matchers(JsonNode node) {
        if (node == null || node.isNull()) {
            throw new InvalidSilenceException("matchers", "is required");
        }
        if (!node.isArray()) {
            throw new InvalidSilenceException("matchers", "must be an array of matchers");
        }
        List<Matcher> matchers = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            String field = "matchers[" + i + "]";
            JsonNode m = node.get(i);
            if (!m.isObject()) {
                throw new InvalidSilenceException(field, "must be an object {name, value, isRegex, isEqual}");
            }
            try {
                matchers.add(new Matcher(text(m, "name", true), text(m, "value", true), bool(m, "isRegex", null),
                        bool(m, "isEqual", true)));
            } catch (InvalidMatcherException e) {
                throw new InvalidSilenceException(field + "." + e.field(), e.problem());
            }
        }
        return matchers;
    }

    private static String text(JsonNode parent, String field, boolean required) {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            if (required) {
                throw new InvalidSilenceException(field, "is required");
            }
            return null;
        }
        if (!node.isTextual()) {
            throw new InvalidSilenceException(field, "must be a string");
        }
        return node.textValue();
    }

    /** @param absent the value when the field is missing, or null when it is required */
    private static boolean bool(JsonNode parent, String field, Boolean absent) {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            if (absent == null) {
                throw new InvalidSilenceException(field, "is required");
            }
            return absent;
        }
        if (!node.isBoolean()) {
            throw new InvalidSilenceException(field, "must be true or false");
        }
        return node.booleanValue();
    }

    private static Instant time(JsonNode parent, String field, boolean required) {
        String text = text(parent, field, required);
        if (text == null) {
            return null;
        }
        Instant instant;
        try {
            instant = Rfc3339.parse(text);
        } catch (DateTimeParseException e) {
            throw new InvalidSilenceException(field, "must be an RFC 3339 time such as 2024-03-05T10:15:30Z, not '"
                    + abbreviated(text) + "'");
        }
        if (instant == null && required) {
            throw new InvalidSilenceException(field, "must not be the zero time");
        }
        return instant;
    }

    private static String abbreviated(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }
}
