package org.operon.actions;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import org.operon.model.Decision;

/**
 * The two JSON shapes the sinks send. Both are single-line JSON objects with fields in a fixed order.
 *
 * <ul>
 *   <li>{@link #action}: what {@code log} and {@code file} write, shaped like the audit entry:
 *       {@code id} (the action id), {@code decisionId}, {@code target}, {@code type}, {@code subject},
 *       {@code rule}, {@code eventIds}, {@code time}, {@code params}.</li>
 *   <li>{@link #decision}: the webhook body, the decision alone: {@code id} (the decision id),
 *       {@code type}, {@code subject}, {@code rule}, {@code eventIds}, {@code time}, {@code params}.
 *       The action id travels in the {@code Idempotency-Key} header.</li>
 * </ul>
 * {@code time} is the decision's session-clock time as an ISO-8601 instant.
 */
public final class ActionJson {
    /** java.time params render as ISO-8601 strings. */
    private static final ObjectMapper MAPPER = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private ActionJson() {
    }

    /** The action as one line of JSON. Throws IllegalArgumentException when a param cannot be rendered. */
    public static String action(Action action) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", action.id());
        json.put("decisionId", action.decision().getId());
        json.put("target", action.target());
        return write(putDecision(json, action));
    }

    /** The decision as one line of JSON. Throws IllegalArgumentException when a param cannot be rendered. */
    public static String decision(Action action) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", action.decision().getId());
        return write(putDecision(json, action));
    }

    /** {@link #action} as plain JSON values (maps, lists, strings, numbers), for an API answer. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> actionValues(Action action) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", action.id());
        json.put("decisionId", action.decision().getId());
        json.put("target", action.target());
        return MAPPER.convertValue(putDecision(json, action), LinkedHashMap.class);
    }

    /**
     * The decision's params as plain JSON values (java.time as ISO-8601 strings), as the failed actions
     * keep them. Throws IllegalArgumentException when a param cannot be rendered.
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> params(Decision decision) {
        try {
            return MAPPER.convertValue(decision.getParams(), LinkedHashMap.class);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("decision params cannot be rendered as JSON: " + e.getMessage(), e);
        }
    }

    /** Adds the decision's fields after whatever identifies the document. */
    private static Map<String, Object> putDecision(Map<String, Object> json, Action action) {
        Decision d = action.decision();
        json.put("type", d.getType());
        json.put("subject", d.getSubject());
        json.put("rule", d.getRule());
        json.put("eventIds", d.getEventIds());
        json.put("time", action.time());
        json.put("params", d.getParams());
        return json;
    }

    private static String write(Map<String, Object> json) {
        try {
            return MAPPER.writeValueAsString(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("decision params cannot be rendered as JSON: "
                    + e.getOriginalMessage(), e);
        }
    }
}
