package org.operon.rules;

import org.kie.api.runtime.rule.RuleRuntime;
import org.operon.model.Event;

import java.util.ArrayDeque;
import java.util.HashMap;

/**
 * The events accepted in the last {@link #WINDOW_MILLIS} by their identity (source, id): the state
 * behind {@code duplicate-event.drl}. One instance is in working memory (a rule of that file inserts
 * it); its rule hands it every event once, at the event's arrival, and deletes what it names.
 *
 * <p>It replaces a join of every event with every event of the last 10 minutes: each event costs one
 * hash lookup here, and the map holds one entry per identity accepted in the window (a reference to
 * the accepted event, which working memory holds anyway until it expires), not a rule memory of
 * every event on both sides of a join. The rule's condition calls {@link #seenBefore} (which remembers
 * a new identity), so only copies cause a rule firing.
 *
 * <p>An event is a duplicate while the accepted event of its identity is still in working memory
 * (which is what the join matched): it expires {@link #WINDOW_MILLIS} after its arrival (events.drl),
 * and rules that consume events (alert reports, incident commands, ticket changes) delete them at
 * once. The lower journal sequence number wins. Entries are dropped once their event has certainly
 * expired (the clock is past arrival + window), on the next call.
 *
 * <p>Not thread-safe; only the session's rules touch it (and {@link #size} in tests).
 */
public final class SeenEvents {

    /** How long an accepted event's identity is remembered: the events' expiry in events.drl. */
    public static final long WINDOW_MILLIS = 10 * 60_000L;

    /** By identity, the accepted event. */
    private final HashMap<Identity, Event> accepted = new HashMap<>();
    /** The events accepted, in the order accepted (so roughly by arrival time), to forget them. */
    private final ArrayDeque<Event> order = new ArrayDeque<>();
    private long latestArrival = Long.MIN_VALUE;

    /**
     * Called from the condition of the rule, once per event inserted: remembers the event's identity
     * when none is remembered (an event accepted) and returns false; returns true when an event of the
     * same identity was accepted before, so that the rule's consequence {@link #resolve}s which of the
     * two to keep. So only copies (and copies of events since consumed or expired) cost a rule firing.
     * Forgets the identities whose events have expired by the latest arrival time seen (never later
     * than the session clock, so no identity is forgotten while its event can still be in working
     * memory).
     */
    public boolean seenBefore(Event event) {
        latestArrival = Math.max(latestArrival, event.getArrivalTime());
        forgetOlderThan(latestArrival);
        Identity identity = new Identity(event.getSource(), event.getId());
        Event first = accepted.putIfAbsent(identity, event);
        if (first == null) {
            order.addLast(event);
            return false;
        }
        return first != event;
    }

    /**
     * For an event {@link #seenBefore}, returns the event to delete: the event itself when the
     * accepted event of its identity is still in working memory and has the lower sequence number;
     * that accepted event when the new one has the lower sequence number (events handed over out of
     * journal order); null when nothing is to be deleted: the accepted event has left working memory
     * (expired, or consumed by a rule) and the new one is accepted in its place, or the two have the
     * same sequence number.
     *
     * @param event  the event, in working memory
     * @param memory the session's working memory, to tell whether the accepted event is still there
     */
    public Event resolve(Event event, RuleRuntime memory) {
        Identity identity = new Identity(event.getSource(), event.getId());
        Event first = accepted.get(identity);
        if (first != null && first != event && memory.getFactHandle(first) != null) {
            if (first.getSeq() < event.getSeq()) {
                return event;
            }
            if (first.getSeq() > event.getSeq()) {
                accept(identity, event);
                return first;
            }
            return null; // the same sequence number: neither is a copy of the other
        }
        accept(identity, event);
        return null;
    }

    /** The identities remembered at session time {@code now} (forgetting the expired ones first). */
    public int size(long now) {
        forgetOlderThan(now);
        return accepted.size();
    }

    private void accept(Identity identity, Event event) {
        accepted.put(identity, event);
        order.addLast(event);
    }

    private void forgetOlderThan(long now) {
        Event oldest;
        while ((oldest = order.peekFirst()) != null && oldest.getArrivalTime() + WINDOW_MILLIS < now) {
            order.pollFirst();
            // Only when it is still the accepted event of its identity (not replaced since).
            accepted.remove(new Identity(oldest.getSource(), oldest.getId()), oldest);
        }
    }

    @Override
    public String toString() {
        return "SeenEvents{" + accepted.size() + " identities}";
    }

    private record Identity(String source, String id) {
    }
}
