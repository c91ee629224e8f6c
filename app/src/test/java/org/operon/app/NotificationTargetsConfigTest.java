package org.operon.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.operon.actions.ActionOptions;
import org.operon.app.config.ConfigException;
import org.operon.app.config.OperonConfig;

/** The email and opsgenie targets and the webhook's templates from configuration. */
class NotificationTargetsConfigTest {
    private static final Path DATA = Path.of("/tmp/operon-data");

    private static Properties props(String... kv) {
        Properties p = new Properties();
        for (int i = 0; i < kv.length; i += 2) {
            p.setProperty(kv[i], kv[i + 1]);
        }
        return p;
    }

    @Test
    void emailOpsgenieAndWebhookTemplatesAreWiredAndTheirSecretsMasked() {
        OperonConfig config = OperonConfig.load(Map.of(
                "OPERON_ACTIONS_EMAIL_PASSWORD", "MAILSECRET",
                "OPERON_ACTIONS_OPSGENIE_API_KEY", "GENIESECRET",
                "OPERON_ACTIONS_WEBHOOK_HEADERS", "Authorization=Bearer HOOKSECRET, X-Team={{params.team}}"),
                props("operon.actions.email.host", "smtp.example.org", "operon.actions.email.port", "587",
                        "operon.actions.email.username", "operon", "operon.actions.email.starttls", "true",
                        "operon.actions.email.from", "ops@example.org",
                        "operon.actions.email.to", "a@example.org, b@example.org",
                        "operon.actions.webhook.url", "https://hooks.example/x",
                        "operon.actions.webhook.method", "PUT",
                        "operon.actions.webhook.body-template", "{\"s\": \"{{subject}}\"}",
                        "operon.actions.targets.incident-opened", "email,opsgenie,webhook"));

        ActionOptions options = OperonApp.actionOptions(config, DATA);

        assertThat(options.targetsFor("incident-opened")).containsExactly("email", "opsgenie", "webhook");
        assertThat(options.emailOptions().orElseThrow().to()).containsExactly("a@example.org", "b@example.org");
        assertThat(options.emailOptions().orElseThrow().starttls()).isTrue();
        assertThat(options.emailOptions().orElseThrow().port()).isEqualTo(587);
        assertThat(options.opsgenieOptions().orElseThrow().url()).isEqualTo("https://api.opsgenie.com");
        assertThat(options.webhookOptions().method()).isEqualTo("PUT");
        assertThat(options.webhookOptions().headers()).containsKeys("Authorization", "X-Team");
        assertThat(config.describe().get("operon.actions.email.password")).isEqualTo("****");
        assertThat(config.describe().get("operon.actions.opsgenie.api-key")).isEqualTo("****");
        assertThat(config.describe().get("operon.actions.webhook.headers")).isEqualTo("****");
        assertThat(options.toString()).doesNotContain("MAILSECRET").doesNotContain("GENIESECRET")
                .doesNotContain("HOOKSECRET");
    }

    @Test
    void aBadTemplateStopsTheStartNamingTheKey() {
        assertThatThrownBy(() -> OperonConfig.load(Map.of(), props("operon.actions.webhook.body-template", "{\"s\": {{subject}")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("operon.actions.webhook.body-template")
                .hasMessageContaining("unclosed tag");
        assertThatThrownBy(() -> OperonConfig.load(Map.of(), props("operon.actions.email.host", "smtp.example.org",
                "operon.actions.email.from", "ops@example.org", "operon.actions.email.to", "a@example.org",
                "operon.actions.email.html-template", "<p>{{{params.html}}}</p>")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("operon.actions.email.html-template")
                .hasMessageContaining("raw output");
        assertThatThrownBy(() -> OperonConfig.load(Map.of("OPERON_ACTIONS_OPSGENIE_API_KEY", "GENIESECRET"),
                props("operon.actions.opsgenie.message-template", "{{#incident}}{{/alerts}}")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("operon.actions.opsgenie.message-template")
                .hasMessageNotContaining("GENIESECRET");
        assertThatThrownBy(() -> OperonConfig.load(Map.of(), props("operon.actions.email.host", "smtp.example.org",
                "operon.actions.email.from", "ops@example.org")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("operon.actions.email.to");
        assertThatThrownBy(() -> OperonConfig.load(Map.of(), props("operon.actions.email.starttls", "yes")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("operon.actions.email.starttls");
    }

    @Test
    void namingEmailOrOpsgenieWithoutTheirSettingsFailsAtStart() {
        OperonConfig config = OperonConfig.load(Map.of(), props("operon.actions.targets.notify", "log,opsgenie"));
        assertThatThrownBy(() -> OperonApp.actionOptions(config, DATA))
                .hasMessageContaining("operon.actions.targets.notify").hasMessageContaining("operon.actions.opsgenie.api-key");
        OperonConfig noEmail = OperonConfig.load(Map.of(), props("operon.actions.targets.default", "email"));
        assertThatThrownBy(() -> OperonApp.actionOptions(noEmail, DATA)).hasMessageContaining("operon.actions.email.host");
    }
}
