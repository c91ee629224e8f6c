package org.operon.actions;

import java.util.Map;

import org.operon.actions.exec.AwxOptions;
import org.operon.actions.exec.ExecOptions;
import org.operon.actions.publish.PublishOptions;

/**
 * The settings of targets that bring their own options class (the publish, exec, ansible and awx
 * targets), held by {@link ActionOptions#withTargetSettings}. A target listed here can be named in
 * {@code operon.actions.targets.*} only when some settings {@link #enables enable} it; otherwise the
 * start stops naming the key to set.
 */
public interface TargetSettings {
    /** The key that must be set before each of these targets can be named. */
    Map<String, String> REQUIRED_KEY = Map.of(
            "kafka", PublishOptions.KAFKA_BOOTSTRAP_SERVERS,
            "amqp", PublishOptions.AMQP_URL,
            "mqtt", PublishOptions.MQTT_URL,
            "exec", ExecOptions.FILE,
            "ansible", ExecOptions.FILE,
            "awx", AwxOptions.URL);

    /** True when these settings configure {@code target} completely. */
    boolean enables(String target);

    /** The key that must be set for {@code target}, or null when it needs none. */
    static String missingSetting(String target) {
        return REQUIRED_KEY.get(target);
    }
}
