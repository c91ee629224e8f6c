package org.operon.model;

import java.util.List;
import java.util.Map;

/**
 * A fact that can say what it is, for the {@link Lineage} of the decisions sent by rules that match it.
 * Facts the rules keep as state (an incident, a burst, an alert notice) implement it so that "why did this
 * fire?" can name them; {@link Event} and {@link Alert} need not, {@link Lineage} knows them.
 *
 * <p>Called on the engine thread, only when a rule that matched the fact sends a decision: it may copy,
 * but must not change the fact. What it returns must be JSON values only (String, Number, Boolean, List,
 * Map with String keys, null), in a fixed order, so that a replay prints the same lineage every time.
 */
public interface Explainable {

    /** What identifies the fact among its kind, e.g. an alert's fingerprint or an incident's id. */
    String explainKey();

    /** The fields that matter for why a rule matched it, e.g. {@code status}, {@code labels}. */
    Map<String, Object> explain();

    /** The events behind the fact (e.g. the events of a burst), oldest first; none by default. */
    default List<Event> explainEvents() {
        return List.of();
    }
}
