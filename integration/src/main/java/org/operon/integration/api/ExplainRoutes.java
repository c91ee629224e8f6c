package org.operon.integration.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.platform.http.vertx.HttpMessage;
import org.operon.integration.http.ApiException;
import org.operon.integration.http.ApiTokenCheck;
import org.operon.integration.http.JsonReply;
import org.operon.state.AuditEntry;
import org.operon.state.AuditLog;
import org.operon.state.DecisionTrace;
import org.operon.state.LineageStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code GET /api/v1/actions/{id}/explain}: why an action of the audit log happened, behind the API token.
 * Answers 200 with
 * <pre>{@code
 * {"action":       {audit entry},
 *  "otherActions": [{audit entry}, ...],           the decision's other actions that are in the audit log
 *  "lineage":      {"rule": {name, package, file}, "facts": [{kind, key, fields}], "events": [{id, ...}]}
 *                  or null (a decision dispatched before lineage was kept, or by no rule),
 *  "suppression":  {"kind": silence|maintenance|inhibited|throttled|rule, ..., "reason"} or null}
 * }</pre>
 * (see {@link SuppressionReason} for the suppression fields) and 404 {@code not_found} for an id the audit
 * log does not hold. Lineage is kept as long as the audit entries (see {@code OperonState}).
 */
public class ExplainRoutes extends RouteBuilder {
    public static final String ACTIONS_PATH = "/api/v1/actions";
    public static final String EXPLAIN = "/explain";
    private static final Logger LOG = LoggerFactory.getLogger(ExplainRoutes.class);

    private final AuditLog audit;
    private final LineageStore lineage;
    private final ApiTokenCheck tokenCheck;
    private final JsonReply reply = new JsonReply(new ObjectMapper());

    public ExplainRoutes(AuditLog audit, LineageStore lineage, ApiTokenCheck tokenCheck) {
        this.audit = Objects.requireNonNull(audit, "audit");
        this.lineage = Objects.requireNonNull(lineage, "lineage");
        this.tokenCheck = Objects.requireNonNull(tokenCheck, "tokenCheck");
    }

    @Override
    public void configure() {
        onException(Exception.class).handled(true).process(this::answerFailure);

        from("platform-http:" + ACTIONS_PATH + "/{actionId}" + EXPLAIN + "?httpMethodRestrict=GET")
                .routeId("api-action-explain")
                .process(tokenCheck)
                .process(e -> reply.write(e, 200, explain(actionId(e))));
    }

    /** The explanation of action {@code actionId}; see the class comment. */
    Map<String, Object> explain(String actionId) throws ApiException {
        AuditEntry entry = (actionId.isEmpty() ? Optional.<AuditEntry>empty() : audit.find(actionId))
                .orElseThrow(() -> new ApiException(404, "not_found", "no action '" + actionId + "' in the audit log"));
        Optional<DecisionTrace> trace = lineage.find(entry.decisionId());
        List<AuditEntry> others = new ArrayList<>();
        for (String id : trace.map(DecisionTrace::actionIds).orElse(List.of())) {
            if (!id.equals(entry.id())) {
                audit.find(id).ifPresent(others::add);
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("action", entry);
        out.put("otherActions", others);
        out.put("lineage", trace.map(DecisionTrace::lineage).orElse(null));
        out.put("suppression", AuditEntry.SUPPRESSED.equals(entry.status()) ? SuppressionReason.parse(entry.reason())
                : null);
        return out;
    }

    /**
     * The id segment of the request path, read from the path itself (platform-http also turns query
     * parameters into headers, which could pose as the path parameter). Not URL-decoded: action ids are
     * hex and need no encoding.
     */
    private static String actionId(Exchange exchange) {
        String path = exchange.getIn() instanceof HttpMessage http && http.getRequest() != null
                ? http.getRequest().path() : exchange.getIn().getHeader(Exchange.HTTP_PATH, String.class);
        String prefix = ACTIONS_PATH + "/";
        int start = path == null ? -1 : path.indexOf(prefix);
        if (start < 0 || !path.endsWith(EXPLAIN)) {
            return "";
        }
        return path.substring(start + prefix.length(), path.length() - EXPLAIN.length());
    }

    private void answerFailure(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (failure instanceof ApiException api) {
            reply.writeError(exchange, api.status(), api.error(), api.detail());
        } else {
            LOG.warn("Unexpected failure explaining an action", failure);
            reply.writeError(exchange, 500, "internal_error", "Operon failed to answer ("
                    + (failure == null ? "unknown error" : failure.getClass().getSimpleName()) + ")");
        }
    }
}
