package org.operon.model;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The last stored snapshot of an active (open or acknowledged) incident, handed to a new rule session so
 * that the incident continues there: after a restart or a switch of rules the session replays only the
 * last minutes of the journal, and an incident opened before that would otherwise be lost (its alerts,
 * re-sent by Prometheus, would open a new one). The rules (incident-restore.drl) turn it into the
 * incident it describes, with the same id, and delete it.
 *
 * <p>The snapshot is the map the rules put in the {@code incident} param of every {@code incident-*}
 * decision (see docs/incidents.md), as the incident store keeps it: JSON values only. This class checks
 * the fields every session needs to tell the incident apart ({@code id}, {@code correlationKey},
 * {@code status}, {@code version}, {@code updatedAt}) and keeps the rest for the rules to read.
 * {@link #getReadAt()} is when the snapshot was read from the store (the wall clock), which is when
 * Operon starts hearing the incident's alerts again. Immutable (the map is copied; its nested lists and
 * maps are kept as given, and the incident store gives unmodifiable ones).
 */
public final class IncidentSnapshot {
    public static final String OPEN = "open";
    public static final String ACKNOWLEDGED = "acknowledged";

    private final Map<String, Object> snapshot;
    private final String id;
    private final String correlationKey;
    private final String status;
    private final long version;
    private final Instant updatedAt;
    private final Instant readAt;

    private IncidentSnapshot(Map<String, Object> snapshot, Instant readAt) {
        this.snapshot = Collections.unmodifiableMap(new LinkedHashMap<>(snapshot));
        this.id = text(snapshot, "id");
        this.correlationKey = text(snapshot, "correlationKey");
        Object s = snapshot.get("status");
        if (!OPEN.equals(s) && !ACKNOWLEDGED.equals(s)) {
            throw new IllegalArgumentException("incident " + id + " is not active (open or acknowledged) but " + s);
        }
        this.status = (String) s;
        Object v = snapshot.get("version");
        if (!(v instanceof Integer || v instanceof Long) || ((Number) v).longValue() < 0) {
            throw new IllegalArgumentException("incident " + id + " needs a 'version' of 0 or more, not " + v);
        }
        this.version = ((Number) v).longValue();
        this.updatedAt = instant(snapshot, id, "updatedAt");
        instant(snapshot, id, "openedAt");
        this.readAt = Objects.requireNonNull(readAt, "readAt");
    }

    /**
     * The snapshot of an active incident.
     *
     * @param snapshot the stored snapshot map (see docs/incidents.md)
     * @param readAt   when it was read from the store (wall clock)
     * @throws IllegalArgumentException naming the field when the snapshot lacks a non-blank {@code id} or
     *                                  {@code correlationKey}, an integral {@code version} of 0 or more,
     *                                  RFC 3339 {@code openedAt} and {@code updatedAt}, or is not open or
     *                                  acknowledged
     */
    public static IncidentSnapshot of(Map<String, Object> snapshot, Instant readAt) {
        return new IncidentSnapshot(Objects.requireNonNull(snapshot, "snapshot"), readAt);
    }

    /** The whole snapshot map, unmodifiable. */
    public Map<String, Object> getSnapshot() { return snapshot; }

    public String getId() { return id; }

    public String getCorrelationKey() { return correlationKey; }

    /** {@link #OPEN} or {@link #ACKNOWLEDGED}. */
    public String getStatus() { return status; }

    public long getVersion() { return version; }

    /** The time of the incident's last change: the snapshot holds every change up to this moment. */
    public Instant getUpdatedAt() { return updatedAt; }

    /** When the snapshot was read from the store (wall clock). */
    public Instant getReadAt() { return readAt; }

    private static String text(Map<String, Object> snapshot, String field) {
        if (snapshot.get(field) instanceof String value && !value.isBlank()) {
            return value;
        }
        throw new IllegalArgumentException("an incident snapshot needs a non-blank '" + field + "', not "
                + snapshot.get(field));
    }

    private static Instant instant(Map<String, Object> snapshot, String id, String field) {
        if (snapshot.get(field) instanceof String value) {
            try {
                return Instant.parse(value);
            } catch (DateTimeParseException e) {
                // reported below
            }
        }
        throw new IllegalArgumentException("incident " + id + " needs '" + field + "' as an RFC 3339 time, not "
                + snapshot.get(field));
    }

    @Override
    public String toString() {
        return "IncidentSnapshot{" + id + ", key=" + correlationKey + ", status=" + status + ", version=" + version + "}";
    }
}
