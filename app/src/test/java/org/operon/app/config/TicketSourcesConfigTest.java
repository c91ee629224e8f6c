package org.operon.app.config;

import org.junit.jupiter.api.Test;
import org.operon.integration.ticket.redmine.RedmineOptions;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The operon.redmine.*, operon.jira.* and operon.servicenow.* options: off by default, checked at load, secrets masked. */
class TicketSourcesConfigTest {
    private static OperonConfig load(Map<String, String> env) {
        return OperonConfig.load(env, new Properties());
    }

    @Test
    void withoutSettingsThereAreNoTicketSources() {
        OperonConfig c = load(Map.of());
        assertThat(c.redmineSource()).isEmpty();
        assertThat(c.jiraWebhookAuth()).isNull();
        assertThat(c.serviceNowWebhookAuth()).isNull();
    }

    @Test
    void redmineWithDefaultsAndTheKeyMasked() {
        OperonConfig c = load(Map.of("OPERON_REDMINE_URL", "https://redmine.example.com/",
                "OPERON_REDMINE_API_KEY", "k3y-0123456789abcdef"));
        RedmineOptions r = c.redmineSource().orElseThrow();
        assertThat(r.baseUrl()).isEqualTo(URI.create("https://redmine.example.com"));
        assertThat(r.period()).isEqualTo(Duration.ofSeconds(30));
        assertThat(r.acknowledgeStatusIds()).containsExactly(2);
        assertThat(r.resolveStatusIds()).isEmpty();
        assertThat(r.ownUserId()).isNull();
        assertThat(r.projectId()).isNull();
        assertThat(c.describe()).containsEntry("operon.redmine.api-key", "****");
        assertThat(c.describe().toString() + r).doesNotContain("k3y-0123456789abcdef");
    }

    @Test
    void redmineStatusIdsAndOwnUser() {
        RedmineOptions r = load(Map.of("OPERON_REDMINE_URL", "http://127.0.0.1:3000", "OPERON_REDMINE_API_KEY", "k",
                "OPERON_REDMINE_RESOLVE_STATUS_IDS", "3, 5,6", "OPERON_REDMINE_ACKNOWLEDGE_STATUS_IDS", "2,4",
                "OPERON_REDMINE_OWN_USER_ID", "9", "OPERON_REDMINE_PROJECT", "ops")).redmineSource().orElseThrow();
        assertThat(r.resolveStatusIds()).isEqualTo(Set.of(3, 5, 6));
        assertThat(r.acknowledgeStatusIds()).isEqualTo(Set.of(2, 4));
        assertThat(r.ownUserId()).isEqualTo(9);
        assertThat(r.projectId()).isEqualTo("ops");
    }

    @Test
    void badRedmineSettingsStopTheStartNamingTheKey() {
        assertThatThrownBy(() -> load(Map.of("OPERON_REDMINE_URL", "https://redmine.example.com")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("operon.redmine.api-key");
        assertThatThrownBy(() -> load(Map.of("OPERON_REDMINE_URL", "ftp://redmine.example.com")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("operon.redmine.url");
        assertThatThrownBy(() -> load(Map.of("OPERON_REDMINE_URL", "https://r.example.com", "OPERON_REDMINE_API_KEY", "k",
                "OPERON_REDMINE_RESOLVE_STATUS_IDS", "closed")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("operon.redmine.resolve-status-ids");
    }

    @Test
    void ticketWebhookCredentials() {
        assertThat(load(Map.of("OPERON_JIRA_WEBHOOK_SECRET", "0123456789abcdef0123")).jiraWebhookAuth()).isNotNull();
        assertThat(load(Map.of("OPERON_SERVICENOW_WEBHOOK_TOKEN", "0123456789abcdef0123")).serviceNowWebhookAuth())
                .isNotNull();
        assertThatThrownBy(() -> load(Map.of("OPERON_JIRA_WEBHOOK_SECRET", "short")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("operon.jira.webhook-secret");
        assertThatThrownBy(() -> load(Map.of("OPERON_JIRA_WEBHOOK_SECRET", "0123456789abcdef0123",
                "OPERON_JIRA_WEBHOOK_TOKEN", "0123456789abcdef0123")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("set one of them");
        assertThatThrownBy(() -> load(Map.of("OPERON_SERVICENOW_WEBHOOK_TOKEN", "short")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("operon.servicenow.webhook-token");
    }
}
