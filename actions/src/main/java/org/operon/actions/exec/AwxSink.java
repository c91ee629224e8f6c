package org.operon.actions.exec;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.net.ssl.SSLHandshakeException;

import com.fasterxml.jackson.databind.JsonNode;

import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.camel.model.RouteDefinition;
import org.operon.actions.Action;
import org.operon.actions.ActionOptions;
import org.operon.actions.ActionSink;
import org.operon.actions.OutcomeUnknownException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Target {@code awx}: launches the AWX / Automation Controller job template whose id the decision gives in
 * its {@code jobTemplate} param (one of {@link AwxOptions#jobTemplates()}) with
 * {@code POST <url>/api/v2/job_templates/<id>/launch/}, {@code Authorization: Bearer <token>} and the body
 * {@code {"extra_vars": {...}}} (the decision's params without {@code jobTemplate}, plus {@code operon} as for
 * the ansible target). A 2xx answer (AWX: 201 with {@code {"job": <id>, …}}) means sent; the exchange
 * property {@code operonActionResult} then holds {@code {httpStatus, jobTemplate, jobId}}. A 5xx or 429
 * is retried by the shared error handling, any other answer fails the action; the answer's body is never
 * logged or kept, and the token travels only in the header.
 *
 * <p>AWX has no idempotency key, so an attempt that may have reached AWX is never retried automatically: a
 * request that was sent and then timed out, or whose connection broke before the whole answer came, fails
 * the action at once with an {@link OutcomeUnknownException} ({@code outcome unknown: …}), for an operator to
 * check AWX and retry. Only failures that show the launch did not happen are retried: the connection was
 * refused, could not be made within the connect timeout, or its TLS handshake failed (no request was sent),
 * and a 5xx or 429 answer (AWX answers those before it creates the job: a launch that created a job answers
 * 201). The sink {@linkplain #deduplicatesByKey() cannot drop a repeat}, so the dispatcher also guards it
 * against a stop between the launch and its audit entry.
 */
public final class AwxSink implements ActionSink {
    public static final String NAME = "awx";
    /** The decision param giving the job template id. */
    public static final String JOB_TEMPLATE_PARAM = "jobTemplate";
    private static final Logger LOG = LoggerFactory.getLogger("operon.actions.exec");

    private final AwxOptions awx;
    private final Duration responseTimeout;
    private final HttpClient client;

    public AwxSink(ActionOptions options) {
        this.awx = options.targetSettings(AwxOptions.class).orElseThrow(() -> new IllegalArgumentException(
                "target 'awx' needs " + AwxOptions.URL));
        this.responseTimeout = options.responseTimeout();
        this.client = HttpClient.newBuilder().connectTimeout(options.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Override
    public void perform(RouteDefinition route) {
        route.process(exchange -> {
            Action action = exchange.getIn().getBody(Action.class);
            int template = jobTemplate(action);
            Map<String, Object> result = launch(action, template);
            exchange.setProperty(ProcessStep.RESULT, result);
        });
    }

    private Map<String, Object> launch(Action action, int template) throws Exception {
        Map<String, Object> vars = new LinkedHashMap<>(ArgTemplate.JSON.readValue(AnsibleSink.extraVars(action),
                ArgTemplate.JSON.getTypeFactory().constructMapType(LinkedHashMap.class, String.class, Object.class)));
        vars.remove(JOB_TEMPLATE_PARAM);
        String body = ArgTemplate.JSON.writeValueAsString(Map.of("extra_vars", vars));
        URI uri = awx.launchUri(template);
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(responseTimeout)
                .header("Authorization", "Bearer " + awx.token())
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build();
        HttpResponse<String> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException | HttpConnectTimeoutException | SSLHandshakeException notSent) {
            throw notSent; // no request reached AWX: retried by the shared error handling
        } catch (IOException maybeSent) {
            LOG.warn("action {}: the launch of AWX job template {} may have reached AWX ({}); it is not launched "
                    + "again by itself", action.id(), template, describe(maybeSent));
            throw new OutcomeUnknownException("the launch of AWX job template " + template + " may have reached "
                    + "AWX (" + describe(maybeSent) + "); check AWX's jobs, then retry the action if none was started");
        }
        int status = response.statusCode();
        if (status < 200 || status > 299) {
            throw new HttpOperationFailedException(uri.toString(), status, reasonPhrase(status), null, null, null);
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("httpStatus", status);
        result.put("jobTemplate", template);
        JsonNode answer = parse(response.body());
        JsonNode job = answer.has("job") ? answer.get("job") : answer.get("id");
        if (job != null && job.canConvertToLong()) {
            result.put("jobId", job.asLong());
        }
        LOG.info("action {}: AWX job template {} launched as job {} (HTTP {})", action.id(), template,
                result.getOrDefault("jobId", "?"), status);
        return result;
    }

    private int jobTemplate(Action action) {
        Object value = action.decision().getParams().get(JOB_TEMPLATE_PARAM);
        Integer id = null;
        if (value instanceof Number n && n.doubleValue() == n.intValue()) {
            id = n.intValue();
        } else if (value instanceof String s && s.strip().matches("\\d{1,9}")) {
            id = Integer.valueOf(s.strip());
        }
        if (id == null) {
            throw new IllegalArgumentException("the decision has no '" + JOB_TEMPLATE_PARAM + "' param with a job "
                    + "template id");
        }
        if (!awx.jobTemplates().contains(id)) {
            throw new IllegalArgumentException("job template " + id + " is not in " + AwxOptions.JOB_TEMPLATES);
        }
        return id;
    }

    /** A failure's kind and message, without any URL (the exception may name the request's). */
    private static String describe(IOException e) {
        String kind = e instanceof HttpTimeoutException ? "no answer within the timeout" : e.getClass().getSimpleName();
        String message = e.getMessage();
        return message == null || message.isBlank() || e instanceof HttpTimeoutException ? kind
                : kind + ": " + message.replaceAll("\\b[a-zA-Z][a-zA-Z0-9+.-]*://\\S*", "<url>");
    }

    private static JsonNode parse(String body) {
        try {
            return ArgTemplate.JSON.readTree(body == null || body.isBlank() ? "{}" : body);
        } catch (IOException e) {
            return ArgTemplate.JSON.createObjectNode();
        }
    }

    private static String reasonPhrase(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            default -> "";
        };
    }
}
