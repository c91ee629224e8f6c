package org.operon.engine;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.operon.model.Decision;
import org.operon.model.Severity;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.operon.engine.EngineHarness.T0;
import static org.operon.engine.EngineHarness.critical;
import static org.operon.engine.EngineHarness.deploy;
import static org.operon.engine.EngineHarness.heartbeat;

/**
 * Rules that change while running: the engine on the packaged rules plus a rules directory,
 * reloaded between events. Read each test as a timeline; offsets are from T0.
 */
class RulesReloadTest {
    /** A user rule: every deploy event is reported. */
    static final String DEPLOY_SEEN = """
            package org.example.rules;

            import java.util.List;
            import org.operon.model.Decision;
import org.operon.model.Severity;
            import org.operon.model.Event;

            rule "deploy-seen"
            when
                $e : Event(type == "deploy")
            then
                channels["decisions"].send(Decision.of("deploy-seen", $e.getSubject(), drools.getRule().getName(),
                        List.of($e.getId())));
            end
            """;

    /**
     * A user rule with a sliding window over the packaged Event declaration: the third deploy of a
     * subject within 5 minutes.
     */
    static final String DEPLOY_STORM = """
            package org.example.rules;

            import java.util.List;
            import org.operon.model.Decision;
import org.operon.model.Severity;
            import org.operon.model.Event;

            rule "deploy-storm"
            when
                $e : Event(type == "deploy", $subject : subject)
                not Event(type == "deploy", subject == $subject, this after $e)
                Number(intValue == 3) from accumulate(
                        Event(type == "deploy", subject == $subject) over window:time(5m), count(1))
            then
                channels["decisions"].send(Decision.of("deploy-storm", $subject, drools.getRule().getName(),
                        List.of($e.getId())));
            end
            """;

    @TempDir
    Path tmp;
    EngineHarness operon;

    @BeforeEach
    void start() throws Exception {
        operon = new EngineHarness(tmp.resolve("rules"), tmp.resolve("data"));
    }

    @AfterEach
    void stop() {
        operon.close();
    }

    private static Duration seconds(long s) {
        return Duration.ofSeconds(s);
    }

    @Test
    void eventsInAFiveMinuteWindowBeforeAReloadStillCountAfterIt() throws IOException {
        operon.at(seconds(0)).send(critical("c1", "db1"))
                .at(seconds(60)).send(critical("c2", "db1"))
                .at(seconds(90)).file("deploy.drl", DEPLOY_SEEN);

        ReloadableRules.Reload reload = operon.reload();

        assertThat(reload.ok()).as("reload errors: %s", reload.errors()).isTrue();
        assertThat(operon.decisions("notify")).isEmpty();

        operon.at(seconds(120)).send(critical("c3", "db1"));

        assertThat(operon.decisions("notify")).singleElement().satisfies(d -> {
            assertThat(d.getSubject()).isEqualTo("db1");
            assertThat(d.getEventIds()).containsExactly("c1", "c2", "c3");
            assertThat(d.getTime()).isEqualTo(T0 + 120_000);
        });
        // The user's rule now decides too.
        operon.send(deploy("d1", "web"));
        assertThat(operon.decisions("deploy-seen")).extracting(Decision::getEventIds).containsExactly(List.of("d1"));
    }

    @Test
    void aUserRulesWindowSurvivesAReload() throws IOException {
        operon.file("storm.drl", DEPLOY_STORM).reload();
        operon.at(seconds(0)).send(deploy("d1", "web"))
                .at(seconds(60)).send(deploy("d2", "web"))
                .file("deploy.drl", DEPLOY_SEEN);

        assertThat(operon.reload().ok()).isTrue();
        operon.at(seconds(120)).send(deploy("d3", "web"));

        assertThat(operon.decisions("deploy-storm")).singleElement()
                .satisfies(d -> assertThat(d.getEventIds()).containsExactly("d3"));
        assertThat(operon.decisions("deploy-seen")).extracting(d -> d.getEventIds().get(0)).containsExactly("d3");
    }

    @Test
    void newRulesDoNotActOnEventsFromBeforeTheReload() throws IOException {
        operon.at(seconds(0)).send(deploy("d-old", "web"))
                .at(seconds(30)).file("deploy.drl", DEPLOY_SEEN);

        assertThat(operon.reload().ok()).isTrue();
        operon.at(seconds(60));

        assertThat(operon.decisions("deploy-seen")).isEmpty();
        operon.send(deploy("d-new", "web"));
        assertThat(operon.decisions("deploy-seen")).extracting(d -> d.getEventIds().get(0)).containsExactly("d-new");
    }

    @Test
    void aHeartbeatTimerPendingAcrossAReloadFiresExactlyOnce() throws IOException {
        operon.at(seconds(0)).send(heartbeat("h1", "web1"))
                .at(seconds(60)).file("deploy.drl", DEPLOY_SEEN);

        assertThat(operon.reload().ok()).isTrue();
        operon.at(seconds(180)).at(seconds(600));

        assertThat(operon.decisions("heartbeat-missed")).singleElement().satisfies(d -> {
            assertThat(d.getSubject()).isEqualTo("web1");
            assertThat(d.getTime()).isEqualTo(T0 + 120_000);
        });
    }

