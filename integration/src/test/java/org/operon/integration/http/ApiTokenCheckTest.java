package org.operon.integration.http;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ApiTokenCheckTest {
    private final ApiTokenCheck check = ApiTokenCheck.of("t0ken");

    @Test
    void permitsOnlyTheExactBearerToken() {
        assertThat(check.permits("Bearer t0ken")).isTrue();
        assertThat(check.permits("bearer t0ken")).isTrue();
        assertThat(check.permits("Bearer t0ken2")).isFalse();
        assertThat(check.permits("Bearer t0ke")).isFalse();
        assertThat(check.permits("Bearer ")).isFalse();
        assertThat(check.permits("t0ken")).isFalse();
        assertThat(check.permits(null)).isFalse();
    }

    @Test
    void noTokenMeansNoAuthentication() {
        assertThat(ApiTokenCheck.of(null).isEnabled()).isFalse();
        assertThat(ApiTokenCheck.of("  ").permits(null)).isTrue();
        assertThat(check.isEnabled()).isTrue();
    }

    @Test
    void refusesWith401AndRemovesTheHeader() throws Exception {
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            Exchange bad = new DefaultExchange(context);
            bad.getIn().setHeader("Authorization", "Bearer wrong");
            Exchange good = new DefaultExchange(context);
            good.getIn().setHeader("Authorization", "Bearer t0ken");

            assertThatThrownBy(() -> check.process(bad)).isInstanceOfSatisfying(ApiException.class, e -> {
                assertThat(e.status()).isEqualTo(401);
                assertThat(e.detail()).doesNotContain("wrong").doesNotContain("t0ken");
            });
            check.process(good);

            assertThat(good.getIn().getHeader("Authorization")).isNull();
            assertThat(bad.getIn().getHeader("Authorization")).isNull();
        }
    }

    @Test
    void neverShowsTheToken() {
        assertThat(check.toString()).doesNotContain("t0ken");
    }
}
