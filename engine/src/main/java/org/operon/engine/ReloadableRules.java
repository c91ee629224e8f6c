package org.operon.engine;

import java.util.List;

/**
 * The rules that run, as the API sees them: which are active, how the last load went, and a reload
 * on demand. Implemented by {@link RuleReloader}.
 */
public interface ReloadableRules {

    /** Whether a rules directory is configured; without one only the packaged rules run. */
    boolean hasDirectory();

    /**
     * Whether anything can be reloaded: a rules directory, or files of session facts (see
     * {@link SessionFacts}). Without either, {@link #reload} throws.
     */
    default boolean hasWatchedSources() {
        return hasDirectory();
    }

    /**
     * Reads, compiles and switches to the rules directory's files and the current session facts.
     * Never throws for bad rules or facts: the outcome says what happened, and on failure the previous
     * rules and facts keep running.
     *
     * @param trigger what asked for it ({@code api}, {@code file change}), for the log and {@link #status()}
     * @throws IllegalStateException when there is nothing to reload ({@link #hasWatchedSources()} is
     *                               false), or the engine is not running
     */
    Reload reload(String trigger);

    /** The rules running now and the outcome of the last load. */
    Status status();

    /**
     * One load of the rules, at start or by a reload.
     *
     * @param time    when it finished, epoch milliseconds
     * @param ok      whether the rules it read now run
     * @param trigger what asked for it: {@code start}, {@code api}, {@code file change}
     * @param errors  what was wrong, when not ok (each with file, line and column where known)
     * @param millis  how long it took, compiling and switching
     */
    record Reload(long time, boolean ok, String trigger, List<RuleError> errors, long millis) {
        public Reload {
            errors = List.copyOf(errors);
        }

        /** {@code ok} or {@code failed}. */
        public String status() {
            return ok ? "ok" : "failed";
        }
    }

    /**
     * The rules running now and the outcome of the last load.
     *
     * @param rules      the active rules, packaged first
     * @param lastReload the last load, successful or not
     * @param directory  the rules directory, or null when none is configured
     */
    record Status(List<RuleInfo> rules, Reload lastReload, String directory) {
    }
}
