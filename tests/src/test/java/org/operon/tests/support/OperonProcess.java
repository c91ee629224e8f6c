package org.operon.tests.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * The assembled app, run as a user runs it: {@code java -jar app/target/operon.jar} in a child
 * process, on a free port and a data directory of the test's. Lets a test send HTTP requests, stop
 * the process cleanly (SIGTERM) or kill it (SIGKILL).
 */
public final class OperonProcess implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Process process;
    private final int port;
    private final Path log;

    private OperonProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** The runnable jar built by the app module (set by the failsafe configuration). */
    public static Path jar() {
        String path = System.getProperty("operon.jar");
        if (path == null) {
            throw new IllegalStateException("system property operon.jar is not set; run the tests through Maven");
        }
        return Path.of(path);
    }

    /** Starts Operon and waits until {@code GET /api/v1/health} answers 200. */
    public static OperonProcess start(Path dataDir, Map<String, String> env) throws IOException {
        OperonProcess p = launch(dataDir, env);
        p.awaitHealthy();
        return p;
    }

    /** Starts Operon without waiting for it; for tests of start-up failures. */
    public static OperonProcess launch(Path dataDir, Map<String, String> env) throws IOException {
        int port = freePort();
        Files.createDirectories(dataDir);
        Path log = Files.createTempFile(dataDir.getParent(), "operon-", ".log");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx512m");
        command.add("-jar");
        command.add(jar().toString());
        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(dataDir.getParent().toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("OPERON_HTTP_PORT", Integer.toString(port));
        environment.put("OPERON_DATA_DIR", dataDir.toString());
        environment.putAll(env);
        pb.environment().putAll(environment);
        return new OperonProcess(pb.start(), port, log);
    }

    private void awaitHealthy() {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("Operon exited with " + process.exitValue() + " during start-up:\n"
                        + output());
            }
            try {
                return get("/api/v1/health").statusCode() == 200;
            } catch (IOException e) {
                return false;
            }
        });
    }

    public int port() {
        return port;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public HttpResponse<String> get(String path) throws IOException {
        return send(HttpRequest.newBuilder(URI.create(baseUrl() + path)).GET());
    }

    public HttpResponse<String> post(String path, String contentType, String body) throws IOException {
        return send(HttpRequest.newBuilder(URI.create(baseUrl() + path))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    public HttpResponse<String> send(HttpRequest.Builder request) throws IOException {
        try {
            return HTTP.send(request.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /** The engine's status ({@code GET /api/v1/engine}). */
    public JsonNode engineStatus() throws IOException {
        return JSON.readTree(get("/api/v1/engine").body());
    }

    /** Waits until the engine has processed at least {@code n} events since it started and has no backlog. */
    public void awaitProcessed(long n) {
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            JsonNode s = engineStatus();
            return s.get("processed").asLong() >= n && s.get("backlog").asLong() == 0;
        });
    }

    public JsonNode getJson(String path) throws IOException {
        HttpResponse<String> r = get(path);
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body());
    }

    /** Sends SIGTERM and waits for the process to exit; returns its exit code. */
    public int terminate() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new IllegalStateException("Operon did not stop within 60 s of SIGTERM:\n" + output());
        }
        return process.exitValue();
    }

    /** Sends SIGKILL (kill -9) and waits for the process to be gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** Waits for the process to exit by itself; returns its exit code. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("Operon is still running after " + timeout + ":\n" + output());
        }
        return process.exitValue();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Everything the process printed so far (standard output and error). */
    public String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }
}
