package org.operon.model;

/**
 * An input that can never become an {@link Event}. {@link #error()} is a short stable code for
 * machines (e.g. {@code missing_attribute}); the message is the detail for people and names the
 * attribute and the problem.
 */
public class InvalidEventException extends Exception {
    private final String error;

    public InvalidEventException(String error, String detail) {
        super(detail);
        this.error = error;
    }

    /** Short stable code: {@code malformed_json}, {@code missing_attribute}, {@code wrong_type}, {@code invalid_value}. */
    public String error() {
        return error;
    }

    public String detail() {
        return getMessage();
    }
}
