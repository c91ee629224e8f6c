package org.operon.actions;

import java.util.regex.Pattern;

import org.apache.camel.http.base.HttpOperationFailedException;

/**
 * Short, log-safe descriptions of why an action attempt failed, as the audit log's {@code reason}
 * keeps them: {@code HTTP 400 Bad Request}, or the root cause's message, plus
 * {@code after N attempts} when it was retried. A description never contains a URL's query or user
 * info (where webhook tokens live): HTTP failures are described by status alone, with the standard
 * reason phrase of the status code (never the phrase the target sent, which a target may fill with the
 * URL it was called with), and any URL in a message is cut to scheme://host:port/path.
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
            if (t instanceof OutcomeUnknownException unknown) {
                return redact(unknown.getMessage());
            }
            if (t instanceof HttpOperationFailedException http) {
                String phrase = reasonPhrase(http.getStatusCode());
                return "HTTP " + http.getStatusCode() + (phrase.isEmpty() ? "" : " " + phrase);
            }
        }
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return redact(message == null || message.isBlank() ? root.getClass().getSimpleName() : message);
    }

    /** The standard reason phrase of an HTTP status code (RFC 9110, 6585), or "" for another code. */
    static String reasonPhrase(int status) {
        return switch (status) {
            case 300 -> "Multiple Choices";
            case 301 -> "Moved Permanently";
            case 302 -> "Found";
            case 303 -> "See Other";
            case 304 -> "Not Modified";
            case 307 -> "Temporary Redirect";
            case 308 -> "Permanent Redirect";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 402 -> "Payment Required";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 406 -> "Not Acceptable";
            case 408 -> "Request Timeout";
            case 409 -> "Conflict";
            case 410 -> "Gone";
            case 411 -> "Length Required";
            case 412 -> "Precondition Failed";
            case 413 -> "Content Too Large";
            case 414 -> "URI Too Long";
            case 415 -> "Unsupported Media Type";
            case 422 -> "Unprocessable Content";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 501 -> "Not Implemented";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> "";
        };
    }

    /** Cuts every URL in {@code text} to scheme://host:port/path. */
    static String redact(String text) {
        String withoutQuery = URL_TAIL.matcher(text).replaceAll("$1$3");
        return USER_INFO.matcher(withoutQuery).replaceAll("$1");
    }
}
