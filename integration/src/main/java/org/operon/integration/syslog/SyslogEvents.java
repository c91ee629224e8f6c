package org.operon.integration.syslog;

import org.operon.model.Event;
import org.operon.model.Severity;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A syslog message as an event: type {@value #TYPE}, subject the hostname (the sender's address when the
 * message names none), severity critical for syslog severities 0-3 (emerg, alert, crit, err), warning for
 * 4, info for 5-7; labels {@code app} (APP-NAME or the RFC 3164 tag, when present) and {@code facility}
 * ({@code daemon}, {@code local0}, ...); data with the message, the structured data and the header.
 *
 * <p>The id is a random UUID, made once per received message: syslog senders never resend, and a
 * message Operon itself retries keeps its id, so a retry after an unconfirmed journal write is
 * recognised as a duplicate.
 */
public final class SyslogEvents {
    public static final String TYPE = "syslog";

    private SyslogEvents() {
    }

    /** The event severity of a syslog severity 0-7. */
    public static Severity severity(int syslogSeverity) {
        if (syslogSeverity <= 3) {
            return Severity.CRITICAL;
        }
        return syslogSeverity == 4 ? Severity.WARNING : Severity.INFO;
    }

    /**
     * @param source the source name ({@code syslog:udp}, {@code syslog:tcp})
     * @param peer   the sender's address, the subject when the message has no hostname
     */
    public static Event toEvent(SyslogMessage m, String source, String peer) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("message", m.message());
        data.put("format", m.format());
        data.put("facility", m.facility());
        data.put("severity", m.severity());
        data.put("severityName", m.severityName());
        putIfPresent(data, "timestamp", m.timestamp());
        putIfPresent(data, "hostname", m.hostname());
        putIfPresent(data, "appName", m.appName());
        putIfPresent(data, "procId", m.procId());
        putIfPresent(data, "msgId", m.msgId());
        if (!m.structuredData().isEmpty()) {
            Map<String, Object> sd = new LinkedHashMap<>();
            m.structuredData().forEach((id, params) -> {
                Map<String, Object> values = new LinkedHashMap<>();
                params.forEach((name, list) -> values.put(name, list.size() == 1 ? list.get(0) : List.copyOf(list)));
                sd.put(id, values);
            });
            data.put("structuredData", sd);
        }
        putIfPresent(data, "peer", peer);
        Event.Builder event = Event.builder()
                .id(UUID.randomUUID().toString())
                .source(source)
                .type(TYPE)
                .subject(m.hostname() != null ? m.hostname() : peer)
                .severity(severity(m.severity()))
                .time(m.time())
                .label("facility", m.facilityName())
                .data(data);
        if (m.appName() != null) {
            event.label("app", m.appName());
        }
        return event.build();
    }

    private static void putIfPresent(Map<String, Object> data, String key, String value) {
        if (value != null) {
            data.put(key, value);
        }
    }
}
