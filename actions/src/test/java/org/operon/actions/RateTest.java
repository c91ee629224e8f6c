package org.operon.actions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class RateTest {
    @Test
    void parsesCountPerUnitAndSpacesStartsEvenly() {
        assertThat(Rate.parse("10/s")).isEqualTo(new Rate(10, Duration.ofSeconds(1)));
        assertThat(Rate.parse(" 100 / m ").spacing()).isEqualTo(Duration.ofMillis(600));
        assertThat(Rate.parse("1/h").spacing()).isEqualTo(Duration.ofHours(1));
        assertThat(Rate.parse("100/m").toString()).isEqualTo("100/m");
    }

    @Test
    void anythingElseIsRejectedSayingTheForm() {
        for (String bad : new String[] {"", "10", "/s", "ten/s", "10/d", "0/s", "-1/m"}) {
            assertThatThrownBy(() -> Rate.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> Rate.parse("10/d")).hasMessageContaining("10/s");
    }
}
