package org.operon.actions;

import java.net.URI;

import org.operon.actions.template.Format;

/**
 * The {@code opsgenie} target: the Opsgenie Alert API.
 *
 * @param url                 the API's base URL; {@link #DEFAULT_URL} unless overridden (the EU instance
 *                            {@code https://api.eu.opsgenie.com}, tests, a proxy) ({@link #URL})
 * @param apiKey              the API integration's key, sent as {@code Authorization: GenieKey <key>}; a
 *                            secret: never logged, {@link #toString()} masks it ({@link #API_KEY})
 * @param messageTemplate     the alert's {@code message} (cut to 130 characters), a text template; null
 *                            means the default per decision family ({@link #MESSAGE_TEMPLATE})
 * @param descriptionTemplate the alert's {@code description} (cut to 15,000 characters), a text
 *                            template; null means the default ({@link #DESCRIPTION_TEMPLATE})
 */
public record OpsgenieOptions(String url, String apiKey, String messageTemplate, String descriptionTemplate) {
    public static final String URL = "operon.actions.opsgenie.url";
    public static final String API_KEY = "operon.actions.opsgenie.api-key";
    public static final String MESSAGE_TEMPLATE = "operon.actions.opsgenie.message-template";
    public static final String DESCRIPTION_TEMPLATE = "operon.actions.opsgenie.description-template";
    public static final String DEFAULT_URL = "https://api.opsgenie.com";

    /** @throws IllegalArgumentException naming the key when the URL, key or a template is invalid */
    public OpsgenieOptions {
        if (apiKey == null || apiKey.isBlank()) {
            throw new IllegalArgumentException(API_KEY + " must be set for target 'opsgenie'");
        }
        apiKey = apiKey.strip();
        url = url == null || url.isBlank() ? DEFAULT_URL : url.strip();
        HttpTarget.parse(url, URL);
        messageTemplate = messageTemplate == null || messageTemplate.isBlank() ? null : messageTemplate;
        descriptionTemplate = descriptionTemplate == null || descriptionTemplate.isBlank() ? null : descriptionTemplate;
        if (messageTemplate != null) {
            DecisionModel.parse(messageTemplate, MESSAGE_TEMPLATE, Format.TEXT);
        }
        if (descriptionTemplate != null) {
            DecisionModel.parse(descriptionTemplate, DESCRIPTION_TEMPLATE, Format.TEXT);
        }
    }

    /** Options with the default templates. */
    public OpsgenieOptions(String url, String apiKey) {
        this(url, apiKey, null, null);
    }

    URI uri() {
        return HttpTarget.parse(url, URL);
    }

    @Override
    public String toString() {
        return "OpsgenieOptions[url=" + ActionOptions.redacted(uri()) + ", apiKey=****, messageTemplate="
                + (messageTemplate == null ? "default" : "custom") + ", descriptionTemplate="
                + (descriptionTemplate == null ? "default" : "custom") + "]";
    }
}
