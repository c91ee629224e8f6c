package org.operon.integration.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.main.Main;
import org.operon.integration.http.IntakeOptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Camel Main with the embedded platform-http (Vert.x) server on a free port of 127.0.0.1, configured as
 * the application configures it, and an {@link HttpClient} to talk to it.
 */
public final class HttpTestServer implements AutoCloseable {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Main main;
    private final int port;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private HttpTestServer(Main main, int port) {
        this.main = main;
        this.port = port;
    }

    /** Starts Camel Main with the routes; {@code camel.server.maxBodySize} is taken from the options. */
    public static HttpTestServer start(IntakeOptions options, RoutesBuilder... routes) throws Exception {
        int port = freePort();
        Main main = new Main();
        for (RoutesBuilder r : routes) {
            main.configure().addRoutesBuilder(r);
        }
        main.addInitialProperty("camel.main.name", "operon-integration-test");
        main.addInitialProperty("camel.server.enabled", "true");
        main.addInitialProperty("camel.server.host", "127.0.0.1");
        main.addInitialProperty("camel.server.port", String.valueOf(port));
        main.addInitialProperty("camel.server.maxBodySize", String.valueOf(options.serverMaxBodySize()));
        main.start();
        return new HttpTestServer(main, port);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    public HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(20));
    }

    public HttpResponse<String> send(HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public HttpClient client() {
        return client;
    }

    /** POSTs the body with the content type to {@code path}. */
    public HttpResponse<String> post(String path, String contentType, String body) {
        return send(request(path).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    public HttpResponse<String> get(String path) {
        return send(request(path).GET().build());
    }

    public static JsonNode json(HttpResponse<String> response) {
        try {
            return MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + response.body(), e);
        }
    }

    @Override
    public void close() {
        main.stop();
    }
}
