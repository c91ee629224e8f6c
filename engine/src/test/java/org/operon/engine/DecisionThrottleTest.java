package org.operon.engine;

import org.junit.jupiter.api.Test;
import org.operon.engine.ThrottlePolicy.Mode;
import org.operon.model.Decision;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The throttle on its own, as timelines: decisions at offsets from T0 in, what passes out. */
class DecisionThrottleTest {
    static final long T0 = Instant.parse("2025-03-01T12:00:00Z").toEpochMilli();
    static final Duration TEN_MINUTES = Duration.ofMinutes(10);

    final List<Decision> out = new ArrayList<>();

    static Decision decision(String type, String subject, long offsetMillis, String... eventIds) {
        return Decision.of(type, subject, "r1", List.of(eventIds)).stamped(T0 + offsetMillis);
    }

    static Decision labelled(String subject, long offsetMillis, Map<String, String> labels) {
        return Decision.of("notify", subject, "r1", List.of()).withParam("labels", labels).stamped(T0 + offsetMillis);
    }

    static long minutes(double m) {
        return (long) (m * 60_000);
    }

    static String mutedBy(Decision d) {
        return (String) d.getParams().get(Decision.MUTED_BY_PARAM);
    }

    @Test
    void onceWithinPassesTheFirstAndMutesTheRestUntilTheWindowEnds() {
        DecisionThrottle throttle = new DecisionThrottle(List.of(new ThrottlePolicy("notify", Mode.ONCE_WITHIN, TEN_MINUTES)));
        Decision first = decision("notify", "db1", 0, "e1");

        throttle.offer(first, out::add);
        throttle.offer(decision("notify", "db1", minutes(1), "e2"), out::add);
        throttle.offer(decision("notify", "db1", minutes(10) - 1, "e3"), out::add);
        throttle.offer(decision("notify", "db2", minutes(2), "e4"), out::add);

        assertThat(out).hasSize(4);
        assertThat(out.get(0)).isSameAs(first);
        assertThat(mutedBy(out.get(1))).isEqualTo("throttled: once within PT10M per subject (first " + first.getId() + ")");
        assertThat(out.get(1).getEventIds()).containsExactly("e2");
        assertThat(out.get(1).getId()).as("muting keeps the id").isEqualTo(decision("notify", "db1", minutes(1)).getId());
        assertThat(mutedBy(out.get(2))).isNotNull();
        assertThat(out.get(3).getParams()).as("another subject has a window of its own")
                .doesNotContainKey(Decision.MUTED_BY_PARAM);
    }

    @Test
    void onceWithinTheDecisionExactlyAtTheWindowEndPassesAndOpensTheNext() {
        DecisionThrottle throttle = new DecisionThrottle(List.of(new ThrottlePolicy("notify", Mode.ONCE_WITHIN, TEN_MINUTES)));
        throttle.offer(decision("notify", "db1", 0), out::add);
        Decision atEnd = decision("notify", "db1", minutes(10));

        throttle.offer(atEnd, out::add);
        throttle.offer(decision("notify", "db1", minutes(19.9)), out::add);
        throttle.offer(decision("notify", "db1", minutes(20)), out::add);

        assertThat(out).extracting(DecisionThrottleTest::mutedBy)
                .containsExactly(null, null, "throttled: once within PT10M per subject (first " + atEnd.getId() + ")", null);
    }

    @Test
    void keysCanBeMadeOfLabelsParamsAndTheRule() {
        DecisionThrottle throttle = new DecisionThrottle(List.of(
                new ThrottlePolicy("notify", Mode.ONCE_WITHIN, TEN_MINUTES, List.of("labels.service")),
                new ThrottlePolicy("page", Mode.ONCE_WITHIN, TEN_MINUTES, List.of("rule", "params.team"))));

        throttle.offer(labelled("db1", 0, Map.of("service", "checkout")), out::add);
        throttle.offer(labelled("db2", 1, Map.of("service", "checkout")), out::add); // muted: same service
        throttle.offer(labelled("db1", 2, Map.of("service", "search")), out::add);
        throttle.offer(labelled("db3", 3, Map.of()), out::add);
        throttle.offer(labelled("db4", 4, Map.of("region", "eu")), out::add); // muted: no service either
        Decision page = Decision.of("page", "db1", "r1", List.of()).withParam("team", "dba");
        throttle.offer(page.stamped(T0 + 5), out::add);
        throttle.offer(page.stamped(T0 + 6), out::add); // muted: same rule and team
        throttle.offer(Decision.of("page", "db1", "r2", List.of()).withParam("team", "dba").stamped(T0 + 7), out::add);
        throttle.offer(Decision.of("page", "db1", "r1", List.of()).withParam("team", "web").stamped(T0 + 8), out::add);

        assertThat(out).extracting(d -> mutedBy(d) != null)
                .containsExactly(false, true, false, false, true, false, true, false, false);
        assertThat(mutedBy(out.get(1))).startsWith("throttled: once within PT10M per labels.service (first ");
        assertThat(mutedBy(out.get(6))).startsWith("throttled: once within PT10M per rule, params.team (first ");
    }

