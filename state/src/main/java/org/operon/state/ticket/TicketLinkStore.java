package org.operon.state.ticket;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.infinispan.Cache;
import org.operon.state.OperonState;

/**
 * The incident → ticket mapping of the ticket actions, durable in the Infinispan cache {@value #CACHE} of
 * {@link OperonState} (a soft-index file store under {@code <dataDir>/infinispan/ticket-links}; key
 * {@code <system>:<incident id>}, value the {@link TicketLink} as JSON).
 *
 * <p>A ticket action looks the link up before it creates a ticket and writes it as soon as the ticketing
 * system answered the create, so a restart, a replay or a retry of the same incident's decisions
 * comments on that ticket instead of opening a second one. {@link #save} returns once the link is forced
 * to disk. A link that is not resolved never expires; a resolved link expires {@link OperonState#retention()}
 * after it was written (an incident that reopens after that gets a new ticket).
 *
 * <p>Thread-safe; the actions module performs the actions of one target on one thread, so one system's
 * links are never written concurrently for one incident.
 */
public final class TicketLinkStore {
    /** The name of the Infinispan cache holding the links. */
    public static final String CACHE = "ticket-links";

    private final ObjectMapper mapper = new ObjectMapper();
    private final Cache<String, String> cache;
    private final Duration resolvedLifespan;

    TicketLinkStore(Cache<String, String> cache, Duration resolvedLifespan) {
        this.cache = cache;
        this.resolvedLifespan = resolvedLifespan;
    }

    /** The store over the state's cache {@value #CACHE}. */
    public static TicketLinkStore open(OperonState state) {
        return new TicketLinkStore(state.durableCache(CACHE), state.retention());
    }

    /** The link of {@code incidentId} in {@code system}, or empty when Operon opened no ticket for it there. */
    public Optional<TicketLink> find(String system, String incidentId) {
        String json = cache.get(key(system, incidentId));
        if (json == null) {
            return Optional.empty();
        }
        try {
            JsonNode n = mapper.readTree(json);
            return Optional.of(new TicketLink(n.path("system").asText(), n.path("incidentId").asText(),
                    n.path("ticketId").asText(), n.path("ticketKey").asText(null), n.path("resolved").asBoolean(),
                    n.path("createdBy").asText(null)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("ticket link " + key(system, incidentId) + " is not valid JSON", e);
        }
    }

    /** Writes (or replaces) the link; durable when it returns. */
    public void save(TicketLink link) {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("system", link.system());
        value.put("incidentId", link.incidentId());
        value.put("ticketId", link.ticketId());
        value.put("ticketKey", link.ticketKey());
        value.put("resolved", link.resolved());
        value.put("createdBy", link.createdBy());
        String json;
        try {
            json = mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("ticket link cannot be written as JSON", e);
        }
        String key = key(link.system(), link.incidentId());
        if (link.resolved()) {
            cache.put(key, json, resolvedLifespan.toMillis(), TimeUnit.MILLISECONDS);
        } else {
            cache.put(key, json);
        }
    }

    private static String key(String system, String incidentId) {
        return system + ":" + incidentId;
    }
}
