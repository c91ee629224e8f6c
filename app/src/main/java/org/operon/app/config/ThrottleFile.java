package org.operon.app.config;

import com.fasterxml.jackson.databind.JsonNode;
import org.operon.engine.ThrottlePolicy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the throttles of {@code operon.throttle.file}:
 *
 * <pre>{@code
 * throttles:
 *   - decision: heartbeat-missed        # the decision type throttled
 *     once_within: 10m                  # the first acts, the others within 10 min are muted
 *     group_by: [subject]               # per subject (the default)
 *   - decision: incident-notification
 *     once_after: 5m                    # collected for 5 min, then one summary acts
 *     group_by: [subject, labels.team]
 * }</pre>
 *
 * Each throttle has {@code decision}, exactly one of {@code once_within} and {@code once_after} (a
 * positive duration: {@code 30s}, {@code 10m}, {@code 2h}, {@code 1d} or ISO-8601), and optionally
 * {@code group_by}: fields of the decision whose values form the key ({@code subject}, {@code rule},
 * {@code params.<name>}, {@code labels.<name>}). Unknown keys and two throttles for one decision type are
 * refused. See {@link ThrottlePolicy} for what the modes do.
 */
public final class ThrottleFile {
    private static final List<String> FIELDS = List.of("decision", "once_within", "once_after", "group_by");

    private ThrottleFile() {
    }

    /**
     * The throttles of the file, in file order; none for an empty file.
     *
     * @throws ConfigFileException naming the file, the throttle ({@code throttle 2}) and the problem
     */
    public static List<ThrottlePolicy> read(Path file) {
        List<JsonNode> entries = YamlFile.topLevelList(file, YamlFile.read(file), "throttles", Set.of());
        List<ThrottlePolicy> throttles = new ArrayList<>();
        Map<String, Integer> positions = new HashMap<>();
        for (int i = 0; i < entries.size(); i++) {
            String name = "throttle " + (i + 1);
            try {
                JsonNode entry = entries.get(i);
                YamlFile.checkFields(entry, FIELDS);
                String type = YamlFile.text(entry, "decision", true);
                name += " (" + type + ")";
                boolean within = entry.has("once_within");
                if (within == entry.has("once_after")) {
                    throw new IllegalArgumentException("give exactly one of \"once_within\" and \"once_after\"");
                }
                String modeField = within ? "once_within" : "once_after";
                Duration window = window(YamlFile.text(entry, modeField, true), modeField);
                List<String> key = entry.has("group_by") ? YamlFile.texts(entry, "group_by") : null;
                Integer earlier = positions.putIfAbsent(type, i + 1);
                if (earlier != null) {
                    throw new IllegalArgumentException("throttle " + earlier + " already throttles this decision "
                            + "type; give each type at most one");
                }
                throttles.add(new ThrottlePolicy(type, within ? ThrottlePolicy.Mode.ONCE_WITHIN
                        : ThrottlePolicy.Mode.ONCE_AFTER, window, key));
            } catch (IllegalArgumentException e) {
                throw new ConfigFileException(file, 0, name + ": " + e.getMessage());
            }
        }
        return List.copyOf(throttles);
    }

    private static Duration window(String text, String field) {
        try {
            return OperonConfig.positiveDuration(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("\"" + field + "\" = \"" + text + "\" " + e.getMessage());
        }
    }
}
