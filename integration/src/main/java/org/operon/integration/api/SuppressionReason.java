package org.operon.integration.api;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What stopped a suppressed action, as structured fields read from the reason its audit entry holds. The
 * reasons are written by the muters and the rules in fixed shapes:
 * <ul>
 *   <li>{@code silenced by <id>[, <id>...]} (SilenceMuter): {@code kind "silence", silenceIds};</li>
 *   <li>{@code maintenance window <name>} (MaintenanceMuter): {@code kind "maintenance", window};</li>
 *   <li>{@code inhibited by alert <fp> (rule <name>)}, {@code inhibited by service <s>, which <t> depends on
 *       (alert <fp>)}, {@code all alerts inhibited} (inhibition rules): {@code kind "inhibited"} and the
 *       {@code alert}, {@code inhibitRule}, {@code service}, {@code dependent} named;</li>
 *   <li>{@code throttled: ... (first <decision id>)} (DecisionThrottle): {@code kind "throttled"},
 *       {@code firstDecision};</li>
 *   <li>anything else, a reason a rule gave: {@code kind "rule"}.</li>
 * </ul>
 * Every result also holds the {@code reason} as written.
 */
final class SuppressionReason {
    private static final String SILENCED = "silenced by ";
    private static final String MAINTENANCE = "maintenance window ";
    private static final Pattern BY_ALERT = Pattern.compile("^inhibited by alert (\\S+) \\(rule (.+)\\)");
    private static final Pattern BY_SERVICE =
            Pattern.compile("^inhibited by service (.+), which (.+) depends on \\(alert (\\S+)\\)");
    private static final Pattern THROTTLED = Pattern.compile("^throttled: .*\\(first (\\S+)\\)$");

    private SuppressionReason() {
    }

    /** The fields of {@code reason} (see the class comment); never null. */
    static Map<String, Object> parse(String reason) {
        Map<String, Object> out = new LinkedHashMap<>();
        String text = reason == null ? "" : reason.strip();
        Matcher m;
        if (text.startsWith(SILENCED)) {
            out.put("kind", "silence");
            List<String> ids = Arrays.stream(text.substring(SILENCED.length()).split(","))
                    .map(String::strip).filter(s -> !s.isEmpty()).toList();
            out.put("silenceIds", ids);
        } else if (text.startsWith(MAINTENANCE)) {
            out.put("kind", "maintenance");
            out.put("window", text.substring(MAINTENANCE.length()));
        } else if ((m = BY_ALERT.matcher(text)).find()) {
            out.put("kind", "inhibited");
            out.put("alert", m.group(1));
            out.put("inhibitRule", m.group(2));
        } else if ((m = BY_SERVICE.matcher(text)).find()) {
            out.put("kind", "inhibited");
            out.put("service", m.group(1));
            out.put("dependent", m.group(2));
            out.put("alert", m.group(3));
        } else if (text.startsWith("inhibited") || text.equals("all alerts inhibited")) {
            out.put("kind", "inhibited");
        } else if (text.startsWith("throttled")) {
            out.put("kind", "throttled");
            if ((m = THROTTLED.matcher(text)).find()) {
                out.put("firstDecision", m.group(1));
            }
        } else {
            out.put("kind", "rule");
        }
        out.put("reason", reason);
        return out;
    }
}
