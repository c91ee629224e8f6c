package org.operon.engine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.operon.engine.EngineHarness.deploy;

/** The rules directory at start: loaded before the first event, or start-up refused. */
class RulesAtStartTest {
    @TempDir
    Path tmp;

    @Test
    void rulesInTheDirectoryDecideFromTheFirstEvent() throws Exception {
        Files.createDirectories(tmp.resolve("rules"));
        Files.writeString(tmp.resolve("rules/deploy.drl"), RulesReloadTest.DEPLOY_SEEN);

        try (EngineHarness operon = new EngineHarness(tmp.resolve("rules"), tmp.resolve("data"))) {
            operon.at(Duration.ofSeconds(1)).send(deploy("d1", "web"));

            assertThat(operon.decisions("deploy-seen")).hasSize(1);
            assertThat(operon.reloader.status().lastReload().trigger()).isEqualTo("start");
        }
    }

    @Test
    void anInvalidFileStopsTheStartNamingFileAndLine() throws Exception {
        Path rules = Files.createDirectories(tmp.resolve("rules"));
        Files.writeString(rules.resolve("ok.drl"), RulesReloadTest.DEPLOY_SEEN);
        Files.writeString(rules.resolve("bad.drl"), "package x;\n\nrule \"bad\"\nwhen\n    Event(type == \"x\"\nthen\nend\n");
        RuleReloader reloader = new RuleReloader(new RulesDirectory(rules), () -> 0L);

        assertThatThrownBy(reloader::loadAtStart).isInstanceOfSatisfying(RulesInvalidException.class, e -> {
            assertThat(e.errors()).extracting(RuleError::file).containsOnly("bad.drl");
            assertThat(e.errors().get(0).line()).isEqualTo(6);
            assertThat(e.getMessage()).startsWith("bad.drl:6:");
        });
    }

    @Test
    void aMissingDirectoryStopsTheStart() {
        RuleReloader reloader = new RuleReloader(new RulesDirectory(tmp.resolve("nowhere")), () -> 0L);

        assertThatThrownBy(reloader::loadAtStart).isInstanceOf(RulesInvalidException.class)
                .hasMessageContaining("nowhere").hasMessageContaining("does not exist");
    }
}
