package org.operon.engine.session;

import org.junit.jupiter.api.Test;
import org.operon.model.Event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Deduplicator: identities remembered for the horizon, in order of arrival, compactly. */
class DeduplicatorTest {
    private static final long T0 = 1_700_000_000_000L;
    private static final long HORIZON = 600_000;

    private final Deduplicator dedup = new Deduplicator(HORIZON);
    private long seq;

    private Event event(String source, String id, long arrival) {
        return Event.builder().id(id).source(source).type("t").build().stamped(++seq, arrival);
    }

    @Test
    void aCopyWithinTheHorizonIsRefusedAndOneAfterItAccepted() {
        assertThat(dedup.admit(event("s", "a", T0))).isTrue();
        assertThat(dedup.admit(event("s", "a", T0 + 1))).isFalse();
        assertThat(dedup.admit(event("s", "a", T0 + HORIZON))).as("exactly the horizon: still a copy").isFalse();
        assertThat(dedup.admit(event("s", "a", T0 + HORIZON + 1))).isTrue();
        assertThat(dedup.admit(event("s", "a", T0 + HORIZON + 2))).as("counted from the new one").isFalse();
    }

    /** The identity hash as first written (MurmurHash3 x64 128's mixing over the code units of source then id, one at a time). */
    private static long[] referenceHash(String source, String id) {
        long c1 = 0x87c37b91114253d5L;
        long c2 = 0x4cf5ad432745937fL;
        long h1 = 0x9368e53c2f6af274L;
        long h2 = 0x586dcd208f7cd3fdL;
        String all = source + id;
        long k = ((long) source.length() << 32) | (id.length() & 0xffffffffL);
        h1 ^= Long.rotateLeft(k * c1, 31) * c2;
        h1 = Long.rotateLeft(h1, 27) + h2;
        h1 = h1 * 5 + 0x52dce729;
        long block = 0;
        int inBlock = 0;
        boolean second = false;
        long first = 0;
        for (int i = 0; i < all.length(); i++) {
            block |= (long) all.charAt(i) << (16 * inBlock);
            if (++inBlock == 4) {
                if (second) {
                    h1 ^= Long.rotateLeft(first * c1, 31) * c2;
                    h1 = Long.rotateLeft(h1, 27) + h2;
                    h1 = h1 * 5 + 0x52dce729;
                    h2 ^= Long.rotateLeft(block * c2, 33) * c1;
                    h2 = Long.rotateLeft(h2, 31) + h1;
                    h2 = h2 * 5 + 0x38495ab5;
                } else {
                    first = block;
                }
                second = !second;
                block = 0;
                inBlock = 0;
            }
        }
        if (second) {
            h1 ^= Long.rotateLeft(first * c1, 31) * c2;
        }
        if (inBlock > 0) {
            h2 ^= Long.rotateLeft(block * c2, 33) * c1;
        }
        h1 ^= all.length();
        h2 ^= all.length();
        h1 += h2;
        h2 += h1;
        h1 = fmix(h1);
        h2 = fmix(h2);
        h1 += h2;
        h2 += h1;
        return new long[] {h1, h2};
    }

    private static long fmix(long k) {
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        k *= 0xc4ceb9fe1a85ec53L;
        k ^= k >>> 33;
        return k;
    }

    @Test
    void theIdentityHashIsMurmur3OverTheCodeUnitsOfEveryLength() {
        java.util.Random random = new java.util.Random(11);
        for (int sourceLength = 1; sourceLength <= 20; sourceLength++) {
            for (int idLength = 1; idLength <= 40; idLength++) {
                char[] source = new char[sourceLength];
                char[] id = new char[idLength];
                for (int i = 0; i < sourceLength; i++) {
                    source[i] = (char) (random.nextBoolean() ? 'a' + random.nextInt(26) : random.nextInt(0x10000));
                }
                for (int i = 0; i < idLength; i++) {
                    id[i] = (char) (random.nextBoolean() ? '0' + random.nextInt(10) : random.nextInt(0x10000));
                }
                Event e = event(new String(source), new String(id), T0);
                assertThat(dedup.identityHash(e)).as("%d + %d code units", sourceLength, idLength)
                        .containsExactly(referenceHash(e.getSource(), e.getId()));
            }
        }
        String longId = "x".repeat(1_000); // longer than the hashing buffer at first
        assertThat(dedup.identityHash(event("s", longId, T0))).containsExactly(referenceHash("s", longId));
    }

