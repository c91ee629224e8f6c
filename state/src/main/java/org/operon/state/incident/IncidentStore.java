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
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * The latest snapshot of every incident the rules keep, durable in the Infinispan caches {@value #CACHE} and
 * {@value #ALERTS_CACHE} of {@link OperonState} (soft-index file stores under {@code <dataDir>/infinispan/}),
 * so that the incident API can answer without asking the engine and after a restart.
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
 * loaded when the store opens and updated by every {@link #apply} before it returns; this store must be the
 * only writer of its caches. Returned snapshots are unmodifiable and hold JSON values only (String, Integer
 * or Long, Double, Boolean, List, Map, null: the values Jackson reads back, so the same before and after a
 * restart).
 *
 * <p><b>Cost of a change.</b> An incident's snapshot lists all its member alerts, so a storm of N alerts
 * joining one incident one by one sends N snapshots of up to N members. The store keeps each member alert
 * (an entry of {@code alerts}, with its state in {@code notifiedAlerts}) apart from the rest of the snapshot,
 * and a change costs the rest plus the members that changed: a member is unchanged when the new snapshot
 * holds the very map it held before (the rules' snapshots share the map of a member until it changes), or
 * an equal one, at the same position. When the members only changed in place or were appended, and
 * {@code notifiedAlerts} is the very map of the previous snapshot (or empty in both), the store finds that
 * out by comparing the two lists' entries by identity, an array scan, and looks up only the changed ones;
 * any other change walks every member (hashing each fingerprint). Snapshots whose {@code alerts} are not a list of maps with distinct
 * string {@code fingerprint}s, or whose {@code notifiedAlerts} is not a map of those fingerprints (in their
 * order) to strings, are kept whole. A caller must not change a map or list it has given.
 *
 * <p><b>Writes</b> happen behind {@link #apply}: one writer thread writes everything applied since its
 * last write as one batch (the heads in {@value #CACHE}, keyed by incident id; the changed members in
 * {@value #ALERTS_CACHE}), forced to disk, so that the engine thread that applies a decision never waits
 * for the disk, and a burst of changes of one incident costs one write. A snapshot is durable moments after
 * it is applied ({@link #flush} waits for it, {@link #close} too). A crash in between loses the latest
 * snapshots of the last moments; the engine's restart replays the journal from before them, which
 * changes them again. A write that fails is logged and retried every second. A member's entry carries the
 * version of the snapshot it was written with, and the head (written after its members) is the commit
 * point: loading takes each member as of the head's version, so a write cut short by a crash leaves the
 * incident as its last complete write left it.
 *
 * <p><b>Retention.</b> A resolved incident is kept {@link #retention()} (the state's retention) after its
 * {@code resolvedAt}, then {@link #collectGarbage} removes it; open and acknowledged incidents are never
 * removed. The application schedules the collection; the store runs none of its own.
 */
public final class IncidentStore implements AutoCloseable {
    /** The name of the Infinispan cache holding the incidents (without their member alerts). */
    public static final String CACHE = "incidents";
    /** The name of the Infinispan cache holding the member alerts of the incidents, one entry each. */
    public static final String ALERTS_CACHE = "incident-alerts";
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
    static final String ALERTS = "alerts";
    static final String NOTIFIED_ALERTS = "notifiedAlerts";
    static final String FINGERPRINT = "fingerprint";

    /** A head record in {@value #CACHE} with its members apart: {"layout": this, "snapshot": {…}}. */
    private static final String LAYOUT_MEMBERS_APART = "members-apart";
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);
    private static final Member[] NO_MEMBERS = new Member[0];

    private static final Logger LOG = LoggerFactory.getLogger(IncidentStore.class);
    private static final TypeReference<LinkedHashMap<String, Object>> JSON_OBJECT = new TypeReference<>() {
    };
    /** Newest {@code updatedAt} first, then by id. */
    private static final Comparator<Kept> LISTING_ORDER =
            Comparator.comparing(Kept::updatedAt).reversed().thenComparing(Kept::id);

    private final Cache<String, String> heads;
    private final Cache<String, String> members;
    private final Duration retention;
    private final ObjectMapper mapper = new ObjectMapper();
    private final Map<String, Kept> kept = new ConcurrentHashMap<>();
    private final Map<String, List<Waiter>> waiters = new ConcurrentHashMap<>();

    // Write-behind, guarded by this: per incident id whose head is to be written (or removed), the member
    // fingerprints to write (or remove); what the writer writes is what `kept` holds when it takes them.
    private Map<String, Set<String>> unwritten = new LinkedHashMap<>();
    private long changesApplied;
    private long changesWritten;
    private boolean closing;
    private final Thread writer;
    /**
     * Per incident kept apart, the position of each member (by fingerprint) in the members of its kept
     * snapshot, guarded by this: what lets a change find a member without walking them all.
     */
    private final Map<String, Map<String, Integer>> positions = new HashMap<>();
    /** Per incident kept apart, the version of each member's entry on disk: the writer's (and load's) only. */
    private final Map<String, Map<String, Long>> onDisk = new HashMap<>();
    /** Member entries found by load that no head takes: removed by the writer first. */
    private final List<String> leftOver = new ArrayList<>();

    private IncidentStore(Cache<String, String> heads, Cache<String, String> members, Duration retention) {
        this.heads = heads;
        this.members = members;
        this.retention = retention;
        this.writer = new Thread(this::writeLoop, "operon-incident-writer");
        this.writer.setDaemon(true);
    }

    /**
     * Opens the store on the {@value #CACHE} and {@value #ALERTS_CACHE} caches of {@code state}, loads every
     * incident kept there and starts its writer. Resolved incidents are kept for
     * {@link OperonState#retention()}. {@link #close} it before closing {@code state}.
     */
    public static IncidentStore open(OperonState state) {
        Objects.requireNonNull(state, "state");
        IncidentStore store = new IncidentStore(state.durableCache(CACHE), state.durableCache(ALERTS_CACHE),
                state.retention());
        store.load();
        store.writer.start();
        return store;
    }

    /** How long a resolved incident is kept after it was resolved. */
    public Duration retention() {
        return retention;
    }

    /**
     * Keeps {@code snapshot} unless the store already has a snapshot of its id with the same or a higher
     * {@code version}. Reads show it when this returns; it is on disk moments later (see the class comment).
     *
     * @return true when it was kept, false when an equal or newer one was already kept
     * @throws IllegalArgumentException when the snapshot has no non-blank String {@code id}, no integral
     *                                  {@code version}, or a {@code status} other than open, acknowledged or
     *                                  resolved, or when it holds values JSON cannot represent
     * @throws IllegalStateException    when the store is closed
     */
    public synchronized boolean apply(Map<String, Object> snapshot) {
        Objects.requireNonNull(snapshot, "snapshot");
        if (closing) {
            throw new IllegalStateException("the incident store is closed");
        }
        String id = idOf(snapshot);
        long version = versionOf(snapshot);
        statusOf(snapshot);
        Kept previous = kept.get(id);
        if (previous != null && previous.version() >= version) {
            return false;
        }
        Set<String> changedMembers = new LinkedHashSet<>();
        Kept now = keep(id, snapshot, previous, changedMembers);
        kept.put(id, now);
        unwritten.computeIfAbsent(id, k -> new LinkedHashSet<>()).addAll(changedMembers);
        changesApplied++;
        notifyAll();
        notifyWaiters(now);
        return true;
    }

    /**
     * Applies the snapshot a decision carries: decisions whose type starts with {@value #DECISION_PREFIX}
     * and whose param {@value #DECISION_PARAM} is a map. Every other decision is ignored. A malformed
     * snapshot is logged as an error and ignored, so that a faulty rule cannot stop the caller (the
     * engine's decision listener).
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
            if (query.admits(k.status(), k.head().get(CORRELATION_KEY))) {
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
     * time readable counts as resolved long ago. Reads stop showing them at once; the writer removes them
     * from disk.
     *
     * @return how many were removed
     */
    public synchronized int collectGarbage(Instant now) {
        if (closing) {
            return 0;
        }
        Instant cutoff = now.minus(retention);
        int removed = 0;
        for (Kept k : List.copyOf(kept.values())) {
            if (RESOLVED.equals(k.status()) && !k.resolvedAt().isAfter(cutoff)) {
                kept.remove(k.id());
                Set<String> fps = unwritten.computeIfAbsent(k.id(), key -> new LinkedHashSet<>());
                if (k.members() != null) {
                    for (Member m : k.members()) {
                        fps.add(m.fingerprint());
                    }
                }
                positions.remove(k.id());
                changesApplied++;
                removed++;
            }
        }
        if (removed > 0) {
            notifyAll();
            LOG.info("removed {} incident(s) resolved more than {} ago", removed, retention);
        }
        return removed;
    }

    /** True when everything applied so far is on disk. */
    public synchronized boolean isSettled() {
        return changesWritten == changesApplied;
    }

    /**
     * Waits until everything applied before this call is on disk, at most {@code timeout}.
     *
     * @return true when it is, false when the wait timed out (a failing disk: the writer keeps trying)
     */
    public synchronized boolean flush(Duration timeout) throws InterruptedException {
        long target = changesApplied;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (changesWritten < target) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !writer.isAlive()) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    /**
     * Writes what is left (waiting up to 30 s for a failing disk) and stops the writer. Applying afterwards
     * fails; reads keep working. Idempotent.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closing) {
                return;
            }
            closing = true;
            notifyAll();
        }
        try {
            writer.join(CLOSE_TIMEOUT.toMillis() + 5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            if (changesWritten < changesApplied) {
                LOG.error("incident store closed with {} change(s) not on disk; the journal's replay at the next "
                        + "start makes them again", changesApplied - changesWritten);
            }
        }
    }

    // ---- keeping a snapshot

    /**
     * The snapshot as kept: its members apart when it has the usual shape (each member reused from
     * {@code previous} when unchanged), else whole. Adds to {@code changedMembers} every fingerprint whose
     * stored member is to be written or removed, and brings {@link #positions} up to date, last, once
     * nothing can fail any more (a snapshot with a value JSON cannot represent fails and changes nothing).
     */
    private Kept keep(String id, Map<String, Object> snapshot, Kept previous, Set<String> changedMembers) {
        Member[] before = previous == null || previous.members() == null ? NO_MEMBERS : previous.members();
        Map<String, Integer> index = positions.getOrDefault(id, Map.of());
        List<String> appended = new ArrayList<>();
        Member[] apart = membersAppended(snapshot, previous, index, changedMembers, appended);
        int notifiedCount;
        Map<String, Integer> newIndex = null;
        if (apart != null) {
            notifiedCount = previous.notifiedCount();
        } else {
            changedMembers.clear();
            LinkedHashMap<String, Member> walked = membersApart(snapshot, previous, before, index, changedMembers);
            if (walked == null) {
                Kept whole = Kept.of(frozenObject(snapshot), null, null, null, 0);
                changedMembers.clear();
                for (Member m : before) {
                    changedMembers.add(m.fingerprint());
                }
                positions.remove(id);
                return whole;
            }
            for (Member m : before) {
                if (!walked.containsKey(m.fingerprint())) {
                    changedMembers.add(m.fingerprint());
                }
            }
            apart = walked.values().toArray(NO_MEMBERS);
            newIndex = new HashMap<>(Math.max(16, apart.length * 4 / 3 + 1));
            notifiedCount = 0;
            for (int i = 0; i < apart.length; i++) {
                newIndex.put(apart[i].fingerprint(), i);
                if (apart[i].notified() != null) {
                    notifiedCount++;
                }
            }
        }
        Map<String, Object> head = new LinkedHashMap<>();
        snapshot.forEach((key, value) -> head.put(key,
                ALERTS.equals(key) || NOTIFIED_ALERTS.equals(key) ? null : frozen(value)));
        Kept made = Kept.of(Collections.unmodifiableMap(head), apart, ((List<?>) snapshot.get(ALERTS)).toArray(),
                snapshot.get(NOTIFIED_ALERTS), notifiedCount);
        if (newIndex != null) {
            positions.put(id, newIndex);
        } else {
            Map<String, Integer> known = positions.get(id);
            for (int i = 0; i < appended.size(); i++) {
                known.put(appended.get(i), before.length + i);
            }
        }
        return made;
    }

    /**
     * The members of a snapshot that changes the previous one only by members changed in place and members
     * appended (as the rules' snapshots do), found without walking the members: an entry that is the very
     * map the previous snapshot held at its position is that member, unchanged. Null when the snapshot is
     * not of that kind (then {@link #membersApart} walks them all); adds to {@code changed} the fingerprints
     * of the changed and appended members, and to {@code appended} those of the appended ones.
     */
    private Member[] membersAppended(Map<String, Object> snapshot, Kept previous, Map<String, Integer> index,
                                     Set<String> changed, List<String> appended) {
        if (previous == null || previous.members() == null || previous.sources() == null
                || !(snapshot.get(ALERTS) instanceof List<?> alerts)) {
            return null;
        }
        Object n = snapshot.get(NOTIFIED_ALERTS);
        if (snapshot.containsKey(NOTIFIED_ALERTS) && !(n instanceof Map<?, ?>)) {
            return null;
        }
        Map<?, ?> notified = n == null ? Map.of() : (Map<?, ?>) n;
        // The same notifiedAlerts map as last time (each of its fingerprints was matched to a member then,
        // in order), or none before and now: every member kept in place keeps its state in it.
        if (notified.isEmpty() ? previous.notifiedCount() != 0 : previous.notifiedSource() != notified) {
            return null;
        }
        Member[] before = previous.members();
        Object[] sources = previous.sources();
        int size = alerts.size();
        if (size < before.length) {
            return null;
        }
        Member[] apart = Arrays.copyOf(before, size);
        for (int position = 0; position < size; position++) {
            Object entry = alerts.get(position);
            if (position < before.length && entry == sources[position]) {
                continue;
            }
            if (!(entry instanceof Map<?, ?> alert) || !(alert.get(FINGERPRINT) instanceof String fp)) {
                return null;
            }
            if (position < before.length) {
                Member was = before[position];
                if (!was.fingerprint().equals(fp)) {
                    return null;
                }
                // A member in place keeps its state: the notifiedAlerts map is the previous one, or empty.
                if (was.alert().equals(alert)) {
                    apart[position] = new Member(fp, position, alert, was.alert(), was.notified());
                } else {
                    apart[position] = new Member(fp, position, alert, frozenObject(alert), was.notified());
                    changed.add(fp);
                }
            } else {
                // A new fingerprint (so in no notifiedAlerts map the previous snapshot matched), once.
                if (index.containsKey(fp) || !changed.add(fp)) {
                    return null;
                }
                apart[position] = new Member(fp, position, alert, frozenObject(alert), null);
                appended.add(fp);
            }
        }
        return apart;
    }

    /** The members of a snapshot of the usual shape, walked one by one, else null (see the class comment). */
    private LinkedHashMap<String, Member> membersApart(Map<String, Object> snapshot, Kept previous,
                                                      Member[] before, Map<String, Integer> index,
                                                      Set<String> changedMembers) {
        if (!(snapshot.get(ALERTS) instanceof List<?> alerts)) {
            return null;
        }
        Map<?, ?> notified = Map.of();
        if (snapshot.containsKey(NOTIFIED_ALERTS)) {
            if (!(snapshot.get(NOTIFIED_ALERTS) instanceof Map<?, ?> n)) {
                return null;
            }
            notified = n;
        }
        Iterator<?> notifiedInOrder = notified.keySet().iterator();
        int notifiedSeen = 0;
        // The same notifiedAlerts map as last time: every earlier member's state in it is the one kept.
        boolean notifiedSame = previous != null && !notified.isEmpty() && previous.notifiedSource() == notified;
        LinkedHashMap<String, Member> apart = new LinkedHashMap<>(Math.max(16, alerts.size() * 4 / 3 + 1));
        int position = 0;
        for (Object entry : alerts) {
            Member same = position < before.length ? before[position] : null;
            if (same != null && same.source() == entry && same.position() == position
                    && (notifiedSame || (notified.isEmpty() && same.notified() == null))) {
                // The very map at the same position (the rules' snapshots share an unchanged member's map):
                // kept as it is, without looking anything up.
                if (same.notified() != null) {
                    if (!notifiedInOrder.hasNext() || !same.fingerprint().equals(notifiedInOrder.next())) {
                        return null;
                    }
                    notifiedSeen++;
                }
                if (apart.putIfAbsent(same.fingerprint(), same) != null) {
                    return null;
                }
                position++;
                continue;
            }
            if (!(entry instanceof Map<?, ?> alert) || !(alert.get(FINGERPRINT) instanceof String fp)
                    || apart.containsKey(fp)) {
                return null;
            }
            String state = null;
            Object n = notified.isEmpty() ? null : notified.get(fp);
            if (n != null) {
                if (!(n instanceof String s) || !notifiedInOrder.hasNext() || !fp.equals(notifiedInOrder.next())) {
                    return null;
                }
                state = s;
                notifiedSeen++;
            }
            Integer at = index.get(fp);
            Member was = at == null ? null : before[at];
            Member member;
            if (was != null && was.position() == position && Objects.equals(was.notified(), state)
                    && (was.source() == alert || was.alert().equals(alert))) {
                member = was.source() == alert ? was : new Member(fp, position, alert, was.alert(), state);
            } else {
                member = new Member(fp, position, alert, frozenObject(alert), state);
                changedMembers.add(fp);
            }
            apart.put(fp, member);
            position++;
        }
        return notifiedSeen == notified.size() ? apart : null;
    }

    // ---- loading and writing
    //
    // On disk a change of an incident kept apart is written as: each changed member under a key of its own
    // and the snapshot's version (a removed member as a tombstone), then the head; only after the head are
    // the members' earlier entries (and the tombstones) removed. The head is the commit point: loading
    // takes, per member, its entry of the highest version not above the head's, and removes every other
    // entry. So a crash in the middle of a write leaves the incident as its last head says.

    private void load() {
        Map<String, Map<String, List<StoredMember>>> storedMembers = new LinkedHashMap<>();
        try (CloseableIterator<String> values = members.values().iterator()) {
            while (values.hasNext()) {
                try {
                    StoredMember m = StoredMember.of(read(values.next()));
                    storedMembers.computeIfAbsent(m.incident(), k -> new LinkedHashMap<>())
                            .computeIfAbsent(m.fingerprint(), k -> new ArrayList<>()).add(m);
                } catch (IllegalArgumentException | IllegalStateException e) {
                    LOG.error("ignoring a stored incident alert that cannot be read: {}", e.getMessage());
                }
            }
        }
        Set<String> unreadable = new LinkedHashSet<>();
        int loaded = 0;
        try (CloseableIterator<Map.Entry<String, String>> entries = heads.entrySet().iterator()) {
            while (entries.hasNext()) {
                Map.Entry<String, String> entry = entries.next();
                try {
                    Map<String, Object> json = read(entry.getValue());
                    Kept k;
                    if (LAYOUT_MEMBERS_APART.equals(json.get("layout")) && json.get("snapshot") instanceof Map<?, ?>) {
                        @SuppressWarnings("unchecked")
                        Map<String, Object> head = (Map<String, Object>) frozenObject((Map<?, ?>) json.get("snapshot"));
                        String id = idOf(head);
                        long version = versionOf(head);
                        List<StoredMember> chosen = new ArrayList<>();
                        Map<String, Long> disk = new HashMap<>();
                        storedMembers.getOrDefault(id, Map.of()).forEach((fp, versions) -> {
                            StoredMember latest = null;
                            for (StoredMember m : versions) {
                                if (m.version() <= version && (latest == null || m.version() > latest.version())) {
                                    latest = m;
                                }
                            }
                            if (latest != null && !latest.removed()) {
                                chosen.add(latest);
                                disk.put(fp, latest.version());
                            }
                        });
                        chosen.sort(Comparator.comparingInt(StoredMember::position));
                        Member[] apart = new Member[chosen.size()];
                        Map<String, Integer> index = new HashMap<>();
                        int notifiedCount = 0;
                        for (int i = 0; i < apart.length; i++) {
                            StoredMember m = chosen.get(i);
                            apart[i] = new Member(m.fingerprint(), m.position(), null, m.alert(), m.notified());
                            index.put(m.fingerprint(), i);
                            notifiedCount += m.notified() == null ? 0 : 1;
                        }
                        k = Kept.of(head, apart, null, null, notifiedCount);
                        positions.put(id, index);
                        onDisk.put(id, disk);
                    } else {
                        k = Kept.of(frozenObject(json), null, null, null, 0);
                    }
                    kept.put(k.id(), k);
                    loaded++;
                } catch (IllegalArgumentException | IllegalStateException e) {
                    // Its members, if any, are left alone: a later version of Operon may read it.
                    unreadable.add(entry.getKey());
                    LOG.error("ignoring a stored incident that cannot be read: {}", e.getMessage());
                }
            }
        }
        // Every other member entry: superseded, newer than its head (a write cut short), or of no incident.
        storedMembers.forEach((id, byFingerprint) -> {
            if (unreadable.contains(id)) {
                return;
            }
            Map<String, Long> disk = onDisk.getOrDefault(id, Map.of());
            byFingerprint.forEach((fp, versions) -> {
                for (StoredMember m : versions) {
                    Long keptVersion = disk.get(fp);
                    if (keptVersion == null || keptVersion != m.version()) {
                        leftOver.add(memberKey(id, fp, m.version()));
                    }
                }
            });
        });
        LOG.info("incident store open: {} incident(s) kept{}", loaded,
                leftOver.isEmpty() ? "" : ", " + leftOver.size() + " left-over alert entries to remove");
    }

    private void writeLoop() {
        if (!leftOver.isEmpty()) {
            try {
                removeAll(members, leftOver);
            } catch (RuntimeException e) {
                LOG.error("could not remove {} left-over incident alert entries (removed at the next start): {}",
                        leftOver.size(), e.toString());
            }
            leftOver.clear();
        }
        long closingDeadline = Long.MAX_VALUE;
        while (true) {
            Map<String, Set<String>> batch;
            Map<String, Kept> current = new LinkedHashMap<>();
            Map<String, Map<String, Member>> changed = new HashMap<>();
            long upTo;
            synchronized (this) {
                while (unwritten.isEmpty() && !closing) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (unwritten.isEmpty()) {
                    return;
                }
                batch = unwritten;
                unwritten = new LinkedHashMap<>();
                upTo = changesApplied;
                batch.forEach((id, fps) -> {
                    Kept k = kept.get(id);
                    current.put(id, k);
                    if (k != null && k.members() != null) {
                        // The members as `kept` holds them now, found through the positions of the same moment.
                        Map<String, Integer> index = positions.get(id);
                        Map<String, Member> byFingerprint = new HashMap<>();
                        for (String fp : fps) {
                            Integer at = index.get(fp);
                            byFingerprint.put(fp, at == null ? null : k.members()[at]);
                        }
                        changed.put(id, byFingerprint);
                    }
                });
            }
            try {
                write(batch, current, changed);
                synchronized (this) {
                    changesWritten = upTo;
                    notifyAll();
                }
            } catch (Throwable e) {
                synchronized (this) {
                    // Kept for the next try, merged with what was applied meanwhile.
                    Map<String, Set<String>> retry = batch;
                    unwritten.forEach((id, fps) -> retry.computeIfAbsent(id, k -> new LinkedHashSet<>()).addAll(fps));
                    unwritten = retry;
                    LOG.error("could not write {} incident(s) to disk, trying again in 1 s: {}", batch.size(), e.toString());
                    if (closing) {
                        closingDeadline = Math.min(closingDeadline, System.nanoTime() + CLOSE_TIMEOUT.toNanos());
                        if (System.nanoTime() > closingDeadline) {
                            return;
                        }
                    }
                    try {
                        wait(1000);
                    } catch (InterruptedException ie) {
                        return;
                    }
                }
            }
        }
    }

    /**
     * One batch (see the comment of this section): changed members and tombstones, forced to disk; the
     * heads; removed heads; then the entries the new heads superseded.
     */
    private void write(Map<String, Set<String>> batch, Map<String, Kept> current,
                       Map<String, Map<String, Member>> changed) {
        Map<String, String> memberPuts = new LinkedHashMap<>();
        Map<String, String> headPuts = new LinkedHashMap<>();
        List<String> headRemoves = new ArrayList<>();
        List<String> superseded = new ArrayList<>();
        Map<String, Map<String, Long>> nowOnDisk = new LinkedHashMap<>();
        batch.forEach((id, fps) -> {
            Kept k = current.get(id);
            Map<String, Long> disk = onDisk.getOrDefault(id, Map.of());
            if (k == null || k.members() == null) {
                if (k == null) {
                    headRemoves.add(id);
                } else {
                    headPuts.put(id, headJson(k));
                }
                disk.forEach((fp, v) -> superseded.add(memberKey(id, fp, v)));
                nowOnDisk.put(id, null);
                return;
            }
            long version = k.version();
            Map<String, Long> after = new HashMap<>(disk);
            Map<String, Member> byFingerprint = changed.get(id);
            for (String fp : fps) {
                Member m = byFingerprint.get(fp);
                Long before = disk.get(fp);
                if (m != null) {
                    memberPuts.put(memberKey(id, fp, version), memberJson(id, fp, version, m));
                    after.put(fp, version);
                } else if (before != null) {
                    memberPuts.put(memberKey(id, fp, version), tombstoneJson(id, fp, version));
                    superseded.add(memberKey(id, fp, version));
                    after.remove(fp);
                }
                if (before != null && before != version) {
                    superseded.add(memberKey(id, fp, before));
                }
            }
            headPuts.put(id, headJson(k));
            nowOnDisk.put(id, after);
        });
        if (!memberPuts.isEmpty()) {
            members.getAdvancedCache().withFlags(Flag.IGNORE_RETURN_VALUES).putAll(memberPuts);
        }
        if (!headPuts.isEmpty()) {
            heads.getAdvancedCache().withFlags(Flag.IGNORE_RETURN_VALUES).putAll(headPuts);
        }
        removeAll(heads, headRemoves);
        removeAll(members, superseded);
        nowOnDisk.forEach((id, disk) -> {
            if (disk == null || disk.isEmpty()) {
                onDisk.remove(id);
            } else {
                onDisk.put(id, disk);
            }
        });
    }

    /** Removes the keys concurrently, so that the file store forces them to disk together. */
    private static void removeAll(Cache<String, String> cache, List<String> keys) {
        if (keys.isEmpty()) {
            return;
        }
        // Without IGNORE_RETURN_VALUES: with it, Infinispan does not load an entry that is only in the file
        // store (as after a restart) and leaves it there (see SilenceStore#remove).
        CompletableFuture<?>[] removals = keys.stream().map(cache::removeAsync).toArray(CompletableFuture[]::new);
        CompletableFuture.allOf(removals).join();
    }

    private String headJson(Kept k) {
        if (k.members() == null) {
            return write(k.head());
        }
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("layout", LAYOUT_MEMBERS_APART);
        record.put("snapshot", k.head());
        return write(record);
    }

    private String memberJson(String id, String fp, long version, Member m) {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("incident", id);
        record.put("fingerprint", fp);
        record.put("version", version);
        record.put("position", m.position());
        record.put("notified", m.notified());
        record.put("alert", m.alert());
        return write(record);
    }

    private String tombstoneJson(String id, String fp, long version) {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("incident", id);
        record.put("fingerprint", fp);
        record.put("version", version);
        record.put("removed", true);
        return write(record);
    }

    /** Unambiguous for any id, fingerprint and version. */
    private static String memberKey(String id, String fp, long version) {
        return id.length() + ":" + id + fp + "@" + version;
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

    private String write(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the incident snapshot cannot be written as JSON: "
                    + e.getOriginalMessage(), e);
        }
    }

    private Map<String, Object> read(String json) {
        try {
            return mapper.readValue(json, JSON_OBJECT);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored incident is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    // ---- JSON values

    @SuppressWarnings("unchecked")
    private Map<String, Object> frozenObject(Map<?, ?> map) {
        return (Map<String, Object>) frozen(map);
    }

    /**
     * The value as JSON would give it back, unmodifiable all the way down: what Jackson writes and reads
     * again (integers as Integer, Long or BigInteger by size, maps with string keys, lists); the usual
     * types are copied directly, anything else goes through JSON.
     */
    private Object frozen(Object value) {
        if (value == null || value instanceof String || value instanceof Boolean || value instanceof Integer) {
            return value;
        }
        if (value instanceof Long l) {
            return l == l.intValue() ? (Object) l.intValue() : l;
        }
        if (value instanceof Short || value instanceof Byte) {
            return ((Number) value).intValue();
        }
        if (value instanceof BigInteger big) {
            return big.bitLength() < 32 ? (Object) big.intValue() : big.bitLength() < 64 ? (Object) big.longValue() : big;
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>(Math.max(16, map.size() * 4 / 3 + 1));
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!(e.getKey() instanceof String key)) {
                    return throughJson(value);
                }
                copy.put(key, frozen(e.getValue()));
            }
            return Collections.unmodifiableMap(copy);
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            list.forEach(v -> copy.add(frozen(v)));
            return Collections.unmodifiableList(copy);
        }
        return throughJson(value);
    }

    private Object throughJson(Object value) {
        Object read;
        try {
            read = mapper.readValue(write(value), Object.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the incident snapshot cannot be read back from JSON: "
                    + e.getOriginalMessage(), e);
        }
        return read instanceof Map<?, ?> || read instanceof List<?> ? frozen(read) : read;
    }

    // ---- fields

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

    /**
     * One member alert kept apart: its position in {@code alerts}, the map it was given as (null when
     * loaded), that map as JSON values, and its state in {@code notifiedAlerts} (null when none).
     */
    private record Member(String fingerprint, int position, Map<?, ?> source, Map<String, Object> alert, String notified) {
    }

    /** A member alert as stored in {@value #ALERTS_CACHE} at a version of its incident, or its tombstone. */
    private record StoredMember(String incident, String fingerprint, long version, boolean removed, int position,
                                Map<String, Object> alert, String notified) {
        @SuppressWarnings("unchecked")
        static StoredMember of(Map<String, Object> json) {
            if (!(json.get("incident") instanceof String incident) || !(json.get("fingerprint") instanceof String fp)
                    || !(json.get("version") instanceof Number version)) {
                throw new IllegalArgumentException("an incident alert needs 'incident', 'fingerprint' and 'version'");
            }
            if (Boolean.TRUE.equals(json.get("removed"))) {
                return new StoredMember(incident, fp, version.longValue(), true, -1, null, null);
            }
            if (!(json.get("position") instanceof Integer position) || !(json.get("alert") instanceof Map<?, ?> alert)) {
                throw new IllegalArgumentException("an incident alert needs 'position' and 'alert'");
            }
            String notified = json.get("notified") instanceof String n ? n : null;
            return new StoredMember(incident, fp, version.longValue(), false, position,
                    (Map<String, Object>) frozenJson(alert), notified);
        }

        /** Values read by Jackson are JSON values already: only made unmodifiable. */
        private static Object frozenJson(Object value) {
            if (value instanceof Map<?, ?> map) {
                Map<String, Object> copy = new LinkedHashMap<>();
                map.forEach((k, v) -> copy.put((String) k, frozenJson(v)));
                return Collections.unmodifiableMap(copy);
            }
            if (value instanceof List<?> list) {
                List<Object> copy = new ArrayList<>(list.size());
                list.forEach(v -> copy.add(frozenJson(v)));
                return Collections.unmodifiableList(copy);
            }
            return value;
        }
    }

    /**
     * A kept snapshot: its head (every field, unmodifiable; with members apart, {@code alerts} and
     * {@code notifiedAlerts} hold null there) and its members apart (null when kept whole), with what
     * listing and retention need. The whole snapshot is assembled when first read.
     */
    private static final class Kept {
        private final String id;
        private final long version;
        private final String status;
        private final Instant updatedAt;
        private final Instant resolvedAt;
        private final Map<String, Object> head;
        /** The members in order; never changed once kept. */
        private final Member[] members;
        /** The entries of {@code alerts} as given, by position (null when loaded), for the next change. */
        private final Object[] sources;
        /** The {@code notifiedAlerts} map of the snapshot as given (null when loaded), for the next change. */
        private final Object notifiedSource;
        /** How many members have a state in {@code notifiedAlerts}. */
        private final int notifiedCount;
        private volatile Map<String, Object> snapshot;

        private Kept(Map<String, Object> head, Member[] members, Object[] sources, Object notifiedSource,
                     int notifiedCount) {
            this.head = head;
            this.members = members;
            this.sources = sources;
            this.notifiedSource = notifiedSource;
            this.notifiedCount = notifiedCount;
            this.id = idOf(head);
            this.version = versionOf(head);
            this.status = statusOf(head);
            this.updatedAt = Objects.requireNonNullElse(instant(head.get(UPDATED_AT)), Instant.MIN);
            this.resolvedAt = Objects.requireNonNullElse(instant(head.get(RESOLVED_AT)), updatedAt);
        }

        static Kept of(Map<String, Object> head, Member[] members, Object[] sources, Object notifiedSource,
                       int notifiedCount) {
            return new Kept(head, members, sources, notifiedSource, notifiedCount);
        }

        Object notifiedSource() { return notifiedSource; }

        Object[] sources() { return sources; }

        int notifiedCount() { return notifiedCount; }

        String id() { return id; }

        long version() { return version; }

        String status() { return status; }

        Instant updatedAt() { return updatedAt; }

        Instant resolvedAt() { return resolvedAt; }

        Map<String, Object> head() { return head; }

        /** The members in order (do not change the array), or null when kept whole. */
        Member[] members() { return members; }

        Map<String, Object> snapshot() {
            Map<String, Object> s = snapshot;
            if (s == null) {
                s = members == null ? head : assemble();
                snapshot = s;
            }
            return s;
        }

        private Map<String, Object> assemble() {
            List<Object> alerts = new ArrayList<>(members.length);
            Map<String, Object> notified = new LinkedHashMap<>();
            for (Member m : members) {
                alerts.add(m.alert());
                if (m.notified() != null) {
                    notified.put(m.fingerprint(), m.notified());
                }
            }
            Map<String, Object> s = new LinkedHashMap<>(head);
            s.put(ALERTS, Collections.unmodifiableList(alerts));
            if (head.containsKey(NOTIFIED_ALERTS)) {
                s.put(NOTIFIED_ALERTS, Collections.unmodifiableMap(notified));
            }
            return Collections.unmodifiableMap(s);
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
