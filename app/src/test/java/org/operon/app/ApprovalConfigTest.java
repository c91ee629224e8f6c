package org.operon.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.operon.app.config.ConfigException;
import org.operon.app.config.OperonConfig;

/** operon.actions.approval.<type>: which decision types wait for approval, and how long. */
class ApprovalConfigTest {

    private static Properties props(String... kv) {
        Properties p = new Properties();
        for (int i = 0; i < kv.length; i += 2) {
            p.setProperty(kv[i], kv[i + 1]);
        }
        return p;
    }

    @Test
    void typesFromPropertiesAndEnvironmentWithTheirTimeouts() {
        OperonConfig config = OperonConfig.load(Map.of("OPERON_ACTIONS_APPROVAL_RUN_PLAYBOOK", "2h"),
                props("operon.actions.approval.remediate", "30m", "operon.actions.approval.notify", ""));

        assertThat(config.approvalTimeouts()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "remediate", Duration.ofMinutes(30), "run-playbook", Duration.ofHours(2)));
    }

    @Test
    void noneByDefault() {
        assertThat(OperonConfig.load(Map.of(), new Properties()).approvalTimeouts()).isEmpty();
    }

    @Test
    void aTimeoutThatIsNotAPositiveDurationStopsTheStartNamingTheKey() {
        assertThatThrownBy(() -> OperonConfig.load(Map.of(), props("operon.actions.approval.remediate", "soon")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("operon.actions.approval.remediate");
        assertThatThrownBy(() -> OperonConfig.load(Map.of(), props("operon.actions.approval.remediate", "0s")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("operon.actions.approval.remediate");
    }
}
