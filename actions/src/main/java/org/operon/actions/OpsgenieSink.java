package org.operon.actions;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.camel.Exchange;
import org.apache.camel.model.RouteDefinition;
import org.operon.actions.template.Format;
import org.operon.actions.template.Template;

/**
 * Target {@code opsgenie}: one Opsgenie Alert API request per action, with
 * {@code Authorization: GenieKey <key>} and a JSON body. The decision type picks the request, as for
 * {@link PagerDutySink}:
 *
 * <ul>
 *   <li>{@code incident-acknowledged}: {@code POST {url}/v2/alerts/{alias}/acknowledge?identifierType=alias}
 *       with {@code {"source": "operon", "user": <by>, "note": <comment>}};</li>
 *   <li>{@code incident-resolved}: {@code POST {url}/v2/alerts/{alias}/close?identifierType=alias}, same body;</li>
 *   <li>every other type: {@code POST {url}/v2/alerts} creating the alert: {@code message} (the message
 *       template, at most 130 characters), {@code alias}, {@code description} (at most 15,000),
 *       {@code priority} ({@link #priority}), {@code tags}, {@code details} (string values),
 *       {@code source: "operon"}. Opsgenie de-duplicates creates by alias.</li>
 * </ul>
 * The alias is the incident id for {@code incident-*} decisions, so create, acknowledge and close address
 * one alert; otherwise the decision's subject (the decision id when it has none). Opsgenie answers
 * {@code 202 {"result", "took", "requestId"}}: the status and request id become the action's result.
 * A 5xx or 429 is retried by {@link ActionRoutes}; any other 4xx fails the action at once.
 */
public final class OpsgenieSink implements ActionSink {
    public static final String NAME = "opsgenie";
    static final int MAX_MESSAGE = 130;
    static final int MAX_ALIAS = 512;
    static final int MAX_DESCRIPTION = 15000;
    static final String INCIDENT_MESSAGE = "[{{type}}] {{incident.correlationKey}}: {{incident.firingCount}} firing "
            + "({{incident.alertnames}})";
    static final String DECISION_MESSAGE = "[{{type}}] {{subject}} (rule {{rule}})";
    static final String DESCRIPTION = """
            {{type}} for {{subject}} (rule {{rule}}) at {{time}}
            {{#incident}}
            Incident {{id}} ({{correlationKey}}) is {{status}}: {{firingCount}} firing, {{resolvedCount}} resolved.
            {{#alerts}}
            - {{alertname}}: {{status}}
            {{/alerts}}
            {{/incident}}
            """;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final URI url;
    private final String endpoint;
    private final String authorization;
    private final Template customMessage;
    private final Template incidentMessage = DecisionModel.parse(INCIDENT_MESSAGE, OpsgenieOptions.MESSAGE_TEMPLATE, Format.TEXT);
    private final Template decisionMessage = DecisionModel.parse(DECISION_MESSAGE, OpsgenieOptions.MESSAGE_TEMPLATE, Format.TEXT);
    private final Template description;

    public OpsgenieSink(ActionOptions options) {
        OpsgenieOptions og = options.opsgenieOptions().orElseThrow(() -> new IllegalArgumentException(
                "target 'opsgenie' needs " + OpsgenieOptions.API_KEY));
        this.url = og.uri();
        this.endpoint = HttpTarget.endpoint(url, options);
        this.authorization = "GenieKey " + og.apiKey();
        this.customMessage = og.messageTemplate() == null ? null
                : DecisionModel.parse(og.messageTemplate(), OpsgenieOptions.MESSAGE_TEMPLATE, Format.TEXT);
        this.description = DecisionModel.parse(og.descriptionTemplate() == null ? DESCRIPTION : og.descriptionTemplate(),
                OpsgenieOptions.DESCRIPTION_TEMPLATE, Format.TEXT);
    }

    /** One request: its method is always POST. */
    record Request(String path, String query, String body) {
    }

