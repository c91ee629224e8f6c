package org.operon.actions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class ChatAndPagerDutyOptionsTest {

    @Test
    void namingChatOrPagerDutyWithoutTheirSettingsIsAnErrorNamingTheMissingKey() {
        assertThatThrownBy(() -> ActionOptions.defaults().withTargets("notify", List.of("chat")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("operon.actions.targets.notify").hasMessageContaining(ChatOptions.URL);
        assertThatThrownBy(() -> ActionOptions.defaults().withDefaultTargets(List.of("pagerduty")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(ActionOptions.DEFAULT_TARGETS).hasMessageContaining(PagerDutyOptions.ROUTING_KEY);
        ActionOptions configured = ActionOptions.defaults()
                .withChat(new ChatOptions("https://hooks.slack.com/services/T/B/tok", null))
                .withPagerDuty(new PagerDutyOptions(null, "key"))
                .withTargets("notify", List.of("chat", "pagerduty"));
        assertThat(configured.targetsFor("notify")).containsExactly("chat", "pagerduty");
        assertThat(configured.pagerDutyOptions().orElseThrow().url()).isEqualTo(PagerDutyOptions.DEFAULT_URL);
    }

    @Test
    void aTemplateWithAnUnknownOrUnclosedPlaceholderFailsAtConfigurationNamingTheKey() {
        assertThatThrownBy(() -> new ChatOptions("https://h/x", "{{subject}} {{incident.secretField}}"))
                .hasMessageStartingWith(ChatOptions.TEMPLATE).hasMessageContaining("incident.secretField");
        assertThatThrownBy(() -> new ChatOptions("https://h/x", "{{ T(java.lang.Runtime).exec('x') }}"))
                .hasMessageStartingWith(ChatOptions.TEMPLATE);
        assertThatThrownBy(() -> new ChatOptions("https://h/x", "{{subject"))
                .hasMessageStartingWith(ChatOptions.TEMPLATE);
        assertThat(new ChatOptions("https://h/x", "{{ subject }} {{params.my-param}} {{incident.alertnames}}").template())
                .isNotNull();
    }

    @Test
    void secretsAreMaskedInToStringAndUrlErrorsDoNotEchoThem() {
        ActionOptions options = ActionOptions.defaults()
                .withChat(new ChatOptions("https://hooks.slack.com/services/T/B/TOKEN123", null))
                .withPagerDuty(new PagerDutyOptions("http://127.0.0.1:9/v2/enqueue", "ROUTINGKEY456"));
        assertThat(options.toString()).doesNotContain("TOKEN123").doesNotContain("ROUTINGKEY456")
                .contains("https://hooks.slack.com").contains("routingKey=****");
        assertThatThrownBy(() -> new ChatOptions("ftp://h/services/TOKEN789", null))
                .hasMessageStartingWith(ChatOptions.URL).satisfies(e -> assertThat(e.getMessage()).doesNotContain("TOKEN789"));
        assertThatThrownBy(() -> new PagerDutyOptions(null, " "))
                .hasMessageStartingWith(PagerDutyOptions.ROUTING_KEY);
    }
}
