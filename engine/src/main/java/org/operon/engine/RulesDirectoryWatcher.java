package org.operon.engine;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Reloads the rules when the files of the rules directory, or the sources of the session facts,
 * change, on a thread of its own.
 *
 * <p>Every {@code interval} it takes the {@linkplain RulesDirectory#fingerprint() fingerprint} of the
 * directory's rule files and the {@linkplain SessionFacts#fingerprint() fingerprint} of the facts,
 * and compares them with those of the last load. A change is reloaded once it has stayed the same
 * for one more interval (so a reload happens between one and two intervals after the last write, and
 * an editor saving a file in several steps, or a batch of files being copied in, causes one reload,
 * not several). A content that was loaded, or that failed to load, is not reloaded again until it
 * changes. Polling rather than file-system events: it sees every kind of change the same way,
 * including a Kubernetes ConfigMap swapping its symbolic links and network file systems that send no
 * events.
 */
public final class RulesDirectoryWatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RulesDirectoryWatcher.class);

    private final RuleReloader reloader;
    private final Duration interval;
    private final ScheduledExecutorService scanner;
    private String pending;

    /**
     * @param reloader a reloader with a rules directory or session facts to watch
     *                 ({@link RuleReloader#hasWatchedSources()})
     * @param interval how often the directory and the facts' sources are looked at
     */
    public RulesDirectoryWatcher(RuleReloader reloader, Duration interval) {
        this.reloader = Objects.requireNonNull(reloader, "reloader");
        if (!reloader.hasWatchedSources()) {
            throw new IllegalArgumentException("no rules directory and no session fact files to watch");
        }
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("the scan interval must be positive");
        }
        this.interval = interval;
        this.scanner = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "operon-rules-watcher");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts scanning. */
    public void start() {
        scanner.scheduleWithFixedDelay(this::scan, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        String facts = reloader.facts().fingerprint().isEmpty() ? null : "the session facts (" + reloader.facts() + ")";
        String watched = reloader.directory() == null ? facts
                : facts == null ? reloader.directory().toString() : reloader.directory() + " and " + facts;
        LOG.info("Watching {} for changes (every {} ms)", watched, interval.toMillis());
    }

    /** One scan; see the class comment. Runs on the scanner thread. */
    void scan() {
        try {
            String now = reloader.currentFingerprint();
            if (now.equals(reloader.lastFingerprint())) {
                pending = null;
            } else if (now.equals(pending)) {
                pending = null;
                reloader.reload("file change");
            } else {
                pending = now;
            }
        } catch (RuntimeException e) {
            // An engine that stopped, or an unexpected failure: try again at the next change.
            LOG.warn("Reload after a file change failed: {}", e.toString());
        }
    }

    /** Stops scanning; a reload in progress finishes. */
    @Override
    public void close() {
        scanner.shutdown();
    }
}
