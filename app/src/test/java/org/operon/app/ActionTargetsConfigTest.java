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

/** The chat and pagerduty targets from configuration: usable only when configured, secrets masked. */
class ActionTargetsConfigTest {
    private static final Path DATA = Path.of("/tmp/operon-data");

    private static Properties props(String... kv) {
        Properties p = new Properties();
        for (int i = 0; i < kv.length; i += 2) {
            p.setProperty(kv[i], kv[i + 1]);
        }
        return p;
    }

    @Test
    void configuredTargetsCanBeNamedAndTheirSecretsAreMasked() {
        OperonConfig config = OperonConfig.load(Map.of(
                "OPERON_ACTIONS_CHAT_URL", "https://hooks.slack.com/services/T1/B2/CHATSECRET",
                "OPERON_ACTIONS_PAGERDUTY_ROUTING_KEY", "PDSECRETKEY"),
                props("operon.actions.targets.incident-notification", "chat,pagerduty"));

        ActionOptions options = OperonApp.actionOptions(config, DATA);

        assertThat(options.targetsFor("incident-notification")).containsExactly("chat", "pagerduty");
        assertThat(options.pagerDutyOptions().orElseThrow().url()).isEqualTo("https://events.pagerduty.com/v2/enqueue");
        assertThat(config.describe().get("operon.actions.chat.url")).isEqualTo("****");
        assertThat(config.describe().get("operon.actions.pagerduty.routing-key")).isEqualTo("****");
        assertThat(options.toString()).doesNotContain("CHATSECRET").doesNotContain("PDSECRETKEY");
    }

    @Test
    void namingAnUnconfiguredTargetFailsAtStartNamingTheMissingKey() {
        OperonConfig config = OperonConfig.load(Map.of(), props("operon.actions.targets.notify", "log,pagerduty"));
        assertThatThrownBy(() -> OperonApp.actionOptions(config, DATA))
                .hasMessageContaining("operon.actions.targets.notify")
                .hasMessageContaining("operon.actions.pagerduty.routing-key");
        OperonConfig noChat = OperonConfig.load(Map.of(), props("operon.actions.targets.default", "chat"));
        assertThatThrownBy(() -> OperonApp.actionOptions(noChat, DATA))
                .hasMessageContaining("operon.actions.chat.url");
    }

    @Test
    void aBadTemplateOrUrlIsAConfigErrorAtLoadThatNamesTheKeyAndHidesTheToken() {
        assertThatThrownBy(() -> OperonConfig.load(Map.of("OPERON_ACTIONS_CHAT_URL", "https://hooks.example/T/TOKEN1"),
                props("operon.actions.chat.template", "{{subject}} {{nope}}")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("operon.actions.chat.template").hasMessageContaining("{{nope}}")
                .hasMessageNotContaining("TOKEN1");
        assertThatThrownBy(() -> OperonConfig.load(Map.of("OPERON_ACTIONS_CHAT_URL", "ftp://hooks.example/TOKEN2"),
                props()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("operon.actions.chat.url").hasMessageNotContaining("TOKEN2");
        // a template without a URL configures nothing, and is not an error
        assertThat(OperonConfig.load(Map.of(), props("operon.actions.chat.template", "{{subject}}")).chatOptions())
                .isEmpty();
    }
}