    @Test
    void aBatchIsHashedOnceAndItsEventsAdmittedInAnyOrder() {
        java.util.List<Event> batch = java.util.List.of(event("s", "a", T0), event("s", "b", T0), event("s", "a", T0 + 1));
        dedup.prefetch(batch);
        assertThat(dedup.admit(batch.get(1))).isTrue(); // out of order: hashed again
        assertThat(dedup.admit(batch.get(0))).isTrue();
        assertThat(dedup.admit(batch.get(2))).isFalse();
        assertThat(dedup.admit(event("s", "b", T0 + 2))).isFalse();

        java.util.List<Event> next = java.util.List.of(event("s", "c", T0 + 3), event("s", "c", T0 + 4));
        dedup.prefetch(next);
        assertThat(dedup.admit(next.get(0))).isTrue();
        assertThat(dedup.admit(next.get(1))).isFalse();
        assertThat(dedup.size()).isEqualTo(3);
    }

    @Test
    void sourceAndIdBothMakeTheIdentity() {
        assertThat(dedup.admit(event("ab", "c", T0))).isTrue();
        assertThat(dedup.admit(event("a", "bc", T0))).isTrue();
        assertThat(dedup.admit(event("c", "ab", T0))).isTrue();
        assertThat(dedup.admit(event("ab", "d", T0))).isTrue();
        assertThat(dedup.admit(event("abcd", "efgh", T0))).isTrue();
        assertThat(dedup.admit(event("abcde", "fgh", T0))).isTrue();
        assertThat(dedup.admit(event("a", "bc", T0 + 5))).isFalse();
        assertThat(dedup.admit(event("abcd", "efgh", T0 + 5))).isFalse();
        assertThat(dedup.size()).isEqualTo(6);
    }

    @Test
    void aForgottenEventsNextCopyIsNew() {
        Event first = event("s", "a", T0);
        assertThat(dedup.admit(first)).isTrue();
        dedup.forget(first);
        assertThat(dedup.size()).isZero();
        Event second = event("s", "a", T0 + 10);
        assertThat(dedup.admit(second)).isTrue();
        dedup.forget(first); // the earlier arrival: not the one remembered now
        assertThat(dedup.admit(event("s", "a", T0 + 20))).isFalse();
    }

    @Test
    void manyIdentitiesGrowTheTablesAndExpireInOrderOfArrival() {
        // 1,000 a second for 15 minutes: 600,001 remembered at most.
        int perSecond = 1_000;
        for (int s = 0; s < 900; s++) {
            for (int i = 0; i < perSecond; i++) {
                long n = (long) s * perSecond + i;
                assertThat(dedup.admit(event("/src/" + (n % 7), "id-" + n, T0 + s * 1_000L))).isTrue();
            }
            if (s % 97 == 0) {
                // a copy of an event 5 minutes old (when there is one) and one of the current second
                long old = Math.max(0, (long) (s - 300) * perSecond);
                assertThat(dedup.admit(event("/src/" + (old % 7), "id-" + old, T0 + s * 1_000L))).isFalse();
                long now = (long) s * perSecond + 3;
                assertThat(dedup.admit(event("/src/" + (now % 7), "id-" + now, T0 + s * 1_000L))).isFalse();
            }
        }
        // At 899 s: the seconds 299..899 remain (arrival >= 899 s - 600 s).
        assertThat(dedup.size()).isEqualTo(601 * perSecond);
        long gone = 298L * perSecond;
        assertThat(dedup.admit(event("/src/" + (gone % 7), "id-" + gone, T0 + 899_000))).isTrue();
        long kept = 299L * perSecond;
        assertThat(dedup.admit(event("/src/" + (kept % 7), "id-" + kept, T0 + 899_000))).isFalse();
        assertThat(dedup.size(T0 + 2_000_000)).isZero();
    }