    /** The request that performs {@code action}. */
    Request request(Action action) {
        DecisionView view = new DecisionView(action);
        JsonNode model = DecisionModel.of(action);
        String type = action.decision().getType() == null ? "" : action.decision().getType();
        String alias = cut(alias(view), MAX_ALIAS);
        String base = url.getRawPath() == null ? "" : url.getRawPath().replaceAll("/+$", "");
        Map<String, Object> body = new LinkedHashMap<>();
        switch (type) {
            case "incident-acknowledged", "incident-resolved" -> {
                body.put("source", "operon");
                String by = view.param("by");
                if (!by.isEmpty()) {
                    body.put("user", cut(by, 100));
                }
                String note = view.param("comment");
                body.put("note", cut(note.isEmpty() ? type + " by " + (by.isEmpty() ? "operon" : by) : note, 25000));
                String verb = type.equals("incident-acknowledged") ? "acknowledge" : "close";
                return new Request(base + "/v2/alerts/" + URLEncoder.encode(alias, StandardCharsets.UTF_8)
                        .replace("+", "%20") + "/" + verb, "identifierType=alias", json(body));
            }
            default -> {
                Template message = customMessage != null ? customMessage : view.isIncident() ? incidentMessage : decisionMessage;
                String text = message.render(model).strip();
                body.put("message", cut(text.isEmpty() ? type : text, MAX_MESSAGE));
                body.put("alias", alias);
                body.put("description", cut(description.render(model), MAX_DESCRIPTION));
                body.put("priority", priority(view));
                body.put("tags", tags(view));
                body.put("details", details(view));
                body.put("source", "operon");
                return new Request(base + "/v2/alerts", null, json(body));
            }
        }
    }

    /**
     * P1–P5: the incident's routing priority when it is one of those; else from the {@code severity}
     * label (critical or page P1, error P2, warning P3, info P5); else P3.
     */
    static String priority(DecisionView view) {
        String routed = view.incident("priority").toUpperCase(Locale.ROOT);
        if (routed.matches("P[1-5]")) {
            return routed;
        }
        return switch (DecisionView.lower(view.label("severity").orElse(null))) {
            case "critical", "page" -> "P1";
            case "error" -> "P2";
            case "warning" -> "P3";
            case "info" -> "P5";
            default -> "P3";
        };
    }

    private static String alias(DecisionView view) {
        if (view.isIncident()) {
            return view.incident("id");
        }
        String subject = view.decision().getSubject();
        return subject == null || subject.isBlank() ? view.decision().getId() : subject;
    }

    private static List<String> tags(DecisionView view) {
        List<String> tags = new ArrayList<>();
        tags.add("operon");
        tags.add(cut(view.decision().getType() == null ? "decision" : view.decision().getType(), 50));
        view.label("severity").ifPresent(s -> tags.add(cut("severity:" + s, 50)));
        String team = view.incident("team");
        if (!team.isEmpty()) {
            tags.add(cut("team:" + team, 50));
        }
        return tags;
    }

    /** String values only, as Opsgenie requires: the labels, then what identifies the decision and incident. */
    private static Map<String, String> details(DecisionView view) {
        Map<String, String> details = new LinkedHashMap<>();
        JsonNode labels = view.isIncident() ? view.details().path("commonLabels") : view.details().path("labels");
        labels.fields().forEachRemaining(e -> details.put(cut(e.getKey(), 100),
                cut(e.getValue().isValueNode() ? e.getValue().asText() : e.getValue().toString(), 1000)));
        details.put("decisionId", view.decision().getId());
        details.put("rule", String.valueOf(view.decision().getRule()));
        if (view.isIncident()) {
            details.put("incidentId", view.incident("id"));
            details.put("correlationKey", view.incident("correlationKey"));
            details.put("status", view.incident("status"));
        }
        return details;
    }

    private static String cut(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }

    private static String json(Object body) {
        try {
            return MAPPER.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Opsgenie request cannot be rendered as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** True: Opsgenie de-duplicates creates by {@code alias}; acknowledge and close are idempotent. */
    @Override
    public boolean deduplicatesByKey() {
        return true;
    }

    @Override
    public void perform(RouteDefinition route) {
        route.process(exchange -> {
            Action action = exchange.getIn().getBody(Action.class);
            Request request = request(action);
            var in = exchange.getIn();
            HttpTarget.postJson(in, URI.create(HttpTarget.hostOnly(url) + request.path()), request.body());
            in.setHeader("Authorization", authorization);
            if (request.query() != null) {
                in.setHeader(Exchange.HTTP_QUERY, request.query());
            }
        }).to(endpoint).process(exchange -> {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("httpStatus", exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class));
            try {
                JsonNode answer = MAPPER.readTree(exchange.getMessage().getBody(String.class));
                if (answer != null && answer.path("requestId").isTextual()) {
                    result.put("requestId", answer.path("requestId").asText());
                }
            } catch (java.io.IOException | RuntimeException e) {
                // the alert was accepted; an unreadable answer only loses the request id
            }
            exchange.setProperty("operonActionResult", result);
        });
    }
}
