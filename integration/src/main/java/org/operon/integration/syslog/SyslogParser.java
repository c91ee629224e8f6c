package org.operon.integration.syslog;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses one syslog message, RFC 5424 or RFC 3164 (BSD), telling them apart by the version {@code 1}
 * after the priority.
 *
 * <ul>
 *   <li>RFC 5424: {@code <PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID STRUCTURED-DATA [MSG]}, each
 *       header field {@code -} when absent; structured data {@code [id name="value" ...]...} with
 *       {@code \"}, {@code \\} and {@code \]} escaped in values; a UTF-8 byte order mark before the
 *       message is dropped. Any deviation is an error.</li>
 *   <li>RFC 3164: {@code <PRI>Mmm dd hh:mm:ss HOSTNAME TAG[PID]: MSG}; the timestamp may also be an
 *       RFC 3339 one (as rsyslog writes). Without a recognisable timestamp, everything after the priority
 *       is the message and the hostname is unknown (RFC 3164 section 4.3.3). A {@code Mmm dd hh:mm:ss}
 *       timestamp has no year or zone, so {@link SyslogMessage#time()} stays null and only the text is
 *       kept.</li>
 * </ul>
 * Only the priority is required of both: {@code <0>} to {@code <191>} at the very start.
 */
public final class SyslogParser {
    private static final Pattern PRI = Pattern.compile("<(\\d{1,3})>");
    private static final Pattern BSD_TIMESTAMP = Pattern.compile(
            "(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [ 0-3]\\d \\d\\d:\\d\\d:\\d\\d");
    private static final Pattern TAG = Pattern.compile("([^\\s\\[\\]:]{1,48})(?:\\[([^\\]\\s]{1,32})])?: ?");

    private SyslogParser() {
    }

    /** A line that is not syslog; {@link #error()} is the dead letter's code, the message its detail. */
    public static final class SyslogFormatException extends Exception {
        private final String error;

        SyslogFormatException(String error, String detail) {
            super(detail);
            this.error = error;
        }

        public String error() {
            return error;
        }
    }

    /**
     * @param line one message without its framing (no trailing newline)
     * @throws SyslogFormatException when it is neither RFC 5424 nor RFC 3164
     */
    public static SyslogMessage parse(String line) throws SyslogFormatException {
        if (line == null || line.isEmpty()) {
            throw new SyslogFormatException("invalid_syslog", "the message is empty");
        }
        Matcher pri = PRI.matcher(line);
        if (!pri.lookingAt()) {
            throw new SyslogFormatException("invalid_syslog", "a syslog message starts with a priority such as "
                    + "<34>; this one starts with '" + preview(line) + "'");
        }
        int priority = Integer.parseInt(pri.group(1));
        if (priority > 191) {
            throw new SyslogFormatException("invalid_syslog", "priority <" + priority + "> is out of range 0 to 191");
        }
        String rest = line.substring(pri.end());
        if (rest.startsWith("1 ")) {
            return new Rfc5424(rest.substring(2), priority).parse();
        }
        return rfc3164(rest, priority);
    }

    private static SyslogMessage rfc3164(String rest, int priority) {
        String timestamp = null;
        java.time.Instant time = null;
        String body = rest;
        Matcher bsd = BSD_TIMESTAMP.matcher(rest);
        if (bsd.lookingAt() && rest.length() > bsd.end() && rest.charAt(bsd.end()) == ' ') {
            timestamp = bsd.group();
            body = rest.substring(bsd.end() + 1);
        } else {
            int space = rest.indexOf(' ');
            if (space > 0) {
                try {
                    time = OffsetDateTime.parse(rest.substring(0, space)).toInstant();
                    timestamp = rest.substring(0, space);
                    body = rest.substring(space + 1);
                } catch (DateTimeParseException e) {
                    // no timestamp: the whole rest is the message
                }
            }
        }
        if (timestamp == null) {
            return new SyslogMessage("rfc3164", priority >> 3, priority & 7, null, null, null, null, null, null,
                    Map.of(), rest);
        }
        String hostname = null;
        int space = body.indexOf(' ');
        if (space > 0) {
            hostname = body.substring(0, space);
            body = body.substring(space + 1);
        } else if (!body.isEmpty()) {
            hostname = body;
            body = "";
        }
        String tag = null;
        String pid = null;
        Matcher t = TAG.matcher(body);
        if (t.lookingAt()) {
            tag = t.group(1);
            pid = t.group(2);
            body = body.substring(t.end());
        }
        return new SyslogMessage("rfc3164", priority >> 3, priority & 7, time, timestamp, hostname, tag, pid, null,
                Map.of(), body);
    }

    /** The RFC 5424 header after {@code <PRI>1 }, read field by field. */
    private static final class Rfc5424 {
        private final String text;
        private final int priority;
        private int at;

        Rfc5424(String text, int priority) {
            this.text = text;
            this.priority = priority;
        }

        SyslogMessage parse() throws SyslogFormatException {
            String timestamp = field("TIMESTAMP");
            java.time.Instant time = null;
            if (timestamp != null) {
                try {
                    time = OffsetDateTime.parse(timestamp).toInstant();
                } catch (DateTimeParseException e) {
                    throw error("TIMESTAMP '" + timestamp + "' is not an RFC 3339 timestamp");
                }
            }
            String hostname = field("HOSTNAME");
            String appName = field("APP-NAME");
            String procId = field("PROCID");
            String msgId = field("MSGID");
            Map<String, Map<String, List<String>>> sd = structuredData();
            String message = "";
            if (at < text.length()) {
                if (text.charAt(at) != ' ') {
                    throw error("expected a space after STRUCTURED-DATA");
                }
                message = text.substring(at + 1);
                if (message.startsWith("\uFEFF")) {
                    message = message.substring(1);
                }
            }
            return new SyslogMessage("rfc5424", priority >> 3, priority & 7, time, timestamp, hostname, appName,
                    procId, msgId, sd, message);
        }

        /** A header field up to the next space; null for {@code -}. */
        private String field(String name) throws SyslogFormatException {
            int space = text.indexOf(' ', at);
            if (space < 0) {
                throw error(name + " is missing");
            }
            String value = text.substring(at, space);
            if (value.isEmpty()) {
                throw error(name + " is empty (two spaces); '-' marks a missing field");
            }
            at = space + 1;
            return value.equals("-") ? null : value;
        }

        private Map<String, Map<String, List<String>>> structuredData() throws SyslogFormatException {
            if (text.startsWith("-", at)) {
                at++;
                return Map.of();
            }
            if (!text.startsWith("[", at)) {
                throw error("STRUCTURED-DATA must be '-' or start with '['");
            }
            Map<String, Map<String, List<String>>> sd = new LinkedHashMap<>();
            while (text.startsWith("[", at)) {
                at++;
                String id = name("SD-ID");
                Map<String, List<String>> params = sd.computeIfAbsent(id, k -> new LinkedHashMap<>());
                while (true) {
                    if (text.startsWith("]", at)) {
                        at++;
                        break;
                    }
                    if (!text.startsWith(" ", at)) {
                        throw error("expected ' ' or ']' in element [" + id);
                    }
                    at++;
                    String param = name("PARAM-NAME");
                    if (!text.startsWith("=\"", at)) {
                        throw error("expected '=\"' after " + param + " in element [" + id);
                    }
                    at += 2;
                    params.computeIfAbsent(param, k -> new ArrayList<>()).add(value(id, param));
                }
            }
            return sd;
        }

        private String name(String what) throws SyslogFormatException {
            int start = at;
            while (at < text.length() && " =]\"".indexOf(text.charAt(at)) < 0 && at - start < 32) {
                at++;
            }
            if (at == start) {
                throw error(what + " is missing");
            }
            return text.substring(start, at);
        }

        private String value(String id, String param) throws SyslogFormatException {
            StringBuilder value = new StringBuilder();
            while (at < text.length()) {
                char c = text.charAt(at++);
                if (c == '"') {
                    return value.toString();
                }
                if (c == '\\' && at < text.length() && "\"\\]".indexOf(text.charAt(at)) >= 0) {
                    c = text.charAt(at++);
                }
                value.append(c);
            }
            throw error("the value of " + param + " in element [" + id + " is not closed by '\"'");
        }

        private SyslogFormatException error(String reason) {
            return new SyslogFormatException("invalid_syslog", "not a valid RFC 5424 message (it starts with "
                    + "'<" + priority + ">1 '): " + reason);
        }
    }

    private static String preview(String line) {
        String start = line.length() > 20 ? line.substring(0, 20) + "..." : line;
        return start.replaceAll("\\p{Cntrl}", "?");
    }
}
