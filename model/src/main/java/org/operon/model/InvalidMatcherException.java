package org.operon.model;

/**
 * A label matcher Operon refuses, naming the offending field the way the Alertmanager API spells it
 * ({@code value}, {@code matchers[1].value}). The message says what is wrong and never echoes more
 * than the offending value.
 */
public class InvalidMatcherException extends IllegalArgumentException {
    private final String field;
    private final String problem;

    public InvalidMatcherException(String field, String problem) {
        super(field + ": " + problem);
        this.field = field;
        this.problem = problem;
    }

    /** The offending field, e.g. {@code matchers[0].value}. */
    public String field() {
        return field;
    }

    /** What is wrong with it, without the field name. */
    public String problem() {
        return problem;
    }

    /** The same problem located one level deeper, e.g. {@code value} inside {@code matchers[2]}. */
    public InvalidMatcherException within(String parent) {
        return new InvalidMatcherException(parent + "." + field, problem);
    }
}
