package org.operon.integration.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.operon.engine.ReloadableRules;
import org.operon.engine.RuleError;
import org.operon.engine.RuleInfo;
import org.operon.integration.http.ApiException;
import org.operon.integration.http.ApiTokenCheck;
import org.operon.integration.http.JsonReply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The active rules and their reload, JSON over platform-http, behind the API token:
 * <ul>
 *   <li>{@code GET /api/v1/rules}: 200 {@code {"rules": [{"name", "package", "origin"}], "lastReload":
 *       {"time", "status", "trigger", "errors", "millis"}, "directory"}}. {@code origin} is
 *       {@code packaged} or the path of the rule file relative to the rules directory; {@code status}
 *       is {@code ok} or {@code failed}; {@code directory} is null when none is configured.</li>
 *   <li>{@code POST /api/v1/rules/reload}: reads, compiles and switches to the rules directory (the
 *       call returns once the new rules decide, or failed). 200 with the body of {@code GET} on
 *       success; 422 {@code {"error": "rules_invalid", "detail", "errors": [{"file", "line",
 *       "column", "message"}]}} when the files are invalid (the previous rules keep running); 409
 *       {@code no_rules_directory} when {@code operon.rules.dir} is not set; 503
 *       {@code engine_unavailable} when the engine is not running.</li>
 * </ul>
 * {@code line} and {@code column} count from 1; 0 means unknown. Failures are answered once, by the
 * error handling declared in {@link #configure()}.
 */
public class RulesRoutes extends RouteBuilder {
    private static final Logger LOG = LoggerFactory.getLogger(RulesRoutes.class);

    private final ReloadableRules rules;
    private final ApiTokenCheck tokenCheck;
    private final JsonReply reply = new JsonReply(new ObjectMapper());

    public RulesRoutes(ReloadableRules rules, ApiTokenCheck tokenCheck) {
        this.rules = Objects.requireNonNull(rules, "rules");
        this.tokenCheck = Objects.requireNonNull(tokenCheck, "tokenCheck");
    }

    @Override
    public void configure() {
        onException(Exception.class).handled(true).process(this::answerFailure);

        from("platform-http:/api/v1/rules?httpMethodRestrict=GET")
                .routeId("api-rules")
                .process(tokenCheck)
                .process(e -> reply.write(e, 200, status(rules.status())));

        from("platform-http:/api/v1/rules/reload?httpMethodRestrict=POST")
                .routeId("api-rules-reload")
                .process(tokenCheck)
                .process(this::reload);
    }

    private void reload(Exchange exchange) throws ApiException {
        if (!rules.hasWatchedSources()) {
            throw new ApiException(409, "no_rules_directory", "no rules directory or reference data is configured: "
                    + "set operon.rules.dir (OPERON_RULES_DIR) to a directory of .drl, .drl.xlsx or .drl.csv files, "
                    + "or operon.reference.dir (OPERON_REFERENCE_DIR)");
        }
        ReloadableRules.Reload outcome;
        try {
            outcome = rules.reload("api");
        } catch (IllegalStateException e) {
            throw new ApiException(503, "engine_unavailable", "the rules cannot be switched now: " + e.getMessage());
        }
        if (outcome.ok()) {
            reply.write(exchange, 200, status(rules.status()));
        } else {
            Map<String, Object> body = JsonReply.errorBody("rules_invalid", "the rules directory holds "
                    + outcome.errors().size() + " error" + (outcome.errors().size() == 1 ? "" : "s")
                    + "; the previous rules keep running");
            body.put("errors", errors(outcome.errors()));
            reply.write(exchange, 422, body);
        }
    }

    static Map<String, Object> status(ReloadableRules.Status status) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("rules", status.rules().stream().map(RulesRoutes::rule).toList());
        body.put("lastReload", status.lastReload() == null ? null : reload(status.lastReload()));
        body.put("directory", status.directory());
        return body;
    }

    private static Map<String, Object> rule(RuleInfo rule) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", rule.name());
        out.put("package", rule.packageName());
        out.put("origin", rule.origin());
        return out;
    }

    private static Map<String, Object> reload(ReloadableRules.Reload reload) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("time", Instant.ofEpochMilli(reload.time()).toString());
        out.put("status", reload.status());
        out.put("trigger", reload.trigger());
        out.put("errors", errors(reload.errors()));
        out.put("millis", reload.millis());
        return out;
    }

    private static List<Map<String, Object>> errors(List<RuleError> errors) {
        return errors.stream().map(e -> {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("file", e.file());
            out.put("line", e.line());
            out.put("column", e.column());
            out.put("message", e.message());
            return out;
        }).toList();
    }

    private void answerFailure(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (failure instanceof ApiException api) {
            reply.writeError(exchange, api.status(), api.error(), api.detail());
        } else {
            LOG.warn("Unexpected failure in the rules API", failure);
            reply.writeError(exchange, 500, "internal_error", "Operon failed to answer ("
                    + (failure == null ? "unknown error" : failure.getClass().getSimpleName()) + ")");
        }
    }
}
