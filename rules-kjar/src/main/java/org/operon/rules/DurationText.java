package org.operon.rules;

/** Short texts for the windows named in decisions: {@code 10m}, {@code 90s}, {@code 1500ms}. */
final class DurationText {
    private DurationText() {
    }

    /** Whole minutes as {@code <n>m}, else whole seconds as {@code <n>s}, else {@code <n>ms}. */
    static String of(long millis) {
        if (millis % 60_000 == 0) {
            return millis / 60_000 + "m";
        }
        return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
    }
}
