package org.operon.toolkit.scenario;

import java.nio.file.Path;

/**
 * A scenario file that cannot be run: it is not YAML, or not a scenario (an unknown key, a value of the
 * wrong kind, a duration or matcher that does not parse). The message starts with
 * {@code file:line:column:} where the problem is.
 */
public final class ScenarioException extends Exception {
    public ScenarioException(Path file, int line, int column, String problem) {
        super(file + (line > 0 ? ":" + line + (column > 0 ? ":" + column : "") : "") + ": " + problem, null, false,
                false);
    }
}
