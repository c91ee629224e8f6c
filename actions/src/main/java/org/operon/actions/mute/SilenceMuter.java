package org.operon.actions.mute;

import org.operon.model.Decision;
import org.operon.state.silence.SilenceStore;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Mutes a decision while a silence of the {@link SilenceStore} matches it: the silences active at the
 * decision's time whose matchers all match the decision's labels. The reason names them:
 * {@code "silenced by 3f1c…"} or {@code "silenced by 3f1c…, 9a0b…"} (ids sorted).
 *
 * <p><b>The labels of a decision</b> are:
 * <ul>
 *   <li>its parameter {@code labels} when that is a map (what alert-based rules put there: the alert's
 *       label set); keys and values are turned into strings, entries with a null key or value are
 *       dropped, and an empty map is an empty label set;</li>
 *   <li>otherwise {@code {"subject": <subject>, "type": <type>}}, so that a silence
 *       {@code subject="db-1"} or {@code type="heartbeat-missed"} can silence decisions that carry no
 *       labels.</li>
 * </ul>
 * As in Alertmanager, a label the decision lacks counts as the empty string.
 */
public final class SilenceMuter implements Muter {
    /** The decision parameter holding the label set. */
    public static final String LABELS_PARAM = "labels";

    private final SilenceStore silences;

    public SilenceMuter(SilenceStore silences) {
        this.silences = Objects.requireNonNull(silences, "silences");
    }

    @Override
    public Optional<String> mutes(Decision decision, Instant at) {
        List<String> ids = silences.activeFor(labelsOf(decision), at);
        return ids.isEmpty() ? Optional.empty() : Optional.of("silenced by " + String.join(", ", ids));
    }

    /** The label set a decision is matched on; see the class comment. */
    public static Map<String, String> labelsOf(Decision decision) {
        Object labels = decision.getParams().get(LABELS_PARAM);
        if (labels instanceof Map<?, ?> map) {
            Map<String, String> result = new LinkedHashMap<>();
            map.forEach((k, v) -> {
                if (k != null && v != null) {
                    result.put(k.toString(), v.toString());
                }
            });
            return result;
        }
        return Map.of("subject", decision.getSubject(), "type", decision.getType());
    }
}
