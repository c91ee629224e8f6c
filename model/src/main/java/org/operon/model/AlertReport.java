package org.operon.model;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What a sender said about one alert: the alert part of Prometheus Alertmanager's API ({@code labels},
 * {@code annotations}, {@code startsAt}, {@code endsAt}, {@code generatorURL}), and the content of the
 * {@value #EVENT_TYPE} event that carries it through the event journal into the rules.
 *
 * <p>Reports are validated as Alertmanager validates posted alerts: labels with an empty value are
 * dropped, at least one label must remain, label names must not be empty, and {@code endsAt} must not
 * be before {@code startsAt}. Times are RFC 3339; the zero time in any form
 * ({@code 0001-01-01T00:00:00Z}, {@code 0001-01-01T00:00:00.000Z}, or any offset naming the same
 * instant) means "unset" and is held as null. What an unset time means is decided when the report
 * arrives (see {@code alerts.drl}): an unset {@code startsAt} is the arrival time, an unset
 * {@code endsAt} is the arrival time plus the {@linkplain #resolveTimeout() resolve timeout}.
 *
 * <h2>As an event</h2>
 * {@link #toEvent} builds an {@link Event} of type {@value #EVENT_TYPE} whose subject is the
 * {@linkplain #fingerprint() fingerprint}, whose severity is the {@code severity} label when that is
 * critical, warning or info (else info), whose labels are the alert's labels, and whose data is
 * {@link #toData()}: {@code {"labels", "annotations", "startsAt", "endsAt", "generatorURL"}} with unset
 * times as null, and {@code "resolveTimeout"} (ISO-8601, e.g. {@code PT4H10M}) only when it is not the
 * default. Types starting with {@code operon.} are reserved (see {@link CloudEventJson}), so only Operon's
 * own alert intake creates such events.
 *
 * <p>Instances are immutable.
 */
public final class AlertReport {
    /** The event type of an alert report in the journal. */
    public static final String EVENT_TYPE = "operon.alert";
    /** How long an alert without {@code endsAt} stays firing unless re-sent: Alertmanager's default {@code resolve_timeout}. */
    public static final Duration DEFAULT_RESOLVE_TIMEOUT = Duration.ofMinutes(5);

    private static final Instant ZERO_TIME = Instant.parse("0001-01-01T00:00:00Z");

    private final Map<String, String> labels;
    private final String fingerprint;
    private final Map<String, String> annotations;
    private final Instant startsAt;
    private final Instant endsAt;
    private final String generatorURL;
    private final Duration resolveTimeout;

    private AlertReport(Map<String, String> labels, Map<String, String> annotations, Instant startsAt, Instant endsAt,
                        String generatorURL, Duration resolveTimeout) {
        this.labels = labels;
        this.fingerprint = AlertFingerprint.of(labels);
        this.annotations = annotations;
        this.startsAt = startsAt;
        this.endsAt = endsAt;
        this.generatorURL = generatorURL;
        this.resolveTimeout = resolveTimeout;
    }

    /**
     * A validated report. Zero times become null (unset); an empty {@code generatorURL} becomes null.
     *
     * @throws InvalidEventException {@code missing_attribute} when no label with a non-empty value is
     *                               left, {@code invalid_value} for an empty label name or an
     *                               {@code endsAt} before {@code startsAt}
     */
    public static AlertReport of(Map<String, String> labels, Map<String, String> annotations, Instant startsAt,
                                 Instant endsAt, String generatorURL) throws InvalidEventException {
        Map<String, String> kept = new TreeMap<>();
        for (Map.Entry<String, String> l : labels.entrySet()) {
            if (l.getKey() == null || l.getKey().isEmpty()) {
                throw new InvalidEventException("invalid_value", "labels: a label name must not be empty");
            }
            if (l.getValue() != null && !l.getValue().isEmpty()) {
                kept.put(l.getKey(), l.getValue());
            }
        }
        if (kept.isEmpty()) {
            throw new InvalidEventException("missing_attribute",
                    "labels: at least one label with a non-empty value is required");
        }
        Map<String, String> notes = new TreeMap<>();
        if (annotations != null) {
            annotations.forEach((k, v) -> notes.put(k, v == null ? "" : v));
        }
        Instant start = unsetIfZero(startsAt);
        Instant end = unsetIfZero(endsAt);
        if (start != null && end != null && end.isBefore(start)) {
            throw new InvalidEventException("invalid_value", "endsAt (" + end + ") is before startsAt (" + start
                    + "): start time must be before end time");
        }
        return new AlertReport(Collections.unmodifiableMap(kept), Collections.unmodifiableMap(notes), start, end,
                generatorURL == null || generatorURL.isEmpty() ? null : generatorURL, null);
    }

    /** A copy with another {@code endsAt} (null: unset). The caller keeps it at or after {@code startsAt}. */
    public AlertReport withEndsAt(Instant endsAt) {
        return new AlertReport(labels, annotations, startsAt, unsetIfZero(endsAt), generatorURL, resolveTimeout);
    }

    /**
     * A copy whose unset {@code endsAt} means "firing for this long after arrival unless re-sent" instead
     * of {@link #DEFAULT_RESOLVE_TIMEOUT}.
     *
     * @throws IllegalArgumentException when the timeout is not positive
     */
    public AlertReport withResolveTimeout(Duration timeout) {
        if (timeout == null || timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("resolve timeout must be positive, not " + timeout);
        }
        return new AlertReport(labels, annotations, startsAt, endsAt, generatorURL,
                timeout.equals(DEFAULT_RESOLVE_TIMEOUT) ? null : timeout);
    }

    /**
     * The report as Alertmanager's webhook means it, given the alert's {@code status} received at
     * {@code receivedAt}: "resolved" ends it then (or at its own endsAt when that is already past);
     * "firing" clears an endsAt that is already past (Alertmanager sends the resolve time it would use)
     * and, since Alertmanager re-sends firing alerts only on its repeat interval, lets it fire for
     * {@code resolveTimeout} after arrival unless re-sent; null (no status) leaves it as the v2 API has it.
     *
     * @throws InvalidEventException when the status is another string
     */
    public AlertReport withWebhookStatus(String status, Instant receivedAt, Duration resolveTimeout)
            throws InvalidEventException {
        if (status == null) {
            return this;
        }
        switch (status) {
            case "resolved" -> {
                boolean endKnown = endsAt != null && !endsAt.isAfter(receivedAt);
                return withEndsAt(endKnown ? endsAt : receivedAt);
            }
            case "firing" -> {
                AlertReport firing = endsAt != null && !endsAt.isAfter(receivedAt) ? withEndsAt(null) : this;
                return firing.withResolveTimeout(resolveTimeout);
            }
            default -> throw new InvalidEventException("invalid_value",
                    "status must be \"firing\" or \"resolved\", not \"" + status + "\"");
        }
    }

    /**
     * Parses an RFC 3339 timestamp such as {@code 2026-11-26T18:22:11.569464475Z}; the zero time in any
     * form gives null (unset), and so does a null text.
     *
     * @param field the field's name, for the message
     * @throws InvalidEventException {@code invalid_value} naming the field when the text is not RFC 3339
     */
    public static Instant parseTime(String field, String text) throws InvalidEventException {
        if (text == null) {
            return null;
        }
        try {
            return unsetIfZero(OffsetTimestamps.parse(text));
        } catch (DateTimeParseException e) {
            throw new InvalidEventException("invalid_value", field
                    + " must be an RFC 3339 timestamp such as 2026-01-31T12:00:00Z, not '" + text + "'");
        }
    }

    private static Instant unsetIfZero(Instant time) {
        return time == null || time.equals(ZERO_TIME) ? null : time;
    }

    /**
     * Reads a report from a JSON tree of maps, lists and scalars, as Jackson gives it for an element of
     * Alertmanager's {@code postableAlerts} or for an event's data. Unknown fields are ignored.
     *
     * @throws InvalidEventException naming the field: {@code wrong_type} for a field of the wrong JSON type,
     *                               {@code missing_attribute} for missing labels, {@code invalid_value}
     *                               for a bad time, duration or label
     */
    public static AlertReport fromData(Object data) throws InvalidEventException {
        if (!(data instanceof Map<?, ?> fields)) {
            throw new InvalidEventException("wrong_type", "an alert must be a JSON object, not " + jsonType(data));
        }
        if (fields.get("labels") == null) {
            throw new InvalidEventException("missing_attribute", "labels: required, an object of label names to values");
        }
        Map<String, String> labels = stringMap(fields.get("labels"), "labels");
        Map<String, String> annotations = fields.get("annotations") == null ? Map.of()
                : stringMap(fields.get("annotations"), "annotations");
        AlertReport report = of(labels, annotations,
                parseTime("startsAt", optionalString(fields, "startsAt")),
                parseTime("endsAt", optionalString(fields, "endsAt")),
                optionalString(fields, "generatorURL"));
        String timeout = optionalString(fields, "resolveTimeout");
        if (timeout != null) {
            try {
                report = report.withResolveTimeout(Duration.parse(timeout));
            } catch (RuntimeException e) {
                throw new InvalidEventException("invalid_value",
                        "resolveTimeout must be a positive ISO-8601 duration such as PT5M, not '" + timeout + "'");
            }
        }
        return report;
    }

    /**
     * Reads the report an {@value #EVENT_TYPE} event carries.
     *
     * @throws InvalidEventException when the event is of another type or its data is not a valid report
     */
    public static AlertReport fromEvent(Event event) throws InvalidEventException {
        if (!EVENT_TYPE.equals(event.getType())) {
            throw new InvalidEventException("invalid_value", "event " + event.getId() + " is of type '"
                    + event.getType() + "', not '" + EVENT_TYPE + "'");
        }
        return fromData(event.getData());
    }

    /** The report as event data; see the class comment. Plain maps and strings, so any JSON writer renders it. */
    public Map<String, Object> toData() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("labels", labels);
        data.put("annotations", annotations);
        data.put("startsAt", startsAt == null ? null : startsAt.toString());
        data.put("endsAt", endsAt == null ? null : endsAt.toString());
        data.put("generatorURL", generatorURL);
        if (resolveTimeout != null) {
            data.put("resolveTimeout", resolveTimeout.toString());
        }
        return data;
    }

    /**
     * The {@value #EVENT_TYPE} event for this report (see the class comment).
     *
     * @param id     the event id; callers use a random UUID, because a re-sent alert is a new report
     *               and must not be taken for a duplicate
     * @param source where it came in, e.g. {@code /api/v2/alerts}
     * @param time   when it was received
     */
    public Event toEvent(String id, String source, Instant time) {
        return Event.builder().id(id).source(source).type(EVENT_TYPE).subject(fingerprint).time(time)
                .severity(severity()).labels(labels).data(toData()).build();
    }

    /** The {@code severity} label when it is critical, warning or info (in any case); else info. */
    public Severity severity() {
        String label = labels.get("severity");
        if (label != null) {
            for (Severity s : Severity.values()) {
                if (s.wireName().equalsIgnoreCase(label.trim())) {
                    return s;
                }
            }
        }
        return Severity.INFO;
    }

    /** The labels, sorted by name, none with an empty value; never empty. */
    public Map<String, String> labels() { return labels; }

    /** {@link AlertFingerprint#of} the labels. */
    public String fingerprint() { return fingerprint; }

    /** The annotations, sorted by name; never null. */
    public Map<String, String> annotations() { return annotations; }

    /** When the alert started, or null when the sender did not say. */
    public Instant startsAt() { return startsAt; }

    /** When the alert ends or ended, or null when the sender did not say (it is firing). */
    public Instant endsAt() { return endsAt; }

    /** The link back to the source of the alert, or null. */
    public String generatorURL() { return generatorURL; }

    /** How long after its arrival an alert without {@code endsAt} resolves unless re-sent; never null. */
    public Duration resolveTimeout() {
        return resolveTimeout == null ? DEFAULT_RESOLVE_TIMEOUT : resolveTimeout;
    }

    private static Map<String, String> stringMap(Object value, String field) throws InvalidEventException {
        if (!(value instanceof Map<?, ?> map)) {
            throw new InvalidEventException("wrong_type", field + " must be an object of strings, not " + jsonType(value));
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            Object v = e.getValue();
            if (v != null && !(v instanceof String)) {
                throw new InvalidEventException("wrong_type", field + "." + e.getKey() + " must be a string, not "
                        + jsonType(v));
            }
            out.put(String.valueOf(e.getKey()), (String) v);
        }
        return out;
    }

    private static String optionalString(Map<?, ?> fields, String name) throws InvalidEventException {
        Object v = fields.get(name);
        if (v == null) {
            return null;
        }
        if (!(v instanceof String s)) {
            throw new InvalidEventException("wrong_type", name + " must be a string, not " + jsonType(v));
        }
        return s;
    }

    private static String jsonType(Object value) {
        if (value == null) return "null";
        if (value instanceof Map) return "an object";
        if (value instanceof java.util.List) return "an array";
        if (value instanceof String) return "a string";
        if (value instanceof Number) return "a number";
        if (value instanceof Boolean) return "a boolean";
        return value.getClass().getSimpleName();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AlertReport r && labels.equals(r.labels) && annotations.equals(r.annotations)
                && Objects.equals(startsAt, r.startsAt) && Objects.equals(endsAt, r.endsAt)
                && Objects.equals(generatorURL, r.generatorURL) && Objects.equals(resolveTimeout, r.resolveTimeout);
    }

    @Override
    public int hashCode() {
        return Objects.hash(fingerprint, startsAt, endsAt);
    }

    @Override
    public String toString() {
        return "AlertReport{fingerprint=" + fingerprint + ", labels=" + labels + ", startsAt=" + startsAt + ", endsAt="
                + endsAt + "}";
    }
}
