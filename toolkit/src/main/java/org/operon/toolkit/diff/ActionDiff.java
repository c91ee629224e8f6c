package org.operon.toolkit.diff;

import org.operon.toolkit.replay.ReplayedAction;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The difference between the actions of two replays of the same events. Actions are paired by
 * (type, subject, target, time); when several share a key they pair in the order decided. A pair
 * whose status, reason, event ids or rule differ is {@linkplain Kind#CHANGED changed}; an action of
 * A without a partner {@linkplain Kind#DISAPPEARED disappeared}, one of B {@linkplain Kind#APPEARED
 * appeared}.
 */
public final class ActionDiff {

    /** What happened to an action between rule set A and rule set B. */
    public enum Kind { APPEARED, DISAPPEARED, CHANGED }

    /**
     * One difference.
     *
     * @param before the action of A, null when it appeared
     * @param after  the action of B, null when it disappeared
     */
    public record Change(Kind kind, ReplayedAction before, ReplayedAction after) {
        /** The rule it is grouped under: B's for appeared and changed actions, A's for disappeared ones. */
        public String rule() {
            return after != null ? after.rule() : before.rule();
        }

        /** The action as B has it, or A when it disappeared. */
        public ReplayedAction action() {
            return after != null ? after : before;
        }
    }

    private final List<Change> changes;
    private final int unchanged;

    private ActionDiff(List<Change> changes, int unchanged) {
        this.changes = changes;
        this.unchanged = unchanged;
    }

    /** Compares the actions of A with those of B. */
    public static ActionDiff of(List<ReplayedAction> a, List<ReplayedAction> b) {
        Map<Key, Deque<ReplayedAction>> before = new LinkedHashMap<>();
        for (ReplayedAction action : a) {
            before.computeIfAbsent(Key.of(action), k -> new ArrayDeque<>()).add(action);
        }
        List<Change> changes = new ArrayList<>();
        int unchanged = 0;
        for (ReplayedAction after : b) {
            Deque<ReplayedAction> partners = before.get(Key.of(after));
            ReplayedAction partner = partners == null ? null : partners.poll();
            if (partner == null) {
                changes.add(new Change(Kind.APPEARED, null, after));
            } else if (same(partner, after)) {
                unchanged++;
            } else {
                changes.add(new Change(Kind.CHANGED, partner, after));
            }
        }
        before.values().forEach(left -> left.forEach(gone -> changes.add(new Change(Kind.DISAPPEARED, gone, null))));
        changes.sort(Comparator.comparingLong((Change c) -> c.action().time())
                .thenComparing(c -> c.action().type())
                .thenComparing(c -> c.action().subject())
                .thenComparing(c -> c.action().target())
                .thenComparing(Change::kind));
        return new ActionDiff(List.copyOf(changes), unchanged);
    }

    private static boolean same(ReplayedAction a, ReplayedAction b) {
        return Objects.equals(a.status(), b.status()) && Objects.equals(a.reason(), b.reason())
                && a.decision().getEventIds().equals(b.decision().getEventIds()) && a.rule().equals(b.rule());
    }

    /** Every difference, in time order. */
    public List<Change> changes() {
        return changes;
    }

    /** Pairs of actions that are the same in A and B. */
    public int unchanged() {
        return unchanged;
    }

    public long count(Kind kind) {
        return changes.stream().filter(c -> c.kind() == kind).count();
    }

    /** The differences grouped by rule (see {@link Change#rule()}), rules sorted by name. */
    public Map<String, List<Change>> byRule() {
        Map<String, List<Change>> out = new TreeMap<>();
        changes.forEach(c -> out.computeIfAbsent(c.rule(), r -> new ArrayList<>()).add(c));
        return out;
    }

    private record Key(String type, String subject, String target, long time) {
        static Key of(ReplayedAction a) {
            return new Key(a.type(), a.subject(), a.target(), a.time());
        }
    }
}
