package org.operon.tests;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.operon.tests.support.OperonProcess;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A wrong configuration stops start-up with a message that names the key. */
class ConfigurationIT {
    @TempDir
    Path tmp;

    @Test
    void aWrongValueStopsStartUpNamingTheKey() throws Exception {
        try (OperonProcess operon = OperonProcess.launch(tmp.resolve("data"), Map.of("OPERON_ENGINE_BATCH_SIZE", "lots"))) {
            assertThat(operon.awaitExit(Duration.ofSeconds(60))).isNotZero();
            assertThat(operon.output()).contains("operon.engine.batch-size").contains("OPERON_ENGINE_BATCH_SIZE")
                    .contains("whole number");
        }
    }

    @Test
    void listingBeyondLoopbackWithoutAnApiTokenIsRefused() throws Exception {
        try (OperonProcess operon = OperonProcess.launch(tmp.resolve("data"), Map.of("OPERON_HTTP_HOST", "0.0.0.0"))) {
            assertThat(operon.awaitExit(Duration.ofSeconds(60))).isNotZero();
            assertThat(operon.output()).contains("Refusing to start").contains("OPERON_API_TOKEN");
        }
    }

    @Test
    void withATokenEveryApiRequestButHealthNeedsIt() throws Exception {
        String token = "0123456789abcdef0123456789abcdef";
        try (OperonProcess operon = OperonProcess.start(tmp.resolve("data"), Map.of("OPERON_API_TOKEN", token))) {
            assertThat(operon.get("/api/v1/actions").statusCode()).isEqualTo(401);
            assertThat(operon.get("/api/v1/actions").body()).doesNotContain(token);
            assertThat(operon.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(operon.baseUrl() + "/api/v1/actions"))
                    .header("Authorization", "Bearer " + token).GET()).statusCode()).isEqualTo(200);
            assertThat(operon.output()).doesNotContain(token);
        }
    }
}