    @Test
    void aTimerThatFiredBeforeAReloadDoesNotFireAgain() throws IOException {
        operon.at(seconds(0)).send(heartbeat("h1", "web1")).at(seconds(180));
        assertThat(operon.decisions("heartbeat-missed")).hasSize(1);

        operon.file("deploy.drl", DEPLOY_SEEN);
        assertThat(operon.reload().ok()).isTrue();
        operon.at(seconds(600));

        assertThat(operon.decisions("heartbeat-missed")).hasSize(1);
    }

    @Test
    void aBrokenFileIsRefusedWithFileAndLineAndTheOldRulesKeepDeciding() throws IOException {
        operon.file("deploy.drl", DEPLOY_SEEN).reload();
        operon.file("team/broken.drl", """
                package org.example.rules;
                import org.operon.model.Event;

                rule "broken"
                when
                    Event(type == "x"
                then
                end
                """);

        ReloadableRules.Reload reload = operon.reload();

        assertThat(reload.ok()).isFalse();
        assertThat(reload.status()).isEqualTo("failed");
        assertThat(reload.errors()).singleElement().satisfies(e -> {
            assertThat(e.file()).isEqualTo("team/broken.drl");
            assertThat(e.line()).isEqualTo(7);
            assertThat(e.column()).isEqualTo(1);
            assertThat(e.message()).contains("mismatched input 'then'");
        });
        assertThat(operon.reloader.status().lastReload()).isEqualTo(reload);
        assertThat(operon.reloader.status().rules()).extracting(RuleInfo::origin).contains("deploy.drl")
                .doesNotContain("team/broken.drl");
        operon.at(seconds(10)).send(critical("c1", "db1"), critical("c2", "db1"), critical("c3", "db1"))
                .send(deploy("d1", "web"));
        assertThat(operon.decisions("notify")).hasSize(1);
        assertThat(operon.decisions("deploy-seen")).hasSize(1);
    }

    @Test
    void anUnknownFieldIsReportedAtItsLineAndColumn() throws IOException {
        operon.file("typo.drl", """
                package org.example.rules;
                import org.operon.model.Event;
                rule "typo"
                when
                    Event(typ == "x")
                then
                end
                """);

        ReloadableRules.Reload reload = operon.reload();

        assertThat(reload.errors()).singleElement().satisfies(e -> {
            assertThat(e.file()).isEqualTo("typo.drl");
            assertThat(e.line()).isEqualTo(5);
            assertThat(e.column()).isEqualTo(5);
            assertThat(e.message()).contains("typ");
        });
    }

    @Test
    void aUserRuleCannotReplaceAPackagedRule() throws IOException {
        operon.file("override.drl", """
                package org.operon.rules;
                import org.operon.model.Event;

                rule "heartbeat-missed"
                when
                    Event(type == "never")
                then
                end
                """);

        ReloadableRules.Reload reload = operon.reload();

        assertThat(reload.ok()).isFalse();
        assertThat(reload.errors()).singleElement().satisfies(e -> {
            assertThat(e.file()).isEqualTo("override.drl");
            assertThat(e.line()).isEqualTo(4);
            assertThat(e.message()).contains("has the name of a packaged rule");
        });
        operon.at(seconds(0)).send(heartbeat("h1", "web1")).at(seconds(150));
        assertThat(operon.decisions("heartbeat-missed")).hasSize(1);
    }

    @Test
    void aRuleThatFailsOnHistoryIsRefusedAndTheOldRulesKeepRunning() throws IOException {
        operon.at(seconds(0)).send(EngineHarness.event("b1", "boom", "app", Severity.INFO))
                .file("boom.drl", """
                        package org.example.rules;
                        import org.operon.model.Event;

                        rule "explodes on boom"
                        when
                            Event(type == "boom")
                        then
                            throw new IllegalStateException("boom");
                        end
                        """);

        ReloadableRules.Reload reload = operon.reload();

        assertThat(reload.ok()).isFalse();
        assertThat(reload.errors()).singleElement().satisfies(e -> {
            assertThat(e.file()).isEqualTo("boom.drl");
            assertThat(e.message()).contains("explodes on boom").contains("boom");
        });
        assertThat(operon.reloader.status().rules()).allMatch(RuleInfo::isPackaged);
        operon.at(seconds(10)).send(critical("c1", "db1"), critical("c2", "db1"), critical("c3", "db1"));
        assertThat(operon.decisions("notify")).hasSize(1);
    }

    @Test
    void removingAFileRemovesItsRules() throws IOException {
        operon.file("deploy.drl", DEPLOY_SEEN).reload();
        Files.delete(operon.rulesDir.resolve("deploy.drl"));

        assertThat(operon.reload().ok()).isTrue();
        operon.at(seconds(5)).send(deploy("d1", "web"));

        assertThat(operon.decisions("deploy-seen")).isEmpty();
        assertThat(operon.reloader.status().rules()).allMatch(RuleInfo::isPackaged).isNotEmpty();
    }

    @Test
    void theStatusListsEveryRuleWithItsOrigin() throws IOException {
        operon.file("ops/deploy.drl", DEPLOY_SEEN).reload();

        ReloadableRules.Status status = operon.reloader.status();

        assertThat(status.rules()).contains(new RuleInfo("deploy-seen", "org.example.rules", "ops/deploy.drl"),
                new RuleInfo("heartbeat-missed", "org.operon.rules", RuleInfo.PACKAGED));
        assertThat(status.rules().get(status.rules().size() - 1).origin()).isEqualTo("ops/deploy.drl");
        assertThat(status.lastReload().ok()).isTrue();
        assertThat(status.lastReload().trigger()).isEqualTo("test");
    }
}
