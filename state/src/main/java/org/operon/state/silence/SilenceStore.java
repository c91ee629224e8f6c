package org.operon.state.silence;

import org.operon.model.Matcher;
import org.infinispan.Cache;
import org.infinispan.commons.util.CloseableIterator;
import org.infinispan.context.Flag;
import org.operon.state.OperonState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Operon's silences, with the behaviour of Alertmanager's silence store, kept durably in the Infinispan
 * cache {@value #CACHE} of {@link OperonState} (a soft-index file store under
 * {@code <dataDir>/infinispan/silences}; key the silence id, value the silence as JSON).
 *
 * <p><b>Reads</b> ({@link #get}, {@link #list}, {@link #activeFor}) are served from an in-memory copy of
 * every kept silence, with compiled matchers, loaded when the store opens and updated by every write: this
 * store must be the only writer of its cache. {@link #activeFor} is therefore cheap enough to be asked for
 * every action.
 *
 * <p><b>Writes</b> are serialized and durable (forced to disk) when they return. Every time the store
 * needs ("now": the start of a new silence, {@code updatedAt}, the end of an expired one) comes from the
 * injected {@link Clock}, truncated to milliseconds, as are all stored times.
 *
 * <p><b>Retention.</b> An expired silence is kept, and listed as {@code expired}, until
 * {@link #retention()} (default {@link #DEFAULT_RETENTION}, Alertmanager's {@code --data.retention})
 * after its {@code endsAt}; from then on it is gone for every read, and it is removed from the cache by
 * {@link #collectGarbage()} (also run on open) and, as a backstop, by Infinispan's expiration, which each
 * entry is written with.
 */
public final class SilenceStore {
    /** The name of the Infinispan cache holding the silences. */
    public static final String CACHE = "silences";
    /** How long an expired silence is kept by default: 5 days, as in Alertmanager. */
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(5);

    private static final Logger LOG = LoggerFactory.getLogger(SilenceStore.class);

    private final Cache<String, String> cache;
    private final Clock clock;
    private final Duration retention;
    private final SilenceCodec codec = new SilenceCodec();
    private final Map<String, Kept> kept = new ConcurrentHashMap<>();

    private SilenceStore(Cache<String, String> cache, Clock clock, Duration retention) {
        this.cache = cache;
        this.clock = clock;
        this.retention = retention;
    }

    /** Opens the store with {@link #DEFAULT_RETENTION}; see {@link #open(OperonState, Clock, Duration)}. */
    public static SilenceStore open(OperonState state, Clock clock) {
        return open(state, clock, DEFAULT_RETENTION);
    }

    /**
     * Opens the store on the {@value #CACHE} cache of {@code state}, loads every silence kept there, and
     * removes those past their retention. The store lives as long as {@code state}; it has nothing of its
     * own to close.
     *
     * @param clock     the clock of "now" for every write and listing
     * @param retention how long an expired silence is kept after its end; positive
     * @throws IllegalArgumentException when the retention is not positive
     */
    public static SilenceStore open(OperonState state, Clock clock, Duration retention) {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(clock, "clock");
        if (retention == null || retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("silence retention must be a positive duration, not " + retention);
        }
        SilenceStore store = new SilenceStore(state.durableCache(CACHE), clock, retention);
        store.load();
        return store;
    }

    public Duration retention() {
        return retention;
    }

    /**
     * Creates a silence with a new random UUID. A start that is missing or in the past becomes now.
     *
     * @return the stored silence
     * @throws InvalidSilenceException with field {@code endsAt} when the end is not in the future
     */
    public synchronized Silence create(SilenceRequest request) {
        Instant now = now();
        Silence silence = newSilence(request, now);
        write(silence, now);
        LOG.info("silence {} created by '{}': {} from {} to {}", silence.id(), silence.createdBy(),
                silence.matchers(), silence.startsAt(), silence.endsAt());
        return silence;
    }

    /**
     * Changes the silence {@code id} as Alertmanager does when a silence is posted with an id:
     * <ul>
     *   <li>it is updated in place (same id; matchers, times, author and comment replaced,
     *       {@code updatedAt} now) when the history of what was silenced stays true: the matchers are the
     *       same (same order), and either it is active and keeps its start (to the second), or it is
     *       pending and its new start is not in the past;</li>
     *   <li>otherwise (matchers changed, start of an active silence moved, a pending silence starting in
     *       the past, or the silence already expired) a new silence with a new id is created as by
     *       {@link #create}, and the old one, unless already expired, is expired. The new one is written
     *       first, so a crash in between leaves both rather than neither.</li>
     * </ul>
     * A missing start means now.
     *
     * @return the silence now in force: the same id when updated in place, a new id when replaced
     * @throws SilenceNotFoundException when no silence {@code id} is kept (Alertmanager answers 404)
     * @throws InvalidSilenceException  with field {@code endsAt} when the end is not in the future
     */
    public synchronized Silence update(String id, SilenceRequest request) {
        Instant now = now();
        requireEndInFuture(request, now);
        Silence previous = retained(id, now).orElseThrow(() -> new SilenceNotFoundException(id));
        Instant start = request.startsAt() == null ? now : millis(request.startsAt());
        if (canUpdateInPlace(previous, request.matchers(), start, now)) {
            Silence updated = new Silence(id, request.matchers(), start, millis(request.endsAt()),
                    request.createdBy(), request.comment(), now);
            write(updated, now);
            LOG.info("silence {} updated by '{}': {} from {} to {}", id, updated.createdBy(), updated.matchers(),
                    updated.startsAt(), updated.endsAt());
            return updated;
        }
        Silence replacement = newSilence(request, now);
        write(replacement, now);
        if (previous.state(now) != SilenceState.EXPIRED) {
            write(expired(previous, now), now);
        }
        LOG.info("silence {} replaced by {} (created by '{}'): {} from {} to {}", id, replacement.id(),
                replacement.createdBy(), replacement.matchers(), replacement.startsAt(), replacement.endsAt());
        return replacement;
    }

    /**
     * Expires the silence now: an active one ends now, a pending one starts and ends now. A silence that
     * is already expired is left as it is and returned without error, as Alertmanager does since 0.24
     * (expiring is idempotent, so that a retried {@code DELETE} succeeds).
     *
     * @return the silence as it is now, expired
     * @throws SilenceNotFoundException when no silence {@code id} is kept
     */
    public synchronized Silence expire(String id) {
        Instant now = now();
        Silence silence = retained(id, now).orElseThrow(() -> new SilenceNotFoundException(id));
        if (silence.state(now) == SilenceState.EXPIRED) {
            return silence;
        }
        Silence expired = expired(silence, now);
        write(expired, now);
        LOG.info("silence {} expired", id);
        return expired;
    }

    /** The silence {@code id}, in any state, unless it is unknown or past its retention. */
    public Optional<Silence> get(String id) {
        return id == null ? Optional.empty() : retained(id, now());
    }

    /** Every kept silence, in Alertmanager's listing order; see {@link #list(List)}. */
    public List<Silence> list() {
        return list(List.of());
    }

    /**
     * The kept silences that have, for each filter matcher, a matcher with the same name, operator and
     * value: Alertmanager's filter of {@code GET /api/v2/silences?filter=...}, which selects silences by
     * their matchers, not by the label sets they would match. No filter lists all.
     *
     * <p>Order, as Alertmanager's: active silences first, the one ending soonest first; then pending ones,
     * starting soonest first; then expired ones, most recently ended first. Ties by id.
     */
    public List<Silence> list(List<Matcher> filter) {
        Instant now = now();
        List<Silence> result = new ArrayList<>();
        for (Kept k : kept.values()) {
            Silence s = k.silence();
            if (!isPastRetention(s, now) && s.matchers().containsAll(filter)) {
                result.add(s);
            }
        }
        result.sort(listingOrder(now));
        return result;
    }

    /**
     * The ids of the silences active at {@code at} whose matchers all match {@code labels} (absent labels
     * count as empty), sorted. Reads the in-memory copy only; never blocks on a write.
     */
    public List<String> activeFor(Map<String, String> labels, Instant at) {
        List<String> ids = new ArrayList<>();
        for (Kept k : kept.values()) {
            if (k.silence().state(at) == SilenceState.ACTIVE && k.matches(labels)) {
                ids.add(k.silence().id());
            }
        }
        ids.sort(null);
        return ids;
    }

    /**
     * Removes from the cache every silence that ended longer than the retention ago (Alertmanager's GC).
     * Reads already ignore them; this reclaims their space. Safe to call at any time, e.g. hourly.
     *
     * @return how many were removed
     */
    public synchronized int collectGarbage() {
        Instant now = now();
        int removed = 0;
        for (Kept k : List.copyOf(kept.values())) {
            if (isPastRetention(k.silence(), now)) {
                remove(k.silence().id());
                removed++;
            }
        }
        if (removed > 0) {
            LOG.info("removed {} silence(s) expired more than {} ago", removed, retention);
        }
        return removed;
    }

    private void load() {
        int loaded = 0;
        try (CloseableIterator<String> values = cache.values().iterator()) {
            while (values.hasNext()) {
                String json = values.next();
                try {
                    Silence silence = codec.read(json);
                    kept.put(silence.id(), new Kept(silence));
                    loaded++;
                } catch (IllegalStateException e) {
                    LOG.error("ignoring a stored silence that cannot be read: {}", e.getMessage());
                }
            }
        }
        int removed = collectGarbage();
        LOG.info("silence store open: {} silence(s) kept, {} past retention removed", loaded - removed, removed);
    }

    private Silence newSilence(SilenceRequest request, Instant now) {
        requireEndInFuture(request, now);
        Instant start = request.startsAt() == null || request.startsAt().isBefore(now) ? now
                : millis(request.startsAt());
        return new Silence(UUID.randomUUID().toString(), request.matchers(), start, millis(request.endsAt()),
                request.createdBy(), request.comment(), now);
    }

    private static void requireEndInFuture(SilenceRequest request, Instant now) {
        if (!request.endsAt().isAfter(now)) {
            throw new InvalidSilenceException("endsAt", "end time must be in the future, not " + request.endsAt());
        }
    }

    /** Alertmanager's {@code canUpdate}: whether the change leaves the history of what was silenced true. */
    private static boolean canUpdateInPlace(Silence previous, List<Matcher> matchers, Instant start, Instant now) {
        if (!previous.matchers().equals(matchers)) {
            return false;
        }
        return switch (previous.state(now)) {
            case ACTIVE -> previous.startsAt().getEpochSecond() == start.getEpochSecond();
            case PENDING -> !start.isBefore(now);
            case EXPIRED -> false;
        };
    }

    private static Silence expired(Silence silence, Instant now) {
        return silence.state(now) == SilenceState.PENDING
                ? silence.withTimes(now, now, now)
                : silence.withTimes(silence.startsAt(), now, now);
    }

    private Optional<Silence> retained(String id, Instant now) {
        Kept k = kept.get(id);
        return k == null || isPastRetention(k.silence(), now) ? Optional.empty() : Optional.of(k.silence());
    }

    private boolean isPastRetention(Silence silence, Instant now) {
        return !silence.endsAt().plus(retention).isAfter(now);
    }

    /**
     * Writes through to the file store, with an Infinispan lifespan ending when the retention does, then
     * updates the in-memory copy.
     */
    private void write(Silence silence, Instant now) {
        long lifespanMillis = Duration.between(now, silence.endsAt().plus(retention)).toMillis();
        if (lifespanMillis <= 0) {
            remove(silence.id());
            return;
        }
        cache.getAdvancedCache().withFlags(Flag.IGNORE_RETURN_VALUES)
                .put(silence.id(), codec.write(silence), lifespanMillis, TimeUnit.MILLISECONDS);
        kept.put(silence.id(), new Kept(silence));
    }

    /**
     * Removes from memory and file store. Deliberately without {@code IGNORE_RETURN_VALUES}: with that flag
     * Infinispan does not load an entry that is only in the file store (as after a restart), finds nothing
     * to remove, and leaves it in the store (observed with 15.0.22).
     */
    private void remove(String id) {
        cache.remove(id);
        kept.remove(id);
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private static Instant millis(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MILLIS);
    }

    private static Comparator<Silence> listingOrder(Instant now) {
        return Comparator.<Silence>comparingInt(s -> rank(s.state(now)))
                .thenComparing(s -> switch (s.state(now)) {
                    case ACTIVE -> s.endsAt().toEpochMilli();
                    case PENDING -> s.startsAt().toEpochMilli();
                    case EXPIRED -> -s.endsAt().toEpochMilli();
                })
                .thenComparing(Silence::id);
    }

    private static int rank(SilenceState state) {
        return switch (state) {
            case ACTIVE -> 0;
            case PENDING -> 1;
            case EXPIRED -> 2;
        };
    }

    /** A kept silence with its matchers compiled once. */
    private record Kept(Silence silence, List<Predicate<Map<String, String>>> tests) {
        Kept(Silence silence) {
            this(silence, silence.matchers().stream().map(Matcher::compile).toList());
        }

        boolean matches(Map<String, String> labels) {
            for (Predicate<Map<String, String>> test : tests) {
                if (!test.test(labels)) {
                    return false;
                }
            }
            return true;
        }
    }
}
