package org.operon.app.config;

import org.junit.jupiter.api.Test;
import org.operon.model.AlertLimits;
import org.operon.model.IncidentPolicy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IncidentAndAlertLimitsConfigTest {

    private static Properties props(String... kv) {
        Properties p = new Properties();
        for (int i = 0; i < kv.length; i += 2) {
            p.setProperty(kv[i], kv[i + 1]);
        }
        return p;
    }

    @Test
    void theDefaultsAreThoseOfTheModel() {
        OperonConfig c = OperonConfig.load(Map.of(), props());
        IncidentPolicy p = c.incidentPolicy();
        IncidentPolicy d = IncidentPolicy.defaults();
        assertThat(p.getGroupBy()).isEqualTo(d.getGroupBy()).containsExactly("service");
        assertThat(p.getGroupingWindow()).isEqualTo(d.getGroupingWindow()).isEqualTo(Duration.ofHours(24));
        assertThat(p.getReopenWindow()).isEqualTo(d.getReopenWindow()).isEqualTo(Duration.ofMinutes(30));
        assertThat(p.getGroupWait()).isEqualTo(d.getGroupWait()).isEqualTo(Duration.ofSeconds(30));
        assertThat(p.getGroupInterval()).isEqualTo(d.getGroupInterval()).isEqualTo(Duration.ofMinutes(5));
        assertThat(p.getRepeatInterval()).isEqualTo(d.getRepeatInterval()).isEqualTo(Duration.ofHours(4));
        AlertLimits l = c.alertLimits();
        assertThat(l.getFlappingChanges()).isEqualTo(AlertLimits.defaults().getFlappingChanges()).isEqualTo(4);
        assertThat(l.getFlappingWindow()).isEqualTo(Duration.ofMinutes(10));
        assertThat(l.getStormThreshold()).isEqualTo(20);
        assertThat(l.getStormWindow()).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void theEnvironmentAndSystemPropertiesOverrideThem() {
        OperonConfig c = OperonConfig.load(Map.of("OPERON_INCIDENTS_GROUP_BY", "service, env",
                        "OPERON_INCIDENTS_GROUP_WAIT", "0s", "OPERON_STORM_THRESHOLD", "50",
                        "OPERON_FLAPPING_WINDOW", "PT15M"),
                props("operon.incidents.repeat-interval", "12h", "operon.storm.threshold", "60"));
        assertThat(c.incidentPolicy().getGroupBy()).containsExactly("service", "env");
        assertThat(c.incidentPolicy().getGroupWait()).isZero();
        assertThat(c.incidentPolicy().getRepeatInterval()).isEqualTo(Duration.ofHours(12));
        assertThat(c.alertLimits().getStormThreshold()).as("system property over environment").isEqualTo(60);
        assertThat(c.alertLimits().getFlappingWindow()).isEqualTo(Duration.ofMinutes(15));
        assertThat(c.describe()).containsEntry("operon.incidents.group-by", "service,env");
    }

    @Test
    void aWrongValueNamesTheKeyAndItsOrigin() {
        assertThatThrownBy(() -> OperonConfig.load(Map.of("OPERON_INCIDENTS_GROUP_BY", "service,1env"), props()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContainingAll("operon.incidents.group-by", "environment variable OPERON_INCIDENTS_GROUP_BY",
                        "'1env' is not a label name");
        assertThatThrownBy(() -> OperonConfig.load(Map.of("OPERON_INCIDENTS_GROUP_BY", " , "), props()))
                .hasMessageContainingAll("operon.incidents.group-by", "at least one label");
        assertThatThrownBy(() -> OperonConfig.load(Map.of(), props("operon.incidents.group-by", "service,service")))
                .hasMessageContainingAll("operon.incidents.group-by", "system property", "twice");
        assertThatThrownBy(() -> OperonConfig.load(Map.of(), props("operon.incidents.group-interval", "0s")))
                .hasMessageContainingAll("operon.incidents.group-interval", "positive duration");
        assertThatThrownBy(() -> OperonConfig.load(Map.of("OPERON_INCIDENTS_REOPEN_WINDOW", "later"), props()))
                .hasMessageContainingAll("operon.incidents.reopen-window", "OPERON_INCIDENTS_REOPEN_WINDOW", "30s");
        assertThatThrownBy(() -> OperonConfig.load(Map.of("OPERON_FLAPPING_CHANGES", "1"), props()))
                .hasMessageContainingAll("operon.flapping.changes", "between 2 and 1000");
        assertThatThrownBy(() -> OperonConfig.load(Map.of("OPERON_STORM_WINDOW", "-PT1M"), props()))
                .hasMessageContainingAll("operon.storm.window", "positive duration");
        assertThatThrownBy(() -> OperonConfig.load(Map.of("OPERON_STORM_THRESHOLD", "many"), props()))
                .hasMessageContainingAll("operon.storm.threshold", "whole number");
    }

    @Test
    void aGroupByListKeepsItsOrder() {
        assertThat(OperonConfig.load(Map.of("OPERON_INCIDENTS_GROUP_BY", "env,service,cluster"), props())
                .incidentPolicy().getGroupBy()).isEqualTo(List.of("env", "service", "cluster"));
    }
}
