package org.operon.integration.http;

/**
 * A request the API refuses, carrying the answer: the HTTP status and the JSON error
 * {@code {"error": error, "detail": detail}}. Thrown by processors and answered once by the route
 * builder's error handling.
 */
public class ApiException extends Exception {
    private final int status;
    private final String error;

    public ApiException(int status, String error, String detail) {
        super(detail);
        this.status = status;
        this.error = error;
    }

    public int status() {
        return status;
    }

    /** Short stable code for machines, e.g. {@code unauthorized}, {@code bad_limit}. */
    public String error() {
        return error;
    }

    /** What is wrong, for people. Never contains a secret. */
    public String detail() {
        return getMessage();
    }
}
