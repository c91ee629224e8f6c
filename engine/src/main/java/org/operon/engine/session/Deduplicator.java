package org.operon.engine.session;

import org.operon.model.Event;

import java.util.List;

/**
 * Tells a copy of an event from a new one before it enters the session: the identities
 * (CloudEvents {@code source} and {@code id}) of the events accepted in the last {@link #horizonMillis()}
 * of session time, each with the arrival time of its accepted event, forgotten in order of arrival.
 *
 * <p>An event is a <em>copy</em> when an event of the same identity was accepted at most the horizon
 * before it (inclusive: a copy arriving exactly 10 minutes after the original is still a copy, one
 * arriving 1 ms later is accepted as new). A copy does not extend the horizon: it is counted from the
 * accepted event. An accepted event that a rule deleted ({@link #forget}: alert reports, operator
 * commands, ticket changes and action results are consumed at once) no longer makes later events
 * copies; the next event of its identity is accepted in its place.
 *
 * <p>Compact: an identity is kept as a 128-bit hash of its two strings (MurmurHash3's x64 128-bit
 * mixing over their UTF-16 code units, lengths included), not the strings or the event, in three
 * parallel arrays in order of arrival (a ring) plus an open-addressing index into them: 40 to 80
 * bytes per identity (power-of-two array sizes; 40 when the ring is full), so 10 minutes at
 * 1,000 events/s (600,000 identities) take 40 MiB. At most {@link #maxRemembered()} identities are kept
 * (by default {@value #DEFAULT_MAX_REMEMBERED}, 80 MiB): at a rate that would remember more within the
 * horizon (above about 3,500 events/s for 10 minutes), the oldest identity is forgotten early for each new one,
 * so the memory stays bounded and copies are still told within the last that many accepted events
 * ({@link #forgottenEarly()} counts them). Two different identities are taken for one only if their 128-bit hashes
 * collide (about 10<sup>-27</sup> for 600,000 identities); a sender could reach the same effect
 * anyway by sending the other sender's source and id, which CloudEvents does not authenticate.
 *
 * <p>Not thread-safe: the session's thread owns it.
 */
final class Deduplicator {

    private static final long C1 = 0x87c37b91114253d5L;
    private static final long C2 = 0x4cf5ad432745937fL;
    private static final int INITIAL_CAPACITY = 1 << 12;
    /** Identities remembered at most, unless the constructor says otherwise. */
    static final int DEFAULT_MAX_REMEMBERED = 1 << 21;

    private final long horizon;
    private final int maxRemembered;
    private long forgottenEarly;

    // The ring: accepted identities in order of arrival, positions head (oldest) .. tail (exclusive).
    private long[] hashHigh = new long[INITIAL_CAPACITY];
    private long[] hashLow = new long[INITIAL_CAPACITY];
    private long[] arrival = new long[INITIAL_CAPACITY];
    private long head;
    private long tail;

    /**
     * Open addressing, linear probing, two ints per slot: the ring index + 1 of an identity remembered
     * (0: the slot is empty) and the low 32 bits of its hash, so that a probe past other identities
     * seldom reads the ring (a cache miss each). Twice as many slots as the ring has places.
     */
    private int[] index = new int[INITIAL_CAPACITY * 4];
    private int remembered;
    private long latestArrival = Long.MIN_VALUE;

    /** {@link #prefetch}'s slots to read, reused. */
    private int[] homes = new int[0];
    /**
     * The hashes {@link #prefetch} computed, in the batch's order, for {@link #admit} to take instead of hashing
     * each event again: the event at {@link #batchNext} (by identity) has {@code batchHigh[batchNext]} and
     * {@code batchLow[batchNext]}.
     */
    private Event[] batchEvents = new Event[0];
    private long[] batchHigh = new long[0];
    private long[] batchLow = new long[0];
    private int batchNext;
    private int batchSize;
    /** The longest identity (source and id) whose hashing buffer is kept for the next events. */
    private static final int MAX_KEPT_CHARS = 4096;
    /** The characters of the identity being hashed, reused. */
    private char[] chars = new char[128];
    /** The sum of {@link #prefetch}'s reads: meaningless, only kept. */
    private int prefetched;

