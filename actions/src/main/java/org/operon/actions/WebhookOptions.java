package org.operon.actions;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.operon.actions.template.Format;
import org.operon.actions.template.Template;

/**
 * How the {@code webhook} target shapes its request, beyond its URL ({@link ActionOptions#WEBHOOK_URL}).
 *
 * @param method       {@code POST} (the default) or {@code PUT} ({@link #METHOD})
 * @param bodyTemplate a JSON template for the body; null means the decision as JSON
 *                     ({@link ActionJson#decision}). Values in {@code "{{name}}"} are escaped as JSON
 *                     string content, {@code {{{name}}}} inserts a JSON value. Checked at start: it must
 *                     render valid JSON for a sample decision of each family ({@link #BODY_TEMPLATE})
 * @param headers      extra request headers, name to value template (header-escaped: no line breaks).
 *                     Values may hold secrets ({@code Authorization=Bearer …}): {@link #toString()}
 *                     shows the names only ({@link #HEADERS})
 */
public record WebhookOptions(String method, String bodyTemplate, Map<String, String> headers) {
    public static final String METHOD = "operon.actions.webhook.method";
    public static final String BODY_TEMPLATE = "operon.actions.webhook.body-template";
    public static final String HEADERS = "operon.actions.webhook.headers";

    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    /** Headers the sink sets itself or HTTP owns. */
    private static final Set<String> RESERVED = Set.of("host", "content-length", "transfer-encoding", "connection",
            "idempotency-key", "content-type");
    /** Splits at a comma that starts the next {@code Name=}. */
    private static final Pattern ENTRY = Pattern.compile(",\\s*(?=[!#$%&'*+.^_`|~0-9A-Za-z-]+\\s*=)");
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** @throws IllegalArgumentException naming the key when the method, a header or the template is invalid */
    public WebhookOptions {
        method = method == null || method.isBlank() ? "POST" : method.strip().toUpperCase(Locale.ROOT);
        if (!method.equals("POST") && !method.equals("PUT")) {
            throw new IllegalArgumentException(METHOD + " must be POST or PUT, was '" + method + "'");
        }
        bodyTemplate = bodyTemplate == null || bodyTemplate.isBlank() ? null : bodyTemplate;
        if (bodyTemplate != null) {
            checkRendersJson(body(bodyTemplate));
        }
        Map<String, String> checked = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : (headers == null ? Map.<String, String>of() : headers).entrySet()) {
            String name = e.getKey() == null ? "" : e.getKey().strip();
            if (!TOKEN.matcher(name).matches()) {
                throw new IllegalArgumentException(HEADERS + " has an invalid header name '" + name + "'");
            }
            if (RESERVED.contains(name.toLowerCase(Locale.ROOT)) || name.toLowerCase(Locale.ROOT).startsWith("camel")) {
                throw new IllegalArgumentException(HEADERS + " may not set " + name + " (the webhook target sets it)");
            }
            String value = e.getValue() == null ? "" : e.getValue().strip();
            header(name, value);
            checked.put(name, value);
        }
        headers = java.util.Collections.unmodifiableMap(checked);
    }

    /** From the three configuration values as text; {@code headers} as {@link #parseHeaders} reads it. */
    public static WebhookOptions fromConfig(String method, String bodyTemplate, String headers) {
        return new WebhookOptions(method, bodyTemplate, parseHeaders(headers));
    }

    /** POST, the decision as JSON, no extra headers. */
    public static WebhookOptions defaults() {
        return new WebhookOptions("POST", null, Map.of());
    }

    /**
     * Parses {@code Name=value template} entries separated by commas, as {@link #HEADERS} holds them; a
     * comma inside a value is kept unless what follows it looks like {@code Name=}.
     */
    public static Map<String, String> parseHeaders(String text) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (text == null || text.isBlank()) {
            return headers;
        }
        for (String entry : ENTRY.split(text.strip())) {
            int eq = entry.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException(HEADERS + " entries must be Name=value, got an entry without a name");
            }
            headers.put(entry.substring(0, eq).strip(), entry.substring(eq + 1).strip());
        }
        return headers;
    }

    static Template body(String text) {
        return DecisionModel.parse(text, BODY_TEMPLATE, Format.JSON);
    }

    static Template header(String name, String value) {
        return DecisionModel.parse(value, HEADERS + " (" + name + ")", Format.HEADER);
    }

    private static void checkRendersJson(Template template) {
        for (Action sample : DecisionModel.samples()) {
            try {
                checkJson(template.render(DecisionModel.of(sample)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(BODY_TEMPLATE + " does not render valid JSON for a sample "
                        + sample.decision().getType() + " decision: " + e.getMessage());
            }
        }
    }

    /** Returns {@code rendered} when it is exactly one JSON value. */
    static String checkJson(String rendered) {
        try {
            com.fasterxml.jackson.databind.JsonNode node = MAPPER.readTree(rendered);
            if (node == null || node.isMissingNode()) {
                throw new IllegalArgumentException("the rendered body is empty");
            }
            return rendered;
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(firstLine(e.getMessage()));
        }
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }

    @Override
    public String toString() {
        return "WebhookOptions[method=" + method + ", bodyTemplate=" + (bodyTemplate == null ? "default" : "custom")
                + ", headers=" + List.copyOf(headers.keySet()) + "]";
    }
}
