package org.operon.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.operon.actions.ActionOptions;
import org.operon.actions.exec.AwxOptions;
import org.operon.actions.exec.ExecOptions;
import org.operon.actions.publish.PublishOptions;
import org.operon.app.config.ConfigException;
import org.operon.app.config.OperonConfig;

/** The publish, exec, ansible and awx targets from configuration: usable only when configured, checked at load. */
class RemediationTargetsConfigTest {
    private static final Path DATA = Path.of("/tmp/operon-data");

    @TempDir
    Path dir;

    private static Properties props(String... kv) {
        Properties p = new Properties();
        for (int i = 0; i < kv.length; i += 2) {
            p.setProperty(kv[i], kv[i + 1]);
        }
        return p;
    }

    @Test
    void configuredTargetsCanBeNamedAndSecretsAreMasked() throws Exception {
        Path program = dir.resolve("restart.sh");
        Files.writeString(program, "#!/bin/sh\n");
        Files.setPosixFilePermissions(program, PosixFilePermissions.fromString("rwx------"));
        Path execFile = Files.writeString(dir.resolve("exec.yaml"), "commands:\n  restart:\n    command: [\"" + program
                + "\", \"{{subject}}\"]\n");
        OperonConfig config = OperonConfig.load(Map.of(
                "OPERON_ACTIONS_PUBLISH_KAFKA_BOOTSTRAP_SERVERS", "kafka:9092",
                "OPERON_ACTIONS_PUBLISH_AMQP_URL", "amqp://broker:5672",
                "OPERON_ACTIONS_PUBLISH_AMQP_PASSWORD", "AMQPSECRET",
                "OPERON_ACTIONS_AWX_TOKEN", "AWXSECRET"),
                props("operon.actions.publish.mqtt.url", "tcp://broker:1883",
                        "operon.actions.publish.max-hops", "2",
                        "operon.actions.exec.file", execFile.toString(),
                        "operon.actions.awx.url", "https://awx.example",
                        "operon.actions.awx.job-templates", "42,43",
                        "operon.actions.targets.remediate", "exec,awx,kafka,amqp,mqtt,operon"));

        ActionOptions options = OperonApp.actionOptions(config, DATA);

        assertThat(options.targetsFor("remediate")).containsExactly("exec", "awx", "kafka", "amqp", "mqtt", "operon");
        PublishOptions publish = options.targetSettings(PublishOptions.class).orElseThrow();
        assertThat(publish.maxHops()).isEqualTo(2);
        assertThat(publish.kafka().topic()).isEqualTo("operon-decisions");
        assertThat(publish.mqtt().topic()).isEqualTo("operon/decisions");
        assertThat(options.targetSettings(ExecOptions.class).orElseThrow().commands()).containsKey("restart");
        assertThat(options.targetSettings(AwxOptions.class).orElseThrow().jobTemplates()).containsExactlyInAnyOrder(42, 43);
        assertThat(config.describe().get("operon.actions.awx.token")).isEqualTo("****");
        assertThat(config.describe().get("operon.actions.publish.amqp.password")).isEqualTo("****");
        assertThat(options.toString()).doesNotContain("AWXSECRET").doesNotContain("AMQPSECRET");
    }

    @Test
    void namingAnUnconfiguredTargetFailsAtStartNamingTheMissingKey() {
        for (var target : Map.of("kafka", "operon.actions.publish.kafka.bootstrap-servers", "amqp",
                "operon.actions.publish.amqp.url", "mqtt", "operon.actions.publish.mqtt.url", "exec",
                "operon.actions.exec.file", "ansible", "operon.actions.exec.file", "awx", "operon.actions.awx.url")
                .entrySet()) {
            OperonConfig config = OperonConfig.load(Map.of(), props("operon.actions.targets.fix", target.getKey()));
            assertThatThrownBy(() -> OperonApp.actionOptions(config, DATA))
                    .hasMessageContaining("operon.actions.targets.fix names target '" + target.getKey() + "' but "
                            + target.getValue() + " is not set");
        }
        // post-event into Operon needs no broker
        OperonConfig operon = OperonConfig.load(Map.of(), props("operon.actions.targets.fix", "operon"));
        assertThat(OperonApp.actionOptions(operon, DATA).targetsFor("fix")).containsExactly("operon");
    }

    @Test
    void aBadExecFileOrAwxSettingStopsTheLoadNamingTheKeyAndTheEntry() throws Exception {
        Path execFile = Files.writeString(dir.resolve("exec.yaml"), "commands:\n  restart:\n    command: [\"restart.sh\"]\n");
        assertThatThrownBy(() -> OperonConfig.load(Map.of(), props("operon.actions.exec.file", execFile.toString())))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("operon.actions.exec.file").hasMessageContaining(execFile.toString())
                .hasMessageContaining("commands.restart: command[0]: 'restart.sh' must be an absolute path");
        assertThatThrownBy(() -> OperonConfig.load(Map.of("OPERON_ACTIONS_AWX_TOKEN", "AWXSECRET"),
                props("operon.actions.awx.url", "https://awx.example")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("operon.actions.awx.job-templates").hasMessageNotContaining("AWXSECRET");
    }
}
