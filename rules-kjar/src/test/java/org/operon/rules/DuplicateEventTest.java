package org.operon.rules;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.operon.model.ActionOutcome;
import org.operon.model.Decision;
import org.operon.model.Event;
import org.operon.model.Severity;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.operon.rules.Timeline.T0;
import static org.operon.rules.Timeline.arrival;
import static org.operon.rules.Timeline.critical;
import static org.operon.rules.Timeline.heartbeat;
import static org.operon.rules.Timeline.minutes;
import static org.operon.rules.Timeline.seconds;
import static org.operon.rules.Timeline.warning;

/**
 * Duplicate events (RuleSession, "Duplicates"): an event whose id and source were accepted in the last
 * 10 minutes is dropped before it enters the session and causes nothing. Each case uses a duplicate that
 * would otherwise complete a burst or keep a heartbeat alive.
 */
class DuplicateEventTest {

    private final Timeline timeline = new Timeline();

    @AfterEach
    void close() {
        timeline.close();
    }

    @Test
    void aRepeatedIdDoesNotCompleteABurst() {
        timeline.at(seconds(0), critical("e1", "db1"))
                .at(seconds(60), critical("e2", "db1"))
                .at(seconds(90), critical("e1", "db1"))
                .until(minutes(30));

        assertThat(timeline.decisions()).isEmpty();
    }

    @Test
    void aRepeatedIdInTheSameBatchAndInstantDoesNotCompleteABurst() {
        timeline.at(seconds(0), critical("e1", "db1"), critical("e2", "db1"), critical("e1", "db1"))
                .until(minutes(30));

        assertThat(timeline.decisions()).isEmpty();
    }

    @Test
    void aRepeatedIdInTheSameBatchAtALaterInstantDoesNotCompleteABurst() {
        timeline.batch(arrival(seconds(0), critical("e1", "db1")),
                        arrival(seconds(10), critical("e2", "db1")),
                        arrival(seconds(20), critical("e2", "db1")),
                        arrival(seconds(30), critical("e1", "db1")))
                .until(minutes(30));

        assertThat(timeline.decisions()).isEmpty();
    }

    @Test
    void aRepeatedHeartbeatDoesNotPostponeTheMiss() {
        timeline.at(seconds(0), heartbeat("h1", "web1"))
                .at(seconds(90), heartbeat("h1", "web1"))
                .until(minutes(30));

        assertThat(timeline.decisions()).singleElement()
                .satisfies(d -> assertThat(d.getTime()).isEqualTo(T0 + 120_000));
    }

    @Test
    void theDuplicateIsDroppedAndTheOriginalsIdentityKept() {
        timeline.at(seconds(0), warning("w1", "web1"), warning("w1", "web1"))
                .at(seconds(1), warning("w1", "web1"));

        // The original left working memory once the rules had fired on it (no rule of the rules directory
        // needs it, RuleSessionEventsTest); its identity is remembered for duplicate detection.
        assertThat(timeline.facts(Event.class)).isEmpty();
        assertThat(timeline.factCount()).isEqualTo(1);
        assertThat(timeline.duplicatesDropped()).isEqualTo(2);
    }

    @Test
    void theEventsIdentityLeavesAfterTenMinutes() {
        timeline.at(seconds(0), warning("w1", "web1"), warning("w2", "web1"))
                .until(minutes(5));
        // The two identities (the events left once the rules had fired on them).
        assertThat(timeline.facts(Event.class)).isEmpty();
        assertThat(timeline.factCount()).isEqualTo(2);

        timeline.until(minutes(10));
        assertThat(timeline.factCount()).isEqualTo(2);

        timeline.until(Duration.ofMillis(600_001));
        assertThat(timeline.factCount()).isZero();
    }

    @Test
    void aCopyArrivingAfterItsEventLeftWorkingMemoryIsStillACopy() {
        timeline.at(seconds(0), heartbeat("h1", "web1"))
                .at(minutes(7), heartbeat("h1", "web1"))          // the original expired at 5m
                .until(minutes(30));

        assertThat(timeline.decisions()).extracting(Decision::getTime).containsExactly(T0 + 120_000);
        assertThat(timeline.duplicatesDropped()).isEqualTo(1);
    }

    @Test
    void aCopyOfAnEventARuleConsumedIsAcceptedAsNew() {
        // action-results.drl deletes each result event at once (it becomes an ActionResult): the same
        // outcome reported again, e.g. after a retry that failed again, is a result of its own.
        Event failed = new ActionOutcome("a1", "d1", "notify", "some-rule", "web1", "webhook",
                ActionOutcome.FAILED, "HTTP 500", Map.of()).event(Instant.ofEpochMilli(T0));
        timeline.at(seconds(0), failed)
                .at(seconds(30), failed)
                .until(minutes(1));

        assertThat(timeline.facts(ActionResult.class)).extracting(ActionResult::getEventId)
                .containsExactly("a1:failed", "a1:failed");
        assertThat(timeline.duplicatesDropped()).isZero();
    }

    @Test
    void aCopyInTheSameMomentAsAConsumedEventIsACopy() {
        // Judged when inserted, before the rules of that moment have fired: the original is not yet consumed.
        Event failed = new ActionOutcome("a1", "d1", "notify", "some-rule", "web1", "webhook",
                ActionOutcome.FAILED, "HTTP 500", Map.of()).event(Instant.ofEpochMilli(T0));
        timeline.at(seconds(0), failed, failed)
                .until(minutes(1));

        assertThat(timeline.facts(ActionResult.class)).hasSize(1);
        assertThat(timeline.duplicatesDropped()).isEqualTo(1);
    }

    @Test
    void noRuleSeesACopyWhateverItsSalience() {
        timeline.at(seconds(0), critical("e1", "db1"), critical("e1", "db1"))
                .at(seconds(1), critical("e1", "db1"));

        // Three critical events would be a burst; the copies are not events at all.
        assertThat(timeline.decisions()).isEmpty();
        assertThat(timeline.duplicatesDropped()).isEqualTo(2);
    }

    @Test
    void theSameIdFromAnotherSourceIsADifferentEvent() {
        Event otherSource = Event.builder().id("e1").source("/monitoring/other").type("alert").subject("db1")
                .severity(Severity.CRITICAL).build();
        timeline.at(seconds(0), critical("e1", "db1"))
                .at(seconds(60), critical("e2", "db1"))
                .at(seconds(90), otherSource)
                .until(minutes(30));

        assertThat(timeline.decisions()).singleElement()
                .satisfies(d -> assertThat(d.getEventIds()).containsExactly("e1", "e2", "e1"));
    }

    @Test
    void anIdIsRememberedForTenMinutesFromItsFirstArrival() {
        timeline.at(seconds(0), heartbeat("h1", "web1"))
                .at(seconds(90), heartbeat("h1", "web1"))         // duplicate: the miss stays at 2m
                .at(minutes(10), heartbeat("h1", "web1"))         // exactly 10 minutes: still a duplicate
                .at(Duration.ofMillis(600_001), heartbeat("h1", "web1")) // more than 10 minutes: new
                .until(minutes(30));

        assertThat(timeline.decisions()).extracting(Decision::getTime)
                .containsExactly(T0 + 120_000, T0 + 720_001);
    }
}
