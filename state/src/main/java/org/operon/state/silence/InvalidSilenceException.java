package org.operon.state.silence;

/**
 * A silence, matcher or filter that Operon refuses, naming the offending field the way the Alertmanager
 * API spells it ({@code endsAt}, {@code matchers[1].value}, {@code filter}). The message says what is
 * wrong and never echoes more than the offending value.
 */
public class InvalidSilenceException extends org.operon.model.InvalidMatcherException {
    public InvalidSilenceException(String field, String problem) {
        super(field, problem);
    }

    /** The same problem located one level deeper, e.g. {@code value} inside {@code matchers[2]}. */
    @Override
    public InvalidSilenceException within(String parent) {
        return new InvalidSilenceException(parent + "." + field(), problem());
    }
}
