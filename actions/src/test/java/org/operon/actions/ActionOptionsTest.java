package org.operon.actions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

class ActionOptionsTest {

    @Test
    void withoutAWebhookEveryTypeGoesToLogAndFile() {
        ActionOptions options = ActionOptions.defaults();

        assertThat(options.targetsFor("notify")).containsExactly("log", "file");
        assertThat(options.targetsInUse()).containsExactlyInAnyOrder("log", "file");
    }

    @Test
    void aWebhookUrlAddsTheWebhookTargetToTheDefaults() {
        ActionOptions options = ActionOptions.defaults().withWebhookUrl("https://hooks.example:8443/ops");

        assertThat(options.targetsFor("notify")).containsExactly("log", "file", "webhook");
        assertThat(options.targetsInUse()).contains("webhook");
    }

    @Test
    void aListedTypeGoesOnlyToItsTargetsAndOthersToTheDefaults() {
        ActionOptions options = ActionOptions.defaults().withWebhookUrl("http://h/x")
                .withTargets("notify", List.of("webhook"))
                .withTargets("heartbeat-missed", List.of())
                .withDefaultTargets(List.of("log"));

        assertThat(options.targetsFor("notify")).containsExactly("webhook");
        assertThat(options.targetsFor("heartbeat-missed")).isEmpty();
        assertThat(options.targetsFor("other")).containsExactly("log");
        assertThat(options.targetsInUse()).containsExactlyInAnyOrder("webhook", "log");
    }

    @Test
    void anUnknownTargetIsRejectedNamingTheOption() {
        assertThatThrownBy(() -> ActionOptions.defaults().withTargets("notify", List.of("log", "pager")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(ActionOptions.TARGETS_PREFIX + "notify")
                .hasMessageContaining("'pager'");
        assertThatThrownBy(() -> ActionOptions.defaults().withDefaultTargets(List.of("sms")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(ActionOptions.DEFAULT_TARGETS);
    }

    @Test
    void theWebhookTargetWithoutAUrlIsRejected() {
        assertThatThrownBy(() -> ActionOptions.defaults().withTargets("notify", List.of("webhook")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(ActionOptions.TARGETS_PREFIX + "notify")
                .hasMessageContaining(ActionOptions.WEBHOOK_URL);
    }

    @Test
    void aMalformedWebhookUrlIsRejectedNamingTheOptionWithoutEchoingIt() {
        assertThatThrownBy(() -> ActionOptions.defaults().withWebhookUrl("http://hooks example/x?token=SECRET"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(ActionOptions.WEBHOOK_URL)
                .message().doesNotContain("SECRET");
        assertThatThrownBy(() -> ActionOptions.defaults().withWebhookUrl("ftp://hooks.example/x"))
                .hasMessageContaining(ActionOptions.WEBHOOK_URL).hasMessageContaining("http");
        assertThatThrownBy(() -> ActionOptions.defaults().withWebhookUrl("/relative/path"))
                .hasMessageContaining(ActionOptions.WEBHOOK_URL);
    }

    @Test
    void aBlankWebhookUrlMeansNoWebhook() {
        assertThat(ActionOptions.defaults().withWebhookUrl("  ").webhookUri()).isEmpty();
    }

    @Test
    void numbersAndDurationsOutOfRangeAreRejectedNamingTheOption() {
        assertThatThrownBy(() -> ActionOptions.defaults().withRetries(0, Duration.ZERO))
                .hasMessageContaining(ActionOptions.MAX_ATTEMPTS);
        assertThatThrownBy(() -> ActionOptions.defaults().withRetries(3, Duration.ofMillis(-1)))
                .hasMessageContaining(ActionOptions.BACKOFF_INITIAL_DELAY);
        assertThatThrownBy(() -> ActionOptions.defaults().withTimeouts(Duration.ZERO, Duration.ofSeconds(1)))
                .hasMessageContaining(ActionOptions.WEBHOOK_TIMEOUT + " (connect)");
        assertThatThrownBy(() -> ActionOptions.defaults().withTimeouts(Duration.ofSeconds(1), null))
                .hasMessageContaining(ActionOptions.WEBHOOK_TIMEOUT + " (response)");
        assertThatThrownBy(() -> ActionOptions.defaults().withQueueCapacity(0))
                .hasMessageContaining(ActionOptions.QUEUE_CAPACITY);
        assertThatThrownBy(() -> ActionOptions.defaults().withFileDirectory(null))
                .hasMessageContaining(ActionOptions.FILE_DIR);
    }

    @Test
    void toStringShowsTheWebhookWithoutUserInfoOrQuery() {
        ActionOptions options = ActionOptions.defaults()
                .withWebhookUrl("https://ops:PASSWORD@hooks.example:8443/services/T1?token=SECRET");

        assertThat(options.toString()).contains("https://hooks.example:8443/services/T1")
                .doesNotContain("SECRET").doesNotContain("PASSWORD");
        assertThat(options.webhookForLogs()).contains("https://hooks.example:8443/services/T1");
    }
}
