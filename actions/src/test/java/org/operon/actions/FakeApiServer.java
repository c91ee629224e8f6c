package org.operon.actions;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A real HTTP server on 127.0.0.1 standing in for a third-party API. Every request is recorded and
 * checked by the API's {@code validator}, which returns the problems found (empty when the request has
 * the documented shape); an invalid request is answered 400, as the real API would, and counted in
 * {@link #invalid}. Valid requests are answered with the scripted statuses, then {@code okStatus}.
 */
final class FakeApiServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    record Request(String method, String path, String contentType, JsonNode body, List<String> problems) {
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(2);
    private final ConcurrentLinkedQueue<Integer> script = new ConcurrentLinkedQueue<>();
    private final Function<Request, List<String>> validator;
    private final int okStatus;
    final List<Request> requests = new CopyOnWriteArrayList<>();
    final List<Request> invalid = new CopyOnWriteArrayList<>();

    FakeApiServer(int okStatus, Function<Request, List<String>> validator) throws IOException {
        this.okStatus = okStatus;
        this.validator = validator;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /** The next valid requests are answered with these statuses, in order. */
    FakeApiServer answer(Integer... statuses) {
        script.addAll(List.of(statuses));
        return this;
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
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
        Request unchecked = new Request(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                exchange.getRequestHeaders().getFirst("Content-Type"), body, List.of());
        List<String> problems = body == null ? List.of("body is not JSON") : validator.apply(unchecked);
        Request request = new Request(unchecked.method(), unchecked.path(), unchecked.contentType(), body, problems);
        requests.add(request);
        int status;
        if (!problems.isEmpty()) {
            invalid.add(request);
            status = 400;
        } else {
            Integer scripted = script.poll();
            status = scripted == null ? okStatus : scripted;
        }
        byte[] answer = "{}".getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, answer.length);
        exchange.getResponseBody().write(answer);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
