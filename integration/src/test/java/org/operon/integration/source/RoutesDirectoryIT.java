package org.operon.integration.source;

import com.sun.net.httpserver.HttpServer;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.operon.integration.http.IntakeOptions;
import org.operon.integration.testing.InMemoryDeadLetters;
import org.operon.integration.testing.RecordingAcceptor;
import org.operon.model.Event;
import org.operon.model.Severity;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The routes directory with the documented example (docs/sources/routes.md) polling a real HTTP server,
 * through the real intake endpoint into a recording acceptor; and invalid route files.
 */
class RoutesDirectoryIT {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;
    private final RecordingAcceptor acceptor = new RecordingAcceptor();
    private final InMemoryDeadLetters deadLetters = new InMemoryDeadLetters();
    private final AtomicInteger status = new AtomicInteger(200);
    private final AtomicInteger polls = new AtomicInteger();
    private SourceIntake intake;
    private HttpServer health;
    private CamelContext context;

    @BeforeEach
    void start() throws Exception {
        health = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        health.createContext("/health", exchange -> {
            polls.incrementAndGet();
            byte[] body = "{\"status\": \"whatever\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status.get(), body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        health.start();
        intake = new SourceIntake(acceptor, deadLetters, Clock.fixed(Instant.parse("2026-11-26T18:30:00Z"),
                ZoneOffset.UTC), IntakeOptions.defaults());
        context = new DefaultCamelContext();
        context.addRoutes(new SourceIntakeRoute(intake));
        context.start();
    }

    @AfterEach
    void stop() {
        context.stop();
        health.stop(0);
    }

    /** The YAML example of docs/sources/routes.md, polling the test server every 100 ms. */
    private String documentedExample(String url) throws IOException {
        String doc = Files.readString(Path.of("..", "docs", "sources", "routes.md"));
        Matcher m = Pattern.compile("```yaml\n(.*?)```", Pattern.DOTALL).matcher(doc);
        assertThat(m.find()).as("a yaml example in docs/sources/routes.md").isTrue();
        String yaml = m.group(1);
        assertThat(yaml).contains("period: 30000", "http://shop.internal:8080/health", "direct:operon-intake");
        return yaml.replace("period: 30000", "period: 100").replace("http://shop.internal:8080/health", url);
    }

    @Test
    void theDocumentedRoutePollsAndTurnsFailuresIntoEvents() throws Exception {
        String url = "http://127.0.0.1:" + health.getAddress().getPort() + "/health";
        Files.writeString(dir.resolve("shop-health.camel.yaml"), documentedExample(url));
        Files.writeString(dir.resolve("notes.txt"), "not a route file: ignored");

        assertThat(new RoutesDirectory(dir).load(context)).containsExactly(dir.resolve("shop-health.camel.yaml"));
        assertThat(context.getRoute("shop-health")).isNotNull();

        // Healthy: polls happen, and no event is sent.
        await().atMost(WAIT).until(() -> polls.get() >= 3);
        assertThat(acceptor.accepted()).isEmpty();

        status.set(503);
        await().atMost(WAIT).until(() -> !acceptor.accepted().isEmpty());
        Event e = acceptor.accepted().get(0);
        assertThat(e.getType()).isEqualTo("health.check.failed");
        assertThat(e.getSource()).isEqualTo("route:shop-health");
        assertThat(e.getSubject()).isEqualTo("shop");
        assertThat(e.getSeverity()).isEqualTo(Severity.CRITICAL);
        assertThat(data(e)).containsEntry("problem", "HTTP status 503").containsEntry("check", url);
        assertThat(intake.counters().get("route:shop-health")).containsEntry("rejected", 0L);

        // Not reachable at all: an event too, with a fixed text.
        health.stop(0);
        await().atMost(WAIT).until(() -> acceptor.accepted().stream()
                .anyMatch(x -> "not reachable".equals(data(x).get("problem"))));
        assertThat(deadLetters.all()).isEmpty();
    }

    @SuppressWarnings("unchecked")
    private static java.util.Map<String, Object> data(Event e) {
        return (java.util.Map<String, Object>) e.getData();
    }

    @Test
    void anInvalidRouteFileIsRefusedWithItsName() throws Exception {
        Files.writeString(dir.resolve("a-good.yaml"), """
                - route:
                    id: good
                    from:
                      uri: timer:good
                      parameters:
                        period: 60000
                      steps:
                        - log: tick
                """);
        Files.writeString(dir.resolve("broken.camel.yaml"), """
                - route:
                    id: broken
                    from:
                      uri: timer:broken
                      steps:
                        - noSuchStep: [1, 2
                """);
        Files.writeString(dir.resolve("unknown.yaml"), """
                - route:
                    id: unknown
                    from:
                      uri: no-such-component:x
                      steps:
                        - log: never
                """);

        assertThatThrownBy(() -> new RoutesDirectory(dir).load(context))
                .isInstanceOfSatisfying(RoutesDirectory.RoutesInvalidException.class, ex -> {
                    assertThat(ex.problems()).extracting(RoutesDirectory.Problem::file)
                            .containsExactly(dir.resolve("broken.camel.yaml"), dir.resolve("unknown.yaml"));
                    assertThat(ex.getMessage()).contains("broken.camel.yaml", "unknown.yaml", "no-such-component");
                });
        assertThat(context.getRoute("broken")).isNull();
        assertThat(context.getRoute("unknown")).isNull();
    }

    @Test
    void aMissingDirectoryIsRefused() {
        assertThatThrownBy(() -> new RoutesDirectory(dir.resolve("absent")).load(context))
                .isInstanceOf(RoutesDirectory.RoutesInvalidException.class)
                .hasMessageContaining("absent");
    }
}
