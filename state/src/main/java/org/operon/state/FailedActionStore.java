package org.operon.state;

import java.util.List;
import java.util.Optional;

/**
 * The durable list of failed actions (the actions' dead letters): one record per action id, kept until
 * the action is performed after all or the state retention passes.
 */
public interface FailedActionStore {
    /** Stores or replaces the record of {@code failed.id()}. Durable when this returns. */
    void record(FailedAction failed);

    Optional<FailedAction> find(String actionId);

    /** Forgets the action (it was performed); nothing happens for an unknown id. */
    void remove(String actionId);

    /** At most {@code limit} records (capped at 1000), newest {@code failedAt} first. */
    List<FailedAction> latest(int limit);

    /** A store that keeps nothing, for dispatchers without durable state. */
    FailedActionStore NONE = new FailedActionStore() {
        @Override
        public void record(FailedAction failed) {
        }

        @Override
        public Optional<FailedAction> find(String actionId) {
            return Optional.empty();
        }

        @Override
        public void remove(String actionId) {
        }

        @Override
        public List<FailedAction> latest(int limit) {
            return List.of();
        }
    };
}
