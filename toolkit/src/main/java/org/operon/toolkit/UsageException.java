package org.operon.toolkit;

/** The command line is wrong: an unknown option, a missing value, a value that does not parse. */
public final class UsageException extends Exception {
    public UsageException(String message) {
        super(message, null, false, false);
    }
}
