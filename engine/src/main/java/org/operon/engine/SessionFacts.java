package org.operon.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Where the non-event facts every session starts with come from: configuration and reference data
 * (an incident policy, a service catalogue), read from files that may change while Operon runs.
 * {@link RuleReloader} inserts what {@link #load()} returns into each session it opens (see
 * {@link SessionOpener#withFacts}) and, when {@link #fingerprint()} changes, switches to a session
 * with the new facts as it does for changed rules.
 *
 * <p>Implementations read their sources anew on every {@link #load()}, and return new instances
 * each time; rules must not modify these facts.
 */
public interface SessionFacts {

    /**
     * Reads the sources now.
     *
     * @return the facts in the order they are to be inserted; none null
     * @throws SessionFactsInvalidException when a source cannot be read or is invalid; each error
     *                                      names the file and the problem (also for I/O failures:
     *                                      implementations do not throw unchecked exceptions for them)
     */
    List<Object> load() throws SessionFactsInvalidException;

    /**
     * A cheap digest of the sources as they are now (for example their names, sizes and modification
     * times) that changes whenever their content may have changed; {@code ""} when there are no
     * sources. Never throws: an unreadable source yields a fingerprint of its own.
     */
    String fingerprint();

    /** No facts. */
    static SessionFacts none() {
        return of(List.of());
    }

    /** Always the same facts, which never change (fingerprint {@code ""}). */
    static SessionFacts of(List<?> facts) {
        List<Object> copy = List.copyOf(facts);
        return new SessionFacts() {
            @Override
            public List<Object> load() {
                return copy;
            }

            @Override
            public String fingerprint() {
                return "";
            }

            @Override
            public String toString() {
                return copy.size() + " fixed session facts";
            }
        };
    }

    /**
     * A fingerprint of files for {@link #fingerprint()}: each file's path, size and modification
     * time (symbolic links followed, as a mounted ConfigMap needs), in the given order; a missing or
     * unreadable file counts as such. {@code ""} for no files. Reads no content.
     */
    static String fingerprintOf(List<Path> files) {
        StringBuilder s = new StringBuilder();
        for (Path f : files) {
            s.append(f).append('\u0000');
            try {
                s.append(Files.size(f)).append('\u0000').append(Files.getLastModifiedTime(f));
            } catch (IOException e) {
                s.append("unreadable: ").append(e.getClass().getSimpleName());
            }
            s.append('\n');
        }
        return s.toString();
    }
}
