package org.operon.engine.session;

import org.drools.core.common.InternalFactHandle;
import org.drools.core.time.impl.PseudoClockScheduler;
import org.kie.api.KieBase;
import org.kie.api.KieServices;
import org.kie.api.runtime.ClassObjectFilter;
import org.kie.api.runtime.KieContainer;
import org.kie.api.runtime.KieSession;
import org.kie.api.runtime.KieSessionConfiguration;
import org.kie.api.runtime.conf.ClockTypeOption;
import org.kie.api.runtime.conf.TimerJobFactoryOption;
import org.kie.api.definition.rule.Rule;
import org.kie.api.event.rule.AfterMatchFiredEvent;
import org.kie.api.event.rule.BeforeMatchFiredEvent;
import org.kie.api.event.rule.DefaultAgendaEventListener;
import org.kie.api.event.rule.DefaultRuleRuntimeEventListener;
import org.kie.api.event.rule.ObjectDeletedEvent;
import org.kie.api.runtime.rule.ConsequenceException;
import org.kie.api.runtime.rule.FactHandle;
import org.kie.api.runtime.rule.Match;
import org.kie.api.time.SessionPseudoClock;
import org.operon.engine.DecisionListener;
import org.operon.engine.SessionView;
import org.operon.model.Decision;
import org.operon.model.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.operon.model.Lineage;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * One Drools STREAM session on a pseudo clock: the only class in Operon that touches
 * {@code KieSession}. Callers insert events, move the clock and receive decisions; they never see
 * Drools types (except in {@link #open(KieBase, long, DecisionListener)}, for {@link CompiledRules}
 * and the benchmark).
 *
 * <h2>Time</h2>
 * The session clock is a pseudo clock that only this class moves, and only forward. Events are
 * inserted at their {@link Event#getArrivalTime() arrival time}: before an event later than the
 * clock is inserted, the rules fire at the current time and the clock moves to the event's arrival
 * time. So every rule reacts at the moment its facts arrived, however the events were batched.
 *
 * <p>Moving the clock runs the timers that fall due (event expiry, sliding windows, timed and
 * absence rules). {@link PseudoClockScheduler#advanceTime} sets its clock to each job's due time
 * while running that job and only then to the target time; but a job whose effect is a rule
 * firing (an absence detected, a window emptied) merely queues the activation, and the consequence
 * runs at the next {@code fireAllRules}, when the clock would already read the end of the jump. A
 * decision from a timer-driven rule would then carry the time of the next event rather than the
 * time it fell due. This class therefore moves the clock from one due timer to the next and fires
 * the rules at each, so every decision is stamped with the time its condition became true,
 * whatever the size of the jump.
 *
 * <h2>Decisions</h2>
 * Rules send {@link Decision}s on the channel {@value #DECISIONS_CHANNEL}. Each is
 * {@link Decision#stamped stamped} with the session clock at the moment it is sent and handed to
 * the {@link DecisionListener} on the calling thread, before the call that fired the rule returns.
 * The listener is expected to hand off and return; if it throws anyway, the exception propagates
 * unchanged out of {@link #process} or {@link #advanceTo} (it is not logged and swallowed here:
 * the caller decides). The session stays usable: the rule activations not yet fired in that pass
 * fire at the next call, and the decision whose delivery failed is not sent again. A rule whose
 * consequence throws for another reason surfaces as a {@link RuleFailedException} naming the rule.
 *
 * <p>Every decision a rule sends carries its {@link Lineage} ({@link Decision#getLineage()}): the rule that
 * sent it, the file that rule was written in ({@link RuleFiles}) and the facts its match holds. An agenda
 * listener remembers the match whose consequence is running (one field write per firing); the lineage is
 * built only when that consequence sends a decision. A decision that already carries a lineage keeps it.
 *
 * <h2>Duplicates</h2>
 * Sessions of the packaged rules ({@link #openPackaged}, and {@link CompiledRules} with the user's
 * files) drop copies before they enter working memory: an event whose {@code source} and {@code id}
 * equal those of an event accepted at most {@link #DUPLICATE_HORIZON_MILLIS} (10 minutes, inclusive) of
 * session time before it is not inserted, so no rule sees it, whatever its salience, and it decides
 * nothing. The horizon counts from the accepted event; a copy does not extend it. An accepted event
 * that a rule deletes (consumes: alert reports, operator commands, ticket changes, action results)
 * stops making copies at that moment. The identities are kept outside working memory
 * ({@link Deduplicator}, at most {@value Deduplicator#DEFAULT_MAX_REMEMBERED}: above that many events in 10
 * minutes the oldest are forgotten early, with a warning once per session), and like everything else in the session they are rebuilt by replaying the
 * journal (restart, rules reload, {@code operon replay}). Sessions opened with
 * {@link #open(KieBase, long, DecisionListener)} (tests, benchmarks' baselines) keep every event.
 *
 * <h2>Events</h2>
 * Events are declared with {@code @expires(5m)} ({@code events.drl}): a rule of the rules directory can see
 * an event for 5 minutes after its arrival, in windows, temporal operators and joins. The packaged rules need
 * none after its arrival, so a session of the packaged rules alone, or with rule files none of whose rules
 * can match an {@link Event} after its arrival ({@link EventRetention}), deletes each event once the rules have
 * fired on it, at the end of the {@link #process} call that inserted it; in such a kbase events get no expiry job
 * at all ({@link EventRetention#openAs}), and it cannot be opened to keep them. Either way a rule sees an event
 * exactly when it would have: at its arrival, with the events that arrived with it.
 *
 * <h2>Threads</h2>
 * Not thread-safe. One thread (the engine thread) owns a session from open to close.
 */
public final class RuleSession implements SessionView, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RuleSession.class);

    /** The kbase built from the packaged rules (the kjar on the classpath). */
    public static final String PACKAGED_KBASE = "operon";
    /** The ksession of {@link #PACKAGED_KBASE}, configured in the kjar's kmodule.xml with a pseudo clock. */
    public static final String PACKAGED_KSESSION = "operon-session";
    /** The channel on which rules send decisions: {@code channels["decisions"].send(Decision.of(...))}. */
    public static final String DECISIONS_CHANNEL = "decisions";

    /**
     * Drools by default tracks every timer job in a map of its own, which only marshalling a
     * session needs. Operon never marshals sessions (it rebuilds them from the event journal), and
     * every live event has an expiry job, so tracking would cost a map entry per event.
     */
    private static final TimerJobFactoryOption UNTRACKED_TIMERS = TimerJobFactoryOption.get("default");

    /**
     * How long the identity of an accepted event is remembered to tell its copies, in session time:
     * 10 minutes, as {@code duplicate-event.drl} did while it was a rule.
     */
    public static final long DUPLICATE_HORIZON_MILLIS = 10 * 60_000L;

    private final KieSession session;
    private final SessionPseudoClock clock;
    private final PseudoClockScheduler scheduler;
    /** The rule files seen so far, by rule: looked up once per rule and session. */
    private final Map<Rule, RuleRef> rules = new HashMap<>();
    /** Null when this session keeps every event. */
    private final Deduplicator duplicates;
    /**
     * Whether events stay in working memory until they expire (5 minutes); when false each is deleted once
     * the rules fired on it (see "Events" in the class comment and {@link EventRetention}).
     */
    private final boolean keepsEvents;
    /** The events inserted by the current {@link #process} call, to delete when this session does not keep them. */
    private final List<FactHandle> inserted = new ArrayList<>();
    private long duplicatesDropped;
    private boolean warnedForgottenEarly;
    /** The match whose consequence is running now; null between firings. */
    private Match firing;
    private boolean closed;

    private RuleSession(KieSession session, long startTime, DecisionListener listener, boolean deduplicate,
                        boolean keepsEvents) {
        Objects.requireNonNull(listener, "listener");
        if (startTime < 0) {
            throw new IllegalArgumentException("start time must not be negative: " + startTime);
        }
        this.session = session;
        this.keepsEvents = keepsEvents;
        if (!(session.getSessionClock() instanceof PseudoClockScheduler pseudo)) {
            session.dispose();
            throw new IllegalStateException("the ksession must run on a pseudo clock (clockType=\"pseudo\"), not "
                    + session.getSessionClock().getClass().getName());
        }
        this.scheduler = pseudo;
        this.clock = pseudo;
        session.registerChannel(DECISIONS_CHANNEL, decision -> deliver(decision, listener));
        session.addEventListener(new DefaultAgendaEventListener() {
            @Override
            public void beforeMatchFired(BeforeMatchFiredEvent event) {
                firing = event.getMatch();
            }

            @Override
            public void afterMatchFired(AfterMatchFiredEvent event) {
                firing = null;
            }
        });
        if (deduplicate) {
            duplicates = new Deduplicator(DUPLICATE_HORIZON_MILLIS);
            session.addEventListener(new DefaultRuleRuntimeEventListener() {
                @Override
                public void objectDeleted(ObjectDeletedEvent event) {
                    // A rule consumed an accepted event (expiry has no rule): its next copy is new.
                    if (event.getRule() != null && event.getOldObject() instanceof Event consumed) {
                        duplicates.forget(consumed);
                    }
                }
            });
        } else {
            duplicates = null;
        }
        // A fresh pseudo clock reads 0 and has no timers yet, so this jump runs nothing.
        clock.advanceTime(startTime, TimeUnit.MILLISECONDS);
    }

    /**
     * Opens a new session of the packaged rules: kbase {@value #PACKAGED_KBASE} of the kjar on the classpath,
     * on a pseudo clock as its ksession {@value #PACKAGED_KSESSION} declares, starting at {@code startTime}
     * (epoch milliseconds). Cheap: the rules are loaded once per JVM ({@link ClasspathRules}).
     *
     * @throws IllegalStateException when the kjar is not on the classpath or its kbase holds no rules
     */
    public static RuleSession openPackaged(long startTime, DecisionListener listener) {
        KieBase packaged = ClasspathRules.packaged();
        if (packaged.getKiePackages().stream().allMatch(p -> p.getRules().isEmpty())) {
            // Seen when kmodule.xml's packages="org.operon.rules.*" left out org.operon.rules itself.
            throw new IllegalStateException("the packaged kbase '" + PACKAGED_KBASE + "' has no rules: does the "
                    + "packages attribute in the kjar's kmodule.xml name the packages of its DRL files?");
        }
        KieSessionConfiguration conf = KieServices.get().newKieSessionConfiguration();
        conf.setOption(ClockTypeOption.PSEUDO); // as the kjar's ksession declares
        conf.setOption(UNTRACKED_TIMERS);
        EventRetention.openAs(packaged, false); // its sessions let every event go
        return new RuleSession(packaged.newKieSession(conf, null), startTime, listener, true, false);
    }

    /**
     * Opens a new session of another kbase declared in a kmodule.xml on the classpath, on a pseudo
     * clock starting at {@code startTime}, whatever clock its own ksessions declare. For tests and
     * benchmarks that package rules of their own.
     *
     * @throws IllegalArgumentException when no such kbase is on the classpath
     */
    public static RuleSession open(String kbaseName, long startTime, DecisionListener listener) {
        if (PACKAGED_KBASE.equals(kbaseName)) {
            return open(ClasspathRules.packaged(), startTime, listener); // the one instance, so that its checks apply
        }
        KieContainer container = ClasspathRules.container();
        if (!container.getKieBaseNames().contains(kbaseName)) {
            throw new IllegalArgumentException("no kbase '" + kbaseName + "' on the classpath; known: "
                    + container.getKieBaseNames());
        }
        return open(container.getKieBase(kbaseName), startTime, listener);
    }

    /**
     * Opens a new session of a kbase the caller built (it must be in STREAM mode), on a pseudo
     * clock starting at {@code startTime}. Used for the packaged rules plus the user's rule files
     * ({@link CompiledRules}), and by benchmarks that compare rule formulations compiled at run time.
     */
    public static RuleSession open(KieBase kieBase, long startTime, DecisionListener listener) {
        return open(kieBase, startTime, listener, false);
    }

    /**
     * As {@link #open(KieBase, long, DecisionListener)}, dropping copies of events before they enter
     * the session when {@code deduplicate} is true (see "Duplicates" in the class comment), as the
     * packaged rules' sessions do. {@link CompiledRules} opens the packaged rules plus the user's this way.
     */
    public static RuleSession open(KieBase kieBase, long startTime, DecisionListener listener, boolean deduplicate) {
        KieSessionConfiguration conf = KieServices.get().newKieSessionConfiguration();
        conf.setOption(ClockTypeOption.PSEUDO);
        conf.setOption(UNTRACKED_TIMERS);
        // Only the packaged rules' sessions (which also drop duplicates) may let events go at once; tests and
        // baselines that open kbases of their own keep every event for its 5 minutes, as Drools would.
        boolean keepsEvents = true;
        if (deduplicate || ClasspathRules.hasPackaged()) {
            KieBase packaged = ClasspathRules.packaged();
            if (kieBase == packaged && !deduplicate) {
                // Its sessions let events go (openPackaged), so its events do not expire: one that kept them would grow.
                throw new IllegalArgumentException("the packaged kbase '" + PACKAGED_KBASE
                        + "' opens only as the packaged rules: use openPackaged");
            }
            keepsEvents = !deduplicate || EventRetention.othersMatchEvents(kieBase, packaged);
        }
        EventRetention.openAs(kieBase, keepsEvents); // one mode per kbase; without expiry when events go at once
        return new RuleSession(kieBase.newKieSession(conf, null), startTime, listener, deduplicate, keepsEvents);
    }

    /**
     * Processes events in the given order, which must be the order of their arrival (stamped by the
     * journal, non-decreasing {@code arrivalTime}). For each event whose arrival time is later than
     * the clock, the rules fire at the current time and the clock moves to the arrival time (running
     * the timers that fall due on the way, see the class comment); then the event is inserted. At
     * the end the rules fire. An event whose arrival time is earlier than the clock is inserted
     * without moving the clock; its windows still count from its own arrival time. In a session that
     * drops duplicates, a copy is judged after the clock moved to its arrival (so rules that consume
     * the earlier event have fired) and is then not inserted.
     */
    public void process(List<Event> events) {
        requireOpen();
        if (duplicates != null) {
            duplicates.prefetch(events);
        }
        for (Event event : events) {
            long arrival = event.getArrivalTime();
            if (arrival > clock.getCurrentTime()) {
                moveClockTo(arrival);
            }
            if (duplicates != null && !duplicates.admit(event)) {
                duplicatesDropped++;
                continue;
            }
            FactHandle handle = session.insert(event);
            if (!keepsEvents) {
                inserted.add(handle);
            }
        }
        fire();
        if (duplicates != null && !warnedForgottenEarly && duplicates.forgottenEarly() > 0) {
            warnedForgottenEarly = true;
            LOG.warn("More events arrive than the duplicate memory holds for {} minutes: it now remembers the last {} "
                    + "accepted events, so a copy arriving later than that is processed as a new event",
                    DUPLICATE_HORIZON_MILLIS / 60_000, duplicates.maxRemembered());
        }
        if (!inserted.isEmpty()) {
            // Every rule has fired on these events (see "Events" in the class comment); those no rule consumed
            // leave now instead of at expiry, and what their leaving activates (nothing in the packaged rules)
            // fires at this time.
            int done = 0;
            try {
                for (FactHandle handle : inserted) {
                    done++; // one whose delete throws is not tried again; those after it are, by the next call
                    if (((InternalFactHandle) handle).isValid()) {
                        session.delete(handle);
                    }
                }
            } finally {
                inserted.subList(0, done).clear();
            }
            fire();
        }
    }

    /** Whether events stay in working memory until they expire, or leave once the rules fired on them. */
    public boolean keepsEvents() {
        return keepsEvents;
    }

    /**
     * Moves the pseudo clock forward to {@code epochMillis}, running the timers that fall due on the
     * way and firing the rules at each (see the class comment), then fires at the target time. A
     * time at or before the clock moves nothing (the clock never goes back); the rules still fire.
     */
    public void advanceTo(long epochMillis) {
        requireOpen();
        if (epochMillis > clock.getCurrentTime()) {
            moveClockTo(epochMillis);
        }
        fire();
    }

    /**
     * Inserts a fact that is not an event: configuration or reference data the rules read, such as
     * an incident policy or a service catalogue (see {@link org.operon.engine.SessionOpener#withFacts}).
     * The clock does not move and the rules do not fire here; they fire at the next
     * {@link #process} or {@link #advanceTo}, at the clock's time. Rules must not modify such facts:
     * the same instances may be inserted into several sessions.
     *
     * @throws IllegalArgumentException for an {@link Event}, which enters through {@link #process}
     *                                  so that the clock follows its arrival time
     */
    public void insert(Object fact) {
        requireOpen();
        Objects.requireNonNull(fact, "fact");
        if (fact instanceof Event) {
            throw new IllegalArgumentException("events enter the session through process(), not insert()");
        }
        session.insert(fact);
    }

    @Override
    public <T> List<T> facts(Class<T> type) {
        requireOpen();
        List<T> out = new ArrayList<>();
        for (Object o : session.getObjects(new ClassObjectFilter(type))) {
            out.add(type.cast(o));
        }
        return out;
    }

    /** The session clock, epoch milliseconds. */
    @Override
    public long clockTime() {
        return clock.getCurrentTime();
    }

    /** The number of facts in working memory: live events plus whatever state the rules keep. */
    public long factCount() {
        requireOpen();
        return session.getFactCount();
    }

    /** The copies this session dropped (see "Duplicates" in the class comment); 0 when it keeps every event. */
    public long duplicatesDropped() {
        return duplicatesDropped;
    }

    /**
     * The event identities remembered now to tell copies, forgetting those older than the horizon by
     * the session clock first; 0 when this session keeps every event.
     */
    public int rememberedIdentities() {
        requireOpen();
        return duplicates == null ? 0 : duplicates.size(clock.getCurrentTime());
    }

    /** Disposes the Drools session. Idempotent; other methods throw {@link IllegalStateException} afterwards. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            session.dispose();
        }
    }

    /**
     * Fires, then steps the clock through every timer due at or before {@code target}, firing after
     * each step, and finally moves it to {@code target}. The rules are fired before each move so
     * that what is pending is decided at the time it became pending. Timers due exactly at
     * {@code target} run and their rules fire before the caller inserts anything at that time: an
     * event that arrives exactly when a window closes finds it closed.
     */
    private void moveClockTo(long target) {
        fire();
        while (true) {
            long now = clock.getCurrentTime();
            // Milliseconds until the earliest pending timer, -1 when there is none. Internal API:
            // SessionPseudoClock has no way to ask this (see the class comment for why we step).
            long untilNext = scheduler.getTimeToNextJob();
            if (untilNext < 0 || now + untilNext > target) {
                break;
            }
            clock.advanceTime(untilNext, TimeUnit.MILLISECONDS);
            fire();
        }
        long now = clock.getCurrentTime();
        if (target > now) {
            clock.advanceTime(target - now, TimeUnit.MILLISECONDS);
        }
    }

    private void fire() {
        try {
            session.fireAllRules();
        } catch (ConsequenceException e) {
            if (e.getCause() instanceof ListenerFailure failure) {
                throw failure.original;
            }
            throw new RuleFailedException(e.getRule().getPackageName(), e.getRule().getName(),
                    e.getCause() == null ? e : e.getCause());
        } finally {
            // A consequence that threw never reached afterMatchFired.
            firing = null;
        }
    }

    private void deliver(Object sent, DecisionListener listener) {
        if (!(sent instanceof Decision decision)) {
            throw new IllegalArgumentException("rules must send org.operon.model.Decision on channel '"
                    + DECISIONS_CHANNEL + "', not " + (sent == null ? "null" : sent.getClass().getName()));
        }
        Decision stamped = decision.stamped(clock.getCurrentTime());
        Match match = firing;
        if (match != null && stamped.getLineage() == null) {
            stamped = stamped.withLineage(lineageOf(match));
        }
        try {
            listener.onDecision(stamped);
        } catch (RuntimeException e) {
            // Drools wraps whatever a consequence throws; the marker lets fire() rethrow the
            // listener's own exception instead of a ConsequenceException about the rule.
            throw new ListenerFailure(e);
        }
    }

    private Lineage lineageOf(Match match) {
        Rule rule = match.getRule();
        RuleRef ref = rules.computeIfAbsent(rule, r -> new RuleRef(r.getName(), r.getPackageName(), RuleFiles.fileOf(r)));
        return Lineage.of(ref.name(), ref.packageName(), ref.file(), match.getObjects());
    }

    private record RuleRef(String name, String packageName, String file) {
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("the rule session is closed");
        }
    }

    /** Carries a listener's exception through Drools' consequence handling. */
    private static final class ListenerFailure extends RuntimeException {
        private final RuntimeException original;

        ListenerFailure(RuntimeException original) {
            super(original.getMessage(), original, false, false);
            this.original = original;
        }
    }
}
