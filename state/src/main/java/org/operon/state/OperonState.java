package org.operon.state;

import org.infinispan.Cache;
import org.infinispan.manager.DefaultCacheManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Operon's durable state in an embedded Infinispan: the audit log, the lineage of the decisions behind
 * it, the dead letters and the engine checkpoints, each a local cache written through to a soft-index file store under
 * {@code <dataDir>/infinispan}. The configuration lives in {@link CacheDefinitions}.
 *
 * <p><b>After an unclean shutdown</b> ({@code kill -9}, power loss) Infinispan 15 may find lock files
 * left behind. For its global state the default action, {@code FAIL}, refuses to start (ISPN000693)
 * and {@code PURGE} clears the persistent global state. Operon configures
 * {@code UncleanShutdownAction.IGNORE}: start, and keep every cache's data. {@code FAIL} would need a
 * person to delete a file before Operon could take events again; neither it nor {@code PURGE} suits an
 * unattended service whose stores are built to survive a crash. That is safe because:
 * <ul>
 *   <li>the soft-index file store is an append-only log forced to disk on every write, and when it
 *       finds its index was not saved by a clean stop it rebuilds the index from the log, so every
 *       write that returned is found again (OperonStateIT proves it with a halted child JVM);</li>
 *   <li>the caches are local: no cluster topology in the global state can be stale;</li>
 *   <li>the one thing those lock files also guard, two processes opening the same directory, is
 *       guarded by an operating-system lock on {@code <dataDir>/infinispan.lock} that {@code open}
 *       takes and the operating system drops when the process dies, however it dies.</li>
 * </ul>
 * Observed with 15.0.22 and these local caches: Infinispan writes no global-state lock file at all
 * (only clustered caches make it use its global state), and each file store's own
 * {@code <cache>/<cache>.lck}, left behind by a crash, does not block a start, because Infinispan
 * holds it with an operating-system lock. The choice above is therefore what will govern once caches
 * are clustered; revisit it then, since a crashed member's global state holds a topology.
 *
 * <p>Retention: audit entries, decision lineage and dead letters expire {@link Options#retention()} after they were
 * written (Infinispan's wall clock; default 30 days). Checkpoints never expire.
 *
 * <p>Instances are thread-safe. {@link #close()} stops the cache manager cleanly (the next start finds
 * no dangling lock); Infinispan registers no shutdown hook of its own, so the owner must close.
 */
public final class OperonState implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OperonState.class);

    private final DirectoryLock lock;
    private final DefaultCacheManager cacheManager;
    private final AuditLog auditLog;
    private final DeadLetterStore deadLetters;
    private final CheckpointStore checkpoints;
    private final LineageStore lineage;
    private final FailedActionStore failedActions;
    private final long maxEntriesInMemory;
    private final Duration retention;

    /**
     * Options of the state store.
     *
     * @param retention          how long audit entries and dead letters are kept after they were written
     * @param maxEntriesInMemory how many entries of each cache stay in memory; the file store keeps all
     */
    public record Options(Duration retention, long maxEntriesInMemory) {
        public Options {
            if (retention == null || retention.isNegative() || retention.isZero()) {
                throw new IllegalArgumentException("retention must be a positive duration, not " + retention);
            }
            if (maxEntriesInMemory < 1) {
                throw new IllegalArgumentException("maxEntriesInMemory must be at least 1, not " + maxEntriesInMemory);
            }
        }

        /** 30 days of retention, 10,000 entries per cache in memory. */
        public static Options defaults() {
            return new Options(Duration.ofDays(30), 10_000);
        }

        public Options withRetention(Duration retention) {
            return new Options(retention, maxEntriesInMemory);
        }
    }

    private OperonState(DirectoryLock lock, DefaultCacheManager cacheManager, Clock clock, Options options) {
        this.lock = lock;
        this.cacheManager = cacheManager;
        this.maxEntriesInMemory = options.maxEntriesInMemory();
        this.retention = options.retention();
        JsonCodec json = new JsonCodec();
        this.auditLog = new InfinispanAuditLog(this.<String, String>cache(CacheDefinitions.AUDIT), json);
        this.deadLetters = new InfinispanDeadLetterStore(cache(CacheDefinitions.DEAD_LETTERS), json, clock);
        this.checkpoints = new InfinispanCheckpointStore(cache(CacheDefinitions.CHECKPOINTS), json);
        this.lineage = new InfinispanLineageStore(this.<String, String>cache(CacheDefinitions.LINEAGE), json);
        this.failedActions = new InfinispanFailedActionStore(
                this.<String, String>cache(CacheDefinitions.FAILED_ACTIONS), json);
    }

    /** Opens with {@link Options#defaults()}. */
    public static OperonState open(Path dataDir, Clock clock) {
        return open(dataDir, clock, Options.defaults());
    }

    /**
     * Creates {@code dataDir} if missing and starts the embedded cache manager on it, recovering the
     * stores after an unclean shutdown.
     *
     * @param clock Operon's clock; orders dead letters
     * @throws IllegalStateException if another process has the same data directory open
     * @throws UncheckedIOException if the directory cannot be created
     */
    public static OperonState open(Path dataDir, Clock clock, Options options) {
        long started = System.nanoTime();
        Path root = dataDir.toAbsolutePath().resolve("infinispan");
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data directory " + root, e);
        }
        DirectoryLock lock = DirectoryLock.acquire(dataDir.toAbsolutePath().resolve("infinispan.lock"),
                "Operon state store");
        DefaultCacheManager manager = null;
        try {
            manager = new DefaultCacheManager(CacheDefinitions.global(root), false);
            manager.defineConfiguration(CacheDefinitions.AUDIT,
                    CacheDefinitions.durableCache(options.retention(), options.maxEntriesInMemory()));
            manager.defineConfiguration(CacheDefinitions.LINEAGE,
                    CacheDefinitions.durableCache(options.retention(), options.maxEntriesInMemory()));
            manager.defineConfiguration(CacheDefinitions.DEAD_LETTERS,
                    CacheDefinitions.durableCache(options.retention(), options.maxEntriesInMemory()));
            manager.defineConfiguration(CacheDefinitions.FAILED_ACTIONS,
                    CacheDefinitions.durableCache(options.retention(), options.maxEntriesInMemory()));
            manager.defineConfiguration(CacheDefinitions.CHECKPOINTS,
                    CacheDefinitions.durableCache(null, options.maxEntriesInMemory()));
            manager.start();
            OperonState state = new OperonState(lock, manager, clock, options);
            LOG.info("State store open in {} ms at {}", (System.nanoTime() - started) / 1_000_000, root);
            return state;
        } catch (RuntimeException e) {
            if (manager != null) {
                try {
                    manager.stop();
                } catch (RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            lock.close();
            throw e;
        }
    }

    private <K, V> Cache<K, V> cache(String name) {
        return cacheManager.getCache(name);
    }

    public AuditLog auditLog() {
        return auditLog;
    }

    /** The lineage of dispatched decisions, kept as long as the audit log's entries. */
    public LineageStore lineage() {
        return lineage;
    }

    /** The actions that failed all their attempts, kept as long as the audit log's entries. */
    public FailedActionStore failedActions() {
        return failedActions;
    }

    public DeadLetterStore deadLetters() {
        return deadLetters;
    }

    public CheckpointStore checkpoints() {
        return checkpoints;
    }

    /**
     * {@link Options#retention()}: how long the state keeps what is done with (audit entries, dead letters,
     * and resolved incidents of {@code org.operon.state.incident.IncidentStore}).
     */
    public Duration retention() {
        return retention;
    }

    /**
     * The durable cache {@code name} for a store kept in another package of this module (the silences of
     * {@code org.operon.state.silence}, the incidents of {@code org.operon.state.incident}): String keys,
     * JSON String values, configured by {@link CacheDefinitions#durableCache} with no lifespan of its own
     * (its entries may carry one) and {@link Options#maxEntriesInMemory()}, in
     * {@code <dataDir>/infinispan/<name>}. Defined on the first call, the same cache afterwards; closed with
     * this state.
     *
     * @throws IllegalArgumentException when {@code name} is one of the caches this class owns
     */
    public synchronized Cache<String, String> durableCache(String name) {
        if (List.of(CacheDefinitions.AUDIT, CacheDefinitions.DEAD_LETTERS, CacheDefinitions.CHECKPOINTS,
                CacheDefinitions.LINEAGE, CacheDefinitions.FAILED_ACTIONS).contains(name)) {
            throw new IllegalArgumentException("the cache '" + name + "' belongs to OperonState");
        }
        if (cacheManager.getCacheConfiguration(name) == null) {
            cacheManager.defineConfiguration(name, CacheDefinitions.durableCache(null, maxEntriesInMemory));
        }
        return cacheManager.getCache(name);
    }

    /** Stops the cache manager, which closes the file stores cleanly, then releases the directory. */
    @Override
    public void close() {
        try {
            cacheManager.stop();
        } finally {
            lock.close();
        }
        LOG.info("State store closed");
    }
}
