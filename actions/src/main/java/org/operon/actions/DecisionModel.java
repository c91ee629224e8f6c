package org.operon.actions;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import org.operon.actions.template.Format;
import org.operon.actions.template.Template;
import org.operon.actions.template.Vocabulary;
import org.operon.model.Decision;

/**
 * What every target's templates see of an action: one JSON tree with these roots (see "Templates" in
 * docs/actions.md).
 *
 * <ul>
 *   <li>{@code id}, {@code type}, {@code subject}, {@code rule}, {@code time}: the decision's;
 *       {@code actionId} and {@code target}: the action's; {@code eventIds}: a list;</li>
 *   <li>{@code params}: the decision's params; {@code labels}: the incident's {@code commonLabels}, else
 *       the {@code labels} param;</li>
 *   <li>{@code incident}: the snapshot of an {@code incident-*} decision (null otherwise) with the fields
 *       of {@link #INCIDENT_FIELDS}, plus {@code alertnames} (the firing alerts' names, comma-separated),
 *       {@code priority} and {@code team} (from its routing);</li>
 *   <li>{@code decision}: the decision as the webhook sends it ({@link ActionJson#decision}).</li>
 * </ul>
 * Values are copied into the tree, never evaluated.
 */
final class DecisionModel {
    private static final ObjectMapper MAPPER = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    /** Roots that hold one value and have no fields. */
    static final Set<String> SCALARS = Set.of("id", "actionId", "target", "type", "subject", "rule", "time", "eventIds");
    /** Roots whose fields are whatever the decision carries. */
    static final Set<String> OPEN = Set.of("params", "labels", "decision");
    /** The incident snapshot's fields (docs/incidents.md) and the three derived ones. */
    static final Set<String> INCIDENT_FIELDS = Set.of("id", "correlationKey", "groupLabels", "commonLabels", "status",
            "kind", "openedAt", "updatedAt", "acknowledgedAt", "acknowledgedBy", "resolvedAt", "resolvedBy",
            "reopenCount", "escalationLevel", "routing", "alerts", "firingCount", "resolvedCount", "stormCount",
            "lastNotifiedAt", "notifiedAlerts", "escalatesAt", "version", "alertnames", "priority", "team");

    /** The names templates of every target may use. */
    static final Vocabulary NAMES = new Vocabulary() {
        @Override
        public boolean hasRoot(String root) {
            return SCALARS.contains(root) || OPEN.contains(root) || root.equals("incident");
        }

        @Override
        public Optional<String> check(List<String> path) {
            String root = path.get(0);
            if (SCALARS.contains(root) && path.size() > 1) {
                return Optional.of(root + " has no fields");
            }
            if (root.equals("incident") && path.size() > 1 && !INCIDENT_FIELDS.contains(path.get(1))) {
                return Optional.of("the incident has no field '" + path.get(1) + "'; its fields: "
                        + new TreeSet<>(INCIDENT_FIELDS));
            }
            return Optional.empty();
        }

        @Override
        public String describe() {
            return "{{id}}, {{actionId}}, {{target}}, {{type}}, {{subject}}, {{rule}}, {{time}}, {{eventIds}}, "
                    + "{{params.<name>}}, {{labels.<name>}}, {{decision}}, {{incident.<field>}}";
        }
    };

    private DecisionModel() {
    }

    /** Parses a template of any target against {@link #NAMES}; the message names {@code key}. */
    static Template parse(String text, String key, Format format) {
        return Template.parse(text, key, format, NAMES);
    }

    /** The tree for one action. */
    static JsonNode of(Action action) {
        Decision d = action.decision();
        DecisionView view = new DecisionView(action);
        ObjectNode model = MAPPER.createObjectNode();
        model.put("id", d.getId());
        model.put("actionId", action.id());
        model.put("target", action.target());
        model.put("type", d.getType());
        model.put("subject", d.getSubject());
        model.put("rule", d.getRule());
        model.put("time", action.time());
        model.set("eventIds", MAPPER.valueToTree(d.getEventIds() == null ? List.of() : d.getEventIds()));
        Map<String, Object> params = d.getParams() == null ? Map.of() : d.getParams();
        JsonNode paramsTree = MAPPER.valueToTree(params);
        model.set("params", paramsTree);
        JsonNode snapshot = paramsTree.path("incident");
        if (snapshot.isObject()) {
            ObjectNode incident = ((ObjectNode) snapshot).deepCopy();
            incident.put("alertnames", view.incident("alertnames"));
            if (!incident.has("priority")) {
                incident.put("priority", view.incident("priority"));
            }
            if (!incident.has("team")) {
                incident.put("team", view.incident("team"));
            }
            model.set("incident", incident);
            JsonNode common = snapshot.path("commonLabels");
            model.set("labels", common.isObject() ? common : paramsTree.path("labels").isObject()
                    ? paramsTree.path("labels") : MAPPER.createObjectNode());
        } else {
            model.putNull("incident");
            model.set("labels", paramsTree.path("labels").isObject() ? paramsTree.path("labels")
                    : MAPPER.createObjectNode());
        }
        try {
            model.set("decision", MAPPER.readTree(ActionJson.decision(action)));
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("decision cannot be rendered as JSON: " + e.getMessage(), e);
        }
        return model;
    }

    /** A stamped decision of every family, for checking at start-up that a JSON template renders JSON. */
    static List<Action> samples() {
        Decision plain = Decision.of("notify", "host-1", "sample-rule", List.of("e1"))
                .withParam("labels", Map.of("severity", "critical"))
                .stamped(0L);
        Decision incident = Decision.of("incident-opened", "checkout", "incidents", List.of("e1"))
                .withParam("incident", Map.of("id", "inc-0", "correlationKey", "checkout", "status", "open",
                        "commonLabels", Map.of("severity", "critical"), "firingCount", 1,
                        "alerts", List.of(Map.of("alertname", "Sample", "status", "firing"))))
                .stamped(0L);
        return List.of(Action.of(plain, "sample"), Action.of(incident, "sample"));
    }
}
