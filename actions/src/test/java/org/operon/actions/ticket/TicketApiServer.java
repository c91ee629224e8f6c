package org.operon.actions.ticket;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A real HTTP server on 127.0.0.1 standing in for a ticketing API. Every request is recorded; the
 * {@link Api} checks it against the documented API and answers it. A request the API finds wrong is
 * answered with the API's error and kept in {@link #invalid}. Scripted statuses ({@link #fail}) are
 * answered, before any check, to the next requests.
 */
final class TicketApiServer implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    /** One recorded request; header names in lower case. */
    record Request(String method, String path, String query, Map<String, String> headers, String rawBody,
                   JsonNode body) {
        String header(String name) {
            return headers.get(name.toLowerCase());
        }
    }

    /** An answer: status and JSON body (null for none). */
    record Answer(int status, String body) {
        static Answer json(int status, Object body) {
            try {
                return new Answer(status, body instanceof String s ? s : JSON.writeValueAsString(body));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** The fake API: problems of a request (empty when it is as documented) and the answer to a valid one. */
    interface Api {
        List<String> problems(Request request);

        Answer invalid(Request request, List<String> problems);

        Answer answer(Request request);
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(2);
    private final ConcurrentLinkedQueue<Integer> script = new ConcurrentLinkedQueue<>();
    private final Api api;
    final List<Request> requests = new CopyOnWriteArrayList<>();
    final List<String> invalid = new CopyOnWriteArrayList<>();

    TicketApiServer(Api api) throws IOException {
        this.api = api;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /** The next requests are answered with these statuses (and an empty JSON object), unchecked. */
    TicketApiServer fail(Integer... statuses) {
        script.addAll(List.of(statuses));
        return this;
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The requests with this method, in order. */
    List<Request> requests(String method) {
        List<Request> out = new ArrayList<>();
        for (Request r : requests) {
            if (r.method().equals(method)) {
                out.add(r);
            }
        }
        return out;
    }

    private void handle(HttpExchange exchange) throws IOException {
        String raw;
        try (InputStream in = exchange.getRequestBody()) {
            raw = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        JsonNode body = null;
        if (!raw.isEmpty()) {
            try {
                body = JSON.readTree(raw);
            } catch (IOException e) {
                body = null;
            }
        }
        Map<String, String> headers = new TreeMap<>();
        exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), String.join(",", v)));
        Request request = new Request(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                exchange.getRequestURI().getRawQuery(), headers, raw, body);
        requests.add(request);
        Answer answer;
        Integer scripted = script.poll();
        if (scripted != null) {
            answer = new Answer(scripted, "{}");
        } else {
            List<String> problems = new ArrayList<>();
            if (!raw.isEmpty() && body == null) {
                problems.add("body is not JSON");
            } else {
                problems.addAll(api.problems(request));
            }
            if (problems.isEmpty()) {
                answer = api.answer(request);
            } else {
                invalid.add(request.method() + " " + request.path() + ": " + problems);
                answer = api.invalid(request, problems);
            }
        }
        byte[] bytes = answer.body() == null ? new byte[0] : answer.body().getBytes(StandardCharsets.UTF_8);
        if (answer.body() != null) {
            exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        }
        exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
