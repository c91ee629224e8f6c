package org.operon.actions;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.camel.model.RouteDefinition;

/**
 * Target {@code pagerduty}: one PagerDuty Events API v2 event per action, POSTed as JSON to
 * {@link PagerDutyOptions#url()} (by default {@value PagerDutyOptions#DEFAULT_URL}).
 *
 * <ul>
 *   <li>{@code event_action}: {@code acknowledge} for {@code incident-acknowledged}, {@code resolve} for
 *       {@code incident-resolved}, {@code trigger} for every other decision;</li>
 *   <li>{@code dedup_key}: the incident id for {@code incident-*} decisions, so trigger, acknowledge and
 *       resolve address one PagerDuty alert; the decision id otherwise;</li>
 *   <li>{@code payload} (trigger only): {@code summary} (at most 1,024 characters), {@code source} (the
 *       decision's subject), {@code severity} ({@link #severity}) and {@code custom_details} (the incident
 *       snapshot, or the decision's params).</li>
 * </ul>
 * Any 2xx means sent; a 5xx or 429 is retried by {@link ActionRoutes}; any other 4xx (a bad routing key,
 * an invalid event) fails the action at once. The routing key is in the body only, never logged.
 */
public final class PagerDutySink implements ActionSink {
    public static final String NAME = "pagerduty";
    static final int MAX_SUMMARY = 1024;
    private static final Set<String> SEVERITIES = Set.of("critical", "error", "warning", "info");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final URI url;
    private final String endpoint;
    private final String routingKey;

    public PagerDutySink(ActionOptions options) {
        PagerDutyOptions pd = options.pagerDutyOptions().orElseThrow(() -> new IllegalArgumentException(
                "target 'pagerduty' needs " + PagerDutyOptions.ROUTING_KEY));
        this.url = pd.uri();
        this.endpoint = HttpTarget.endpoint(url, options);
        this.routingKey = pd.routingKey();
    }

    /** The event for one action, as JSON. */
    String event(Action action) {
        DecisionView view = new DecisionView(action);
        String type = action.decision().getType();
        String eventAction = switch (type == null ? "" : type) {
            case "incident-acknowledged" -> "acknowledge";
            case "incident-resolved" -> "resolve";
            default -> "trigger";
        };
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("routing_key", routingKey);
        event.put("event_action", eventAction);
        event.put("dedup_key", view.isIncident() ? view.incident("id") : action.decision().getId());
        if (eventAction.equals("trigger")) {
            Map<String, Object> payload = new LinkedHashMap<>();
            payload.put("summary", summary(view));
            payload.put("source", source(view));
            payload.put("severity", severity(view));
            payload.put("timestamp", action.time());
            payload.put("custom_details", view.details());
            event.put("payload", payload);
            event.put("client", "Operon");
        }
        try {
            return MAPPER.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("PagerDuty event cannot be rendered as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * The event's severity: the {@code severity} label (of the incident, or the {@code labels} param) when
     * it is one of PagerDuty's four, else from the incident's priority (P1 critical, P2 error, P3 warning,
     * P4 and lower info), else {@code warning}.
     */
    static String severity(DecisionView view) {
        String label = DecisionView.lower(view.label("severity").orElse(null));
        if (SEVERITIES.contains(label)) {
            return label;
        }
        if (label.equals("page")) {
            return "critical";
        }
        return switch (view.incident("priority").toUpperCase(Locale.ROOT)) {
            case "P1" -> "critical";
            case "P2" -> "error";
            case "P3" -> "warning";
            case "P4", "P5" -> "info";
            default -> "warning";
        };
    }

    private static String summary(DecisionView view) {
        String summary;
        if (view.isIncident()) {
            summary = "[" + view.decision().getType() + "] " + view.incident("correlationKey") + ": "
                    + view.incident("firingCount") + " firing " + view.firingAlertnames();
        } else {
            summary = "[" + view.decision().getType() + "] " + view.decision().getSubject() + " (rule "
                    + view.decision().getRule() + ")";
        }
        return summary.length() <= MAX_SUMMARY ? summary : summary.substring(0, MAX_SUMMARY - 1) + "…";
    }

    private static String source(DecisionView view) {
        String subject = view.decision().getSubject();
        return subject == null || subject.isBlank() ? "operon" : subject;
    }

    /** True: PagerDuty drops a repeated trigger by its {@code dedup_key}; acknowledge and resolve are idempotent. */
    @Override
    public boolean deduplicatesByKey() {
        return true;
    }

    @Override
    public void perform(RouteDefinition route) {
        route.process(exchange -> {
            Action action = exchange.getIn().getBody(Action.class);
            HttpTarget.postJson(exchange.getIn(), url, event(action));
        }).to(endpoint);
    }
}
