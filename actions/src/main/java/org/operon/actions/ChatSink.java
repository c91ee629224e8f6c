package org.operon.actions;

import java.net.URI;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.camel.model.RouteDefinition;
import org.operon.actions.template.Format;
import org.operon.actions.template.Template;

/**
 * Target {@code chat}: POSTs a Slack incoming-webhook message (Mattermost accepts the same) to
 * {@link ChatOptions#url()}: {@code {"text": …, "blocks": [{"type": "section", "text": {"type": "mrkdwn",
 * "text": …}}]}} with {@code Content-Type: application/json}. The text is the chat template (see {@link Template})
 * rendered from the decision, every value escaped for mrkdwn. Any 2xx means sent; a 5xx or 429 is
 * retried by {@link ActionRoutes}, any other answer fails the action at once. The URL, whose path is
 * the token, travels only in a message header (see {@link HttpTarget}).
 */
public final class ChatSink implements ActionSink {
    public static final String NAME = "chat";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final URI url;
    private final String endpoint;
    /** For {@code incident-*} decisions: key, status, firing count and alert names. */
    static final String INCIDENT_DEFAULT = "*{{type}}* incident {{incident.correlationKey}} ({{incident.id}}) is "
            + "{{incident.status}}: {{incident.firingCount}} firing [{{incident.alertnames}}]";
    /** For every other decision: type, subject and rule. */
    static final String DECISION_DEFAULT = "*{{type}}* for {{subject}} (rule {{rule}})";

    private final Template custom;
    private final Template incidentDefault = template(INCIDENT_DEFAULT);
    private final Template decisionDefault = template(DECISION_DEFAULT);

    public ChatSink(ActionOptions options) {
        ChatOptions chat = options.chatOptions().orElseThrow(() -> new IllegalArgumentException(
                "target 'chat' needs " + ChatOptions.URL));
        this.url = chat.uri();
        this.endpoint = HttpTarget.endpoint(url, options);
        this.custom = chat.template() == null ? null : template(chat.template());
    }

    /** A chat template: every value escaped for Slack mrkdwn, raw output refused. */
    static Template template(String text) {
        return DecisionModel.parse(text, ChatOptions.TEMPLATE, Format.SLACK_MRKDWN);
    }

    /** The message body for one action. */
    String message(Action action) {
        DecisionView view = new DecisionView(action);
        Template template = custom != null ? custom : view.isIncident() ? incidentDefault : decisionDefault;
        String text = template.render(DecisionModel.of(action));
        Map<String, Object> body = Map.of("text", text, "blocks", List.of(Map.of("type", "section",
                "text", Map.of("type", "mrkdwn", "text", text))));
        try {
            return MAPPER.writeValueAsString(new java.util.TreeMap<>(body));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("chat message cannot be rendered as JSON: " + e.getOriginalMessage(), e);
        }
    }

    @Override
    public void perform(RouteDefinition route) {
        route.process(exchange -> {
            Action action = exchange.getIn().getBody(Action.class);
            HttpTarget.postJson(exchange.getIn(), url, message(action));
        }).to(endpoint);
    }
}
