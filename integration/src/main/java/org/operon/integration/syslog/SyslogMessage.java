package org.operon.integration.syslog;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One parsed syslog message. Fields a sender left out (RFC 5424's {@code -}) are null.
 *
 * @param format         {@code rfc5424} or {@code rfc3164}
 * @param facility       0 to 23
 * @param severity       0 (emergency) to 7 (debug)
 * @param time           the message's timestamp; null when absent or (RFC 3164) without year and zone
 * @param timestamp      the timestamp as written, or null
 * @param structuredData RFC 5424 structured data: SD-ID to parameter name to values (a parameter may repeat)
 * @param message        the free-form message, possibly empty, never null
 */
public record SyslogMessage(String format, int facility, int severity, Instant time, String timestamp,
                            String hostname, String appName, String procId, String msgId,
                            Map<String, Map<String, List<String>>> structuredData, String message) {

    private static final List<String> FACILITIES = List.of("kern", "user", "mail", "daemon", "auth", "syslog", "lpr",
            "news", "uucp", "cron", "authpriv", "ftp", "ntp", "security", "console", "solaris-cron", "local0",
            "local1", "local2", "local3", "local4", "local5", "local6", "local7");
    private static final List<String> SEVERITIES = List.of("emerg", "alert", "crit", "err", "warning", "notice",
            "info", "debug");

    /** The facility's keyword ({@code kern}, {@code auth}, {@code local0}, ...). */
    public String facilityName() {
        return FACILITIES.get(facility);
    }

    /** The severity's keyword ({@code emerg}, {@code err}, {@code warning}, ...). */
    public String severityName() {
        return SEVERITIES.get(severity);
    }
}
