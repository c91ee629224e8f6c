package org.operon.model;

import java.util.Locale;

/** How bad an event says things are. The wire form is the lower-case name. */
public enum Severity {
    CRITICAL, WARNING, INFO;

    private final String wireName = name().toLowerCase(Locale.ROOT);

    /** The lower-case name used in CloudEvents and in the API. */
    public String wireName() {
        return wireName;
    }

    /**
     * Parses a wire name, ignoring case.
     *
     * @throws IllegalArgumentException naming the accepted values when {@code text} is none of them
     */
    public static Severity fromWireName(String text) {
        if (text != null) {
            for (Severity s : values()) {
                if (s.name().equalsIgnoreCase(text.trim())) {
                    return s;
                }
            }
        }
        throw new IllegalArgumentException("severity must be one of critical, warning, info, not '" + text + "'");
    }
}
