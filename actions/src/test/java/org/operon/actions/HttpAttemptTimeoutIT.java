package org.operon.actions;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every HTTP endpoint of the action routes has the per-attempt timeouts and HttpClient's retries off,
 * whatever the target: the routes of all HTTP targets are started and their endpoints inspected.
 */
class HttpAttemptTimeoutIT {
    @TempDir
    Path dir;

    @Test
    void everyHttpTargetsEndpointHasThePerAttemptTimeouts() throws Exception {
        ActionOptions options = ActionOptions.defaults()
                .withWebhookUrl("http://127.0.0.1:9/hook?token=T")
                .withChat(new ChatOptions("http://127.0.0.1:9/services/T/B/C", null))
                .withPagerDuty(new PagerDutyOptions("http://127.0.0.1:9/v2/enqueue", "KEY"))
                .withFileDirectory(dir)
                .withTimeouts(Duration.ofMillis(1234), Duration.ofMillis(4321))
                .withTargets("notify", List.of("webhook", "chat", "pagerduty", "log", "file"));
        CamelContext camel = new DefaultCamelContext();
        try {
            camel.addRoutes(new ActionRoutes(options));
            camel.start();

            List<String> http = camel.getEndpoints().stream().map(Endpoint::getEndpointUri)
                    .filter(uri -> uri.startsWith("http:") || uri.startsWith("https:")).toList();

            assertThat(http).hasSizeGreaterThanOrEqualTo(2).allSatisfy(uri -> assertThat(uri)
                    .contains("connectTimeout=1234").contains("responseTimeout=4321")
                    .contains("httpClientConfigurer=%23" + WebhookSink.CLIENT_CONFIGURER));
            assertThat(camel.getRoutes()).hasSize(5);
        } finally {
            camel.stop();
        }
    }
}
