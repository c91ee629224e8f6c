package org.operon.state;

import org.infinispan.commons.dataconversion.MediaType;
import org.infinispan.configuration.cache.CacheMode;
import org.infinispan.configuration.cache.Configuration;
import org.infinispan.configuration.cache.ConfigurationBuilder;
import org.infinispan.configuration.global.GlobalConfiguration;
import org.infinispan.configuration.global.GlobalConfigurationBuilder;
import org.infinispan.configuration.global.ShutdownHookBehavior;
import org.infinispan.configuration.global.UncleanShutdownAction;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The whole Infinispan configuration of Operon, in one place, so that making it clustered later means
 * changing this class only (transport in {@link #global}, cache mode in {@link #durableCache}).
 *
 * <p>Layout under {@code <dataDir>/infinispan}, the global persistent location: one directory per
 * cache holding that cache's soft-index file store ({@code <cache>/data}, {@code <cache>/index} and
 * the store's lock file {@code <cache>/<cache>.lck}), and Infinispan's global-state files once it
 * writes any (with local caches only, 15.0 writes none). Every store location is a child of the global
 * persistent location, as Infinispan expects (ISPN000558 otherwise).
 */
final class CacheDefinitions {
    static final String AUDIT = "audit";
    static final String DEAD_LETTERS = "dead-letters";
    static final String CHECKPOINTS = "checkpoints";
    static final String LINEAGE = "lineage";
    /** Actions that failed all attempts, for GET /api/v1/actions?status=failed and their retry. */
    static final String FAILED_ACTIONS = "failed-actions";

    private CacheDefinitions() {
    }

    /**
     * The cache manager's configuration: local only, global state persisted under {@code root}, and
     * {@link UncleanShutdownAction#IGNORE} after an unclean shutdown (see {@link OperonState} for why).
     * Infinispan registers no shutdown hook: the owner of {@link OperonState} closes it, after its own
     * last writes, so that a SIGTERM cannot stop the caches under a component that is still flushing.
     */
    static GlobalConfiguration global(Path root) {
        GlobalConfigurationBuilder global = new GlobalConfigurationBuilder();
        global.cacheManagerName("operon");
        global.jmx().disable();
        global.shutdown().hookBehavior(ShutdownHookBehavior.DONT_REGISTER);
        global.globalState().enable()
                .persistentLocation(root.toString())
                .temporaryLocation(root.resolve("tmp").toString())
                .uncleanShutdownAction(UncleanShutdownAction.IGNORE);
        return global.build();
    }

    /**
     * A local cache of String keys and String (JSON) values, written through to a soft-index file store
     * under {@code <root>/<cache name>}.
     *
     * <ul>
     *   <li>Writes are synchronous and forced to disk ({@code syncWrites}): a {@code put} returns after
     *       the entry is in the store's log and fsynced. No write-behind.</li>
     *   <li>Keys and values are stored as ProtoStream, whose built-in types include String, so no schema
     *       is registered; the callers' Strings are converted on the way in and out.</li>
     *   <li>At most {@code maxEntriesInMemory} entries stay in memory; the store holds all of them, and
     *       reads of evicted entries go to the store.</li>
     *   <li>With a {@code lifespan}, an entry expires that long after it was written (Infinispan's wall
     *       clock); expired entries are removed from memory and store by Infinispan's reaper.</li>
     * </ul>
     *
     * @param lifespan how long entries live, or null for entries that never expire
     */
    static Configuration durableCache(Duration lifespan, long maxEntriesInMemory) {
        ConfigurationBuilder cache = new ConfigurationBuilder();
        cache.clustering().cacheMode(CacheMode.LOCAL);
        cache.encoding().mediaType(MediaType.APPLICATION_PROTOSTREAM_TYPE);
        cache.memory().maxCount(maxEntriesInMemory);
        if (lifespan != null) {
            cache.expiration().lifespan(lifespan.toMillis());
        }
        cache.persistence()
                .passivation(false)
                .addSoftIndexFileStore()
                // No dataLocation/indexLocation: the store then uses <global persistent location>/<cache>/data
                // and /index. An explicit location would get the cache name appended once more.
                .syncWrites(true)
                .preload(false)
                .purgeOnStartup(false);
        return cache.build();
    }
}
