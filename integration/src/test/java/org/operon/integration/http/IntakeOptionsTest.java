package org.operon.integration.http;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IntakeOptionsTest {
    @Test
    void defaultsAreOneMebibyteAndSixtyFourKibibytes() {
        IntakeOptions defaults = IntakeOptions.defaults();

        assertThat(defaults.maxBodyBytes()).isEqualTo(1_048_576);
        assertThat(defaults.deadLetterPayloadBytes()).isEqualTo(65_536);
        assertThat(defaults.serverMaxBodySize()).isEqualTo(2_097_152);
    }

    @Test
    void theServerLimitMustExceedTheIntakeLimit() {
        assertThatThrownBy(() -> new IntakeOptions(100, 10, 100, Duration.ofSeconds(1)))
                .hasMessageContaining("serverMaxBodySize");
        assertThatThrownBy(() -> IntakeOptions.of(0, 10)).hasMessageContaining("maxBodyBytes");
    }
}
