package org.operon.app.config;

import org.junit.jupiter.api.Test;
import org.operon.integration.alertmanager.AlertmanagerWebhookRoutes;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** operon.alertmanager.resolve-timeout: the resolve timeout of firing alerts from Alertmanager's webhook. */
class AlertmanagerConfigTest {

    @Test
    void theDefaultIsAlertmanagersRepeatIntervalPlusTenMinutes() {
        OperonConfig c = OperonConfig.load(Map.of(), new Properties());

        assertThat(c.get(OperonConfig.ALERTMANAGER_RESOLVE_TIMEOUT))
                .isEqualTo(Duration.ofHours(4).plusMinutes(10))
                .isEqualTo(AlertmanagerWebhookRoutes.DEFAULT_RESOLVE_TIMEOUT);
    }

    @Test
    void itIsReadFromTheEnvironmentInTheUsualDurationSyntax() {
        assertThat(OperonConfig.load(Map.of("OPERON_ALERTMANAGER_RESOLVE_TIMEOUT", "12h"), new Properties())
                .get(OperonConfig.ALERTMANAGER_RESOLVE_TIMEOUT)).isEqualTo(Duration.ofHours(12));
        assertThat(OperonConfig.load(Map.of("OPERON_ALERTMANAGER_RESOLVE_TIMEOUT", "24h30m"), new Properties())
                .get(OperonConfig.ALERTMANAGER_RESOLVE_TIMEOUT)).isEqualTo(Duration.ofMinutes(24 * 60 + 30));
        assertThat(OperonConfig.load(Map.of("OPERON_ALERTMANAGER_RESOLVE_TIMEOUT", "PT90M"), new Properties())
                .get(OperonConfig.ALERTMANAGER_RESOLVE_TIMEOUT)).isEqualTo(Duration.ofMinutes(90));
    }

    @Test
    void zeroNegativeAndMalformedValuesStopTheStartNamingTheKey() {
        for (String bad : new String[] {"0s", "PT-5M", "4 hours", "-1h"}) {
            assertThatThrownBy(() -> OperonConfig.load(Map.of("OPERON_ALERTMANAGER_RESOLVE_TIMEOUT", bad),
                    new Properties()))
                    .as(bad)
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("operon.alertmanager.resolve-timeout")
                    .hasMessageContaining("OPERON_ALERTMANAGER_RESOLVE_TIMEOUT");
        }
    }

    @Test
    void compoundDurationsAreSumsOfTheirParts() {
        assertThat(OperonConfig.duration("1m30s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(OperonConfig.duration("1d2h3m4s5ms")).isEqualTo(Duration.ofDays(1).plusHours(2).plusMinutes(3)
                .plusSeconds(4).plusMillis(5));
        assertThat(OperonConfig.duration("5ms")).isEqualTo(Duration.ofMillis(5));
        assertThatThrownBy(() -> OperonConfig.duration("1m30")).isInstanceOf(IllegalArgumentException.class);
    }
}
