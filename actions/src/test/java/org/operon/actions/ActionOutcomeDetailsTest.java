package org.operon.actions;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

/** What a sink reports in operonActionResult, as the outcome carries it. */
class ActionOutcomeDetailsTest {
    private final Exchange exchange = new DefaultExchange(new DefaultCamelContext());

    @Test
    void simpleValuesAreKeptTextsCutAndOtherValuesLeftOut() {
        Map<String, Object> reported = new LinkedHashMap<>();
        reported.put("exitCode", 2);
        reported.put("ok", false);
        reported.put("output", "x".repeat(5000));
        reported.put("nested", Map.of("a", 1));
        reported.put("list", List.of(1));
        reported.put("none", null);
        exchange.setProperty(ActionOutcomeListener.DETAILS_PROPERTY, reported);

        Map<String, Object> details = ActionOutcomeDetails.of(exchange);

        assertThat(details).containsOnlyKeys("exitCode", "ok", "output");
        assertThat(details.get("exitCode")).isEqualTo(2);
        assertThat(details.get("ok")).isEqualTo(false);
        assertThat((String) details.get("output")).hasSize(ActionOutcomeListener.MAX_DETAIL_CHARS);
    }

    @Test
    void nothingReportedIsEmptyAndAnHttpFailureGivesItsStatus() {
        assertThat(ActionOutcomeDetails.of(exchange)).isEmpty();
        exchange.setProperty(ActionOutcomeListener.DETAILS_PROPERTY, "not a map");
        assertThat(ActionOutcomeDetails.of(exchange)).isEmpty();

        exchange.setException(new RuntimeException(new HttpOperationFailedException("http://h/x", 503, "Unavailable",
                null, Map.of(), "")));
        assertThat(ActionOutcomeDetails.of(exchange)).containsExactly(Map.entry("httpStatus", 503));
    }
}
