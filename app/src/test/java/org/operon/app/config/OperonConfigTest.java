package org.operon.app.config;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OperonConfigTest {

    private static Properties props(String... kv) {
        Properties p = new Properties();
        for (int i = 0; i < kv.length; i += 2) {
            p.setProperty(kv[i], kv[i + 1]);
        }
        return p;
    }

    @Test
    void defaultsComeFromTheBuiltInProperties() {
        OperonConfig c = OperonConfig.load(Map.of(), props());
        assertThat(c.get(OperonConfig.HTTP_HOST)).isEqualTo("127.0.0.1");
        assertThat(c.get(OperonConfig.HTTP_PORT)).isEqualTo(8080);
        assertThat(c.get(OperonConfig.DATA_DIR)).isEqualTo(Path.of("./data"));
        assertThat(c.get(OperonConfig.INTAKE_MAX_BODY)).isEqualTo(1_048_576);
        assertThat(c.get(OperonConfig.ENGINE_TICK)).isEqualTo(Duration.ofMillis(200));
        assertThat(c.get(OperonConfig.API_TOKEN)).isEmpty();
    }

    @Test
    void environmentOverridesDefaultsAndSystemPropertiesOverrideTheEnvironment() {
        OperonConfig c = OperonConfig.load(Map.of("OPERON_HTTP_PORT", "9191", "OPERON_DATA_DIR", "/var/lib/operon"),
                props("operon.http.port", "9292"));
        assertThat(c.get(OperonConfig.HTTP_PORT)).isEqualTo(9292);
        assertThat(c.dataDir()).isEqualTo(Path.of("/var/lib/operon"));
    }

    @Test
    void aWrongValueNamesTheKeyItsOriginAndTheExpectedForm() {
        assertThatThrownBy(() -> OperonConfig.load(Map.of("OPERON_HTTP_PORT", "eighty"), props()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("operon.http.port")
                .hasMessageContaining("environment variable OPERON_HTTP_PORT")
                .hasMessageContaining("between 1 and 65535");
        assertThatThrownBy(() -> OperonConfig.load(Map.of(), props("operon.engine.tick-interval", "soon")))
                .hasMessageContaining("operon.engine.tick-interval").hasMessageContaining("200ms");
        assertThatThrownBy(() -> OperonConfig.load(Map.of("OPERON_ACTIONS_WEBHOOK_URL", "ftp://x/secret-token"), props()))
                .hasMessageContaining("operon.actions.webhook.url")
                .hasMessageNotContaining("secret-token");
    }

    @Test
    void aNonLoopbackAddressNeedsALongEnoughToken() {
        assertThatThrownBy(() -> OperonConfig.load(Map.of("OPERON_HTTP_HOST", "0.0.0.0"), props()))
                .hasMessageContaining("Refusing to start").hasMessageContaining("OPERON_API_TOKEN");
        assertThatThrownBy(() -> OperonConfig.load(Map.of("OPERON_HTTP_HOST", "0.0.0.0", "OPERON_API_TOKEN", "tok3n"), props()))
                .hasMessageContaining("16 characters").hasMessageNotContaining("tok3n");
        OperonConfig c = OperonConfig.load(Map.of("OPERON_HTTP_HOST", "0.0.0.0",
                "OPERON_API_TOKEN", "0123456789abcdef0123"), props());
        assertThat(c.describe().get("operon.api.token")).isEqualTo("****");
        assertThat(OperonConfig.load(Map.of("OPERON_HTTP_HOST", "localhost"), props()).get(OperonConfig.HTTP_HOST))
                .isEqualTo("localhost");
    }

    @Test
    void actionTargetsPerTypeComeFromFileEnvironmentAndSystemProperties(@org.junit.jupiter.api.io.TempDir Path dir)
            throws IOException {
        Path file = dir.resolve("operon.properties");
        Files.writeString(file, "operon.actions.targets.notify=log,webhook\noperon.http.port=7000\n");
        OperonConfig c = OperonConfig.load(Map.of("OPERON_CONFIG", file.toString(),
                "OPERON_ACTIONS_TARGETS_HEARTBEAT_MISSED", "log"), props("operon.actions.targets.storm", "file"));
        assertThat(c.get(OperonConfig.HTTP_PORT)).isEqualTo(7000);
        assertThat(c.targetsByType()).containsEntry("notify", List.of("log", "webhook"))
                .containsEntry("heartbeat-missed", List.of("log"))
                .containsEntry("storm", List.of("file"));
    }

    @Test
    void aMissingNamedConfigurationFileIsAnError() {
        assertThatThrownBy(() -> OperonConfig.load(Map.of("OPERON_CONFIG", "/nonexistent/operon.properties"), props()))
                .hasMessageContaining("/nonexistent/operon.properties");
    }

    @Test
    void everyOptionIsDocumentedInDocsConfiguration() throws IOException {
        String doc = Files.readString(Path.of("../docs/configuration.md"));
        for (Setting<?> s : OperonConfig.ALL) {
            assertThat(doc).as("docs/configuration.md documents " + s.key())
                    .contains("`" + s.key() + "`").contains("`" + s.envName() + "`");
        }
    }
}
