package org.operon.integration.alertmanager;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.time.format.DateTimeParseException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class Rfc3339Test {

    @Test
    void writesUtcWithMilliseconds() {
        assertThat(Rfc3339.format(Instant.parse("2024-03-05T10:15:30Z"))).isEqualTo("2024-03-05T10:15:30.000Z");
        assertThat(Rfc3339.format(Instant.parse("2024-03-05T10:15:30.123456Z"))).isEqualTo("2024-03-05T10:15:30.123Z");
    }

    @ParameterizedTest
    @ValueSource(strings = {"2024-03-05T10:15:30Z", "2024-03-05T10:15:30.000Z", "2024-03-05T12:15:30+02:00",
            "2024-03-05T10:15:30.000000000Z"})
    void readsAnyOffsetAndFraction(String text) {
        assertThat(Rfc3339.parse(text)).isEqualTo(Instant.parse("2024-03-05T10:15:30Z"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0001-01-01T00:00:00Z", "0001-01-01T00:00:00.000Z", "0001-01-01T00:00:00+00:00"})
    void goZeroTimeMeansUnset(String text) {
        assertThat(Rfc3339.parse(text)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"2024-03-05", "2024-03-05T10:15:30", "yesterday", "1709633730"})
    void refusesTimesWithoutDateTimeAndOffset(String text) {
        assertThatThrownBy(() -> Rfc3339.parse(text)).isInstanceOf(DateTimeParseException.class);
    }
}
