package org.operon.app.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A configuration file (inhibit rules, throttles, reference data) cannot be read or holds something
 * invalid. The message is {@code <file>[:<line>]: <problem>}, where the problem names the entry (by
 * position or name) and the field; it never echoes more of the file than the offending value.
 */
public final class ConfigFileException extends RuntimeException {
    private final Path file;
    private final int line;
    private final String problem;

    /**
     * @param file    the file
     * @param line    1-based line, 0 when unknown
     * @param problem what is wrong, naming the entry and field
     */
    public ConfigFileException(Path file, int line, String problem) {
        super(file + (line > 0 ? ":" + line : "") + ": " + problem, null, false, false);
        this.file = Objects.requireNonNull(file, "file");
        this.line = line;
        this.problem = problem;
    }

    public Path file() {
        return file;
    }

    /** 1-based line of the problem, 0 when unknown. */
    public int line() {
        return line;
    }

    /** What is wrong, without the file. */
    public String problem() {
        return problem;
    }
}
