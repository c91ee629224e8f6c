package org.operon.rules;

import org.operon.engine.session.RuleSession;
import org.operon.model.AlertLimits;
import org.operon.model.Decision;
import org.operon.model.Event;
import org.operon.model.IncidentPolicy;
import org.operon.model.Severity;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A session of the packaged rules driven like a timeline: events arrive at offsets from
 * {@link #T0}, the clock moves, and the decisions sent so far are collected. Each event gets the
 * next journal sequence number, as the event journal would stamp it.
 *
 * <pre>{@code
 * timeline.at(seconds(0), critical("e1", "db1"))
 *         .at(seconds(60), critical("e2", "db1"))
 *         .until(minutes(10));
 * }</pre>
 */
final class Timeline implements AutoCloseable {

    /** The moment the timeline starts; offsets are measured from here. */
    static final long T0 = Instant.parse("2025-03-01T12:00:00Z").toEpochMilli();
    static final String SOURCE = "/monitoring/test";

    private final RuleSession session;
    private final List<Decision> decisions = new ArrayList<>();
    private long seq;
    /** Seeded facts other than AlertLimits and IncidentPolicy (which factCount leaves out by type). */
    private long seeds;

    Timeline() {
        this(T0);
    }

    private Timeline(long startTime) {
        session = RuleSession.openPackaged(startTime, decisions::add);
    }

    /**
     * A timeline whose session starts with these facts (configuration and reference data such as an
     * IncidentPolicy, AlertLimits or a Team), inserted before any event as the engine's SessionOpener
     * inserts them.
     */
    static Timeline seeded(Object... facts) {
        return new Timeline().withFacts(facts);
    }

    /**
     * A timeline whose session opens at {@code start} after {@link #T0} with these facts, as the engine
     * opens one on a restart or a switch of rules (at its restore horizon, with the configuration and the
     * restored incidents).
     */
    static Timeline startingAt(Duration start, Object... facts) {
        return new Timeline(T0 + start.toMillis()).withFacts(facts);
    }

    /**
     * Inserts seed facts (configuration and reference data such as inhibit rules or services), as the
     * engine does when it opens a session; call it before the first event.
     */
    Timeline withFacts(Object... facts) {
        for (Object fact : facts) {
            session.insert(fact);
            // Restored incidents are no seeds: the rules replace each by its Incident at once.
            if (!(fact instanceof AlertLimits) && !(fact instanceof IncidentPolicy)
                    && !(fact instanceof org.operon.model.IncidentSnapshot)) {
                seeds++;
            }
        }
        return this;
    }

    static Duration seconds(long s) {
        return Duration.ofSeconds(s);
    }

    static Duration minutes(long m) {
        return Duration.ofMinutes(m);
    }

    static Event critical(String id, String subject) {
        return event(id, "alert", subject, Severity.CRITICAL);
    }

    static Event warning(String id, String subject) {
        return event(id, "alert", subject, Severity.WARNING);
    }

    static Event heartbeat(String id, String subject) {
        return event(id, "heartbeat", subject, Severity.INFO);
    }

    static Event event(String id, String type, String subject, Severity severity) {
        return Event.builder().id(id).source(SOURCE).type(type).subject(subject).severity(severity).build();
    }

    /** An event arriving at an offset from {@link #T0}, for {@link #batch}. */
    record Arrival(Duration offset, Event event) {
    }

    static Arrival arrival(Duration offset, Event event) {
        return new Arrival(offset, event);
    }

    /** The events arrive together at {@code offset}, as one batch. */
    Timeline at(Duration offset, Event... events) {
        List<Arrival> arrivals = new ArrayList<>();
        for (Event e : events) {
            arrivals.add(new Arrival(offset, e));
        }
        return batch(arrivals.toArray(Arrival[]::new));
    }

    /** The events arrive at their offsets, handed to the session in one {@code process} call. */
    Timeline batch(Arrival... arrivals) {
        List<Event> stamped = new ArrayList<>();
        for (Arrival a : arrivals) {
            stamped.add(a.event().stamped(++seq, T0 + a.offset().toMillis()));
        }
        session.process(stamped);
        return this;
    }

    /** The clock moves on to {@code offset} with no event arriving. */
    Timeline until(Duration offset) {
        session.advanceTo(T0 + offset.toMillis());
        return this;
    }

    /**
     * Every decision sent so far, in the order sent, except the incident decisions (types
     * {@code incident-*}, which every firing alert causes): tests of the rules beneath incidents read
     * only their own. See {@link #incidentDecisions()} and {@link #allDecisions()}.
     */
    List<Decision> decisions() {
        return decisions.stream().filter(d -> !isIncidentDecision(d)).toList();
    }

    /** The incident decisions (types {@code incident-*}) sent so far, in the order sent. */
    List<Decision> incidentDecisions() {
        return decisions.stream().filter(Timeline::isIncidentDecision).toList();
    }

    /** Every decision sent so far, in the order sent. */
    List<Decision> allDecisions() {
        return List.copyOf(decisions);
    }

    private static boolean isIncidentDecision(Decision d) {
        return d.getType().startsWith("incident-");
    }

    /**
     * The facts the rules keep beneath incidents: every fact in working memory apart from the
     * configuration facts (AlertLimits and IncidentPolicy, seeded or inserted as defaults by the rules,
     * and whatever else was seeded) and the incidents with their timers (which outlive their alerts by
     * the reopen window; the incident tests check those themselves).
     */
    long factCount() {
        return session.factCount() - session.facts(AlertLimits.class).size()
                - session.facts(IncidentPolicy.class).size() - seeds
                - session.facts(Incident.class).size() - session.facts(IncidentTimer.class).size()
                - registries();
    }

    /**
     * The registries that hand state to the rules of heartbeat-missed and critical-burst (one fact each
     * for the session's life) count as the entries they hold at the clock's time, and so do the event
     * identities the session remembers to drop duplicates (outside working memory).
     */
    private long registries() {
        long now = clockTime();
        long count = -session.rememberedIdentities();
        for (HeartbeatWatches r : session.facts(HeartbeatWatches.class)) {
            count += 1 - r.size(now);
        }
        for (CriticalBursts r : session.facts(CriticalBursts.class)) {
            count += 1 - r.size(now);
        }
        return count;
    }

    /** The facts of a type in working memory now. */
    <T> List<T> facts(Class<T> type) {
        return session.facts(type);
    }

    /** The copies the session dropped. */
    long duplicatesDropped() {
        return session.duplicatesDropped();
    }

    long clockTime() {
        return session.clockTime();
    }

    @Override
    public void close() {
        session.close();
    }
}
