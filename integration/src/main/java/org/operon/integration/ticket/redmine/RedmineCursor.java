package org.operon.integration.ticket.redmine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentMap;

/**
 * Where polling stands: the newest {@code updated_on} taken, and the issue states taken at that same second
 * (Redmine's timestamps have whole seconds and the query asks {@code >=} it, so the next poll sees them again
 * and must skip them, while a change later in that second is still found). A state is the issue id and its
 * status id: two changes of one issue within one second (Operon's comment, then a person's status change) are
 * told apart by the status, the only part of an issue a change event carries an effect for. Kept as JSON in a
 * durable map (an Infinispan cache of {@code OperonState.durableCache}), so a restart neither misses nor
 * repeats. Positions stored before statuses were kept hold bare ids, which match the issue in any status.
 */
final class RedmineCursor {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ConcurrentMap<String, String> store;
    private final String key;

    /** A position: the second and the issue states ({@code id/status}, or a bare id) already taken at it. */
    record Position(Instant updatedOn, Set<String> takenAtSecond) {
        Position {
            takenAtSecond = Set.copyOf(takenAtSecond);
        }

        /** True when the issue in this status with this update time was taken already. */
        boolean taken(int id, int statusId, Instant updated) {
            return updated.isBefore(updatedOn) || (updated.equals(updatedOn)
                    && (takenAtSecond.contains(state(id, statusId)) || takenAtSecond.contains(String.valueOf(id))));
        }

        /** The position after taking the issue in this status. */
        Position after(int id, int statusId, Instant updated) {
            if (updated.isAfter(updatedOn)) {
                return new Position(updated, Set.of(state(id, statusId)));
            }
            Set<String> taken = new TreeSet<>(takenAtSecond);
            taken.add(state(id, statusId));
            return new Position(updatedOn, taken);
        }

        private static String state(int id, int statusId) {
            return id + "/" + statusId;
        }
    }

    RedmineCursor(ConcurrentMap<String, String> store, String key) {
        this.store = store;
        this.key = key;
    }

    /** The stored position, or null before the first poll. */
    Position load() {
        String json = store.get(key);
        if (json == null) {
            return null;
        }
        try {
            JsonNode node = JSON.readTree(json);
            Set<String> taken = new TreeSet<>();
            node.path("ids").forEach(n -> taken.add(String.valueOf(n.asInt())));
            node.path("taken").forEach(n -> taken.add(n.asText()));
            return new Position(Instant.parse(node.path("updatedOn").asText()), taken);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("the stored Redmine poll position '" + key + "' is unreadable: " + json, e);
        }
    }

    void save(Position position) {
        ObjectNode node = JSON.createObjectNode();
        node.put("updatedOn", position.updatedOn().toString());
        position.takenAtSecond().stream().sorted().forEach(node.withArray("taken")::add);
        try {
            store.put(key, JSON.writeValueAsString(node));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
