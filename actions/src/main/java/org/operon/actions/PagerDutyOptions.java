package org.operon.actions;

import java.net.URI;

/**
 * The {@code pagerduty} target: PagerDuty Events API v2.
 *
 * @param url        where events are POSTed; {@link #DEFAULT_URL} unless overridden (tests, a proxy)
 *                   ({@link #URL})
 * @param routingKey the integration's routing key; a secret: never logged, {@link #toString()} masks it
 *                   ({@link #ROUTING_KEY})
 */
public record PagerDutyOptions(String url, String routingKey) {
    public static final String URL = "operon.actions.pagerduty.url";
    public static final String ROUTING_KEY = "operon.actions.pagerduty.routing-key";
    public static final String DEFAULT_URL = "https://events.pagerduty.com/v2/enqueue";

    /** @throws IllegalArgumentException naming the key when the URL or routing key is missing or invalid */
    public PagerDutyOptions {
        if (routingKey == null || routingKey.isBlank()) {
            throw new IllegalArgumentException(ROUTING_KEY + " must be set for target 'pagerduty'");
        }
        routingKey = routingKey.strip();
        url = url == null || url.isBlank() ? DEFAULT_URL : url.strip();
        HttpTarget.parse(url, URL);
    }

    URI uri() {
        return HttpTarget.parse(url, URL);
    }

    @Override
    public String toString() {
        return "PagerDutyOptions[url=" + ActionOptions.redacted(uri()) + ", routingKey=****]";
    }
}
