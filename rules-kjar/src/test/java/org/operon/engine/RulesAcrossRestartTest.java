package org.operon.engine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.operon.engine.EngineHarness.deploy;
import static org.operon.engine.EngineHarness.heartbeat;

/**
 * A restart rebuilds the state the way a reload does (the two share the replay): the user's rules are
 * loaded again, their windows rebuilt, and what was decided before the checkpoint is not decided again.
 */
class RulesAcrossRestartTest {
    @TempDir
    Path tmp;

    @Test
    void aUserRulesWindowSurvivesARestart() throws Exception {
        Path rules = Files.createDirectories(tmp.resolve("rules"));
        Files.writeString(rules.resolve("storm.drl"), RulesReloadTest.DEPLOY_STORM);
        EngineHarness.MemoryCheckpoints checkpoints = new EngineHarness.MemoryCheckpoints();
        try (EngineHarness first = new EngineHarness(rules, tmp.resolve("data"), checkpoints, Duration.ZERO)) {
            first.send(deploy("d1", "web")).at(Duration.ofSeconds(60)).send(deploy("d2", "web"));
        }

        try (EngineHarness second = new EngineHarness(rules, tmp.resolve("data"), checkpoints, Duration.ofSeconds(90))) {
            second.at(Duration.ofSeconds(120)).send(deploy("d3", "web"));

            assertThat(second.decisions("deploy-storm")).singleElement()
                    .satisfies(d -> assertThat(d.getEventIds()).containsExactly("d3"));
        }
    }

    @Test
    void aTimerThatFiredBeforeTheCheckpointDoesNotFireAgainAfterARestart() throws Exception {
        EngineHarness.MemoryCheckpoints checkpoints = new EngineHarness.MemoryCheckpoints();
        try (EngineHarness first = new EngineHarness(tmp.resolve("rules"), tmp.resolve("data"), checkpoints,
                Duration.ZERO)) {
            first.send(heartbeat("h1", "web1")).at(Duration.ofSeconds(180));
            assertThat(first.decisions("heartbeat-missed")).hasSize(1);
        }

        try (EngineHarness second = new EngineHarness(tmp.resolve("rules"), tmp.resolve("data"), checkpoints,
                Duration.ofSeconds(240))) {
            second.at(Duration.ofSeconds(600));

            assertThat(second.decisions("heartbeat-missed")).isEmpty();
        }
    }
}