    @Test
    void forgettingMidTableKeepsTheOthersFindable() {
        Event[] events = new Event[5_000];
        for (int i = 0; i < events.length; i++) {
            events[i] = event("s", "e" + i, T0 + i);
            assertThat(dedup.admit(events[i])).isTrue();
        }
        for (int i = 0; i < events.length; i += 3) {
            dedup.forget(events[i]);
        }
        for (int i = 0; i < events.length; i++) {
            assertThat(dedup.admit(event("s", "e" + i, T0 + 5_000))).as("e" + i).isEqualTo(i % 3 == 0);
        }
    }

    @Test
    void theHorizonMustBePositive() {
        assertThatThrownBy(() -> new Deduplicator(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void pastTheMostItRemembersTheOldestIdentitiesAreForgottenEarly() {
        Deduplicator small = new Deduplicator(HORIZON, 4096);
        for (int i = 0; i < 4096; i++) {
            assertThat(small.admit(event("s", "e" + i, T0 + i))).isTrue();
        }
        assertThat(small.forgottenEarly()).isZero();

        assertThat(small.admit(event("s", "e4096", T0 + 4096))).isTrue();
        assertThat(small.forgottenEarly()).isEqualTo(1);
        assertThat(small.size()).isEqualTo(4096);
        assertThat(small.admit(event("s", "e1", T0 + 4097))).as("still remembered").isFalse();
        assertThat(small.admit(event("s", "e0", T0 + 4097))).as("forgotten early, within the horizon").isTrue();

        for (int i = 5_000; i < 105_000; i++) {
            small.admit(event("s", "e" + i, T0 + i));
        }
        assertThat(small.size()).as("the memory stays at the most").isEqualTo(4096);
        assertThat(small.forgottenEarly()).isEqualTo(2 + 100_000);
        assertThat(small.admit(event("s", "e104999", T0 + 105_000))).isFalse();
        assertThat(small.admit(event("s", "e100904", T0 + 105_000))).as("the oldest kept").isFalse();
        assertThat(small.admit(event("s", "e100903", T0 + 105_000))).as("one older").isTrue();
    }

    @Test
    void theMostItRemembersIsAPowerOfTwoOfAtLeastItsFirstSize() {
        assertThat(new Deduplicator(HORIZON).maxRemembered()).isEqualTo(Deduplicator.DEFAULT_MAX_REMEMBERED);
        assertThatThrownBy(() -> new Deduplicator(HORIZON, 5000)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Deduplicator(HORIZON, 2048)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void prefetchingABatchChangesNothing() {
        Deduplicator plain = new Deduplicator(HORIZON, 4096);
        Deduplicator prefetching = new Deduplicator(HORIZON, 4096);
        java.util.Random random = new java.util.Random(7);
        for (int batch = 0; batch < 200; batch++) {
            java.util.List<Event> events = new java.util.ArrayList<>();
            for (int i = 0; i < 100; i++) {
                int n = random.nextInt(30_000); // copies within the horizon, past the most remembered, and new ones
                events.add(event("s" + (n % 3), "e" + n, T0 + batch * 10_000L + i));
            }
            prefetching.prefetch(events);
            for (Event e : events) {
                assertThat(prefetching.admit(e)).as(e.getId()).isEqualTo(plain.admit(e));
            }
        }
        assertThat(prefetching.size()).isEqualTo(plain.size());
        assertThat(prefetching.forgottenEarly()).isEqualTo(plain.forgottenEarly()).isPositive();
    }
}
