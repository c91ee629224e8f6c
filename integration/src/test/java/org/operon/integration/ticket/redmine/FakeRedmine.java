package org.operon.integration.ticket.redmine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A Redmine-compatible HTTP server for tests: serves the documented JSON of Redmine 5.0.4 (the fixtures in
 * src/test/resources/redmine, captured from a real server) for the issues the test puts in, answers the
 * polling query as Redmine does (filter {@code updated_on>=}, {@code sort=updated_on} ascending,
 * {@code limit}/{@code offset} paging) and refuses requests without the expected {@code X-Redmine-API-Key}
 * (401) or with a query the poller must never send (400).
 */
final class FakeRedmine implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final String apiKey;
    private final Map<Integer, ObjectNode> issues = new ConcurrentHashMap<>();
    private final Map<Integer, ArrayNode> journals = new ConcurrentHashMap<>();
    final List<URI> requests = new CopyOnWriteArrayList<>();
    final List<String> refused = new CopyOnWriteArrayList<>();

    FakeRedmine(String apiKey) throws IOException {
        this.apiKey = apiKey;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    static JsonNode fixture(String name) {
        try (InputStream in = FakeRedmine.class.getResourceAsStream("/redmine/" + name)) {
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Puts (or changes) an issue: the captured issue of list-updated-since.json with this id, status (name and
     * is_closed from issue_statuses.json), update time and description; the last journal is by {@code userId}.
     */
    void issue(int id, int statusId, String updatedOn, String description, int userId, String userName) {
        ObjectNode issue = fixture("list-updated-since.json").path("issues").get(0).deepCopy();
        issue.put("id", id);
        for (JsonNode s : fixture("issue_statuses.json").path("issue_statuses")) {
            if (s.path("id").asInt() == statusId) {
                issue.set("status", s.deepCopy());
            }
        }
        issue.put("updated_on", updatedOn);
        issue.put("description", description);
        issues.put(id, issue);
        ArrayNode list = (ArrayNode) fixture("get-with-journals.json").path("issue").path("journals").deepCopy();
        ObjectNode last = (ObjectNode) list.get(list.size() - 1);
        last.putObject("user").put("id", userId).put("name", userName);
        last.put("created_on", updatedOn);
        journals.put(id, list);
    }

    private void handle(HttpExchange exchange) throws IOException {
        URI uri = exchange.getRequestURI();
        requests.add(uri);
        try {
            if (!apiKey.equals(exchange.getRequestHeaders().getFirst("X-Redmine-API-Key"))) {
                refused.add("no or wrong API key: " + uri);
                reply(exchange, 401, JSON.createObjectNode());
                return;
            }
            Map<String, String> query = query(uri.getRawQuery());
            String path = uri.getPath();
            if (path.equals("/issue_statuses.json")) {
                reply(exchange, 200, fixture("issue_statuses.json"));
            } else if (path.equals("/issues.json")) {
                reply(exchange, 200, list(query));
            } else if (path.matches("/issues/\\d+\\.json") && "journals".equals(query.get("include"))) {
                int id = Integer.parseInt(path.replaceAll("\\D", ""));
                ObjectNode body = (ObjectNode) fixture("get-with-journals.json").deepCopy();
                ObjectNode issue = issues.get(id).deepCopy();
                issue.set("journals", journals.get(id));
                body.set("issue", issue);
                reply(exchange, 200, body);
            } else {
                refused.add("unexpected request: " + uri);
                reply(exchange, 404, JSON.createObjectNode());
            }
        } catch (RuntimeException e) {
            refused.add(e + ": " + uri);
            reply(exchange, 400, JSON.createObjectNode().put("error", e.toString()));
        }
    }

    private ObjectNode list(Map<String, String> query) {
        if (!"*".equals(query.get("status_id")) || !"updated_on".equals(query.get("sort"))) {
            throw new IllegalArgumentException("status_id=* and sort=updated_on are required");
        }
        String filter = query.get("updated_on");
        if (filter == null || !filter.startsWith(">=")) {
            throw new IllegalArgumentException("updated_on=>=<time> is required");
        }
        Instant since = Instant.parse(filter.substring(2));
        int limit = Integer.parseInt(query.get("limit"));
        int offset = Integer.parseInt(query.get("offset"));
        if (limit > 100) {
            throw new IllegalArgumentException("limit at most 100");
        }
        List<ObjectNode> matching = new ArrayList<>(issues.values().stream()
                .filter(i -> !Instant.parse(i.path("updated_on").asText()).isBefore(since))
                .sorted(Comparator.comparing((ObjectNode i) -> i.path("updated_on").asText())
                        .thenComparing(i -> i.path("id").asInt()))
                .toList());
        ObjectNode body = JSON.createObjectNode();
        ArrayNode page = body.putArray("issues");
        matching.stream().skip(offset).limit(limit).forEach(page::add);
        body.put("total_count", matching.size()).put("offset", offset).put("limit", limit);
        return body;
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private static void reply(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
