package org.operon.actions;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;

import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.OnExceptionDefinition;
import org.apache.camel.model.RedeliveryPolicyDefinition;
import org.junit.jupiter.api.Test;

/** The retry policy declared once for all sinks: exponential backoff with ±20 % jitter, capped. */
class ActionRoutesBackoffTest {
    @Test
    void retriesBackOffExponentiallyWithJitterAndACap() throws Exception {
        ActionOptions options = ActionOptions.defaults().withFileDirectory(Path.of("target/unused"))
                .withRetries(4, Duration.ofMillis(250));
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            camel.addRoutes(new ActionRoutes(options));

            OnExceptionDefinition retry = ((ModelCamelContext) camel)
                    .getRouteConfigurationDefinition(ActionRoutes.ERROR_HANDLING).getOnExceptions().get(0);
            RedeliveryPolicyDefinition policy = retry.getRedeliveryPolicyType();

            assertThat(policy.getMaximumRedeliveries()).isEqualTo("3");
            assertThat(policy.getRedeliveryDelay()).isEqualTo("250");
            assertThat(policy.getUseExponentialBackOff()).isEqualTo("true");
            assertThat(policy.getBackOffMultiplier()).isEqualTo("2.0");
            assertThat(policy.getUseCollisionAvoidance()).isEqualTo("true");
            assertThat(policy.getCollisionAvoidanceFactor()).isEqualTo("0.2");
            assertThat(policy.getMaximumRedeliveryDelay()).isEqualTo("60000");
        }
    }
}
