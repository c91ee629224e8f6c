package org.operon.integration.http;

import org.junit.jupiter.api.Test;
import org.operon.integration.testing.InMemoryDeadLetters;
import org.operon.state.DeadLetter;
import org.operon.state.DeadLetterStore;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DeadLetterWriterTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-31T12:00:00Z"), ZoneOffset.UTC);

    @Test
    void keepsThePrefixAndTheFullSize() {
        InMemoryDeadLetters store = new InMemoryDeadLetters();
        DeadLetter letter = new DeadLetterWriter(store, CLOCK, "http:/x", 4)
                .write("body_too_large", "too big", null, "abcdefgh".getBytes(StandardCharsets.UTF_8));

        assertThat(store.all()).containsExactly(letter);
        assertThat(letter.payload()).isEqualTo("abcd");
        assertThat(letter.payloadBytes()).isEqualTo(8);
        assertThat(letter.truncated()).isTrue();
        assertThat(letter.time()).isEqualTo("2026-01-31T12:00:00Z");
        assertThat(letter.channel()).isEqualTo("http:/x");
        assertThat(letter.id()).isNotBlank();
    }

    @Test
    void aShortPayloadIsKeptWhole() {
        DeadLetter letter = new DeadLetterWriter(new InMemoryDeadLetters(), CLOCK, "http:/x", 4)
                .write("wrong_type", "d", 3, "ab".getBytes(StandardCharsets.UTF_8));

        assertThat(letter.payload()).isEqualTo("ab");
        assertThat(letter.truncated()).isFalse();
        assertThat(letter.index()).isEqualTo(3);
    }

    @Test
    void aStoreFailureDoesNotEscape() {
        DeadLetterStore broken = new DeadLetterStore() {
            @Override
            public void add(DeadLetter letter) {
                throw new IllegalStateException("store down");
            }

            @Override
            public List<DeadLetter> latest(int limit) {
                return List.of();
            }

            @Override
            public long count() {
                return 0;
            }
        };

        DeadLetter letter = new DeadLetterWriter(broken, CLOCK, "http:/x", 4).write("e", "d", null, new byte[0]);

        assertThat(letter.error()).isEqualTo("e");
    }
}
