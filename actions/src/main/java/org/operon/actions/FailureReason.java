package org.operon.actions;

import java.util.regex.Pattern;

import org.apache.camel.http.base.HttpOperationFailedException;

/**
 * Short, log-safe descriptions of why an action attempt failed, as the audit log's {@code reason}
 * keeps them: {@code HTTP 400 Bad Request}, or the root cause's message, plus
 * {@code after N attempts} when it was retried. A description never contains a URL's query or user
 * info (where webhook tokens live): HTTP failures are described by status alone, and any URL in a
 * message is cut to scheme://host:port/path.
 */
final class FailureReason {
    private static final Pattern URL_TAIL = Pattern.compile("(\\b[a-zA-Z][a-zA-Z0-9+.-]*://)([^\\s/@?#]*@)?([^\\s?#]*)[?#]\\S*");
    private static final Pattern USER_INFO = Pattern.compile("(\\b[a-zA-Z][a-zA-Z0-9+.-]*://)[^\\s/@?#]*@");

    private FailureReason() {
    }

    /** The reason to record for a failure after {@code attempts} attempts. */
    static String of(Throwable failure, int attempts) {
        String description = describe(failure);
        return attempts > 1 ? description + " after " + attempts + " attempts" : description;
    }

    /** One attempt's failure, without the attempt count. */
    static String describe(Throwable failure) {
        if (failure == null) {
            return "unknown failure";
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof HttpOperationFailedException http) {
                String text = http.getStatusText();
                return "HTTP " + http.getStatusCode() + (text == null || text.isBlank() ? "" : " " + text);
            }
        }
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return redact(message == null || message.isBlank() ? root.getClass().getSimpleName() : message);
    }

    /** Cuts every URL in {@code text} to scheme://host:port/path. */
    static String redact(String text) {
        String withoutQuery = URL_TAIL.matcher(text).replaceAll("$1$3");
        return USER_INFO.matcher(withoutQuery).replaceAll("$1");
    }
}
