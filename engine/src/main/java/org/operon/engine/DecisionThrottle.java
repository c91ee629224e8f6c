package org.operon.engine;

import org.operon.model.Decision;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Applies {@link ThrottlePolicy throttles} to the decisions of one rule session, between the session
 * and the decision listener. Decisions of a type without a policy pass unchanged, as do decisions
 * that are already {@linkplain Decision#mutedBy muted} (they act on nothing, so they neither open nor
 * fill a window).
 *
 * <ul>
 *   <li>{@link ThrottlePolicy.Mode#ONCE_WITHIN}: the first decision of a key passes and opens a window
 *   of {@code window}; the decisions of that key before the window's end pass
 *   {@linkplain Decision#mutedBy muted} with the reason
 *   {@code throttled: once within PT10M per subject (first <id of the first>)}, so the dispatcher
 *   audits their actions as suppressed; the first one at or after the end passes and opens the next
 *   window.</li>
 *   <li>{@link ThrottlePolicy.Mode#ONCE_AFTER}: the first decision of a key opens a bucket ending
 *   {@code window} later; it and the decisions of that key before the end are held back. At the end
 *   one decision is sent in their place: the type, subject and rule of the first, the event ids of
 *   all (in order, each once), the parameters of the last plus {@value #THROTTLE_PARAM} =
 *   {@code {mode: once_after, window: PT5M, count: n, firstAt, lastAt}}, stamped with the end's time
 *   (so its id is the same on every replay).</li>
 * </ul>
 *
 * <p>Only the decisions' session time counts, never the wall clock: replaying the same decisions
 * rebuilds the same state, which is how the engine restores it after a restart or a switch of rules.
 * Buckets are sent, and finished windows forgotten, by {@link #flushDue} once the session clock has
 * reached their end, and by {@link #offer} before a decision at or after their end is handled, so the
 * output is in time order whatever the batching. Memory is one entry per key with an open window or
 * bucket.
 *
 * <p>Not thread-safe: the engine thread owns it, with its session.
 */
public final class DecisionThrottle {
    /** The parameter of a {@code once_after} summary describing what it stands for. */
    public static final String THROTTLE_PARAM = "throttle";

    private final Map<String, ThrottlePolicy> policies = new HashMap<>();
    private final Map<Slot, Object> open = new HashMap<>();
    private final PriorityQueue<Due> due = new PriorityQueue<>(Comparator.comparingLong(Due::time)
            .thenComparingLong(Due::order));
    private long opened;

    /**
     * @param policies at most one per decision type
     * @throws IllegalArgumentException when two policies name the same decision type
     */
    public DecisionThrottle(List<ThrottlePolicy> policies) {
        for (ThrottlePolicy p : policies) {
            if (this.policies.put(p.decisionType(), p) != null) {
                throw new IllegalArgumentException("more than one throttle for decision type '" + p.decisionType()
                        + "': give each type at most one");
            }
        }
    }

    /**
     * Handles one decision stamped with the session clock: passes it to {@code out} as is or muted,
     * or holds it back for a {@code once_after} summary. Buckets ending at or before its time are sent
     * first. Decisions must come in non-decreasing time order.
     */
    public void offer(Decision stamped, Consumer<Decision> out) {
        if (stamped.getTime() < 0) {
            throw new IllegalArgumentException("only stamped decisions can be throttled: " + stamped);
        }
        flushDue(stamped.getTime(), out);
        ThrottlePolicy policy = policies.get(stamped.getType());
        if (policy == null || isMuted(stamped)) {
            out.accept(stamped);
            return;
        }
        Slot slot = new Slot(policy.decisionType(), keyOf(stamped, policy));
        Object state = open.get(slot);
        long time = stamped.getTime();
        long end = time + policy.window().toMillis();
        if (policy.mode() == ThrottlePolicy.Mode.ONCE_WITHIN) {
            if (state instanceof Window w) {
                out.accept(stamped.mutedBy("throttled: once within " + policy.window() + " per "
                        + policy.describeKey() + " (first " + w.firstId() + ")"));
            } else {
                track(slot, new Window(stamped.getId()), end);
                out.accept(stamped);
            }
        } else if (state instanceof Bucket b) {
            b.add(stamped);
        } else {
            Bucket b = new Bucket(policy, stamped, end);
            track(slot, b, end);
        }
    }

    /**
     * Sends the {@code once_after} summaries whose bucket ends at or before {@code sessionTime}, in
     * order of their end, and forgets the {@code once_within} windows that have ended. The engine
     * calls it whenever the session clock has moved.
     */
    public void flushDue(long sessionTime, Consumer<Decision> out) {
        while (!due.isEmpty() && due.peek().time() <= sessionTime) {
            Due d = due.poll();
            if (open.get(d.slot()) != d.state()) {
                continue; // defensive: a slot holds one state at a time, and each is due once
            }
            open.remove(d.slot());
            if (d.state() instanceof Bucket b) {
                out.accept(b.summary());
            }
        }
    }

    /** Keys with an open window or bucket now: what this throttle holds in memory. */
    public int openKeys() {
        return open.size();
    }

    private void track(Slot slot, Object state, long end) {
        open.put(slot, state);
        due.add(new Due(end, opened++, slot, state));
    }

    private static boolean isMuted(Decision d) {
        return d.getParams().get(Decision.MUTED_BY_PARAM) instanceof String reason && !reason.isEmpty();
    }

    /** The values of the policy's key fields; a missing value is null (the values are compared as text). */
    private static List<String> keyOf(Decision d, ThrottlePolicy policy) {
        String[] values = new String[policy.key().size()];
        for (int i = 0; i < values.length; i++) {
            String field = policy.key().get(i);
            Object value;
            if (field.equals("subject")) {
                value = d.getSubject();
            } else if (field.equals("rule")) {
                value = d.getRule();
            } else if (field.startsWith("params.")) {
                value = d.getParams().get(field.substring("params.".length()));
            } else {
                value = d.getParams().get(ThrottlePolicy.LABELS_PARAM) instanceof Map<?, ?> labels
                        ? labels.get(field.substring("labels.".length())) : null;
            }
            values[i] = value == null ? null : value.toString();
        }
        return Collections.unmodifiableList(Arrays.asList(values));
    }

    /** One key of one decision type. */
    private record Slot(String type, List<String> key) {
    }

    /** When a window or bucket ends; {@code order} keeps equal ends in the order they opened. */
    private record Due(long time, long order, Slot slot, Object state) {
    }

    /** An open {@code once_within} window. */
    private record Window(String firstId) {
    }

    /** An open {@code once_after} bucket: what its summary needs, not every decision. */
    private static final class Bucket {
        private final ThrottlePolicy policy;
        private final Decision first;
        private final long end;
        private final Set<String> eventIds = new LinkedHashSet<>();
        private Decision last;
        private int count;

        Bucket(ThrottlePolicy policy, Decision first, long end) {
            this.policy = policy;
            this.first = first;
            this.end = end;
            add(first);
        }

        void add(Decision d) {
            eventIds.addAll(d.getEventIds());
            last = d;
            count++;
        }

        Decision summary() {
            Map<String, Object> throttle = new LinkedHashMap<>();
            throttle.put("mode", policy.mode().configName());
            throttle.put("window", policy.window().toString());
            throttle.put("count", count);
            throttle.put("firstAt", Instant.ofEpochMilli(first.getTime()).toString());
            throttle.put("lastAt", Instant.ofEpochMilli(last.getTime()).toString());
            Decision summary = Decision.of(first.getType(), first.getSubject(), first.getRule(), new ArrayList<>(eventIds));
            for (Map.Entry<String, Object> p : last.getParams().entrySet()) {
                if (!p.getKey().equals(THROTTLE_PARAM)) {
                    summary = summary.withParam(p.getKey(), p.getValue());
                }
            }
            return summary.withParam(THROTTLE_PARAM, Collections.unmodifiableMap(throttle)).stamped(end)
                    .withLineage(first.getLineage());
        }
    }

    @Override
    public String toString() {
        return "DecisionThrottle" + policies.values().stream().map(p -> p.decisionType() + "=" + p.mode().configName()
                + "/" + p.window()).toList();
    }
}
