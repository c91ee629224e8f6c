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

/** The redmine, jira and servicenow targets from configuration: checked at load, secrets masked. */
class TicketTargetsConfigTest {
    private static final Path DATA = Path.of("/tmp/operon-data");

    private static Properties props(String... kv) {
        Properties p = new Properties();
        for (int i = 0; i < kv.length; i += 2) {
            p.setProperty(kv[i], kv[i + 1]);
        }
        return p;
    }

    @Test
    void configuredTicketTargetsCanBeNamedAndTheirSecretsAreMasked() {
        OperonConfig config = OperonConfig.load(Map.of(
                "OPERON_ACTIONS_REDMINE_API_KEY", "REDMINESECRET",
                "OPERON_ACTIONS_JIRA_API_TOKEN", "JIRASECRET",
                "OPERON_ACTIONS_SERVICENOW_PASSWORD", "SNOWSECRET"),
                props("operon.actions.redmine.url", "https://redmine.example.com",
                        "operon.actions.redmine.project", "ops",
                        "operon.actions.redmine.tracker-id", "3",
                        "operon.actions.jira.url", "https://example.atlassian.net",
                        "operon.actions.jira.email", "operon@example.com",
                        "operon.actions.jira.project", "OPS",
                        "operon.actions.servicenow.url", "https://example.service-now.com",
                        "operon.actions.servicenow.username", "operon",
                        "operon.actions.targets.incident-notification", "redmine,jira,servicenow"));

        ActionOptions options = OperonApp.actionOptions(config, DATA);

        assertThat(options.targetsFor("incident-notification")).containsExactly("redmine", "jira", "servicenow");
        assertThat(options.ticketOptions().redmine().trackerId()).isEqualTo(3);
        assertThat(options.ticketOptions().redmine().resolvedStatusId()).isEqualTo(3);
        assertThat(options.ticketOptions().jira().resolveTransition()).isEqualTo("Done");
        assertThat(options.ticketOptions().serviceNow().closeCode()).isEqualTo("Solution provided");
        assertThat(config.describe().get("operon.actions.redmine.api-key")).isEqualTo("****");
        assertThat(config.describe().get("operon.actions.jira.api-token")).isEqualTo("****");
        assertThat(config.describe().get("operon.actions.servicenow.password")).isEqualTo("****");
        assertThat(options.toString()).doesNotContain("REDMINESECRET", "JIRASECRET", "SNOWSECRET");
    }

    @Test
    void aTicketTargetWithoutItsCredentialsStopsTheStartNamingTheKey() {
        assertThatThrownBy(() -> OperonConfig.load(Map.of(), props("operon.actions.redmine.url",
                "https://redmine.example.com", "operon.actions.redmine.project", "ops")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("operon.actions.redmine.api-key");
        assertThatThrownBy(() -> OperonConfig.load(Map.of(), props("operon.actions.jira.url",
                "https://example.atlassian.net", "operon.actions.jira.api-token", "t")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("operon.actions.jira.project");
        OperonConfig none = OperonConfig.load(Map.of(), props("operon.actions.targets.incident-opened", "servicenow"));
        assertThatThrownBy(() -> OperonApp.actionOptions(none, DATA))
                .hasMessageContaining("operon.actions.servicenow.url");
    }
}
