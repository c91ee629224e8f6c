package org.operon.model;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class EventStampedTest {

    private static Event event() {
        return Event.builder().id("e-1").source("/monitoring").type("host.cpu.high").subject("web-1")
                .time(Instant.parse("2026-11-27T20:00:00Z")).severity(Severity.CRITICAL)
                .labels(Map.of("team", "web")).data(Map.of("value", 97)).build();
    }

    @Test
    void aStampedEventHasItsPlaceInTheJournalAndEverythingElseOfTheEvent() {
        Event e = event();
        Event stamped = e.stamped(42, 1_000L);

        assertThat(stamped.getSeq()).isEqualTo(42);
        assertThat(stamped.getArrivalTime()).isEqualTo(1_000L);
        assertThat(stamped).usingRecursiveComparison().ignoringFields("seq", "arrivalTime").isEqualTo(e);
        assertThat(stamped.getLabels()).containsExactly(Map.entry("team", "web"));
        assertThat(stamped.getData()).isEqualTo(Map.of("value", 97));
    }

    @Test
    void stampingLeavesTheOriginalAsItWasAndStampsAgainFreely() {
        Event e = event();
        Event first = e.stamped(1, 10L);
        Event second = first.stamped(2, 20L);

        assertThat(e.getSeq()).isZero();
        assertThat(e.getArrivalTime()).isZero();
        assertThat(first.getSeq()).isEqualTo(1);
        assertThat(second.getSeq()).isEqualTo(2);
        assertThat(second.getArrivalTime()).isEqualTo(20L);
        assertThat(second).isNotEqualTo(first);
        assertThat(second.getId()).isEqualTo("e-1");
    }
}
