package org.operon.model;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Repeated texts come back as one instance; every text comes back equal to itself, whatever was cached. */
class SharedStringsTest {

    @Test
    void aRepeatedTextIsOneInstanceAndEveryTextComesBackAsItIs() {
        SharedStrings cache = new SharedStrings();
        char[] buffer = "xxhost-1yy".toCharArray();
        String first = cache.of(buffer, 2, 6);
        assertThat(first).isEqualTo("host-1");
        assertThat(cache.of("host-1".toCharArray(), 0, 6)).isSameAs(first);

        for (int i = 0; i < 50_000; i++) { // many more texts than slots: collisions replace, never confuse
            String text = "subject-" + i;
            assertThat(cache.of(text.toCharArray(), 0, text.length())).isEqualTo(text);
        }
        assertThat(cache.of(new char[0], 0, 0)).isEmpty();
        String longText = "l".repeat(SharedStrings.MAX_LENGTH + 1);
        assertThat(cache.of(longText.toCharArray(), 0, longText.length()))
                .isEqualTo(longText).isNotSameAs(cache.of(longText.toCharArray(), 0, longText.length()));
    }

    @Test
    void decodedEventsShareTheirRepeatedAttributeTexts() throws Exception {
        CloudEventJson json = new CloudEventJson();
        String text = "{\"specversion\":\"1.0\",\"id\":\"%s\",\"source\":\"/s\",\"type\":\"t\",\"subject\":\"host-1\","
                + "\"severity\":\"critical\"}";
        Event a = json.fromJson(json.mapper().getFactory().createParser(String.format(text, "a")));
        Event b = json.fromJson(json.mapper().getFactory().createParser(String.format(text, "b")));
        assertThat(b.getSubject()).isEqualTo("host-1").isSameAs(a.getSubject());
        assertThat(b.getSource()).isSameAs(a.getSource());
        assertThat(b.getType()).isSameAs(a.getType());
        assertThat(b.getId()).isEqualTo("b");
    }
}
