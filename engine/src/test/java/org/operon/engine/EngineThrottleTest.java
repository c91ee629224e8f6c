package org.operon.engine;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.operon.engine.ThrottlePolicy.Mode;
import org.operon.model.Decision;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.operon.engine.EngineOnTestRules.T0;
import static org.operon.engine.EngineOnTestRules.event;

/**
 * Throttles inside the running engine, on its session clock, across a restart and a switch of
 * rules. The test rules make a decision "seen-&lt;type&gt;" per event; "seen-a" is throttled once
 * within 10 minutes, "seen-b" once after 5 minutes. Offsets are from T0.
 */
class EngineThrottleTest {
    static final List<ThrottlePolicy> THROTTLES = List.of(
            new ThrottlePolicy("seen-a", Mode.ONCE_WITHIN, Duration.ofMinutes(10)),
            new ThrottlePolicy("seen-b", Mode.ONCE_AFTER, Duration.ofMinutes(5)));

    @TempDir
    Path tmp;
    final EngineOnTestRules.MemoryCheckpoints checkpoints = new EngineOnTestRules.MemoryCheckpoints();
    EngineOnTestRules operon;

    @AfterEach
    void stop() {
        operon.close();
    }

    private EngineOnTestRules start(Duration offset) throws RulesInvalidException {
        operon = new EngineOnTestRules(tmp.resolve("data"), checkpoints, offset, new RuleReloader(null, () -> 0L),
                THROTTLES);
        return operon;
    }

    private static Duration minutes(long m) {
        return Duration.ofMinutes(m);
    }

    private static String mutedBy(Decision d) {
        return (String) d.getParams().get(Decision.MUTED_BY_PARAM);
    }

    @Test
    void onceAfterSendsItsSummaryWhenTheEngineClockReachesTheBucketEnd() throws Exception {
        start(Duration.ZERO).send(event("b1", "b", "web"))
                .at(minutes(1)).send(event("b2", "b", "web"))
                .at(minutes(5).minusMillis(1));
        assertThat(operon.decisions("seen-b")).isEmpty();

        operon.at(minutes(5));

        assertThat(operon.decisions("seen-b")).singleElement().satisfies(d -> {
            assertThat(d.getTime()).isEqualTo(T0 + minutes(5).toMillis());
            assertThat(d.getEventIds()).containsExactly("b1", "b2");
            assertThat(d.getParams().get("throttle")).isEqualTo(Map.of("mode", "once_after", "window", "PT5M",
                    "count", 2, "firstAt", "2025-03-01T12:00:00Z", "lastAt", "2025-03-01T12:01:00Z"));
        });
        operon.at(minutes(20));
        assertThat(operon.decisions("seen-b")).hasSize(1);
    }

    @Test
    void whatWasThrottledBeforeARestartStaysThrottledAfterIt() throws Exception {
        start(Duration.ZERO).send(event("a1", "a", "web"), event("b1", "b", "web"))
                .at(minutes(1)).send(event("a2", "a", "web"))
                .at(minutes(6)).send(event("b2", "b", "web"))
                .at(minutes(7));
        Decision first = operon.decisions("seen-a").get(0);
        assertThat(operon.decisions("seen-a")).extracting(EngineThrottleTest::mutedBy).containsExactly(null,
                "throttled: once within PT10M per subject (first " + first.getId() + ")");
        assertThat(operon.decisions("seen-b")).extracting(Decision::getEventIds).containsExactly(List.of("b1"));
        operon.close();

        start(minutes(7));
        assertThat(operon.decisions).as("nothing decided before the restart is sent again").isEmpty();

        operon.at(minutes(8)).send(event("a3", "a", "web"));
        assertThat(operon.decisions("seen-a")).singleElement().satisfies(d -> {
            assertThat(d.getEventIds()).containsExactly("a3");
            assertThat(mutedBy(d)).isEqualTo("throttled: once within PT10M per subject (first " + first.getId() + ")");
        });

        operon.at(minutes(10)).send(event("a4", "a", "web")).at(minutes(11));
        assertThat(operon.decisions("seen-a")).extracting(EngineThrottleTest::mutedBy).as("a new window at 10m")
                .containsExactly(mutedBy(operon.decisions("seen-a").get(0)), null);
        assertThat(operon.decisions("seen-b")).as("the bucket b2 opened before the restart").singleElement()
                .satisfies(d -> {
                    assertThat(d.getEventIds()).containsExactly("b2");
                    assertThat(d.getTime()).isEqualTo(T0 + minutes(11).toMillis());
                });
    }

    @Test
    void aSwitchOfRulesKeepsTheThrottlesState() throws Exception {
        start(Duration.ZERO).send(event("a1", "a", "web"), event("b1", "b", "web")).at(minutes(1));

        operon.engine().replaceRules(SessionOpener.packaged()).join();
        assertThat(operon.decisions("seen-a")).hasSize(1);
        operon.at(minutes(2)).send(event("a2", "a", "web")).at(minutes(5));

        assertThat(operon.decisions("seen-a")).extracting(d -> mutedBy(d) != null).containsExactly(false, true);
        assertThat(operon.decisions("seen-b")).singleElement()
                .satisfies(d -> assertThat(d.getEventIds()).containsExactly("b1"));
    }
}
