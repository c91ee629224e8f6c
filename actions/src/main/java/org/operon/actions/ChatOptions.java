package org.operon.actions;

import java.net.URI;

/**
 * The {@code chat} target: a Slack incoming webhook (Mattermost accepts the same format).
 *
 * @param url      the incoming-webhook URL, http or https. Its path holds the token
 *                 ({@code https://hooks.slack.com/services/T…/B…/<token>}), so it is never logged:
 *                 {@link #toString()} shows scheme://host:port only ({@link #URL})
 * @param template the message text, see {@link org.operon.actions.template.Template}; null or blank means the default per
 *                 decision family ({@link #TEMPLATE})
 */
public record ChatOptions(String url, String template) {
    public static final String URL = "operon.actions.chat.url";
    public static final String TEMPLATE = "operon.actions.chat.template";

    /** @throws IllegalArgumentException naming the key when the URL or the template is invalid */
    public ChatOptions {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException(URL + " must be set for target 'chat'");
        }
        url = url.strip();
        HttpTarget.parse(url, URL);
        template = template == null || template.isBlank() ? null : template;
        if (template != null) {
            ChatSink.template(template);
        }
    }

    URI uri() {
        return HttpTarget.parse(url, URL);
    }

    @Override
    public String toString() {
        return "ChatOptions[url=" + HttpTarget.hostOnly(uri()) + "/****, template="
                + (template == null ? "default" : "custom") + "]";
    }
}
