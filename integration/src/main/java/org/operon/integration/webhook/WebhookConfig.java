package org.operon.integration.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import org.operon.model.Severity;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Reads the named webhooks from the tree of the webhooks file ({@code operon.webhooks.file}, YAML):
 *
 * <pre>{@code
 * webhooks:
 *   - name: grafana                       # POST /api/v1/webhooks/grafana
 *     auth:
 *       bearer_token_env: GRAFANA_TOKEN   # or bearer_token: <token>
 *     events: $.alerts[*]                 # optional: one event per selected element
 *     event:
 *       type: grafana.alert               # required: constant or expression
 *       id: $.fingerprint                 # optional, see WebhookMapping for the defaults
 *       source: grafana                   # optional
 *       subject: $.labels.instance
 *       severity: $.labels.severity
 *       severity_map: {disaster: critical}
 *       severity_default: warning
 *       time: $.startsAt
 *       labels: {alertname: $.labels.alertname}
 *       data: $                           # optional: an expression
 * }</pre>
 *
 * Authentication is required: exactly one of {@code bearer_token} and {@code hmac_sha256_secret} (each
 * also as {@code *_env}, the name of an environment variable holding it), with {@code header} for the
 * signature (default {@value WebhookAuth#DEFAULT_SIGNATURE_HEADER}). Unknown keys, duplicate names and
 * expressions outside the supported syntax ({@link JsonExpression}) are refused.
 */
public final class WebhookConfig {
    private static final List<String> WEBHOOK_FIELDS = List.of("name", "auth", "events", "event");
    private static final List<String> AUTH_FIELDS = List.of("bearer_token", "bearer_token_env", "hmac_sha256_secret",
            "hmac_sha256_secret_env", "header");
    private static final List<String> EVENT_FIELDS = List.of("id", "source", "type", "subject", "severity",
            "severity_map", "severity_default", "time", "labels", "data");

    private WebhookConfig() {
    }

    /**
     * The webhooks of the document, in file order; none for an empty document.
     *
     * @param env the environment, for {@code *_env} secrets
     * @throws IllegalArgumentException naming the webhook ({@code webhook 2 (grafana)}), the key and the problem;
     *                                  never containing a secret
     */
    public static List<Webhook> parse(JsonNode root, UnaryOperator<String> env) {
        if (root == null || root.isMissingNode() || root.isNull()) {
            return List.of();
        }
        if (!root.isObject() || root.size() != 1 || !root.has("webhooks")
                || !(root.get("webhooks").isArray() || root.get("webhooks").isNull())) {
            throw new IllegalArgumentException("must be a YAML mapping with only a list \"webhooks\"");
        }
        List<Webhook> webhooks = new ArrayList<>();
        Set<String> names = new HashSet<>();
        int i = 0;
        for (JsonNode entry : root.get("webhooks")) {
            i++;
            String where = "webhook " + i;
            try {
                checkFields(entry, WEBHOOK_FIELDS);
                String name = text(entry, "name", true);
                where += " (" + name + ")";
                if (!names.add(name)) {
                    throw new IllegalArgumentException("the name is used twice");
                }
                WebhookAuth auth = auth(entry.get("auth"), env);
                JsonExpression split = entry.has("events") ? expression(entry, "events") : null;
                webhooks.add(new Webhook(name, auth, mapping(entry.get("event"), split)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": " + e.getMessage());
            }
        }
        return List.copyOf(webhooks);
    }

    private static WebhookAuth auth(JsonNode auth, UnaryOperator<String> env) {
        if (auth == null || auth.isNull()) {
            throw new IllegalArgumentException("\"auth\" is missing: give bearer_token or hmac_sha256_secret");
        }
        try {
            checkFields(auth, AUTH_FIELDS);
            String token = secret(auth, "bearer_token", env);
            String hmac = secret(auth, "hmac_sha256_secret", env);
            if ((token == null) == (hmac == null)) {
                throw new IllegalArgumentException("give exactly one of bearer_token and hmac_sha256_secret");
            }
            if (token != null) {
                if (auth.has("header")) {
                    throw new IllegalArgumentException("\"header\" belongs to hmac_sha256_secret; a bearer token is "
                            + "sent as 'Authorization: Bearer <token>'");
                }
                return WebhookAuth.bearer(token);
            }
            String header = text(auth, "header", false);
            return WebhookAuth.hmacSha256(hmac, header == null ? WebhookAuth.DEFAULT_SIGNATURE_HEADER : header);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("in \"auth\": " + e.getMessage());
        }
    }

    /** The secret given directly or through an environment variable; the message never shows a value. */
    private static String secret(JsonNode auth, String field, UnaryOperator<String> env) {
        String direct = text(auth, field, false);
        String variable = text(auth, field + "_env", false);
        if (direct != null && variable != null) {
            throw new IllegalArgumentException("give " + field + " or " + field + "_env, not both");
        }
        if (variable == null) {
            return direct;
        }
        String value = env.apply(variable);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + "_env names the environment variable " + variable
                    + ", which is not set");
        }
        return value;
    }

    private static WebhookMapping mapping(JsonNode event, JsonExpression split) {
        if (event == null || event.isNull()) {
            throw new IllegalArgumentException("\"event\" is missing: it needs at least \"type\"");
        }
        try {
            checkFields(event, EVENT_FIELDS);
            Map<String, Severity> severityMap = new LinkedHashMap<>();
            JsonNode map = event.get("severity_map");
            if (map != null && !map.isNull()) {
                if (!map.isObject()) {
                    throw new IllegalArgumentException("\"severity_map\" must map values to critical, warning or info");
                }
                for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    severityMap.put(e.getKey(), severity(e.getValue().asText(), "severity_map." + e.getKey()));
                }
            }
            String fallback = text(event, "severity_default", false);
            Map<String, FieldValue> labels = new LinkedHashMap<>();
            JsonNode labelNode = event.get("labels");
            if (labelNode != null && !labelNode.isNull()) {
                if (!labelNode.isObject()) {
                    throw new IllegalArgumentException("\"labels\" must map label names to expressions or constants");
                }
                for (Iterator<String> it = labelNode.fieldNames(); it.hasNext(); ) {
                    String label = it.next();
                    labels.put(label, field(labelNode, label, true));
                }
            }
            return new WebhookMapping(split, field(event, "id", false), field(event, "source", false),
                    field(event, "type", true), field(event, "subject", false), field(event, "severity", false),
                    severityMap, fallback == null ? null : severity(fallback, "severity_default"),
                    field(event, "time", false), labels, event.has("data") ? expression(event, "data") : null);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("in \"event\": " + e.getMessage());
        }
    }

    private static Severity severity(String text, String field) {
        try {
            return Severity.fromWireName(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("\"" + field + "\": " + e.getMessage());
        }
    }

    private static FieldValue field(JsonNode node, String field, boolean required) {
        String text = text(node, field, required);
        if (text == null) {
            return null;
        }
        try {
            return FieldValue.of(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("\"" + field + "\": " + e.getMessage());
        }
    }

    private static JsonExpression expression(JsonNode node, String field) {
        String text = text(node, field, true);
        try {
            return JsonExpression.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("\"" + field + "\": " + e.getMessage());
        }
    }

    private static void checkFields(JsonNode entry, List<String> fields) {
        if (entry == null || !entry.isObject()) {
            throw new IllegalArgumentException("must be a mapping of " + String.join(", ", fields));
        }
        for (Iterator<String> it = entry.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!fields.contains(field)) {
                throw new IllegalArgumentException("unknown key \"" + field + "\" (expected "
                        + String.join(", ", fields) + ")");
            }
        }
    }

    private static String text(JsonNode entry, String field, boolean required) {
        JsonNode value = entry.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                throw new IllegalArgumentException("\"" + field + "\" is missing");
            }
            return null;
        }
        if (!value.isValueNode() || value.asText().isBlank()) {
            throw new IllegalArgumentException("\"" + field + "\" must be a non-empty text");
        }
        return value.asText().strip();
    }
}
