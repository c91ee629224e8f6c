package org.operon.actions;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.util.Map;

import org.apache.camel.CamelExecutionException;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.junit.jupiter.api.Test;

class FailureReasonTest {
    private static HttpOperationFailedException http(int status, String text) {
        return new HttpOperationFailedException("http://h:1/hook?token=SECRET", status, text, null, Map.of(), "");
    }

    @Test
    void anHttpFailureIsDescribedByItsStatusAlone() {
        assertThat(FailureReason.of(http(400, "Bad Request"), 1)).isEqualTo("HTTP 400 Bad Request");
        assertThat(FailureReason.of(http(503, ""), 3)).isEqualTo("HTTP 503 Service Unavailable after 3 attempts");
        assertThat(FailureReason.of(http(599, ""), 1)).isEqualTo("HTTP 599");
    }

    @Test
    void theReasonPhraseATargetSentIsNeverRepeated() {
        assertThat(FailureReason.of(http(502, "bad upstream for /hook?token=SECRET"), 1))
                .isEqualTo("HTTP 502 Bad Gateway");
        assertThat(FailureReason.of(http(401, "routing key R0UT1NGKEY rejected"), 1)).isEqualTo("HTTP 401 Unauthorized");
    }

    @Test
    void otherFailuresAreDescribedByTheRootCauseWithUrlsCutToTheirPath() {
        Exception wrapped = new CamelExecutionException("outer",
                null, new IOException("Connect to https://ops:PW@h:8443/a/b?token=SECRET#x failed: Connection refused"));

        assertThat(FailureReason.of(wrapped, 3))
                .isEqualTo("Connect to https://h:8443/a/b failed: Connection refused after 3 attempts");
        assertThat(FailureReason.redact("see http://u:p@h/x and http://h/y")).isEqualTo("see http://h/x and http://h/y");
    }

    @Test
    void ioErrorsAndServerErrorsAreRetryableAndNothingElseIs() {
        assertThat(ActionRoutes.isRetryable(http(500, "Internal Server Error"))).isTrue();
        assertThat(ActionRoutes.isRetryable(http(503, ""))).isTrue();
        assertThat(ActionRoutes.isRetryable(http(400, "Bad Request"))).isFalse();
        assertThat(ActionRoutes.isRetryable(http(404, "Not Found"))).isFalse();
        assertThat(ActionRoutes.isRetryable(new RuntimeException(new ConnectException("refused")))).isTrue();
        assertThat(ActionRoutes.isRetryable(new IllegalArgumentException("bad params"))).isFalse();
    }
}
