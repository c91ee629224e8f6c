package org.operon.integration.webhook;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One named webhook: {@code POST /api/v1/webhooks/<name>}, authenticated by {@code auth}, its payload
 * turned into events by {@code mapping}.
 */
public record Webhook(String name, WebhookAuth auth, WebhookMapping mapping) {
    /** Lower-case letters, digits, {@code -} and {@code _}, starting with a letter or digit, at most 64. */
    public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");

    public Webhook {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("name '" + name + "' must be 1 to 64 lower-case letters, digits, "
                    + "'-' or '_', starting with a letter or digit");
        }
        Objects.requireNonNull(auth, "auth");
        Objects.requireNonNull(mapping, "mapping");
    }

    /** The source name in counters and dead letters: {@code webhook:<name>}. */
    public String sourceName() {
        return "webhook:" + name;
    }
}
