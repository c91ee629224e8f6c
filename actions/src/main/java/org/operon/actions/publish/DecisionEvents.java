package org.operon.actions.publish;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import org.operon.actions.Action;
import org.operon.model.CloudEventJson;
import org.operon.model.Decision;
import org.operon.model.Lineage;

/**
 * The CloudEvents (JSON event format, structured mode) that the publish targets send.
 *
 * <ul>
 *   <li>{@link #decisionEvent} ({@code kafka}, {@code amqp}, {@code mqtt}): {@code id} = the action id (so a
 *       consumer drops a repeat by id), {@code source} = {@value #SOURCE}, {@code type} =
 *       {@code operon.decision.<decision type>}, {@code subject}, {@code time} = the decision's time,
 *       {@code datacontenttype} = {@code application/json}, {@value Lineage#HOPS_EXTENSION}, and {@code data} =
 *       {@code {decisionId, type, subject, rule, eventIds, params}}.</li>
 *   <li>{@link #postedEvent} ({@code operon}): an event for Operon's own rules, built from the decision's params
 *       {@value #EVENT_TYPE} (required, not {@code operon.*}), {@value #EVENT_SUBJECT} (default: the decision's
 *       subject), {@value #EVENT_SEVERITY} (default {@code info}), {@value #EVENT_LABELS} (an object) and
 *       {@value #EVENT_DATA} (an object); {@code id} = the action id, {@code source} = {@value #SOURCE},
 *       {@value Lineage#HOPS_EXTENSION}, and {@code data} = the {@code eventData} fields plus {@code labels} and
 *       {@code decisionId} and {@code rule}.</li>
 * </ul>
 *
 * <p><b>Loops.</b> {@link #hops} is one more than the highest {@value Lineage#HOPS_EXTENSION} among the events
 * behind the decision (its lineage), 1 when none has one. A target refuses to publish past
 * {@link PublishOptions#maxHops()}: the action fails, so a rule that reacts to its own events stops after that
 * many rounds, whether they go through Operon's intake or through a broker that a source consumes.
 */
public final class DecisionEvents {
    public static final String SOURCE = "operon";
    public static final String TYPE_PREFIX = "operon.decision.";
    public static final String EVENT_TYPE = "eventType";
    public static final String EVENT_SUBJECT = "eventSubject";
    public static final String EVENT_SEVERITY = "eventSeverity";
    public static final String EVENT_LABELS = "eventLabels";
    public static final String EVENT_DATA = "eventData";

    static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    private DecisionEvents() {
    }

    /** A refusal to publish past the hop limit; the action fails and is not retried. */
    public static final class HopLimitException extends IllegalStateException {
        HopLimitException(String message) {
            super(message);
        }
    }

    /** The hop count of an event published for {@code decision} (see the class comment). */
    public static int hops(Decision decision) {
        int max = 0;
        Lineage lineage = decision.getLineage();
        if (lineage != null) {
            for (Map<String, Object> event : lineage.getEvents()) {
                max = Math.max(max, asInt(event.get(Lineage.HOPS_EXTENSION)));
            }
        }
        return max + 1;
    }

    /** The hop count, checked against {@code maxHops}; throws {@link HopLimitException} past it. */
    static int checkedHops(Decision decision, int maxHops) {
        int hops = hops(decision);
        if (hops > maxHops) {
            throw new HopLimitException("not published: the event would be hop " + hops + " and "
                    + PublishOptions.MAX_HOPS + " is " + maxHops + " (a rule reacting to its own events?)");
        }
        return hops;
    }

    /** The CloudEvent describing the decision, for brokers. */
    public static String decisionEvent(Action action, int hops) {
        Decision d = action.decision();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("decisionId", d.getId());
        data.put("type", d.getType());
        data.put("subject", d.getSubject());
        data.put("rule", d.getRule());
        data.put("eventIds", d.getEventIds());
        data.put("params", d.getParams());
        Map<String, Object> event = envelope(action, TYPE_PREFIX + d.getType(), d.getSubject(), hops);
        event.put("datacontenttype", "application/json");
        event.put("data", data);
        return write(event);
    }

    /**
     * The event a rule posts back into Operon.
     *
     * @throws IllegalArgumentException when {@value #EVENT_TYPE} is missing or reserved, or a param has the
     *                                  wrong shape (not retried)
     */
    public static String postedEvent(Action action, int hops) {
        Decision d = action.decision();
        Map<String, Object> p = d.getParams();
        Object type = p.get(EVENT_TYPE);
        if (!(type instanceof String t) || t.isBlank()) {
            throw new IllegalArgumentException("the decision has no '" + EVENT_TYPE + "' param: the type of the event "
                    + "to post");
        }
        if (CloudEventJson.isReservedType(t)) {
            throw new IllegalArgumentException("event type '" + t + "' is reserved: types starting with '"
                    + CloudEventJson.RESERVED_TYPE_PREFIX + "' are Operon's own");
        }
        Object subject = p.getOrDefault(EVENT_SUBJECT, d.getSubject());
        Map<String, Object> event = envelope(action, t, String.valueOf(subject), hops);
        Object severity = p.get(EVENT_SEVERITY);
        if (severity != null) {
            event.put("severity", String.valueOf(severity));
        }
        Map<String, Object> data = new LinkedHashMap<>();
        Object extra = p.get(EVENT_DATA);
        if (extra instanceof Map<?, ?> m) {
            m.forEach((k, v) -> data.put(String.valueOf(k), v));
        } else if (extra != null) {
            throw new IllegalArgumentException("param '" + EVENT_DATA + "' must be an object");
        }
        Object labels = p.get(EVENT_LABELS);
        if (labels instanceof Map<?, ?>) {
            data.put("labels", labels);
        } else if (labels != null) {
            throw new IllegalArgumentException("param '" + EVENT_LABELS + "' must be an object");
        }
        data.put("decisionId", d.getId());
        data.put("rule", d.getRule());
        event.put("data", data);
        return write(event);
    }

    private static Map<String, Object> envelope(Action action, String type, String subject, int hops) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("specversion", CloudEventJson.SPEC_VERSION);
        event.put("id", action.id());
        event.put("source", SOURCE);
        event.put("type", type);
        event.put("subject", subject);
        event.put("time", action.time());
        event.put(Lineage.HOPS_EXTENSION, hops);
        return event;
    }

    private static int asInt(Object value) {
        if (value instanceof Number n) {
            return n.intValue();
        }
        if (value instanceof String s && s.strip().matches("\\d{1,9}")) {
            return Integer.parseInt(s.strip());
        }
        return 0;
    }

    private static String write(Map<String, Object> event) {
        try {
            return JSON.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the decision cannot be rendered as a CloudEvent: "
                    + e.getOriginalMessage(), e);
        }
    }
}
