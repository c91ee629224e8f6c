package org.operon.app.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.operon.engine.ThrottlePolicy;
import org.operon.engine.ThrottlePolicy.Mode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ThrottleFileTest {
    @TempDir
    Path dir;

    private Path file(String yaml) throws IOException {
        Path f = dir.resolve("throttles.yaml");
        Files.writeString(f, yaml);
        return f;
    }

    @Test
    void readsThrottlesInFileOrder() throws IOException {
        List<ThrottlePolicy> read = ThrottleFile.read(file("""
                throttles:
                  - decision: heartbeat-missed
                    once_within: 10m
                    group_by: [subject]
                  - decision: incident-notification
                    once_after: PT5M
                    group_by: [subject, labels.team, params.reason]
                  - {decision: notify, once_within: 30s}
                """));
        assertThat(read).containsExactly(
                new ThrottlePolicy("heartbeat-missed", Mode.ONCE_WITHIN, Duration.ofMinutes(10), List.of("subject")),
                new ThrottlePolicy("incident-notification", Mode.ONCE_AFTER, Duration.ofMinutes(5),
                        List.of("subject", "labels.team", "params.reason")),
                new ThrottlePolicy("notify", Mode.ONCE_WITHIN, Duration.ofSeconds(30), ThrottlePolicy.DEFAULT_KEY));
        assertThat(ThrottleFile.read(file(""))).isEmpty();
    }

    private void refused(String yaml, String... parts) throws IOException {
        Path f = file(yaml);
        assertThatThrownBy(() -> ThrottleFile.read(f)).isInstanceOf(ConfigFileException.class)
                .hasMessageStartingWith(f.toString()).hasMessageContainingAll(parts);
    }

    @Test
    void refusesBrokenFilesNamingTheFileTheThrottleAndTheProblem() throws IOException {
        refused("throttles:\n  - {once_within: 10m}\n", "throttle 1: \"decision\" is missing");
        refused("throttles:\n  - {decision: a}\n",
                "throttle 1 (a): give exactly one of \"once_within\" and \"once_after\"");
        refused("throttles:\n  - {decision: a, once_within: 1m, once_after: 1m}\n", "throttle 1 (a): give exactly one");
        refused("throttles:\n  - {decision: a, once_within: soon}\n",
                "throttle 1 (a): \"once_within\" = \"soon\" must be a duration");
        refused("throttles:\n  - {decision: a, once_after: 0s}\n", "throttle 1 (a): \"once_after\" = \"0s\"",
                "positive");
        refused("throttles:\n  - {decision: a, once_within: 1m, group_by: [host]}\n",
                "throttle 1 (a): unknown throttle key field 'host'");
        refused("throttles:\n  - {decision: a, once_within: 1m, group_by: []}\n", "throttle 1 (a)", "at least one");
        refused("throttles:\n  - {decision: a, once_within: 1m, key: [subject]}\n", "throttle 1: unknown key \"key\"");
        refused("throttles:\n  - {decision: a, once_within: 1m}\n  - {decision: b, once_within: 1m}\n"
                + "  - {decision: a, once_after: 1m}\n", "throttle 3 (a): throttle 1 already throttles");
        refused("throttle:\n  - {decision: a, once_within: 1m}\n", "unknown top-level key \"throttle\"");
    }

    @Test
    void theConfigurationReadsTheFileAtLoad() throws IOException {
        Path f = file("throttles:\n  - {decision: heartbeat-missed, once_within: 10m}\n");
        assertThat(OperonConfig.load(Map.of("OPERON_THROTTLE_FILE", f.toString()), new Properties()).throttles())
                .extracting(ThrottlePolicy::decisionType).containsExactly("heartbeat-missed");
        assertThat(OperonConfig.load(Map.of(), new Properties()).throttles()).isEmpty();
        Files.writeString(f, "throttles:\n  - {decision: heartbeat-missed, once_within: 10}\n");
        assertThatThrownBy(() -> OperonConfig.load(Map.of("OPERON_THROTTLE_FILE", f.toString()), new Properties()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContainingAll("operon.throttle.file", f.toString(), "throttle 1 (heartbeat-missed)",
                        "\"once_within\" = \"10\"");
    }
}
