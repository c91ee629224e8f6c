package org.operon.integration.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.operon.integration.webhook.WebhookConfig;
import org.operon.integration.webhook.WebhookMapping;

/** The mapping the broker-source tests configure, read from a webhooks document as the app reads it. */
public final class SourceMappings {
    private SourceMappings() {
    }

    /**
     * A Zabbix-like payload {@code {"eventid":"…","kind":"problem","host":"…","severity":"disaster"}}: type
     * {@code zabbix.<kind>} needs {@code kind}, so a payload without it cannot be mapped.
     */
    public static WebhookMapping zabbix() {
        try {
            return WebhookConfig.parse(new ObjectMapper().readTree("""
                    {"webhooks":[{"name":"zabbix","auth":{"bearer_token":"only-for-the-http-endpoint"},
                      "event":{"type":"$.kind","id":"$.eventid","subject":"$.host","severity":"$.severity",
                               "severity_map":{"disaster":"critical","high":"warning"},
                               "labels":{"host":"$.host"}}}]}"""), name -> null).get(0).mapping();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A mapping without an {@code id} expression: {@code {"kind":"…","host":"…"}} becomes an event of type
     * {@code kind} for subject {@code host} whose id is the default one (message id or body hash, and index).
     */
    public static WebhookMapping withoutId() {
        try {
            return WebhookConfig.parse(new ObjectMapper().readTree("""
                    {"webhooks":[{"name":"no-id","auth":{"bearer_token":"only-for-the-http-endpoint"},
                      "event":{"type":"$.kind","subject":"$.host"}}]}"""), name -> null).get(0).mapping();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A payload the mapping turns into an event of type {@code kind} with id {@code id}. */
    public static String zabbixPayload(String id, String kind, String host) {
        return """
                {"eventid":"%s","kind":"%s","host":"%s","severity":"disaster"}""".formatted(id, kind, host);
    }
}
