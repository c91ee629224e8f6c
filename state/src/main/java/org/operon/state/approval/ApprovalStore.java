package org.operon.state.approval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.infinispan.Cache;
import org.operon.state.OperonState;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Actions held for approval, kept durably in the Infinispan cache {@value #CACHE} of {@link OperonState}
 * (key the action id, value the {@link Approval} as JSON), so that pending approvals survive a restart.
 *
 * <p>Writes are serialized by this store (it must be the only writer of its cache) and durable when they
 * return. A pending approval has no lifespan; a decided one is kept for the state's retention (as audit
 * entries are), then removed by Infinispan's expiration.
 */
public final class ApprovalStore {
    /** The name of the Infinispan cache holding the approvals. */
    public static final String CACHE = "approvals";

    private final Cache<String, String> cache;
    private final Duration retention;
    private final ObjectMapper mapper = new ObjectMapper();

    private ApprovalStore(Cache<String, String> cache, Duration retention) {
        this.cache = cache;
        this.retention = retention;
    }

    /** The store on the {@value #CACHE} cache of {@code state}; decided approvals kept for the state's retention. */
    public static ApprovalStore open(OperonState state) {
        return new ApprovalStore(Objects.requireNonNull(state, "state").durableCache(CACHE), state.retention());
    }

    /** What {@link #decide} did. */
    public enum Result { DECIDED, NOT_FOUND, ALREADY_DECIDED }

    /**
     * @param result   what happened
     * @param approval the approval as it is now (decided by this call, or as it was decided before); null when
     *                 not found
     */
    public record Transition(Result result, Approval approval) {
    }

    /**
     * Keeps {@code approval} unless an approval with its id is kept already (a replayed decision).
     *
     * @return true when it was new and is now kept
     */
    public synchronized boolean hold(Approval approval) {
        if (cache.containsKey(approval.id())) {
            return false;
        }
        cache.put(approval.id(), write(approval));
        return true;
    }

    public Optional<Approval> get(String id) {
        String json = id == null ? null : cache.get(id);
        return json == null ? Optional.empty() : Optional.of(read(json));
    }

    /**
     * Moves the approval {@code id} from pending to {@code status} ({@link Approval#APPROVED},
     * {@link Approval#REJECTED} or {@link Approval#EXPIRED}). Only one caller ever decides an approval.
     */
    public synchronized Transition decide(String id, String status, String by, String comment, Instant at) {
        if (Approval.PENDING.equals(status)) {
            throw new IllegalArgumentException("an approval is decided as approved, rejected or expired");
        }
        Optional<Approval> current = get(id);
        if (current.isEmpty()) {
            return new Transition(Result.NOT_FOUND, null);
        }
        if (!current.get().isPending()) {
            return new Transition(Result.ALREADY_DECIDED, current.get());
        }
        Approval decided = current.get().decided(status, by, comment, at);
        cache.put(id, write(decided), retention.toMillis(), TimeUnit.MILLISECONDS);
        return new Transition(Result.DECIDED, decided);
    }

    /** The approvals with {@code status}, oldest first (by creation, then id). */
    public List<Approval> withStatus(String status) {
        List<Approval> result = new ArrayList<>();
        for (String json : cache.values()) {
            Approval a = read(json);
            if (a.status().equals(status)) {
                result.add(a);
            }
        }
        result.sort(Comparator.comparing(Approval::createdAt).thenComparing(Approval::id));
        return result;
    }

    /** The pending approvals, oldest first. */
    public List<Approval> pending() {
        return withStatus(Approval.PENDING);
    }

    private String write(Approval a) {
        Map<String, Object> node = new LinkedHashMap<>();
        node.put("id", a.id());
        node.put("target", a.target());
        node.put("decision", a.decision());
        node.put("createdAt", a.createdAt().toString());
        node.put("expiresAt", a.expiresAt().toString());
        node.put("status", a.status());
        node.put("decidedBy", a.decidedBy());
        node.put("comment", a.comment());
        node.put("decidedAt", a.decidedAt() == null ? null : a.decidedAt().toString());
        try {
            return mapper.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("approval " + a.id() + " cannot be written as JSON: " + e.getMessage(), e);
        }
    }

    @SuppressWarnings("unchecked")
    private Approval read(String json) {
        try {
            Map<String, Object> node = mapper.readValue(json, new TypeReference<Map<String, Object>>() { });
            return new Approval((String) node.get("id"), (String) node.get("target"),
                    (Map<String, Object>) node.get("decision"), Instant.parse((String) node.get("createdAt")),
                    Instant.parse((String) node.get("expiresAt")), (String) node.get("status"),
                    (String) node.get("decidedBy"), (String) node.get("comment"),
                    node.get("decidedAt") == null ? null : Instant.parse((String) node.get("decidedAt")));
        } catch (JsonProcessingException | RuntimeException e) {
            throw new IllegalStateException("stored approval is not valid: " + e.getMessage(), e);
        }
    }
}