    @Test
    void onceAfterSendsOneSummaryAtTheEndOfTheBucket() {
        DecisionThrottle throttle = new DecisionThrottle(List.of(
                new ThrottlePolicy("notify", Mode.ONCE_AFTER, Duration.ofMinutes(5))));
        throttle.offer(decision("notify", "db1", 0, "e1"), out::add);
        throttle.offer(decision("notify", "db1", minutes(1), "e1", "e2"), out::add);
        throttle.offer(decision("notify", "db1", minutes(5) - 1, "e3").withParam("level", 2), out::add);
        throttle.flushDue(T0 + minutes(5) - 1, out::add);
        assertThat(out).as("nothing before the bucket ends").isEmpty();

        throttle.flushDue(T0 + minutes(5), out::add);

        assertThat(out).singleElement().satisfies(d -> {
            assertThat(d.getType()).isEqualTo("notify");
            assertThat(d.getSubject()).isEqualTo("db1");
            assertThat(d.getRule()).isEqualTo("r1");
            assertThat(d.getTime()).isEqualTo(T0 + minutes(5));
            assertThat(d.getId()).isEqualTo(Decision.of("notify", "db1", "r1", List.of()).stamped(T0 + minutes(5)).getId());
            assertThat(d.getEventIds()).containsExactly("e1", "e2", "e3");
            assertThat(d.getParams()).containsEntry("level", 2).doesNotContainKey(Decision.MUTED_BY_PARAM);
            assertThat(d.getParams().get("throttle")).isEqualTo(Map.of("mode", "once_after", "window", "PT5M",
                    "count", 3, "firstAt", "2025-03-01T12:00:00Z", "lastAt", "2025-03-01T12:04:59.999Z"));
        });
        throttle.flushDue(T0 + minutes(60), out::add);
        assertThat(out).as("sent once").hasSize(1);
    }

    @Test
    void onceAfterADecisionAtTheBucketEndIsSentAfterTheSummaryInTheNextBucket() {
        DecisionThrottle throttle = new DecisionThrottle(List.of(
                new ThrottlePolicy("notify", Mode.ONCE_AFTER, Duration.ofMinutes(5))));
        throttle.offer(decision("notify", "db1", 0, "e1"), out::add);
        throttle.offer(decision("notify", "db2", minutes(1), "e2"), out::add);

        throttle.offer(decision("notify", "db1", minutes(5), "e3"), out::add); // no flushDue in between

        assertThat(out).singleElement().satisfies(d -> {
            assertThat(d.getEventIds()).containsExactly("e1");
            assertThat(d.getTime()).isEqualTo(T0 + minutes(5));
        });
        throttle.flushDue(T0 + minutes(10), out::add);
        assertThat(out).extracting(Decision::getSubject, Decision::getTime).containsExactly(
                org.assertj.core.groups.Tuple.tuple("db1", T0 + minutes(5)),
                org.assertj.core.groups.Tuple.tuple("db2", T0 + minutes(6)),
                org.assertj.core.groups.Tuple.tuple("db1", T0 + minutes(10)));
        assertThat(out.get(2).getEventIds()).containsExactly("e3");
    }

    @Test
    void theOutputDoesNotDependOnWhenTheClockIsFlushed() {
        List<ThrottlePolicy> policies = List.of(new ThrottlePolicy("notify", Mode.ONCE_AFTER, Duration.ofMinutes(5)),
                new ThrottlePolicy("page", Mode.ONCE_WITHIN, Duration.ofMinutes(5)));
        List<Decision> in = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            in.add(decision(i % 3 == 0 ? "page" : "notify", "host" + (i % 4), minutes(i * 0.7), "e" + i));
        }
        DecisionThrottle eager = new DecisionThrottle(policies);
        List<Decision> eagerOut = new ArrayList<>();
        for (Decision d : in) {
            eager.offer(d, eagerOut::add);
            eager.flushDue(d.getTime(), eagerOut::add);
        }
        eager.flushDue(T0 + minutes(60), eagerOut::add);
        DecisionThrottle lazy = new DecisionThrottle(policies);
        in.forEach(d -> lazy.offer(d, out::add));
        lazy.flushDue(T0 + minutes(60), out::add);

