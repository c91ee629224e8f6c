package org.operon.toolkit;

/** The exit codes of the toolkit's commands. */
public final class ExitCode {
    /** Done; for {@code operon test}: every scenario passed. */
    public static final int OK = 0;
    /** {@code operon test} only: a scenario failed. */
    public static final int FAILED = 1;
    /**
     * Could not run: a wrong command line, an input that cannot be read or parsed (named with file and
     * line), rules that do not compile (named with file, line and column).
     */
    public static final int CANNOT_RUN = 2;

    private ExitCode() {
    }
}
