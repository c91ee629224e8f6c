package org.operon.engine;

/** The engine's bounded queue has no room; retry after {@link #retryAfterSeconds()}. */
public class EngineOverloadedException extends Exception {
    private final int retryAfterSeconds;

    public EngineOverloadedException(String message, int retryAfterSeconds) {
        super(message);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
