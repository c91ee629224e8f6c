package org.operon.tests.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A Redmine for both of Operon's directions, answering with the JSON captured from a real Redmine 5.0.4
 * (src/test/resources/redmine): the ticket target writes ({@code POST /issues.json}, {@code PUT
 * /issues/{id}.json}, {@code GET /issues/{id}.json}) and the ticket source polls ({@code GET
 * /issue_statuses.json}, {@code GET /issues.json?status_id=*&updated_on=>=…&sort=updated_on&limit&offset},
 * {@code GET /issues/{id}.json?include=journals}). Every write adds a journal entry by the API key's user
 * ({@link #OPERON_USER}); {@link #change} is a person's change. Times are Redmine's: whole seconds of the
 * wall clock. Requests without the key are refused with 401.
 */
public final class RedmineServer implements AutoCloseable {
    /** The user the API key belongs to: Operon's own changes. */
    public static final int OPERON_USER = 9;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final String apiKey;
    private final AtomicInteger nextId = new AtomicInteger(105);
    private final AtomicInteger nextJournal = new AtomicInteger(1);
    private final Map<Integer, ObjectNode> issues = new ConcurrentHashMap<>();
    private final Map<Integer, ArrayNode> journals = new ConcurrentHashMap<>();
    /** Method and path of every write, in order, e.g. {@code POST /issues.json}. */
    public final List<String> writes = new CopyOnWriteArrayList<>();
    /** Requests refused, with the reason. */
    public final List<String> refused = new CopyOnWriteArrayList<>();

    public RedmineServer(String apiKey) throws IOException {
        this.apiKey = apiKey;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The issues, by id. */
    public Map<Integer, ObjectNode> issues() {
        return issues;
    }

    /** The journal entries of an issue, oldest first. */
    public ArrayNode journals(int id) {
        return journals.get(id);
    }

    /** A person's change of an issue's status, with its journal entry. */
    public synchronized void change(int id, int statusId, int userId, String userName) {
        ObjectNode issue = issues.get(id);
        setStatus(issue, statusId);
        journal(id, userId, userName, "", statusId);
    }

    private static JsonNode fixture(String name) {
        try (InputStream in = RedmineServer.class.getResourceAsStream("/redmine/" + name)) {
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void setStatus(ObjectNode issue, int statusId) {
        for (JsonNode s : fixture("issue_statuses.json").path("issue_statuses")) {
            if (s.path("id").asInt() == statusId) {
                issue.set("status", s.deepCopy());
                return;
            }
        }
        throw new IllegalArgumentException("no status " + statusId);
    }

    private void journal(int id, int userId, String userName, String notes, Integer statusId) {
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        ObjectNode entry = JSON.createObjectNode();
        entry.put("id", nextJournal.getAndIncrement());
        entry.putObject("user").put("id", userId).put("name", userName);
        entry.put("notes", notes);
        entry.put("created_on", now);
        entry.put("private_notes", false);
        ArrayNode details = entry.putArray("details");
        if (statusId != null) {
            details.addObject().put("property", "attr").put("name", "status_id").put("new_value", statusId.toString());
        }
        journals.computeIfAbsent(id, k -> JSON.createArrayNode()).add(entry);
        issues.get(id).put("updated_on", now);
    }

    private synchronized void handle(HttpExchange exchange) throws IOException {
        URI uri = exchange.getRequestURI();
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!apiKey.equals(exchange.getRequestHeaders().getFirst("X-Redmine-API-Key"))) {
                refused.add("no or wrong API key: " + uri);
                reply(exchange, 401, null);
                return;
            }
            String method = exchange.getRequestMethod();
            String path = uri.getPath();
            Map<String, String> query = query(uri.getRawQuery());
            if (method.equals("POST") || method.equals("PUT")) {
                String type = exchange.getRequestHeaders().getFirst("Content-Type");
                if (type == null || !type.startsWith("application/json")) {
                    throw new IllegalArgumentException("Content-Type " + type);
                }
                writes.add(method + " " + path);
            }
            if (method.equals("POST") && path.equals("/issues.json")) {
                JsonNode fields = JSON.readTree(body).path("issue");
                if (fields.path("subject").asText("").isBlank() || !fields.has("project_id")) {
                    reply(exchange, 422, JSON.createObjectNode().set("errors",
                            JSON.createArrayNode().add("Subject cannot be blank")));
                    return;
                }
                int id = nextId.getAndIncrement();
                ObjectNode issue = fixture("list-updated-since.json").path("issues").get(0).deepCopy();
                issue.put("id", id);
                issue.put("subject", fields.path("subject").asText());
                issue.put("description", fields.path("description").asText().replace("\n", "\r\n"));
                issue.putObject("author").put("id", OPERON_USER).put("name", "Operon");
                setStatus(issue, 1);
                String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
                issue.put("created_on", now).put("updated_on", now);
                issues.put(id, issue);
                ObjectNode answer = fixture("create-response-201.json").deepCopy();
                answer.set("issue", issue.deepCopy());
                reply(exchange, 201, answer);
            } else if (method.equals("PUT") && path.matches("/issues/\\d+\\.json")) {
                int id = Integer.parseInt(path.replaceAll("\\D", ""));
                JsonNode change = JSON.readTree(body).path("issue");
                Integer status = change.has("status_id") ? change.path("status_id").asInt() : null;
                if (status != null) {
                    setStatus(issues.get(id), status);
                }
                journal(id, OPERON_USER, "Operon", change.path("notes").asText(""), status);
                reply(exchange, 204, null);
            } else if (method.equals("GET") && path.equals("/issue_statuses.json")) {
                reply(exchange, 200, fixture("issue_statuses.json"));
            } else if (method.equals("GET") && path.equals("/issues.json") && query.containsKey("description")) {
                reply(exchange, 200, search(query));
            } else if (method.equals("GET") && path.equals("/issues.json")) {
                reply(exchange, 200, list(query));
            } else if (method.equals("GET") && path.matches("/issues/\\d+\\.json")) {
                int id = Integer.parseInt(path.replaceAll("\\D", ""));
                ObjectNode issue = issues.get(id).deepCopy();
                if ("journals".equals(query.get("include"))) {
                    issue.set("journals", journals.getOrDefault(id, JSON.createArrayNode()));
                }
                reply(exchange, 200, JSON.createObjectNode().set("issue", issue));
            } else {
                refused.add("unexpected request: " + method + " " + uri);
                reply(exchange, 404, null);
            }
        } catch (RuntimeException e) {
            refused.add(e + ": " + uri);
            reply(exchange, 400, null);
        }
    }

    /** Redmine's text filter {@code description=~<text>}, issues by id. */
    private ObjectNode search(Map<String, String> query) {
        String filter = query.get("description");
        if (!filter.startsWith("~") || !"*".equals(query.get("status_id")) || !"id".equals(query.get("sort"))) {
            throw new IllegalArgumentException("description=~<text>, status_id=* and sort=id are expected");
        }
        String text = filter.substring(1);
        ObjectNode body = JSON.createObjectNode();
        ArrayNode page = body.putArray("issues");
        issues.values().stream().sorted(Comparator.comparingInt(i -> i.path("id").asInt()))
                .filter(i -> i.path("description").asText().contains(text)).forEach(i -> page.add(i.deepCopy()));
        body.put("total_count", page.size()).put("offset", 0).put("limit", 25);
        return body;
    }

    private ObjectNode list(Map<String, String> query) {
        if (!"*".equals(query.get("status_id")) || !"updated_on".equals(query.get("sort"))) {
            throw new IllegalArgumentException("status_id=* and sort=updated_on are required");
        }
        Instant since = Instant.parse(query.get("updated_on").substring(2));
        int limit = Integer.parseInt(query.get("limit"));
        int offset = Integer.parseInt(query.get("offset"));
        List<ObjectNode> matching = new ArrayList<>(issues.values().stream()
                .filter(i -> !Instant.parse(i.path("updated_on").asText()).isBefore(since))
                .sorted(Comparator.comparing((ObjectNode i) -> i.path("updated_on").asText())
                        .thenComparing(i -> i.path("id").asInt()))
                .toList());
        ObjectNode body = JSON.createObjectNode();
        ArrayNode page = body.putArray("issues");
        matching.stream().skip(offset).limit(limit).forEach(i -> page.add(i.deepCopy()));
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
        byte[] bytes = body == null ? new byte[0] : JSON.writeValueAsBytes(body);
        if (body != null) {
            exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        }
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
