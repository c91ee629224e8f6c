package org.operon.toolkit.replay;

import java.nio.file.Path;

/**
 * A file of recorded events that cannot be replayed: it cannot be read, or one of its lines is not a
 * journal record, a CloudEvent with a time, an Alertmanager webhook payload or an alert list. The
 * message names the file and, where it applies, the line: {@code events.jsonl:12: ...}.
 */
public final class EventSourceException extends Exception {
    private final Path file;
    private final long line;

    public EventSourceException(Path file, long line, String problem) {
        // No stack trace: the problem is in the user's file, not in where the toolkit noticed it.
        super(file + (line > 0 ? ":" + line : "") + ": " + problem, null, false, false);
        this.file = file;
        this.line = line;
    }

    /** The file. */
    public Path file() {
        return file;
    }

    /** The 1-based line, 0 when the problem is about the whole file. */
    public long line() {
        return line;
    }
}
