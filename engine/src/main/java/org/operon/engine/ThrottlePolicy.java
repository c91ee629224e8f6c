package org.operon.engine;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * How often decisions of one type may act, after Event-Driven Ansible's {@code throttle}: per key
 * (the values of some of the decision's fields), either the first decision passes and the others
 * within {@code window} are muted ({@link Mode#ONCE_WITHIN}), or the decisions are collected for
 * {@code window} and one summary is sent at its end ({@link Mode#ONCE_AFTER}). Applied by
 * {@link DecisionThrottle}.
 *
 * @param decisionType the exact {@link org.operon.model.Decision#getType() type} of decision throttled
 * @param mode         what happens within the window
 * @param window       how long a window lasts, positive, whole milliseconds
 * @param key          the fields whose values make the key: {@code subject}, {@code rule},
 *                     {@code params.<name>} (a parameter of the decision) or {@code labels.<name>}
 *                     (an entry of the decision's {@code labels} parameter map); a missing value is
 *                     a value of its own. Null means {@code [subject]}
 */
public record ThrottlePolicy(String decisionType, Mode mode, Duration window, List<String> key) {

    /** The key of a policy that names none: one window per subject. */
    public static final List<String> DEFAULT_KEY = List.of("subject");

    /** The decision parameter holding the labels that {@code labels.<name>} key fields read. */
    public static final String LABELS_PARAM = "labels";

    /** What a throttle does within a window. */
    public enum Mode {
        /** The first decision of a key passes; the others within the window pass muted. */
        ONCE_WITHIN,
        /** The decisions of a key within the window are collected; one summary is sent at its end. */
        ONCE_AFTER;

        /** The name in configuration and in the summary's {@code throttle.mode}: {@code once_within}, {@code once_after}. */
        public String configName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /**
         * The mode named {@code once_within} or {@code once_after} (case and {@code -}/{@code _} ignored).
         *
         * @throws IllegalArgumentException naming the accepted values
         */
        public static Mode parse(String name) {
            String n = Objects.requireNonNull(name, "mode").strip().toUpperCase(Locale.ROOT).replace('-', '_');
            for (Mode m : values()) {
                if (m.name().equals(n)) {
                    return m;
                }
            }
            throw new IllegalArgumentException("unknown throttle mode '" + name + "': use once_within or once_after");
        }
    }

    public ThrottlePolicy {
        if (decisionType == null || decisionType.isBlank()) {
            throw new IllegalArgumentException("a throttle needs the decision type it applies to");
        }
        Objects.requireNonNull(mode, "the throttle of '" + decisionType + "' needs a mode (once_within or once_after)");
        Objects.requireNonNull(window, "the throttle of '" + decisionType + "' needs a window");
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("the throttle window of '" + decisionType + "' must be positive, not "
                    + window);
        }
        if (window.getNano() % 1_000_000 != 0) {
            throw new IllegalArgumentException("the throttle window of '" + decisionType
                    + "' must be whole milliseconds, not " + window);
        }
        key = key == null ? DEFAULT_KEY : List.copyOf(key);
        if (key.isEmpty()) {
            throw new IllegalArgumentException("the throttle key of '" + decisionType + "' must name at least one "
                    + "field (subject, rule, params.<name>, labels.<name>)");
        }
        Set<String> seen = new HashSet<>();
        for (String field : key) {
            if (!validField(field)) {
                throw new IllegalArgumentException("unknown throttle key field '" + field + "' for '" + decisionType
                        + "': use subject, rule, params.<name> or labels.<name>");
            }
            if (!seen.add(field)) {
                throw new IllegalArgumentException("the throttle key of '" + decisionType + "' names '" + field
                        + "' twice");
            }
        }
    }

    /** A policy keyed by subject. */
    public ThrottlePolicy(String decisionType, Mode mode, Duration window) {
        this(decisionType, mode, window, DEFAULT_KEY);
    }

    private static boolean validField(String field) {
        if (field == null) {
            return false;
        }
        if (field.equals("subject") || field.equals("rule")) {
            return true;
        }
        for (String prefix : new String[] {"params.", "labels."}) {
            if (field.startsWith(prefix) && field.length() > prefix.length() && !field.substring(prefix.length()).isBlank()) {
                return true;
            }
        }
        return false;
    }

    /** The key fields as the mute reason names them: {@code subject}, {@code subject, labels.service}. */
    String describeKey() {
        return String.join(", ", key);
    }
}
