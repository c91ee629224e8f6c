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
 * Where polling stands: the newest {@code updated_on} taken, and the ids of the issues taken at that same
 * second (Redmine's timestamps have whole seconds and the query asks {@code >=} it, so the next poll sees them
 * again and must skip them, while a change later in that second is still found). Kept as JSON in a durable
 * map (an Infinispan cache of {@code OperonState.durableCache}), so a restart neither misses nor repeats.
 */
final class RedmineCursor {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ConcurrentMap<String, String> store;
    private final String key;

    /** A position: the second and the ids already taken at it. */
    record Position(Instant updatedOn, Set<Integer> idsAtSecond) {
        Position {
            idsAtSecond = Set.copyOf(idsAtSecond);
        }

        /** True when the issue with this update time was taken already. */
        boolean taken(int id, Instant updated) {
            return updated.isBefore(updatedOn) || (updated.equals(updatedOn) && idsAtSecond.contains(id));
        }

        /** The position after taking the issue. */
        Position after(int id, Instant updated) {
            if (updated.isAfter(updatedOn)) {
                return new Position(updated, Set.of(id));
            }
            Set<Integer> ids = new TreeSet<>(idsAtSecond);
            ids.add(id);
            return new Position(updatedOn, ids);
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
            Set<Integer> ids = new TreeSet<>();
            node.path("ids").forEach(n -> ids.add(n.asInt()));
            return new Position(Instant.parse(node.path("updatedOn").asText()), ids);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("the stored Redmine poll position '" + key + "' is unreadable: " + json, e);
        }
    }

    void save(Position position) {
        ObjectNode node = JSON.createObjectNode();
        node.put("updatedOn", position.updatedOn().toString());
        position.idsAtSecond().stream().sorted().forEach(node.withArray("ids")::add);
        try {
            store.put(key, JSON.writeValueAsString(node));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