    // The hash of the event last passed to hash(), to save recomputing it.
    private long high;
    private long low;

    Deduplicator(long horizonMillis) {
        this(horizonMillis, DEFAULT_MAX_REMEMBERED);
    }

    /** @param maxRemembered identities kept at most: a power of two, at least {@value #INITIAL_CAPACITY} */
    Deduplicator(long horizonMillis, int maxRemembered) {
        if (horizonMillis <= 0) {
            throw new IllegalArgumentException("the duplicate horizon must be positive: " + horizonMillis + " ms");
        }
        if (maxRemembered < INITIAL_CAPACITY || Integer.bitCount(maxRemembered) != 1) {
            throw new IllegalArgumentException("the identities remembered at most must be a power of two of at least "
                    + INITIAL_CAPACITY + ": " + maxRemembered);
        }
        this.horizon = horizonMillis;
        this.maxRemembered = maxRemembered;
    }

    long horizonMillis() {
        return horizon;
    }

    int maxRemembered() {
        return maxRemembered;
    }

    /** Identities forgotten before the end of their horizon to make room ({@link #maxRemembered()}). */
    long forgottenEarly() {
        return forgottenEarly;
    }

    /**
     * Returns true and remembers the event's identity when it is new (or its accepted event was
     * forgotten); returns false for a copy. First forgets the identities accepted more than the horizon
     * before the latest arrival time seen.
     */
    boolean admit(Event event) {
        long at = event.getArrivalTime();
        if (at > latestArrival) {
            latestArrival = at;
            expire(at - horizon);
        }
        if (batchNext < batchSize && batchEvents[batchNext] == event) {
            high = batchHigh[batchNext];
            low = batchLow[batchNext];
            batchEvents[batchNext++] = null;
        } else {
            hash(event);
        }
        int slot = find(high, low);
        if (slot >= 0) {
            int ring = index[2 * slot] - 1;
            if (arrival[ring] + horizon >= at) {
                return false;
            }
            // Accepted long enough ago (an event earlier than the latest arrival can meet such an entry).
            removeSlot(slot);
        }
        add(high, low, at);
        return true;
    }

    /**
     * Reads the index slots that admitting {@code events} will read first: the home slot of each event's
     * identity and of the oldest identities that their admission may forget. Changes nothing. At high rates
     * the index is tens of MiB and each admission's lookups miss the cache; reading the slots here, in one
     * tight loop, lets the processor wait for many misses at once instead of one after another.
     */
    void prefetch(List<Event> events) {
        int n = events.size();
        if (homes.length < 2 * n) {
            homes = new int[2 * n];
        }
        if (batchEvents.length < n) {
            batchEvents = new Event[n];
            batchHigh = new long[n];
            batchLow = new long[n];
        }
        if (batchSize > n) {
            java.util.Arrays.fill(batchEvents, n, batchSize, null); // a longer batch before: let go of its events
        }
        int mask = (index.length >> 1) - 1;
        int count = 0;
        for (Event e : events) {
            hash(e);
            batchEvents[count] = e;
            batchHigh[count] = high;
            batchLow[count] = low;
            homes[count++] = 2 * home(high, low, mask);
        }
        batchSize = n;
        batchNext = 0;
        int ringMask = hashHigh.length - 1;
        for (long p = head, end = Math.min(tail, head + n); p < end; p++) {
            int r = (int) p & ringMask;
            homes[count++] = 2 * home(hashHigh[r], hashLow[r], mask);
        }
        int sum = 0;
        for (int i = 0; i < count; i++) {
            sum += index[homes[i]];
        }
        prefetched += sum; // a use of the reads, so that the compiler keeps them
    }

