package org.operon.state.incident;

import java.util.Locale;

/**
 * Which incidents {@link IncidentStore#list} returns: those whose status the {@code status} filter
 * admits (any when null) and whose {@code correlationKey} equals {@code correlationKey} (any when null),
 * at most {@code limit} of them, newest {@code updatedAt} first.
 *
 * @param limit from 1 to {@value #MAX_LIMIT}
 */
public record IncidentQuery(StatusFilter status, String correlationKey, int limit) {
    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1000;

    /** @throws IllegalArgumentException when the limit is out of range */
    public IncidentQuery {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be from 1 to " + MAX_LIMIT + ", not " + limit);
        }
    }

    /** Every incident, at most {@value #DEFAULT_LIMIT}. */
    public static IncidentQuery all() {
        return new IncidentQuery(null, null, DEFAULT_LIMIT);
    }

    public IncidentQuery withStatus(StatusFilter status) {
        return new IncidentQuery(status, correlationKey, limit);
    }

    public IncidentQuery withCorrelationKey(String correlationKey) {
        return new IncidentQuery(status, correlationKey, limit);
    }

    public IncidentQuery withLimit(int limit) {
        return new IncidentQuery(status, correlationKey, limit);
    }

    /** True when the snapshot's status and key pass the filters. */
    boolean admits(String snapshotStatus, Object snapshotKey) {
        return (status == null || status.admits(snapshotStatus))
                && (correlationKey == null || correlationKey.equals(snapshotKey));
    }

    /** The statuses a listing may ask for; {@link #ACTIVE} is open or acknowledged. */
    public enum StatusFilter {
        OPEN, ACKNOWLEDGED, RESOLVED, ACTIVE;

        /**
         * The filter named {@code open}, {@code acknowledged}, {@code resolved} or {@code active}.
         *
         * @throws IllegalArgumentException naming the accepted values for anything else
         */
        public static StatusFilter parse(String name) {
            if (name != null) {
                for (StatusFilter f : values()) {
                    if (f.name().toLowerCase(Locale.ROOT).equals(name)) {
                        return f;
                    }
                }
            }
            throw new IllegalArgumentException("status must be one of open, acknowledged, resolved, active, not '"
                    + name + "'");
        }

        boolean admits(String status) {
            return switch (this) {
                case OPEN -> IncidentStore.OPEN.equals(status);
                case ACKNOWLEDGED -> IncidentStore.ACKNOWLEDGED.equals(status);
                case RESOLVED -> IncidentStore.RESOLVED.equals(status);
                case ACTIVE -> IncidentStore.OPEN.equals(status) || IncidentStore.ACKNOWLEDGED.equals(status);
            };
        }
    }
}
