package org.operon.integration.action;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.platform.http.vertx.HttpMessage;
import org.operon.integration.http.ApiException;
import org.operon.integration.http.ApiTokenCheck;
import org.operon.integration.http.JsonReply;
import org.operon.integration.http.RequestBodies;
import org.operon.state.approval.Approval;
import org.operon.state.approval.ApprovalStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The approval API, JSON over platform-http, on the actions held for approval (see the actions module's
 * {@code ApprovalDesk}).
 * <ul>
 *   <li>{@code GET /api/v1/approvals}: 200 {@code {"approvals": [approval…]}}, the pending ones, oldest first.
 *       An approval: {@code id} (the action id), {@code action} {@code {id, target}}, {@code decision}
 *       {@code {id, type, subject, rule, eventIds, time, params}}, {@code createdAt}, {@code expiresAt},
 *       {@code status}, and once decided {@code decidedBy}, {@code comment}, {@code decidedAt}.</li>
 *   <li>{@code POST /api/v1/approvals/{id}} with {@code {"decision": "approve"|"reject", "by": "…",
 *       "comment": "…"}} ({@code by} defaults to {@value #DEFAULT_BY}, {@code comment} may be missing): 200 with
 *       the approval as decided; 404 {@code not_found}; 409 {@code already_decided} (the detail names its
 *       status and who decided); 400 {@code malformed_json}, {@code wrong_type}, {@code unknown_field},
 *       {@code invalid_value}, {@code missing_field}; 413 {@code body_too_large}.</li>
 * </ul>
 * Errors are {@code {"error": code, "detail": text}}. Every route runs the {@link ApiTokenCheck} first.
 */
public final class ApprovalRoutes extends RouteBuilder {
    public static final String APPROVALS_PATH = "/api/v1/approvals";
    public static final String DEFAULT_BY = "api";
    static final int MAX_BODY_BYTES = 16 * 1024;
    static final int MAX_BY_LENGTH = 256;
    static final int MAX_COMMENT_LENGTH = 2048;

    private static final Logger LOG = LoggerFactory.getLogger(ApprovalRoutes.class);
    private static final Set<String> FIELDS = Set.of("decision", "by", "comment");

    /** Decides a pending approval: the actions module's {@code ApprovalDesk::decide}. */
    @FunctionalInterface
    public interface Decider {
        ApprovalStore.Transition decide(String id, boolean approve, String by, String comment);
    }

    private final Supplier<List<Approval>> pending;
    private final Decider decider;
    private final ApiTokenCheck tokenCheck;
    private final ObjectMapper mapper = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private final JsonReply reply = new JsonReply(new ObjectMapper());

    public ApprovalRoutes(Supplier<List<Approval>> pending, Decider decider, ApiTokenCheck tokenCheck) {
        this.pending = Objects.requireNonNull(pending, "pending");
        this.decider = Objects.requireNonNull(decider, "decider");
        this.tokenCheck = Objects.requireNonNull(tokenCheck, "tokenCheck");
    }

    @Override
    public void configure() {
        onException(Exception.class).handled(true).process(this::answerFailure);

        from("platform-http:" + APPROVALS_PATH + "?httpMethodRestrict=GET")
                .routeId("api-approvals")
                .process(tokenCheck)
                .process(e -> reply.write(e, 200, Map.of("approvals", pending.get().stream().map(ApprovalRoutes::view)
                        .toList())));

        from("platform-http:" + APPROVALS_PATH + "/{approvalId}?httpMethodRestrict=POST")
                .routeId("api-approval-decide")
                .process(tokenCheck)
                .process(this::decide);
    }

    private void decide(Exchange exchange) throws ApiException {
        Parsed body = parse(RequestBodies.bytes(exchange.getIn()));
        String id = approvalId(exchange);
        ApprovalStore.Transition t = decider.decide(id, body.approve(), body.by(), body.comment());
        switch (t.result()) {
            case NOT_FOUND -> throw new ApiException(404, "not_found", "no approval '" + abbreviated(id) + "'");
            case ALREADY_DECIDED -> throw new ApiException(409, "already_decided", "approval " + id + " is "
                    + t.approval().status() + " (by " + t.approval().decidedBy() + " at " + t.approval().decidedAt()
                    + "); it is decided once");
            case DECIDED -> {
                LOG.info("approval {}: {} by '{}'", id, t.approval().status(), body.by());
                reply.write(exchange, 200, view(t.approval()));
            }
        }
    }

    /** The approval as the API shows it. */
    static Map<String, Object> view(Approval a) {
        Map<String, Object> d = a.decision();
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", a.id());
        view.put("action", Map.of("id", a.id(), "target", a.target()));
        Map<String, Object> decision = new LinkedHashMap<>();
        decision.put("id", d.get("id"));
        decision.put("type", d.get("type"));
        decision.put("subject", d.get("subject"));
        decision.put("rule", d.get("rule"));
        decision.put("eventIds", d.get("eventIds"));
        decision.put("time", d.get("time") instanceof Number n ? Instant.ofEpochMilli(n.longValue()).toString() : null);
        decision.put("params", d.get("params"));
        view.put("decision", decision);
        view.put("createdAt", a.createdAt().toString());
        view.put("expiresAt", a.expiresAt().toString());
        view.put("status", a.status());
        if (!a.isPending()) {
            view.put("decidedBy", a.decidedBy());
            view.put("comment", a.comment());
            view.put("decidedAt", a.decidedAt() == null ? null : a.decidedAt().toString());
        }
        return view;
    }

    record Parsed(boolean approve, String by, String comment) {
    }

    Parsed parse(byte[] body) throws ApiException {
        if (body != null && body.length > MAX_BODY_BYTES) {
            throw new ApiException(413, "body_too_large", "the body is " + body.length + " bytes; the limit is "
                    + MAX_BODY_BYTES + " bytes");
        }
        if (body == null || new String(body, StandardCharsets.UTF_8).isBlank()) {
            throw new ApiException(400, "missing_field", "the body must be {\"decision\": \"approve\"|\"reject\", "
                    + "\"by\": string, \"comment\": string}");
        }
        JsonNode json;
        try {
            json = mapper.readTree(body);
        } catch (JsonProcessingException e) {
            throw new ApiException(400, "malformed_json", "the body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ApiException(400, "malformed_json", "the body cannot be read as JSON: " + e.getMessage());
        }
        if (!json.isObject()) {
            throw new ApiException(400, "wrong_type", "the body must be a JSON object, not "
                    + json.getNodeType().name().toLowerCase());
        }
        for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw new ApiException(400, "unknown_field", "unknown field '" + abbreviated(name)
                        + "'; the body may hold 'decision', 'by' and 'comment' only");
            }
        }
        String decision = text(json, "decision", 16);
        if (decision == null) {
            throw new ApiException(400, "missing_field", "'decision' is required: \"approve\" or \"reject\"");
        }
        if (!decision.equals("approve") && !decision.equals("reject")) {
            throw new ApiException(400, "invalid_value", "'decision' must be \"approve\" or \"reject\", not '"
                    + abbreviated(decision) + "'");
        }
        String by = text(json, "by", MAX_BY_LENGTH);
        if (by != null && (by.isBlank() || by.chars().anyMatch(Character::isISOControl))) {
            throw new ApiException(400, "invalid_value", "'by' must name who decides: not blank, without control "
                    + "characters");
        }
        String comment = text(json, "comment", MAX_COMMENT_LENGTH);
        return new Parsed(decision.equals("approve"), by == null ? DEFAULT_BY : by, comment);
    }

    private static String text(JsonNode json, String name, int maxLength) throws ApiException {
        JsonNode value = json.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new ApiException(400, "wrong_type", "'" + name + "' must be a string, not "
                    + value.getNodeType().name().toLowerCase());
        }
        if (value.textValue().length() > maxLength) {
            throw new ApiException(400, "invalid_value", "'" + name + "' is " + value.textValue().length()
                    + " characters long; at most " + maxLength + " are allowed");
        }
        return value.textValue();
    }

    /** The id segment of the request path, read from the path itself (not from same-named query headers). */
    private static String approvalId(Exchange exchange) {
        String path = exchange.getIn() instanceof HttpMessage http && http.getRequest() != null
                ? http.getRequest().path() : exchange.getIn().getHeader(Exchange.HTTP_PATH, String.class);
        String prefix = APPROVALS_PATH + "/";
        int start = path == null ? -1 : path.indexOf(prefix);
        return start < 0 ? "" : path.substring(start + prefix.length());
    }

    private static String abbreviated(String text) {
        String printable = text.codePoints().filter(c -> !Character.isISOControl(c))
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return printable.length() > 64 ? printable.substring(0, 64) + "…" : printable;
    }

    private void answerFailure(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (failure instanceof ApiException api) {
            reply.writeError(exchange, api.status(), api.error(), api.detail());
        } else {
            LOG.warn("Unexpected failure in the approval API", failure);
            reply.writeError(exchange, 500, "internal_error", "Operon failed to answer ("
                    + (failure == null ? "unknown error" : failure.getClass().getSimpleName()) + ")");
        }
    }
}
