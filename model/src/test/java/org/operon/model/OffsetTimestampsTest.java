package org.operon.model;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The fast reading of timestamps means exactly what OffsetDateTime.parse means, and refuses what it refuses. */
class OffsetTimestampsTest {

    @Test
    void commonSpellingsAreReadFastAndAsOffsetDateTimeReadsThem() {
        List<String> texts = new ArrayList<>(List.of(
                "2026-01-31T12:00:00Z", "2026-01-31T13:00:00.250+01:00", "2026-01-31T06:30:00.5-05:30",
                "2024-02-29T23:59:59.999999999Z", "1970-01-01T00:00:00Z", "0001-01-01T00:00:00Z",
                "9999-12-31T23:59:59.123456789-17:59", "2026-03-29T01:30:00.000+00:00", "2026-01-31T12:00:00-00:00"));
        Random random = new Random(42);
        for (int i = 0; i < 20_000; i++) {
            int fraction = random.nextInt(10);
            StringBuilder b = new StringBuilder(String.format("%04d-%02d-%02dT%02d:%02d:%02d", random.nextInt(10_000),
                    1 + random.nextInt(12), 1 + random.nextInt(28), random.nextInt(24), random.nextInt(60), random.nextInt(60)));
            if (fraction > 0) {
                b.append('.');
                for (int k = 0; k < fraction; k++) {
                    b.append(random.nextInt(10));
                }
            }
            b.append(random.nextBoolean() ? "Z" : String.format("%s%02d:%02d", random.nextBoolean() ? "+" : "-",
                    random.nextInt(18), random.nextInt(60)));
            texts.add(b.toString());
        }
        for (String text : texts) {
            Instant expected = OffsetDateTime.parse(text).toInstant();
            assertThat(OffsetTimestamps.parseCommon(text)).as(text).isEqualTo(expected);
            assertThat(OffsetTimestamps.parse(text)).as(text).isEqualTo(expected);
        }
    }

    @Test
    void otherSpellingsAreLeftToOffsetDateTime() {
        for (String text : List.of("2026-01-31t12:00:00Z", "2026-01-31T12:00:00z", "2026-01-31T12:00Z",
                "2026-01-31T12:00:00+18:00", "+12026-01-31T12:00:00Z", "2026-01-31T12:00:00+01:00:30",
                "2026-01-31T12:00:00.Z")) {
            assertThat(OffsetTimestamps.parseCommon(text)).as(text).isNull();
            assertThat(OffsetTimestamps.parse(text)).as(text).isEqualTo(OffsetDateTime.parse(text).toInstant());
        }
    }

    @Test
    void whatOffsetDateTimeRefusesIsRefused() {
        for (String text : List.of("2026-02-30T12:00:00Z", "2025-02-29T12:00:00Z", "2026-13-01T12:00:00Z",
                "2026-01-31T24:00:00Z", "2026-01-31T23:59:60Z", "2026-01-31T12:00:00",
                "2026-01-31T12:00:00.1234567890Z", "2026-01-31T12:00:00+1:00", "2026-01-31 12:00:00Z", "",
                "2026-01-31T12:00:00Zjunk", "2026-01-31T12:00:00+19:00", "2026-0a-31T12:00:00Z")) {
            assertThat(OffsetTimestamps.parseCommon(text)).as(text).isNull();
            assertThatThrownBy(() -> OffsetTimestamps.parse(text)).as(text).isInstanceOf(DateTimeParseException.class);
        }
    }

    @Test
    void instantsAreReadAsInstantParseReadsThem() {
        Random random = new Random(7);
        List<String> texts = new ArrayList<>(List.of("2026-01-31T12:00:00Z", "2026-01-31T13:00:00.250+01:00",
                "2026-01-31T23:59:60Z", "2026-01-31t12:00:00Z", "+12026-01-31T12:00:00Z"));
        for (int i = 0; i < 20_000; i++) {
            // What Instant.toString writes (the journal's arrival times): 0, 3, 6 or 9 fraction digits, Z.
            long seconds = random.nextLong() % 253_402_300_799L;
            int nanos = switch (random.nextInt(4)) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1000;
                default -> random.nextInt(1_000_000_000);
            };
            texts.add(Instant.ofEpochSecond(Math.abs(seconds), nanos).toString());
        }
        for (String text : texts) {
            assertThat(OffsetTimestamps.parseInstant(text)).as(text).isEqualTo(Instant.parse(text));
        }
        for (String text : List.of("2026-02-30T12:00:00Z", "2026-01-31T12:00:00", "2026-01-31T12:00:00Zjunk", "")) {
            assertThatThrownBy(() -> Instant.parse(text)).as(text).isInstanceOf(DateTimeParseException.class);
            assertThatThrownBy(() -> OffsetTimestamps.parseInstant(text)).as(text).isInstanceOf(DateTimeParseException.class);
        }
    }
}