        assertThat(out).isEqualTo(eagerOut);
        assertThat(out).extracting(Decision::getId).isEqualTo(eagerOut.stream().map(Decision::getId).toList());
        assertThat(out).extracting(Decision::getTime).isSorted();
    }

    @Test
    void windowsThatEndedAreForgotten() {
        DecisionThrottle throttle = new DecisionThrottle(List.of(new ThrottlePolicy("notify", Mode.ONCE_WITHIN, TEN_MINUTES),
                new ThrottlePolicy("page", Mode.ONCE_AFTER, TEN_MINUTES)));
        for (int i = 0; i < 1_000; i++) {
            throttle.offer(decision("notify", "host" + i, i), out::add);
            throttle.offer(decision("page", "host" + i, i), out::add);
        }
        assertThat(throttle.openKeys()).isEqualTo(2_000);

        throttle.flushDue(T0 + minutes(10) + 499, out::add);
        assertThat(throttle.openKeys()).isEqualTo(1_000);

        throttle.flushDue(T0 + minutes(10) + 999, out::add);
        assertThat(throttle.openKeys()).isZero();
        assertThat(out).filteredOn(d -> d.getType().equals("page")).hasSize(1_000);
    }

    @Test
    void decisionsWithoutAPolicyAndMutedOnesPassUnchangedAndOpenNoWindow() {
        DecisionThrottle throttle = new DecisionThrottle(List.of(new ThrottlePolicy("notify", Mode.ONCE_WITHIN, TEN_MINUTES),
                new ThrottlePolicy("page", Mode.ONCE_AFTER, TEN_MINUTES)));
        Decision other = decision("notify-team", "db1", 0);
        Decision inhibited = decision("notify", "db1", 1).mutedBy("inhibited by alert x");
        Decision inhibitedPage = decision("page", "db1", 1).mutedBy("inhibited by alert x");
        Decision real = decision("notify", "db1", 2);

        throttle.offer(other, out::add);
        throttle.offer(other.stamped(T0 + 1), out::add);
        throttle.offer(inhibited, out::add);
        throttle.offer(inhibitedPage, out::add);
        throttle.offer(real, out::add);

        assertThat(out).hasSize(5);
        assertThat(out.get(0)).isSameAs(other);
        assertThat(out.get(2)).isSameAs(inhibited);
        assertThat(out.get(3)).isSameAs(inhibitedPage);
        assertThat(out.get(4)).as("the inhibited one did not open the window").isSameAs(real);
        assertThat(throttle.openKeys()).isEqualTo(1);
    }

    @Test
    void anUnstampedDecisionIsRefused() {
        DecisionThrottle throttle = new DecisionThrottle(List.of());

        assertThatThrownBy(() -> throttle.offer(Decision.of("notify", "db1", "r1", List.of()), out::add))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(out).isEmpty();
    }

    @Test
    void policiesAreValidatedWithMessagesThatNameTheProblem() {
        assertThat(new ThrottlePolicy("notify", Mode.ONCE_WITHIN, TEN_MINUTES, null).key()).containsExactly("subject");
        assertThatThrownBy(() -> new ThrottlePolicy("notify", Mode.ONCE_WITHIN, Duration.ZERO))
                .hasMessageContaining("must be positive");
        assertThatThrownBy(() -> new ThrottlePolicy(" ", Mode.ONCE_WITHIN, TEN_MINUTES))
                .hasMessageContaining("decision type");
        assertThatThrownBy(() -> new ThrottlePolicy("notify", Mode.ONCE_WITHIN, TEN_MINUTES, List.of("severity")))
                .hasMessageContaining("unknown throttle key field 'severity'");
        assertThatThrownBy(() -> new ThrottlePolicy("notify", Mode.ONCE_WITHIN, TEN_MINUTES, List.of("labels.")))
                .hasMessageContaining("unknown throttle key field 'labels.'");
        assertThatThrownBy(() -> new ThrottlePolicy("notify", Mode.ONCE_WITHIN, TEN_MINUTES, List.of("rule", "rule")))
                .hasMessageContaining("twice");
        assertThatThrownBy(() -> new ThrottlePolicy("notify", Mode.ONCE_WITHIN, TEN_MINUTES, List.of()))
                .hasMessageContaining("at least one field");
        assertThat(Mode.parse("once_after")).isEqualTo(Mode.ONCE_AFTER);
        assertThat(Mode.parse("Once-Within")).isEqualTo(Mode.ONCE_WITHIN);
        assertThatThrownBy(() -> Mode.parse("sometimes")).hasMessageContaining("once_within or once_after");

        List<ThrottlePolicy> twice = List.of(new ThrottlePolicy("notify", Mode.ONCE_WITHIN, TEN_MINUTES),
                new ThrottlePolicy("notify", Mode.ONCE_AFTER, TEN_MINUTES));
        assertThatThrownBy(() -> new DecisionThrottle(twice)).hasMessageContaining("more than one throttle for decision type 'notify'");
        assertThatThrownBy(() -> EngineOptions.defaults().withThrottles(twice))
                .hasMessageContaining("more than one throttle for decision type 'notify'");
        assertThat(EngineOptions.defaults().throttles()).isEmpty();
    }
}