    /**
     * Forgets the identity of an accepted event that a rule deleted, so that the next event of that
     * identity is accepted. Does nothing when the identity is no longer remembered or was remembered
     * for another arrival.
     */
    void forget(Event event) {
        hash(event);
        int slot = find(high, low);
        if (slot >= 0 && arrival[index[2 * slot] - 1] == event.getArrivalTime()) {
            removeSlot(slot);
        }
    }

    /** The identities remembered now. */
    int size() {
        return remembered;
    }

    /** The identities remembered at session time {@code now}, forgetting those beyond the horizon first. */
    int size(long now) {
        if (now > latestArrival) {
            latestArrival = now;
            expire(now - horizon);
        }
        return remembered;
    }

    /** Forgets the identities accepted before {@code oldest}. */
    private void expire(long oldest) {
        int mask = hashHigh.length - 1;
        while (head < tail && arrival[(int) head & mask] < oldest) {
            forgetHead();
        }
    }

    /** Forgets the oldest place of the ring (its identity, unless forgotten or accepted again since). */
    private boolean forgetHead() {
        int ring = (int) head & (hashHigh.length - 1);
        int slot = find(hashHigh[ring], hashLow[ring]);
        head++;
        if (slot >= 0 && index[2 * slot] - 1 == ring) {
            removeSlot(slot);
            return true;
        }
        return false;
    }

    private void add(long h, long l, long at) {
        if (tail - head == hashHigh.length) {
            if (hashHigh.length < maxRemembered) {
                grow();
            } else if (forgetHead()) {
                forgottenEarly++;
            }
        }
        int ring = (int) tail & (hashHigh.length - 1);
        hashHigh[ring] = h;
        hashLow[ring] = l;
        arrival[ring] = at;
        tail++;
        int mask = (index.length >> 1) - 1;
        int slot = home(h, l, mask);
        while (index[2 * slot] != 0) {
            slot = (slot + 1) & mask;
        }
        index[2 * slot] = ring + 1;
        index[2 * slot + 1] = (int) l;
        remembered++;
    }

    /** Doubles the ring (keeping its order) and rebuilds the index for it. */
    private void grow() {
        int capacity = hashHigh.length;
        int mask = capacity - 1;
        long[] newHigh = new long[capacity * 2];
        long[] newLow = new long[capacity * 2];
        long[] newArrival = new long[capacity * 2];
        boolean[] live = new boolean[capacity];
        for (int i = 0; i < index.length; i += 2) {
            if (index[i] != 0) {
                live[index[i] - 1] = true;
            }
        }
        int[] newIndex = new int[capacity * 8];
        int newMask = (newIndex.length >> 1) - 1;
        for (long p = head; p < tail; p++) {
            int from = (int) p & mask;
            int to = (int) (p - head);
            newHigh[to] = hashHigh[from];
            newLow[to] = hashLow[from];
            newArrival[to] = arrival[from];
            if (live[from]) {
                int slot = home(newHigh[to], newLow[to], newMask);
                while (newIndex[2 * slot] != 0) {
                    slot = (slot + 1) & newMask;
                }
                newIndex[2 * slot] = to + 1;
                newIndex[2 * slot + 1] = (int) newLow[to];
            }
        }
        tail -= head;
        head = 0;
        hashHigh = newHigh;
        hashLow = newLow;
        arrival = newArrival;
        index = newIndex;
    }

    /** The index slot of the identity, or -1. */
    private int find(long h, long l) {
        int mask = (index.length >> 1) - 1;
        int slot = home(h, l, mask);
        int fragment = (int) l;
        int ref;
        while ((ref = index[2 * slot]) != 0) {
            if (index[2 * slot + 1] == fragment && hashHigh[ref - 1] == h && hashLow[ref - 1] == l) {
                return slot;
            }
            slot = (slot + 1) & mask;
        }
        return -1;
    }

