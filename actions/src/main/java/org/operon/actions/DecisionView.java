package org.operon.actions;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import org.operon.model.Decision;

/**
 * Read-only, plain-text views of a decision that the chat and paging sinks need: its fields, its
 * params and, for {@code incident-*} decisions, the incident snapshot in its {@code incident} param
 * (see docs/incidents.md). Values are looked up, never evaluated.
 */
final class DecisionView {
    private static final ObjectMapper MAPPER = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private final Action action;
    private final JsonNode params;
    private final JsonNode incident;

    DecisionView(Action action) {
        this.action = action;
        Map<String, Object> p = action.decision().getParams();
        this.params = MAPPER.valueToTree(p == null ? Map.of() : p);
        JsonNode inc = params.path("incident");
        this.incident = inc.isObject() ? inc : null;
    }

    Decision decision() {
        return action.decision();
    }

    /** True for {@code incident-*} decisions that carry a snapshot. */
    boolean isIncident() {
        String type = decision().getType();
        return type != null && type.startsWith("incident-") && incident != null;
    }

    /** A param as text (JSON for objects and lists), or empty when absent or null. */
    String param(String name) {
        return text(params.get(name));
    }

    /** A field of the incident snapshot as text, or empty. {@code alertnames} lists the firing alerts' names. */
    String incident(String field) {
        if (incident == null) {
            return "";
        }
        if (field.equals("alertnames")) {
            return String.join(", ", firingAlertnames());
        }
        if (field.equals("priority")) {
            return text(incident.path("routing").get("priority"));
        }
        if (field.equals("team")) {
            return text(incident.path("routing").get("team"));
        }
        return text(incident.get(field));
    }

    /** The incident's label (from {@code commonLabels}) or the decision's {@code labels} param. */
    Optional<String> label(String name) {
        JsonNode value = incident == null ? null : incident.path("commonLabels").get(name);
        if (value == null || value.isNull()) {
            value = params.path("labels").get(name);
        }
        String text = text(value);
        return text.isEmpty() ? Optional.empty() : Optional.of(text);
    }

    /** The names of the incident's firing alerts, in its order, each once. */
    List<String> firingAlertnames() {
        List<String> names = new ArrayList<>();
        if (incident != null) {
            for (JsonNode alert : incident.path("alerts")) {
                String name = text(alert.get("alertname"));
                if (!name.isEmpty() && "firing".equals(text(alert.get("status"))) && !names.contains(name)) {
                    names.add(name);
                }
            }
        }
        return names;
    }

    /** The snapshot (or the params, for other decisions) as a JSON tree, for structured details. */
    JsonNode details() {
        return incident != null ? incident : params;
    }

    static String lower(String s) {
        return s == null ? "" : s.toLowerCase(Locale.ROOT);
    }

    private static String text(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return "";
        }
        return node.isValueNode() ? node.asText() : node.toString();
    }
}
