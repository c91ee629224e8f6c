package org.operon.engine;

/**
 * One active rule.
 *
 * @param name        the rule's name as written after {@code rule}
 * @param packageName the DRL package it belongs to
 * @param origin      {@value #PACKAGED} for the rules built into Operon's jar, else the path of the
 *                    file that holds it, relative to the rules directory
 */
public record RuleInfo(String name, String packageName, String origin) {
    /** The origin of the rules built into Operon's jar. */
    public static final String PACKAGED = "packaged";

    public boolean isPackaged() {
        return PACKAGED.equals(origin);
    }
}
