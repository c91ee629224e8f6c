package org.operon.state;

import org.infinispan.Cache;
import org.infinispan.commons.util.CloseableIterator;
import org.infinispan.context.Flag;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Dead letters in an Infinispan cache, under keys that sort in the order the letters were added:
 * {@code <epoch millis of Operon's clock, 19 digits>-<counter of this process, 10 digits>-<letter id>}.
 * The counter orders letters added in the same millisecond; the id keeps keys unique across restarts,
 * when the counter starts again from 0.
 *
 * <p>{@link #latest(int)} reads every key (memory and file store) keeping a bounded top-N, then fetches
 * only those values: O(n log limit) over the keys, O(limit) memory. {@link #count()} counts memory and
 * store. Letters expire after the configured retention.
 */
final class InfinispanDeadLetterStore implements DeadLetterStore {
    private final Cache<String, String> cache;
    private final JsonCodec json;
    private final Clock clock;
    private final AtomicLong counter = new AtomicLong();

    InfinispanDeadLetterStore(Cache<String, String> cache, JsonCodec json, Clock clock) {
        this.cache = cache;
        this.json = json;
        this.clock = clock;
    }

    @Override
    public void add(DeadLetter letter) {
        Objects.requireNonNull(letter.id(), "a dead letter needs an id");
        String key = String.format("%019d-%010d-%s", clock.millis(), counter.incrementAndGet(), letter.id());
        cache.getAdvancedCache().withFlags(Flag.IGNORE_RETURN_VALUES).put(key, json.write(letter));
    }

    /** At most {@code limit} letters (capped at 1000; none when not positive), the last added first. */
    @Override
    public List<DeadLetter> latest(int limit) {
        if (limit <= 0) {
            return List.of();
        }
        NewestFirst<String> top = new NewestFirst<>(limit, Comparator.<String>naturalOrder());
        try (CloseableIterator<String> keys = cache.keySet().iterator()) {
            while (keys.hasNext()) {
                top.offer(keys.next());
            }
        }
        List<String> newest = top.newestFirst();
        Map<String, String> values = cache.getAdvancedCache().getAll(new HashSet<>(newest));
        List<DeadLetter> result = new ArrayList<>(newest.size());
        for (String key : newest) {
            String value = values.get(key);
            if (value != null) { // expired between the key scan and the read
                result.add(json.read(value, DeadLetter.class));
            }
        }
        return result;
    }

    @Override
    public long count() {
        return cache.size();
    }
}
