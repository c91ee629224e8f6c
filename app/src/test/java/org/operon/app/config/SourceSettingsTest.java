package org.operon.app.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.operon.integration.webhook.Webhook;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The settings of the webhook and syslog sources: operon.webhooks.file and operon.syslog.*. */
class SourceSettingsTest {
    @TempDir
    Path dir;

    private static Properties props(String... kv) {
        Properties p = new Properties();
        for (int i = 0; i < kv.length; i += 2) {
            p.setProperty(kv[i], kv[i + 1]);
        }
        return p;
    }

    @Test
    void byDefaultThereAreNoWebhooksAndNoSyslogListeners() {
        OperonConfig c = OperonConfig.load(Map.of(), props());
        assertThat(c.webhooks()).isEmpty();
        assertThat(c.get(OperonConfig.SYSLOG_HOST)).isEqualTo("127.0.0.1");
        assertThat(c.get(OperonConfig.SYSLOG_UDP_PORT)).isNull();
        assertThat(c.get(OperonConfig.SYSLOG_TCP_PORT)).isNull();
    }

    @Test
    void theWebhooksFileIsReadWithSecretsFromTheEnvironment() throws IOException {
        Path file = Files.writeString(dir.resolve("webhooks.yaml"), """
                webhooks:
                  - name: grafana
                    auth: {bearer_token_env: GRAFANA_TOKEN}
                    events: $.alerts[*]
                    event: {type: grafana.alert}
                """);
        OperonConfig c = OperonConfig.load(Map.of("GRAFANA_TOKEN", "0123456789abcdef0123"),
                props("operon.webhooks.file", file.toString()));

        assertThat(c.webhooks()).extracting(Webhook::name).containsExactly("grafana");
    }

    @Test
    void aBadWebhooksFileStopsStartNamingFileWebhookAndProblemButNoSecret() throws IOException {
        Path file = Files.writeString(dir.resolve("webhooks.yaml"), """
                webhooks:
                  - name: grafana
                    auth: {bearer_token: short-secret}
                    event: {type: grafana.alert}
                """);
        assertThatThrownBy(() -> OperonConfig.load(Map.of(), props("operon.webhooks.file", file.toString())))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("operon.webhooks.file").hasMessageContaining("webhooks.yaml")
                .hasMessageContaining("webhook 1 (grafana)").hasMessageContaining("at least 16 characters")
                .hasMessageContaining("docs/sources/webhooks.md")
                .hasMessageNotContaining("short-secret");
    }

    @Test
    void syslogPortsAreOptionalAndChecked() {
        OperonConfig c = OperonConfig.load(Map.of("OPERON_SYSLOG_UDP_PORT", "5514", "OPERON_SYSLOG_TCP_PORT", "0"),
                props());
        assertThat(c.get(OperonConfig.SYSLOG_UDP_PORT)).isEqualTo(5514);
        assertThat(c.get(OperonConfig.SYSLOG_TCP_PORT)).isZero();
        assertThatThrownBy(() -> OperonConfig.load(Map.of("OPERON_SYSLOG_UDP_PORT", "70000"), props()))
                .hasMessageContaining("operon.syslog.udp-port").hasMessageContaining("between 0 and 65535");
    }

    @Test
    void syslogBeyondLoopbackNeedsTheApiToken() {
        assertThatThrownBy(() -> OperonConfig.load(Map.of("OPERON_SYSLOG_HOST", "0.0.0.0",
                "OPERON_SYSLOG_UDP_PORT", "5514"), props()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("operon.syslog.host").hasMessageContaining("operon.api.token");
        OperonConfig withToken = OperonConfig.load(Map.of("OPERON_SYSLOG_HOST", "0.0.0.0",
                "OPERON_SYSLOG_UDP_PORT", "5514", "OPERON_API_TOKEN", "0123456789abcdef0123"), props());
        assertThat(withToken.get(OperonConfig.SYSLOG_HOST)).isEqualTo("0.0.0.0");
        OperonConfig noListener = OperonConfig.load(Map.of("OPERON_SYSLOG_HOST", "0.0.0.0"), props());
        assertThat(noListener.get(OperonConfig.SYSLOG_UDP_PORT)).as("no port: nothing exposed").isNull();
    }
}
