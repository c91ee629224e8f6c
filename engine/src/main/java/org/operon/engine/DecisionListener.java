package org.operon.engine;

import org.operon.model.Decision;

/**
 * Receives the decisions rules make, stamped with the session clock. Called on the engine thread:
 * implementations hand the decision off and return quickly; they never block on I/O.
 */
@FunctionalInterface
public interface DecisionListener {
    void onDecision(Decision decision);
}
