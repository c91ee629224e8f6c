package org.operon.engine;

import org.operon.engine.session.RuleSession;

/** Opens a fresh rule session whose pseudo clock starts at {@code startTime}. */
@FunctionalInterface
public interface SessionOpener {
    RuleSession open(long startTime, DecisionListener listener);

    /** The packaged rules (the kjar on the classpath). */
    static SessionOpener packaged() {
        return RuleSession::openPackaged;
    }
}
