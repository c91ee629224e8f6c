package org.operon.state.incident;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.infinispan.Cache;
import org.infinispan.commons.util.CloseableIterator;
import org.infinispan.context.Flag;
import org.operon.model.Decision;
import org.operon.state.OperonState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * The latest snapshot of every incident the rules keep, durable in the Infinispan cache {@value #CACHE} of
 * {@link OperonState} (a soft-index file store under {@code <dataDir>/infinispan/incidents}; key the
 * incident id, value the snapshot as JSON), so that the incident API can answer without asking the engine
 * and after a restart.
 *
 * <p><b>Feeding.</b> The rules send every change of an incident as a decision whose type starts with
 * {@value #DECISION_PREFIX} and whose param {@value #DECISION_PARAM} is the incident's full snapshot (see
 * docs/incidents.md for its fields); the application hands each such decision to {@link #applyDecision}
 * before the dispatcher performs its actions. Every snapshot carries a {@code version} that grows by one
 * with every change, and the store keeps, per id, the snapshot of the highest version: applying an older
 * or equal one changes nothing. So applying is idempotent and the order of arrival does not matter, which
 * is what a replay after a restart needs.
 *
 * <p><b>Reads</b> ({@link #get}, {@link #list}) are served from an in-memory copy of every kept snapshot,
 * loaded when the store opens and updated by every write; this store must be the only writer of its
 * cache. Returned snapshots are unmodifiable and hold JSON values only (String, Integer or Long, Double,
 * Boolean, List, Map, null), the same before and after a restart.
 *
 * <p><b>Writes</b> ({@link #apply}) are serialized and durable (forced to disk) when they return: one
 * cache put per kept snapshot.
 *
 * <p><b>Retention.</b> A resolved incident is kept {@link #retention()} (the state's retention) after its
 * {@code resolvedAt}, then {@link #collectGarbage} removes it; open and acknowledged incidents are never
 * removed. The application schedules the collection; the store runs none of its own.
 */
public final class IncidentStore {
    /** The name of the Infinispan cache holding the incidents. */
    public static final String CACHE = "incidents";
    /** Decisions whose type starts with this carry an incident snapshot. */
    public static final String DECISION_PREFIX = "incident-";
    /** The decision param holding the snapshot. */
    public static final String DECISION_PARAM = "incident";

    public static final String OPEN = "open";
    public static final String ACKNOWLEDGED = "acknowledged";
    public static final String RESOLVED = "resolved";

    static final String ID = "id";
    static final String VERSION = "version";
    static final String STATUS = "status";
    static final String CORRELATION_KEY = "correlationKey";
    static final String UPDATED_AT = "updatedAt";
    static final String RESOLVED_AT = "resolvedAt";

    private static final Logger LOG = LoggerFactory.getLogger(IncidentStore.class);
    private static final TypeReference<LinkedHashMap<String, Object>> SNAPSHOT = new TypeReference<>() {
    };
    /** Newest {@code updatedAt} first, then by id. */
    private static final Comparator<Kept> LISTING_ORDER =
            Comparator.comparing(Kept::updatedAt).reversed().thenComparing(Kept::id);

    private final Cache<String, String> cache;
    private final Duration retention;
    private final ObjectMapper mapper = new ObjectMapper();
    private final Map<String, Kept> kept = new ConcurrentHashMap<>();
    private final Map<String, List<Waiter>> waiters = new ConcurrentHashMap<>();

    private IncidentStore(Cache<String, String> cache, Duration retention) {
        this.cache = cache;
        this.retention = retention;
    }

    /**
     * Opens the store on the {@value #CACHE} cache of {@code state} and loads every incident kept there.
     * Resolved incidents are kept for {@link OperonState#retention()}. The store lives as long as
     * {@code state}; it has nothing of its own to close.
     */
    public static IncidentStore open(OperonState state) {
        Objects.requireNonNull(state, "state");
        IncidentStore store = new IncidentStore(state.durableCache(CACHE), state.retention());
        store.load();
        return store;
    }

    /** How long a resolved incident is kept after it was resolved. */
    public Duration retention() {
        return retention;
    }

    /**
     * Keeps {@code snapshot} unless the store already has a snapshot of its id with the same or a higher
     * {@code version}.
     *
     * @return true when it was kept (written to disk), false when an equal or newer one was already kept
     * @throws IllegalArgumentException when the snapshot has no non-blank String {@code id}, no integral
     *                                  {@code version}, or a {@code status} other than open, acknowledged or
     *                                  resolved, or when it holds values JSON cannot represent
     */
    public synchronized boolean apply(Map<String, Object> snapshot) {
        Objects.requireNonNull(snapshot, "snapshot");
        String id = idOf(snapshot);
        long version = versionOf(snapshot);
        statusOf(snapshot);
        Kept previous = kept.get(id);
        if (previous != null && previous.version() >= version) {
            return false;
        }
        String json = write(snapshot);
        Kept now = Kept.of(read(json));
        cache.getAdvancedCache().withFlags(Flag.IGNORE_RETURN_VALUES).put(id, json);
        kept.put(id, now);
        notifyWaiters(now);
        return true;
    }

    /**
     * Applies the snapshot a decision carries: decisions whose type starts with {@value #DECISION_PREFIX}
     * and whose param {@value #DECISION_PARAM} is a map. Every other decision is ignored. A malformed
     * snapshot is logged as an error and ignored, so that a faulty rule cannot stop the caller (the
     * engine's decision listener); a failing disk is not ignored.
     *
     * @return true when a snapshot was kept
     */
    @SuppressWarnings("unchecked")
    public boolean applyDecision(Decision decision) {
        if (!decision.getType().startsWith(DECISION_PREFIX)
                || !(decision.getParams().get(DECISION_PARAM) instanceof Map<?, ?> snapshot)) {
            return false;
        }
        try {
            return apply((Map<String, Object>) snapshot);
        } catch (IllegalArgumentException e) {
            LOG.error("decision {} ({} of rule '{}') carries an invalid incident snapshot, ignored: {}",
                    decision.getId(), decision.getType(), decision.getRule(), e.getMessage());
            return false;
        }
    }

    /** The latest snapshot of incident {@code id}, if kept. */
    public Optional<Map<String, Object>> get(String id) {
        Kept k = id == null ? null : kept.get(id);
        return k == null ? Optional.empty() : Optional.of(k.snapshot());
    }

    /**
     * The snapshots the query admits, newest {@code updatedAt} first, then by id; at most
     * {@link IncidentQuery#limit()}. A snapshot whose {@code updatedAt} is missing or not an ISO-8601
     * instant sorts as the oldest. Costs O(n log n) for n kept incidents, in memory.
     */
    public List<Map<String, Object>> list(IncidentQuery query) {
        List<Kept> admitted = new ArrayList<>();
        for (Kept k : kept.values()) {
            if (query.admits(k.status(), k.snapshot().get(CORRELATION_KEY))) {
                admitted.add(k);
            }
        }
        admitted.sort(LISTING_ORDER);
        return admitted.stream().limit(query.limit()).map(Kept::snapshot).toList();
    }

    /**
     * A future completed with the first snapshot of incident {@code id} that satisfies {@code condition}:
     * the one kept now, or the first one {@link #apply applied} later. It never completes by itself
     * otherwise: the caller bounds its wait and then cancels the future, which stops the store from
     * watching for it. The future completes on the thread that applies the snapshot, so dependent
     * actions should be cheap or asynchronous.
     */
    public CompletableFuture<Map<String, Object>> awaitSnapshot(String id, Predicate<Map<String, Object>> condition) {
        Objects.requireNonNull(id, "id");
        Waiter waiter = new Waiter(condition, new CompletableFuture<>());
        waiters.compute(id, (key, list) -> {
            List<Waiter> l = list == null ? new CopyOnWriteArrayList<>() : list;
            l.add(waiter);
            return l;
        });
        waiter.future().whenComplete((snapshot, failure) -> forget(id, waiter));
        // Checked after registering, so that a snapshot applied in between is seen by one or the other.
        get(id).ifPresent(waiter::offer);
        return waiter.future();
    }

    /**
     * Removes every resolved incident whose {@code resolvedAt} (or, when missing or unreadable, its
     * {@code updatedAt}) is {@link #retention()} or longer before {@code now}. An incident with neither
     * time readable counts as resolved long ago. Reads stop showing them at once.
     *
     * @return how many were removed
     */
    public synchronized int collectGarbage(Instant now) {
        Instant cutoff = now.minus(retention);
        int removed = 0;
        for (Kept k : List.copyOf(kept.values())) {
            if (RESOLVED.equals(k.status()) && !k.resolvedAt().isAfter(cutoff)) {
                // Without IGNORE_RETURN_VALUES: with it, Infinispan does not load an entry that is only in
                // the file store (as after a restart) and leaves it there (see SilenceStore#remove).
                cache.remove(k.id());
                kept.remove(k.id());
                removed++;
            }
        }
        if (removed > 0) {
            LOG.info("removed {} incident(s) resolved more than {} ago", removed, retention);
        }
        return removed;
    }

    private void load() {
        int loaded = 0;
        try (CloseableIterator<String> values = cache.values().iterator()) {
            while (values.hasNext()) {
                try {
                    Kept k = Kept.of(read(values.next()));
                    kept.put(k.id(), k);
                    loaded++;
                } catch (IllegalArgumentException | IllegalStateException e) {
                    LOG.error("ignoring a stored incident that cannot be read: {}", e.getMessage());
                }
            }
        }
        LOG.info("incident store open: {} incident(s) kept", loaded);
    }

    private void notifyWaiters(Kept snapshot) {
        List<Waiter> watching = waiters.get(snapshot.id());
        if (watching != null) {
            // Completed outside any map operation: completing runs forget(), which updates the map.
            watching.forEach(w -> w.offer(snapshot.snapshot()));
        }
    }

    private void forget(String id, Waiter waiter) {
        waiters.computeIfPresent(id, (key, list) -> {
            list.remove(waiter);
            return list.isEmpty() ? null : list;
        });
    }

    private String write(Map<String, Object> snapshot) {
        try {
            return mapper.writeValueAsString(snapshot);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the incident snapshot cannot be written as JSON: "
                    + e.getOriginalMessage(), e);
        }
    }

    private Map<String, Object> read(String json) {
        try {
            return mapper.readValue(json, SNAPSHOT);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored incident is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static String idOf(Map<String, Object> snapshot) {
        if (snapshot.get(ID) instanceof String id && !id.isBlank()) {
            return id;
        }
        throw new IllegalArgumentException("an incident snapshot needs a non-blank string 'id', not "
                + snapshot.get(ID));
    }

    private static long versionOf(Map<String, Object> snapshot) {
        Object v = snapshot.get(VERSION);
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        if (v instanceof BigInteger big && big.bitLength() < 64) {
            return big.longValue();
        }
        throw new IllegalArgumentException("incident snapshot " + snapshot.get(ID)
                + " needs an integral 'version', not " + v);
    }

    private static String statusOf(Map<String, Object> snapshot) {
        Object s = snapshot.get(STATUS);
        if (OPEN.equals(s) || ACKNOWLEDGED.equals(s) || RESOLVED.equals(s)) {
            return (String) s;
        }
        throw new IllegalArgumentException("incident snapshot " + snapshot.get(ID)
                + " needs a 'status' of open, acknowledged or resolved, not " + s);
    }

    private static Instant instant(Object value) {
        if (value instanceof String text) {
            try {
                return Instant.parse(text);
            } catch (DateTimeParseException e) {
                return null;
            }
        }
        return null;
    }

    /** JSON values made unmodifiable all the way down; nulls are kept. */
    @SuppressWarnings("unchecked")
    private static Object frozen(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put((String) k, frozen(v)));
            return Collections.unmodifiableMap(copy);
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            list.forEach(v -> copy.add(frozen(v)));
            return Collections.unmodifiableList(copy);
        }
        return value;
    }

    /** A kept snapshot (as read back from its JSON, unmodifiable) with what listing and retention need. */
    private record Kept(String id, long version, String status, Instant updatedAt, Instant resolvedAt,
                        Map<String, Object> snapshot) {
        @SuppressWarnings("unchecked")
        static Kept of(Map<String, Object> json) {
            Instant updated = Objects.requireNonNullElse(instant(json.get(UPDATED_AT)), Instant.MIN);
            Instant resolved = Objects.requireNonNullElse(instant(json.get(RESOLVED_AT)), updated);
            return new Kept(idOf(json), versionOf(json), statusOf(json), updated, resolved,
                    (Map<String, Object>) frozen(json));
        }
    }

    /** One caller waiting for a snapshot of an incident to satisfy its condition. */
    private record Waiter(Predicate<Map<String, Object>> condition, CompletableFuture<Map<String, Object>> future) {
        void offer(Map<String, Object> snapshot) {
            if (!future.isDone() && condition.test(snapshot)) {
                future.complete(snapshot);
            }
        }
    }
}
