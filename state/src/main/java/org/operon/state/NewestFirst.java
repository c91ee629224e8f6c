package org.operon.state;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Keeps the {@code limit} greatest of the items offered to it, in memory bounded by {@code limit}, and
 * hands them back greatest first. Offering n items costs O(n log limit).
 */
final class NewestFirst<T> {
    /** The most entries any {@code latest(limit)} returns, whatever limit is asked for. */
    static final int MAX_LIMIT = 1000;

    private final int limit;
    private final Comparator<T> order;
    private final PriorityQueue<T> kept;

    /**
     * @param limit how many to keep; capped at {@link #MAX_LIMIT}, and 0 when not positive
     * @param order ascending order: the greatest item is the newest
     */
    NewestFirst(int limit, Comparator<T> order) {
        this.limit = Math.max(0, Math.min(limit, MAX_LIMIT));
        this.order = order;
        this.kept = new PriorityQueue<>(Math.max(1, this.limit + 1), order);
    }

    void offer(T item) {
        if (limit == 0) {
            return;
        }
        if (kept.size() < limit) {
            kept.add(item);
        } else if (order.compare(item, kept.peek()) > 0) {
            kept.poll();
            kept.add(item);
        }
    }

    List<T> newestFirst() {
        List<T> result = new ArrayList<>(kept);
        result.sort(order.reversed());
        return result;
    }
}
