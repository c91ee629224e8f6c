package org.operon.rules;

import org.operon.model.Event;
import org.operon.model.Explainable;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A missed heartbeat ({@code heartbeat-missed.drl}): the subject's last heartbeat, 2 minutes old
 * with no other one since. In working memory for a moment: inserted when the countdown falls due,
 * deleted by the rule that sends its decision.
 *
 * <p>Immutable.
 */
public final class HeartbeatMissed implements Explainable {
    private final Event heartbeat;

    public HeartbeatMissed(Event heartbeat) {
        this.heartbeat = heartbeat;
    }

    public String getSubject() {
        return heartbeat.getSubject();
    }

    /** The subject's last heartbeat. */
    public Event getHeartbeat() {
        return heartbeat;
    }

    @Override
    public String explainKey() {
        return heartbeat.getSubject();
    }

    /** {@code subject} and the {@code window}. */
    @Override
    public Map<String, Object> explain() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("subject", heartbeat.getSubject());
        fields.put("window", DurationText.of(HeartbeatWatches.WINDOW_MILLIS));
        return fields;
    }

    /** The subject's last heartbeat. */
    @Override
    public List<Event> explainEvents() {
        return List.of(heartbeat);
    }

    @Override
    public String toString() {
        return "HeartbeatMissed{subject=" + heartbeat.getSubject() + ", heartbeat=" + heartbeat.getId() + "}";
    }
}
