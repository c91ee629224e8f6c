package org.operon.actions;

import java.net.URI;
import java.net.URISyntaxException;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * What the HTTP sinks share: URL checks whose messages never echo the URL, and a camel-http endpoint
 * that names only scheme://host:port while the full URL (with a token in its path or query) travels
 * per message in the {@code CamelHttpUri} header, so it shows in no endpoint registry or route dump.
 */
public final class HttpTarget {
    private HttpTarget() {
    }

    /** Parses an http(s) URL; the message names {@code key} and the problem, never the URL. */
    public static URI parse(String url, String key) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(key + " is not a valid URL: " + e.getReason()
                    + (e.getIndex() >= 0 ? " at index " + e.getIndex() : ""));
        }
        String scheme = uri.getScheme();
        if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))) {
            throw new IllegalArgumentException(key + " must be an http or https URL, got scheme '" + scheme + "'");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException(key + " must name a host (e.g. https://hooks.example/path)");
        }
        if (uri.getUserInfo() != null) {
            throw new IllegalArgumentException(key + " must not carry user info");
        }
        return uri;
    }

    /** scheme://host:port, for logs and endpoint URIs. */
    public static String hostOnly(URI uri) {
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
    }

    /** The camel-http endpoint for {@code uri}: host only, the action timeouts, no client retries. */
    public static String endpoint(URI uri, ActionOptions options) {
        long connectMillis = options.connectTimeout().toMillis();
        long responseMillis = options.responseTimeout().toMillis();
        return hostOnly(uri)
                + "?connectTimeout=" + connectMillis
                + "&connectionRequestTimeout=" + connectMillis
                + "&responseTimeout=" + responseMillis
                + "&soTimeout=" + responseMillis
                + "&httpClientConfigurer=#" + WebhookSink.CLIENT_CONFIGURER;
    }

    /** Replaces the message's headers by a JSON POST to {@code uri} with {@code body}. */
    static void postJson(Message in, URI uri, String body) {
        in.removeHeaders("*");
        in.setHeader(Exchange.HTTP_METHOD, "POST");
        in.setHeader(Exchange.CONTENT_TYPE, "application/json");
        in.setHeader(Exchange.HTTP_URI, uri.toString());
        in.setBody(body);
    }
}
