package org.operon.actions;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A real HTTP server on 127.0.0.1 standing in for the Opsgenie Alert API
 * (https://docs.opsgenie.com/docs/alert-api). It checks each request against the documented shapes and
 * answers as Opsgenie does: 202 {@code {"result", "took", "requestId"}} when valid (or a scripted status),
 * 401 without {@code Authorization: GenieKey <key>}, 422 for a request of the wrong shape.
 *
 * <ul>
 *   <li>{@code POST /v2/alerts}: {@code message} required, at most 130 characters; {@code alias} at most
 *       512; {@code description} at most 15,000; {@code priority} one of P1–P5; {@code tags} a list of
 *       strings; {@code details} an object of strings; {@code source} at most 100; no other fields than
 *       the documented ones;</li>
 *   <li>{@code POST /v2/alerts/{identifier}/acknowledge} and {@code /close} with
 *       {@code identifierType=alias}: a body of {@code user}, {@code source}, {@code note} only.</li>
 * </ul>
 */
final class FakeOpsgenie implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ACTION_PATH = Pattern.compile("/v2/alerts/([^/]+)/(acknowledge|close)");
    private static final Set<String> CREATE_FIELDS = Set.of("message", "alias", "description", "responders", "visibleTo",
            "actions", "tags", "details", "entity", "source", "priority", "user", "note");
    private static final Set<String> ACTION_FIELDS = Set.of("user", "source", "note");
    private static final Set<String> PRIORITIES = Set.of("P1", "P2", "P3", "P4", "P5");

    record Request(String method, String path, String query, String authorization, JsonNode body, List<String> problems) {
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(2);
    private final ConcurrentLinkedQueue<Integer> script = new ConcurrentLinkedQueue<>();
    private final String apiKey;
    final List<Request> requests = new CopyOnWriteArrayList<>();
    final List<Request> invalid = new CopyOnWriteArrayList<>();

    FakeOpsgenie(String apiKey) throws IOException {
        this.apiKey = apiKey;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    FakeOpsgenie answer(Integer... statuses) {
        script.addAll(List.of(statuses));
        return this;
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private static List<String> problems(String method, String path, String query, String contentType, JsonNode b) {
        List<String> problems = new ArrayList<>();
        if (!"POST".equals(method)) problems.add("method " + method);
        if (contentType == null || !contentType.startsWith("application/json")) problems.add("content type");
        if (b == null || !b.isObject()) {
            problems.add("body is not a JSON object");
            return problems;
        }
        Matcher action = ACTION_PATH.matcher(path);
        if (path.equals("/v2/alerts")) {
            for (Iterator<String> it = b.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (!CREATE_FIELDS.contains(f)) problems.add("unknown field " + f);
            }
            String message = b.path("message").asText("");
            if (!b.path("message").isTextual() || message.isBlank() || message.length() > 130) problems.add("message");
            if (b.has("alias") && (!b.path("alias").isTextual() || b.path("alias").asText().length() > 512)) problems.add("alias");
            if (b.has("description") && b.path("description").asText().length() > 15000) problems.add("description");
            if (b.has("priority") && !PRIORITIES.contains(b.path("priority").asText())) problems.add("priority");
            if (b.has("source") && b.path("source").asText().length() > 100) problems.add("source");
            if (b.has("tags")) {
                if (!b.path("tags").isArray()) problems.add("tags");
                b.path("tags").forEach(t -> {
                    if (!t.isTextual() || t.asText().length() > 50) problems.add("tag " + t);
                });
            }
            if (b.has("details")) {
                if (!b.path("details").isObject()) problems.add("details");
                b.path("details").fields().forEachRemaining(e -> {
                    if (!e.getValue().isTextual()) problems.add("details." + e.getKey() + " is not a string");
                });
            }
        } else if (action.matches()) {
            if (!"identifierType=alias".equals(query)) problems.add("query " + query);
            for (Iterator<String> it = b.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (!ACTION_FIELDS.contains(f)) problems.add("unknown field " + f);
            }
            if (b.has("note") && b.path("note").asText().length() > 25000) problems.add("note");
            if (b.has("user") && b.path("user").asText().length() > 100) problems.add("user");
        } else {
            problems.add("path " + path);
        }
        return problems;
    }

    private void handle(HttpExchange exchange) throws IOException {
        String raw;
        try (InputStream in = exchange.getRequestBody()) {
            raw = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        JsonNode body;
        try {
            body = JSON.readTree(raw);
        } catch (IOException e) {
            body = null;
        }
        String path = exchange.getRequestURI().getRawPath();
        String query = exchange.getRequestURI().getRawQuery();
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        List<String> problems = problems(exchange.getRequestMethod(), path, query,
                exchange.getRequestHeaders().getFirst("Content-Type"), body);
        Request request = new Request(exchange.getRequestMethod(), path, query, authorization, body, problems);
        requests.add(request);
        int status;
        String answer;
        String requestId = UUID.randomUUID().toString();
        if (!("GenieKey " + apiKey).equals(authorization)) {
            invalid.add(request);
            status = 401;
            answer = "{\"message\":\"Could not authenticate\",\"took\":0.0,\"requestId\":\"" + requestId + "\"}";
        } else if (!problems.isEmpty()) {
            invalid.add(request);
            status = 422;
            answer = "{\"message\":\"Request body is not processable\",\"took\":0.0,\"requestId\":\"" + requestId + "\"}";
        } else {
            Integer scripted = script.poll();
            status = scripted == null ? 202 : scripted;
            answer = "{\"result\":\"Request will be processed\",\"took\":0.01,\"requestId\":\"" + requestId + "\"}";
        }
        byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
