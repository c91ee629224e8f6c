package org.operon.actions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class EmailOpsgenieWebhookOptionsTest {

    private static EmailOptions email(String subject, String text, String html) {
        return new EmailOptions("smtp.example.org", 587, "u", "PASSWORD123", "ops@example.org",
                List.of("a@example.org"), subject, text, html, true);
    }

    @Test
    void namingEmailOrOpsgenieWithoutTheirSettingsIsAnErrorNamingTheMissingKey() {
        assertThatThrownBy(() -> ActionOptions.defaults().withTargets("notify", List.of("email")))
                .hasMessageContaining("operon.actions.targets.notify").hasMessageContaining(EmailOptions.HOST);
        assertThatThrownBy(() -> ActionOptions.defaults().withDefaultTargets(List.of("opsgenie")))
                .hasMessageContaining(ActionOptions.DEFAULT_TARGETS).hasMessageContaining(OpsgenieOptions.API_KEY);
        ActionOptions configured = ActionOptions.defaults()
                .withEmail(new EmailOptions("127.0.0.1", 25, "ops@example.org", List.of("a@example.org")))
                .withOpsgenie(new OpsgenieOptions(null, "key"))
                .withTargets("notify", List.of("email", "opsgenie"));
        assertThat(configured.targetsFor("notify")).containsExactly("email", "opsgenie");
        assertThat(configured.opsgenieOptions().orElseThrow().url()).isEqualTo(OpsgenieOptions.DEFAULT_URL);
        assertThat(ActionSinks.names()).contains("email", "opsgenie");
    }

    @Test
    void emailSettingsAreCheckedNamingTheKey() {
        assertThatThrownBy(() -> new EmailOptions(" ", 25, "ops@example.org", List.of("a@example.org")))
                .hasMessageStartingWith(EmailOptions.HOST);
        assertThatThrownBy(() -> new EmailOptions("h", 0, "ops@example.org", List.of("a@example.org")))
                .hasMessageStartingWith(EmailOptions.PORT);
        assertThatThrownBy(() -> new EmailOptions("h", 25, "not an address", List.of("a@example.org")))
                .hasMessageStartingWith(EmailOptions.FROM);
        assertThatThrownBy(() -> new EmailOptions("h", 25, "ops@example.org", List.of()))
                .hasMessageStartingWith(EmailOptions.TO);
        assertThatThrownBy(() -> new EmailOptions("h", 25, "ops@example.org", List.of("a@example.org", "b@@x")))
                .hasMessageStartingWith(EmailOptions.TO);
        assertThatThrownBy(() -> new EmailOptions("h", 25, "u", null, "ops@example.org", List.of("a@example.org"),
                null, null, null, false)).hasMessageContaining(EmailOptions.PASSWORD);
    }

    @Test
    void templatesAreCheckedAtConfigurationForTheirFormat() {
        assertThatThrownBy(() -> email("{{subject", null, null)).hasMessageStartingWith(EmailOptions.SUBJECT_TEMPLATE)
                .hasMessageContaining("unclosed tag");
        assertThatThrownBy(() -> email(null, "{{#incident}}x", null)).hasMessageStartingWith(EmailOptions.TEXT_TEMPLATE)
                .hasMessageContaining("unclosed section");
        assertThatThrownBy(() -> email(null, null, "<p>{{{params.html}}}</p>")).hasMessageStartingWith(EmailOptions.HTML_TEMPLATE)
                .hasMessageContaining("raw output");
        assertThatThrownBy(() -> email(null, null, "{{password}}")).hasMessageStartingWith(EmailOptions.HTML_TEMPLATE)
                .hasMessageContaining("unknown name {{password}}");
        assertThatThrownBy(() -> new OpsgenieOptions(null, "k", "{{incident.nope}}", null))
                .hasMessageStartingWith(OpsgenieOptions.MESSAGE_TEMPLATE).hasMessageContaining("no field 'nope'");
        assertThatThrownBy(() -> new OpsgenieOptions(null, "k", null, "{{/x}}"))
                .hasMessageStartingWith(OpsgenieOptions.DESCRIPTION_TEMPLATE);
        assertThat(email("{{subject}}", "{{#incident.alerts}}{{alertname}}{{/incident.alerts}}", "<b>{{labels.severity}}</b>")
                .htmlTemplate()).isNotNull();
    }

    @Test
    void webhookMethodHeadersAndBodyTemplateAreChecked() {
        assertThat(WebhookOptions.defaults().method()).isEqualTo("POST");
        assertThat(WebhookOptions.fromConfig("put", null, "").method()).isEqualTo("PUT");
        assertThatThrownBy(() -> WebhookOptions.fromConfig("DELETE", null, "")).hasMessageStartingWith(WebhookOptions.METHOD);
        assertThatThrownBy(() -> WebhookOptions.fromConfig("POST", "{\"a\": {{subject}}}", ""))
                .hasMessageStartingWith(WebhookOptions.BODY_TEMPLATE).hasMessageContaining("valid JSON");
        assertThatThrownBy(() -> WebhookOptions.fromConfig("POST", "{\"a\": \"{{nope}}\"}", ""))
                .hasMessageStartingWith(WebhookOptions.BODY_TEMPLATE).hasMessageContaining("{{nope}}");
        assertThat(WebhookOptions.fromConfig("POST", "{\"a\": \"{{subject}}\", \"p\": {{{params}}}}", "").bodyTemplate())
                .isNotNull();
        assertThatThrownBy(() -> WebhookOptions.fromConfig("POST", null, "X-A={{params.a"))
                .hasMessageStartingWith(WebhookOptions.HEADERS + " (X-A)");
        assertThatThrownBy(() -> WebhookOptions.fromConfig("POST", null, "X-A={{{params.a}}}"))
                .hasMessageContaining("raw output");
        assertThatThrownBy(() -> WebhookOptions.fromConfig("POST", null, "Idempotency-Key=x"))
                .hasMessageContaining("may not set Idempotency-Key");
        assertThatThrownBy(() -> WebhookOptions.fromConfig("POST", null, "CamelHttpUri=http://elsewhere"))
                .hasMessageContaining("may not set CamelHttpUri");
        assertThatThrownBy(() -> WebhookOptions.fromConfig("POST", null, "=x")).hasMessageStartingWith(WebhookOptions.HEADERS);
        assertThat(WebhookOptions.parseHeaders("X-A=1, X-B = a, b=c,X-C=x,y"))
                .containsExactly(Map.entry("X-A", "1"), Map.entry("X-B", "a"), Map.entry("b", "c"), Map.entry("X-C", "x,y"));
    }

    @Test
    void secretsAreMaskedInToString() {
        ActionOptions options = ActionOptions.defaults()
                .withEmail(email(null, null, null))
                .withOpsgenie(new OpsgenieOptions("https://api.eu.opsgenie.com", "GENIEKEY789"))
                .withWebhook(WebhookOptions.fromConfig("POST", null, "Authorization=Bearer HDRTOKEN"));
        assertThat(options.toString()).doesNotContain("PASSWORD123").doesNotContain("GENIEKEY789")
                .doesNotContain("HDRTOKEN").contains("password=****").contains("apiKey=****")
                .contains("headers=[Authorization]");
    }
}
