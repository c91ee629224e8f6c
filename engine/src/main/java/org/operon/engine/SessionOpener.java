package org.operon.engine;

import org.operon.engine.session.RuleSession;

import java.util.List;

/** Opens a fresh rule session whose pseudo clock starts at {@code startTime}. */
@FunctionalInterface
public interface SessionOpener {
    RuleSession open(long startTime, DecisionListener listener);

    /**
     * An opener that opens a session as this one does and then {@linkplain RuleSession#insert inserts}
     * {@code facts}, in the given order, at the session's start time, before any event is processed.
     * For configuration and reference data the rules read ("seeds"); every session it opens (at
     * start, on a restore, on a switch of rules) holds the same facts. If an insert fails, the
     * session is closed and the exception propagates.
     *
     * @param facts non-event facts, none null; the list is copied
     */
    default SessionOpener withFacts(List<?> facts) {
        List<Object> seeds = List.copyOf(facts);
        if (seeds.isEmpty()) {
            return this;
        }
        return (startTime, listener) -> {
            RuleSession session = open(startTime, listener);
            try {
                seeds.forEach(session::insert);
            } catch (RuntimeException e) {
                session.close();
                throw e;
            }
            return session;
        };
    }

    /** The packaged rules (the kjar on the classpath). */
    static SessionOpener packaged() {
        return RuleSession::openPackaged;
    }
}
