package org.operon.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.operon.actions.DeliveryOptions;
import org.operon.actions.Rate;
import org.operon.actions.TargetPolicy;

/** The delivery settings: defaults for every target, overridden per target, bad values naming their key. */
class DeliveryConfigTest {

    private static Properties props(String... kv) {
        Properties p = new Properties();
        for (int i = 0; i < kv.length; i += 2) {
            p.setProperty(kv[i], kv[i + 1]);
        }
        return p;
    }

    @Test
    void withoutSettingsEveryTargetHasTheDefaultPolicy() {
        DeliveryOptions delivery = OperonConfig.load(Map.of(), props()).deliveryOptions();

        assertThat(delivery.policyFor("webhook")).isEqualTo(TargetPolicy.defaults());
        assertThat(delivery.perTarget()).isEmpty();
    }

    @Test
    void aTargetsOwnSettingsOverrideTheDefaultsFromAnySource() {
        DeliveryOptions delivery = OperonConfig.load(Map.of(
                "OPERON_ACTIONS_WEBHOOK_MAX_CONCURRENT_PER_SUBJECT", "2",
                "OPERON_ACTIONS_PAGERDUTY_CIRCUIT_OPEN_FOR", "2m"),
                props("operon.actions.circuit.failures", "3",
                        "operon.actions.webhook.max-concurrent", "4",
                        "operon.actions.webhook.rate", "10/s")).deliveryOptions();

        TargetPolicy webhook = delivery.policyFor("webhook");
        assertThat(webhook.maxConcurrent()).isEqualTo(4);
        assertThat(webhook.maxConcurrentPerSubject()).isEqualTo(2);
        assertThat(webhook.rate()).isEqualTo(new Rate(10, Duration.ofSeconds(1)));
        assertThat(webhook.circuitFailures()).isEqualTo(3);
        TargetPolicy pagerduty = delivery.policyFor("pagerduty");
        assertThat(pagerduty.circuitOpenFor()).isEqualTo(Duration.ofMinutes(2));
        assertThat(pagerduty.maxConcurrent()).isEqualTo(1);
        assertThat(delivery.policyFor("log").circuitFailures()).isEqualTo(3);
        assertThat(delivery.policyFor("log").rate()).isNull();
    }

    @Test
    void aBadValueStopsTheStartNamingItsKey() {
        assertThatThrownBy(() -> OperonConfig.load(Map.of(), props("operon.actions.webhook.rate", "fast")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("operon.actions.webhook.rate").hasMessageContaining("10/s");
        assertThatThrownBy(() -> OperonConfig.load(Map.of(), props("operon.actions.chat.max-concurrent", "0")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("operon.actions.chat.max-concurrent");
        assertThatThrownBy(() -> OperonConfig.load(Map.of(), props("operon.actions.circuit.open-for", "0s")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("operon.actions.circuit.open-for");
    }
}