    /** Empties a slot, moving later entries of its probe run back (no tombstones). */
    private void removeSlot(int slot) {
        int mask = (index.length >> 1) - 1;
        int gap = slot;
        int next = slot;
        while (true) {
            next = (next + 1) & mask;
            int ref = index[2 * next];
            if (ref == 0) {
                break;
            }
            int home = index[2 * next + 1] & mask;
            // Move the entry into the gap unless its home lies cyclically in (gap, next].
            boolean homeBetween = gap <= next ? (gap < home && home <= next) : (gap < home || home <= next);
            if (!homeBetween) {
                index[2 * gap] = ref;
                index[2 * gap + 1] = index[2 * next + 1];
                gap = next;
            }
        }
        index[2 * gap] = 0;
        remembered--;
    }

    /** The home slot: the low bits of the hash's low half (its fragment), which are well mixed. */
    private static int home(long h, long l, int mask) {
        return (int) l & mask;
    }

    /** The 128-bit hash of the event's identity, high half first (what {@link #admit} remembers). */
    long[] identityHash(Event event) {
        hash(event);
        return new long[] {high, low};
    }

    /** Sets {@link #high} and {@link #low} to the 128-bit hash of the event's source and id. */
    private void hash(Event event) {
        String source = event.getSource();
        String id = event.getId();
        long h1 = 0x9368e53c2f6af274L;
        long h2 = 0x586dcd208f7cd3fdL;
        // The lengths first, so that ("ab", "c") and ("a", "bc") differ.
        long k1 = mixK1(((long) source.length() << 32) | (id.length() & 0xffffffffL));
        h1 ^= k1;
        h1 = Long.rotateLeft(h1, 27) + h2;
        h1 = h1 * 5 + 0x52dce729;
        // The code units of source then id, in blocks of 4 (a long, the first in the low bits), two blocks
        // per round; a last odd block goes to h1, a last partial block to h2.
        int total = source.length() + id.length();
        char[] c = chars;
        if (c.length < total) {
            c = new char[total];
            if (total <= MAX_KEPT_CHARS) {
                chars = c; // kept for the next events; a longer identity's buffer is not
            }
        }
        source.getChars(0, source.length(), c, 0);
        id.getChars(0, id.length(), c, source.length());
        int i = 0;
        for (int rounds = total / 8; rounds > 0; rounds--, i += 8) {
            h1 ^= mixK1(block(c, i));
            h1 = Long.rotateLeft(h1, 27) + h2;
            h1 = h1 * 5 + 0x52dce729;
            h2 ^= mixK2(block(c, i + 4));
            h2 = Long.rotateLeft(h2, 31) + h1;
            h2 = h2 * 5 + 0x38495ab5;
        }
        if (total - i >= 4) {
            h1 ^= mixK1(block(c, i));
            i += 4;
        }
        if (i < total) {
            long partial = 0;
            for (int k = 0; i + k < total; k++) {
                partial |= (long) c[i + k] << (16 * k);
            }
            h2 ^= mixK2(partial);
        }
        h1 ^= total;
        h2 ^= total;
        h1 += h2;
        h2 += h1;
        h1 = fmix(h1);
        h2 = fmix(h2);
        h1 += h2;
        h2 += h1;
        high = h1;
        low = h2;
    }

    /** Four code units from {@code at}, the first in the low 16 bits. */
    private static long block(char[] c, int at) {
        return c[at] | (long) c[at + 1] << 16 | (long) c[at + 2] << 32 | (long) c[at + 3] << 48;
    }

    private static long mixK1(long k) {
        k *= C1;
        k = Long.rotateLeft(k, 31);
        return k * C2;
    }

    private static long mixK2(long k) {
        k *= C2;
        k = Long.rotateLeft(k, 33);
        return k * C1;
    }

    private static long fmix(long k) {
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        k *= 0xc4ceb9fe1a85ec53L;
        k ^= k >>> 33;
        return k;
    }
}
