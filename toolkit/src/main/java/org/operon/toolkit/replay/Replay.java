package org.operon.toolkit.replay;

import org.operon.actions.Action;
import org.operon.actions.mute.CompositeMuter;
import org.operon.actions.mute.MutedByParamMuter;
import org.operon.actions.mute.Muter;
import org.operon.engine.DecisionThrottle;
import org.operon.engine.SessionFacts;
import org.operon.engine.SessionFactsInvalidException;
import org.operon.engine.SessionOpener;
import org.operon.engine.ThrottlePolicy;
import org.operon.engine.session.CompiledRules;
import org.operon.engine.session.RuleSession;
import org.operon.model.Decision;
import org.operon.model.Event;
import org.operon.state.AuditEntry;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Runs recorded events through a fresh rule session in event time and reports the actions it
 * decides, as the engine and the action dispatcher would, without performing any and without a data
 * directory.
 *
 * <p><b>Time.</b> The session runs on its pseudo clock, which only the events move: each event is
 * inserted at its {@link Event#getArrivalTime() arrival time}, in the order given (which must be the
 * order of arrival, see {@link EventSources#readAll}), exactly as the engine inserts journaled events.
 * At the end the clock moves on to the last event's time plus a tail, so that timers due by then
 * (absence, escalation, resolve timeouts) fire. The wall clock is never read, so the same input gives
 * the same actions, with the same ids, in the same order.
 *
 * <p><b>Actions.</b> Each decision passes the {@link DecisionThrottle} of the configured throttles,
 * then becomes one action per target ({@code targetsFor(type)}, by default {@code log} for every
 * type), with the id the dispatcher gives it ({@link Action#idFor}). An action is {@code suppressed}
 * when the decision carries {@link Decision#MUTED_BY_PARAM} (inhibition, throttles; the reason is that
 * text) or the configured {@link Muter} mutes it at the decision's time; otherwise {@code sent}.
 *
 * <p>Immutable; {@link #start} any number of runs. A run is not thread-safe.
 */
public final class Replay {
    /** The targets of every decision type unless configured otherwise. */
    public static final List<String> DEFAULT_TARGETS = List.of("log");
    /** Events handed to the session per call when replaying a list: the engine's batches, roughly. */
    private static final int BATCH = 1_000;

    private final SessionOpener rules;
    private final List<ThrottlePolicy> throttles;
    private final Muter muter;
    private final Function<String, List<String>> targetsFor;

    private Replay(Builder b) {
        this.rules = b.rules.withFacts(b.facts);
        this.throttles = List.copyOf(b.throttles);
        this.muter = CompositeMuter.of(new MutedByParamMuter(), b.muter);
        this.targetsFor = b.targetsFor;
        new DecisionThrottle(throttles); // refuses two policies for one type now, not at the first run
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Replays {@code events} (in arrival order) and then moves the clock to the last event's time plus
     * {@code tail}; every action goes to {@code out} as it is decided.
     *
     * @return what was replayed; with no events, nothing is run and the summary is empty
     */
    public Summary run(Iterable<Event> events, Duration tail, Consumer<ReplayedAction> out) {
        Objects.requireNonNull(tail, "tail");
        Iterator<Event> it = events.iterator();
        if (!it.hasNext()) {
            return new Summary(0, 0, 0, -1, -1);
        }
        Event first = it.next();
        try (Run run = start(first.getArrivalTime(), out)) {
            List<Event> batch = new ArrayList<>(BATCH);
            batch.add(first);
            while (it.hasNext()) {
                batch.add(it.next());
                if (batch.size() == BATCH) {
                    run.process(batch);
                    batch.clear();
                }
            }
            run.process(batch);
            run.advanceTo(run.lastArrival() + tail.toMillis());
            return run.summary();
        }
    }

    /** Replays {@code events} with {@link #run(Iterable, Duration, Consumer)} and returns the actions. */
    public List<ReplayedAction> run(Iterable<Event> events, Duration tail) {
        List<ReplayedAction> actions = new ArrayList<>();
        run(events, tail, actions::add);
        return actions;
    }

    /**
     * Opens a session whose clock starts at {@code startTime} (epoch milliseconds), holding the
     * session facts, for feeding events step by step; close it when done.
     */
    public Run start(long startTime, Consumer<ReplayedAction> out) {
        return new Run(startTime, out);
    }

    /**
     * What a replay did.
     *
     * @param events     events replayed
     * @param actions    actions decided (sent and suppressed)
     * @param suppressed of which suppressed
     * @param firstEvent the first event's arrival time, -1 without events
     * @param endTime    where the clock stood at the end, -1 without events
     */
    public record Summary(long events, long actions, long suppressed, long firstEvent, long endTime) {
    }

    /** One replay in progress: a rule session, its throttle and the actions decided so far. */
    public final class Run implements AutoCloseable {
        private final DecisionThrottle throttle = new DecisionThrottle(throttles);
        private final RuleSession session;
        private final Consumer<ReplayedAction> out;
        private final long startTime;
        private long seq;
        private long events;
        private long actions;
        private long suppressed;
        private long lastArrival;
        private Consumer<Decision> observer = decision -> { };

        private Run(long startTime, Consumer<ReplayedAction> out) {
            this.out = Objects.requireNonNull(out, "out");
            this.startTime = startTime;
            this.lastArrival = startTime;
            this.session = rules.open(startTime, d -> throttle.offer(d, this::act));
        }

        /**
         * Inserts the events at their arrival times, numbering them on from the events before; the
         * rules fire. Events must come in arrival order; one earlier than the clock is inserted
         * without moving it (as the engine does).
         */
        public void process(List<Event> batch) {
            if (batch.isEmpty()) {
                return;
            }
            List<Event> numbered = new ArrayList<>(batch.size());
            for (Event e : batch) {
                seq++;
                numbered.add(e.getSeq() == seq ? e : e.stamped(seq, e.getArrivalTime()));
                lastArrival = Math.max(lastArrival, e.getArrivalTime());
            }
            events += numbered.size();
            session.process(numbered);
            throttle.flushDue(session.clockTime(), this::act);
        }

        /** Moves the clock forward to {@code epochMillis} (never back), firing what falls due on the way. */
        public void advanceTo(long epochMillis) {
            session.advanceTo(epochMillis);
            throttle.flushDue(session.clockTime(), this::act);
        }

        /**
         * Also hands every decision, after throttling, to {@code observer} before its actions are
         * reported, including decisions of types that have no target.
         */
        public void observeDecisions(Consumer<Decision> observer) {
            this.observer = Objects.requireNonNull(observer, "observer");
        }

        /** The session clock, epoch milliseconds. */
        public long clockTime() {
            return session.clockTime();
        }

        /** The latest arrival time processed so far (the start time before any event). */
        public long lastArrival() {
            return lastArrival;
        }

        public Summary summary() {
            return new Summary(events, actions, suppressed, events == 0 ? -1 : startTime, session.clockTime());
        }

        private void act(Decision decision) {
            observer.accept(decision);
            Optional<String> muted = muter.mutes(decision, Instant.ofEpochMilli(decision.getTime()));
            for (String target : targetsFor.apply(decision.getType())) {
                Action action = new Action(Action.idFor(decision.getId(), target), target, decision);
                AuditEntry entry = muted.isPresent() ? action.audit(AuditEntry.SUPPRESSED, muted.get())
                        : action.audit(AuditEntry.SENT, null);
                actions++;
                if (muted.isPresent()) {
                    suppressed++;
                }
                out.accept(new ReplayedAction(entry, decision));
            }
        }

        @Override
        public void close() {
            session.close();
        }
    }

    /** How a replay is set up; every setting is optional. */
    public static final class Builder {
        private SessionOpener rules = CompiledRules.packaged();
        private List<Object> facts = List.of();
        private List<ThrottlePolicy> throttles = List.of();
        private Muter muter = Muter.NONE;
        private Function<String, List<String>> targetsFor = type -> DEFAULT_TARGETS;

        private Builder() {
        }

        /** The rules: {@link CompiledRules#packaged()} (the default) or packaged plus a rules directory ({@link RuleSets}). */
        public Builder rules(SessionOpener rules) {
            this.rules = Objects.requireNonNull(rules, "rules");
            return this;
        }

        /** Reads the facts every session starts with now (configuration and reference data). */
        public Builder facts(SessionFacts facts) throws SessionFactsInvalidException {
            this.facts = List.copyOf(facts.load());
            return this;
        }

        /** Throttles applied between the session and the actions, as the engine applies them. */
        public Builder throttles(List<ThrottlePolicy> throttles) {
            this.throttles = List.copyOf(throttles);
            return this;
        }

        /**
         * Asked, after the decision's own {@link Decision#MUTED_BY_PARAM}, whether a decision's actions
         * are suppressed (maintenance windows, silences), at the decision's time.
         */
        public Builder muter(Muter muter) {
            this.muter = Objects.requireNonNull(muter, "muter");
            return this;
        }

        /** The targets of each decision type; an empty list: the type causes no action. */
        public Builder targets(Function<String, List<String>> targetsFor) {
            this.targetsFor = Objects.requireNonNull(targetsFor, "targetsFor");
            return this;
        }

        /** @throws IllegalArgumentException when two throttles name one decision type */
        public Replay build() {
            return new Replay(this);
        }
    }
}
