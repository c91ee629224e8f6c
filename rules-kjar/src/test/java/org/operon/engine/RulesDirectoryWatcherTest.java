package org.operon.engine;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.operon.engine.EngineHarness.deploy;

/**
 * A change in the rules directory is reloaded once it has settled. The scans are run by hand here;
 * the watcher's own thread is exercised end to end in RulesDirectoryIT.
 */
class RulesDirectoryWatcherTest {
    @TempDir
    Path tmp;
    EngineHarness operon;
    RulesDirectoryWatcher watcher;

    @BeforeEach
    void start() throws Exception {
        operon = new EngineHarness(tmp.resolve("rules"), tmp.resolve("data"));
        watcher = new RulesDirectoryWatcher(operon.reloader, Duration.ofHours(1));
    }

    @AfterEach
    void stop() {
        watcher.close();
        operon.close();
    }

    private ReloadableRules.Reload lastReload() {
        return operon.reloader.status().lastReload();
    }

    @Test
    void aNewFileIsLoadedAtTheScanAfterItStoppedChangingAndDecides() throws Exception {
        ReloadableRules.Reload atStart = lastReload();
        operon.file("deploy.drl", "package half.written;");
        watcher.scan();
        operon.file("deploy.drl", RulesReloadTest.DEPLOY_SEEN);
        watcher.scan();
        assertThat(lastReload()).as("still changing: not loaded yet").isSameAs(atStart);

        watcher.scan();

        assertThat(lastReload().trigger()).isEqualTo("file change");
        assertThat(lastReload().ok()).isTrue();
        assertThat(operon.reloader.status().rules()).anyMatch(r -> r.origin().equals("deploy.drl"));
        operon.at(Duration.ofSeconds(1)).send(deploy("d1", "web"));
        assertThat(operon.decisions("deploy-seen")).hasSize(1);
    }

    @Test
    void aBrokenFileIsReportedOnceAndNotRetriedUntilItChanges() throws Exception {
        operon.file("broken.drl", "rule \"x\" when then");
        watcher.scan();
        watcher.scan();
        ReloadableRules.Reload failed = lastReload();
        assertThat(failed.ok()).isFalse();

        watcher.scan();
        watcher.scan();
        assertThat(lastReload()).isSameAs(failed);

        operon.file("broken.drl", RulesReloadTest.DEPLOY_SEEN);
        watcher.scan();
        watcher.scan();
        assertThat(lastReload().ok()).isTrue();
        assertThat(operon.reloader.status().rules()).anyMatch(r -> r.origin().equals("broken.drl"));
    }

    @Test
    void aReloadThroughTheApiIsNotRepeatedByTheWatcher() throws Exception {
        operon.file("deploy.drl", RulesReloadTest.DEPLOY_SEEN);
        ReloadableRules.Reload byApi = operon.reload();

        watcher.scan();
        watcher.scan();

        assertThat(lastReload()).isSameAs(byApi);
    }
}
