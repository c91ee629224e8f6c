package org.operon.integration.alertmanager;

import org.operon.model.OffsetTimestamps;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Times as Alertmanager's API v2 writes and reads them: RFC 3339 ({@code date-time} in its OpenAPI).
 * Written in UTC with milliseconds, as Alertmanager's Go client writes them
 * ({@code 2024-03-05T10:15:30.000Z}); read with any offset and any fraction of a second.
 */
final class Rfc3339 {
    /** Go's zero time, which Alertmanager clients send for "unset". */
    static final Instant ZERO = Instant.parse("0001-01-01T00:00:00Z");

    private static final DateTimeFormatter WRITTEN =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private Rfc3339() {
    }

    static String format(Instant instant) {
        return WRITTEN.format(instant);
    }

    /**
     * @return the instant, or null for Go's zero time in any of its spellings
     * @throws DateTimeParseException when the text is not an RFC 3339 date-time with an offset
     */
    static Instant parse(String text) {
        Instant instant = OffsetTimestamps.parse(text);
        return instant.equals(ZERO) ? null : instant;
    }
}
