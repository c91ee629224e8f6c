package org.operon.toolkit.explain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.operon.toolkit.Arguments;
import org.operon.toolkit.ExitCode;
import org.operon.toolkit.UsageException;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code operon explain ID}: asks a running Operon why action {@code ID} happened
 * ({@code GET /api/v1/actions/{id}/explain}) and prints the trace: the action, the rule and its file, the
 * facts it matched with their key fields, the events behind them, what suppressed it, and the decision's other
 * actions. With {@code --json} it prints the API's answer as it is. Exit codes: 0 explained, 1 no such
 * action, 2 could not ask (usage, connection, token refused, unexpected answer).
 */
public final class ExplainCommand {
    public static final String USAGE = """
            Usage: operon explain ACTION-ID [--url URL] [--token TOKEN] [--json]

            Shows why an action of the audit log happened: the rule (name and file), the facts it matched,
            the events behind them and, for a suppressed action, the silence, maintenance window,
            inhibition or throttle that stopped it. Asks the running server's API.

              --url URL      the server, default http://127.0.0.1:8080
              --token TOKEN  the API token (operon.api.token); default: environment OPERON_API_TOKEN
              --json         print the API's JSON answer instead of the readable trace
            """;
    /** The environment variable holding the API token when {@code --token} is not given. */
    public static final String TOKEN_ENV = "OPERON_API_TOKEN";
    public static final String DEFAULT_URL = "http://127.0.0.1:8080";
    /** Action ids are hex digests; anything else is refused before it reaches a URL. */
    private static final Pattern ACTION_ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client;
    private final Map<String, String> environment;

    public ExplainCommand(HttpClient client, Map<String, String> environment) {
        this.client = client;
        this.environment = environment;
    }

    /** Runs the command with a new HTTP client and the process environment; returns the exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        return new ExplainCommand(client, System.getenv()).execute(args, out, err);
    }

    /** Runs the command; returns the exit code (see the class comment). */
    public int execute(String[] args, PrintStream out, PrintStream err) {
        Arguments a;
        String id;
        URI uri;
        try {
            a = Arguments.parse(args, Set.of("--url", "--token"), Set.of("--json", "--help", "-h"));
            if (a.has("--help") || a.has("-h")) {
                out.print(USAGE);
                return ExitCode.OK;
            }
            if (a.positional().size() != 1) {
                throw new UsageException("give exactly one action id (see GET /api/v1/actions)");
            }
            id = a.positional().get(0);
            if (!ACTION_ID.matcher(id).matches()) {
                throw new UsageException("'" + id + "' is not an action id");
            }
            String base = a.one("--url") == null ? DEFAULT_URL : a.one("--url");
            uri = explainUri(base, id);
        } catch (UsageException e) {
            err.println("operon explain: " + e.getMessage());
            err.println();
            err.print(USAGE);
            return ExitCode.CANNOT_RUN;
        }
        String token;
        try {
            token = a.one("--token") == null ? environment.get(TOKEN_ENV) : a.one("--token");
        } catch (UsageException e) {
            err.println("operon explain: " + e.getMessage());
            return ExitCode.CANNOT_RUN;
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET()
                .header("Accept", "application/json");
        if (token != null && !token.isBlank()) {
            request.header("Authorization", "Bearer " + token.strip());
        }
        HttpResponse<String> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            err.println("operon explain: cannot reach " + uri.getScheme() + "://" + uri.getAuthority() + ": " + e);
            return ExitCode.CANNOT_RUN;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("operon explain: interrupted");
            return ExitCode.CANNOT_RUN;
        }
        JsonNode body;
        try {
            body = JSON.readTree(response.body());
        } catch (IOException e) {
            body = null;
        }
        int status = response.statusCode();
        if (status == 200 && body != null && body.has("action")) {
            out.print(a.has("--json") ? body.toPrettyString() + "\n" : Trace.render(body));
            return ExitCode.OK;
        }
        String detail = body != null && body.hasNonNull("detail") ? body.get("detail").asText() : "HTTP " + status;
        if (status == 404) {
            err.println("operon explain: " + detail);
            return ExitCode.FAILED;
        }
        if (status == 401) {
            err.println("operon explain: the API token was refused; give --token or set " + TOKEN_ENV);
            return ExitCode.CANNOT_RUN;
        }
        err.println("operon explain: the server answered " + status + ": " + detail);
        return ExitCode.CANNOT_RUN;
    }

