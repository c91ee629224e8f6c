package org.operon.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.operon.app.config.OperonConfig;
import org.operon.integration.source.RoutesDirectory;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The routes directory in the real application: its routes reach the intake; an invalid file refuses the start. */
class RoutesDirectoryStartIT {
    @TempDir
    Path dir;

    private OperonConfig config(Path routes) throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        return OperonConfig.load(Map.of("OPERON_DATA_DIR", dir.resolve("data").toString(),
                "OPERON_HTTP_PORT", Integer.toString(port), "OPERON_ROUTES_DIR", routes.toString()), new Properties());
    }

    @Test
    void aRouteFileSendsEventsToTheIntake() throws Exception {
        Path routes = Files.createDirectories(dir.resolve("routes"));
        Files.writeString(routes.resolve("once.camel.yaml"), """
                - route:
                    id: once
                    from:
                      uri: timer:once
                      parameters:
                        repeatCount: 1
                      steps:
                        - setHeader:
                            name: OperonSource
                            constant: route:once
                        - setBody:
                            constant: '{"specversion": "1.0", "id": "once-1", "source": "route:once", "type": "probe"}'
                        - to: direct:operon-intake
                """);
        OperonApp app = new OperonApp(config(routes));
        try {
            app.start();
            HttpClient client = HttpClient.newHttpClient();
            HttpRequest sources = HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + app.httpPort() + "/api/v1/sources")).GET().build();
            await().atMost(Duration.ofSeconds(20)).until(() -> client.send(sources,
                    HttpResponse.BodyHandlers.ofString()).body().contains("\"route:once\""));
            assertThat(client.send(sources, HttpResponse.BodyHandlers.ofString()).body())
                    .contains("\"route:once\":{").contains("\"accepted\":1");
        } finally {
            app.stop();
        }
    }

    @Test
    void anInvalidRouteFileRefusesTheStart() throws Exception {
        Path routes = Files.createDirectories(dir.resolve("routes"));
        Files.writeString(routes.resolve("broken.yaml"), "- route:\n    from:\n      uri: no-such-component:x\n"
                + "      steps:\n        - log: never\n");
        OperonApp app = new OperonApp(config(routes));
        try {
            assertThatThrownBy(app::start)
                    .isInstanceOf(RoutesDirectory.RoutesInvalidException.class)
                    .hasMessageContaining("broken.yaml").hasMessageContaining("no-such-component");
        } finally {
            app.stop();
        }
    }
}
