package org.operon.toolkit;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DurationTextTest {

    @Test
    void shortFormsIsoAndBareSecondsParse() {
        assertThat(DurationText.parse("90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(DurationText.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(DurationText.parse("1d2h")).isEqualTo(Duration.ofHours(26));
        assertThat(DurationText.parse("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(DurationText.parse("PT5M")).isEqualTo(Duration.ofMinutes(5));
        assertThat(DurationText.parse("45")).isEqualTo(Duration.ofSeconds(45));
        assertThat(DurationText.parse("0s")).isZero();
    }

    @Test
    void anythingElseIsRefusedNamingTheText() {
        for (String bad : new String[] {"", "5 m", "5x", "m5", "1h-2m", "-PT5M", "PT-5M"}) {
            assertThatThrownBy(() -> DurationText.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> DurationText.parse("soon")).hasMessageContaining("'soon' is not a duration");
    }

    @Test
    void offsetsAreWrittenTheShortWayWithASign() {
        assertThat(DurationText.offset(0)).isEqualTo("+0s");
        assertThat(DurationText.offset(90_000)).isEqualTo("+1m30s");
        assertThat(DurationText.offset(86_400_000L + 3_600_000L + 1)).isEqualTo("+1d1h1ms");
        assertThat(DurationText.offset(-5_000)).isEqualTo("-5s");
    }
}