    static URI explainUri(String base, String id) throws UsageException {
        String trimmed = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        try {
            URI uri = URI.create(trimmed + "/api/v1/actions/" + id + "/explain");
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new UsageException("--url must be an http(s) URL such as " + DEFAULT_URL + ", not '" + base + "'");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new UsageException("--url is not a URL: '" + base + "'");
        }
    }

    /** The readable trace of an explain answer. */
    static final class Trace {
        private Trace() {
        }

        static String render(JsonNode body) {
            StringBuilder s = new StringBuilder();
            JsonNode action = body.get("action");
            s.append("Action ").append(text(action, "id")).append(" (").append(text(action, "target")).append("): ")
                    .append(text(action, "status"));
            if (action.hasNonNull("reason")) {
                s.append(" - ").append(text(action, "reason"));
            }
            s.append('\n');
            s.append("  ").append(text(action, "type")).append(" for ").append(text(action, "subject")).append(" at ")
                    .append(text(action, "time")).append(", decision ").append(text(action, "decisionId")).append('\n');

            JsonNode lineage = body.get("lineage");
            if (lineage == null || lineage.isNull()) {
                s.append("Rule: ").append(text(action, "rule"))
                        .append(" (no lineage kept for this decision: dispatched before lineage was recorded)\n");
            } else {
                JsonNode rule = lineage.get("rule");
                s.append("Rule: ").append(text(rule, "name"));
                s.append(rule.hasNonNull("file") ? "  in " + text(rule, "file") : "  (file unknown)");
                if (rule.hasNonNull("package")) {
                    s.append("  [package ").append(text(rule, "package")).append(']');
                }
                s.append('\n');
                if (!text(action, "rule").equals(text(rule, "name"))) {
                    s.append("  decided by rule ").append(text(action, "rule")).append('\n');
                }
                s.append("Facts matched:\n");
                for (JsonNode fact : lineage.path("facts")) {
                    s.append("  ").append(text(fact, "kind")).append(' ').append(text(fact, "key"));
                    String fields = fields(fact.path("fields"));
                    if (!fields.isEmpty()) {
                        s.append(": ").append(fields);
                    }
                    s.append('\n');
                }
                JsonNode events = lineage.path("events");
                s.append("Events:").append(events.isEmpty() ? " none\n" : "\n");
                for (JsonNode e : events) {
                    s.append("  ").append(text(e, "id")).append("  ").append(text(e, "arrivalTime")).append("  ")
                            .append(text(e, "severity")).append("  ").append(text(e, "type")).append("  subject=")
                            .append(text(e, "subject")).append("  source=").append(text(e, "source")).append('\n');
                }
            }
            JsonNode suppression = body.get("suppression");
            if (suppression != null && !suppression.isNull()) {
                s.append("Suppressed by: ").append(text(suppression, "kind"));
                String fields = fields(without(suppression, "kind", "reason"));
                if (!fields.isEmpty()) {
                    s.append(" (").append(fields).append(')');
                }
                s.append(" - ").append(text(suppression, "reason")).append('\n');
            }
            JsonNode others = body.path("otherActions");
            if (!others.isEmpty()) {
                s.append("Other actions of the decision:\n");
                for (JsonNode o : others) {
                    s.append("  ").append(text(o, "id")).append(" (").append(text(o, "target")).append("): ")
                            .append(text(o, "status"));
                    if (o.hasNonNull("reason")) {
                        s.append(" - ").append(text(o, "reason"));
                    }
                    s.append('\n');
                }
            }
            return s.toString();
        }

        private static JsonNode without(JsonNode node, String... names) {
            com.fasterxml.jackson.databind.node.ObjectNode copy = node.deepCopy();
            copy.remove(java.util.List.of(names));
            return copy;
        }

        /** {@code name=value, ...}; strings bare, other values as JSON. */
        private static String fields(JsonNode fields) {
            StringBuilder s = new StringBuilder();
            for (Iterator<Map.Entry<String, JsonNode>> it = fields.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                if (!s.isEmpty()) {
                    s.append(", ");
                }
                s.append(f.getKey()).append('=').append(f.getValue().isTextual() ? f.getValue().asText() : f.getValue());
            }
            return s.toString();
        }

        private static String text(JsonNode node, String field) {
            JsonNode v = node == null ? null : node.get(field);
            return v == null || v.isNull() ? "-" : v.asText();
        }
    }
}
