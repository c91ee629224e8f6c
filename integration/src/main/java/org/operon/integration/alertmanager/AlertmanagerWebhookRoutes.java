package org.operon.integration.alertmanager;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.operon.engine.EngineOverloadedException;
import org.operon.engine.EventAcceptor;
import org.operon.integration.http.ApiException;
import org.operon.integration.http.ApiTokenCheck;
import org.operon.integration.http.DecodedRequest;
import org.operon.integration.http.IntakeCounters;
import org.operon.integration.http.IntakeOptions;
import org.operon.integration.http.JsonReply;
import org.operon.model.AlertReport;
import org.operon.model.Event;
import org.operon.model.InvalidEventException;
import org.operon.state.DeadLetterStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code POST /api/v1/alertmanager}: Prometheus Alertmanager's webhook receiver (payload version 4). Each
 * alert of the notification becomes an {@value AlertReport#EVENT_TYPE} event (source {@value #PATH}), the
 * same as an alert posted to {@code /api/v2/alerts}, and is durable in the event journal before the answer:
 * <ul>
 *   <li>{@code status: "resolved"}: resolved at its {@code endsAt} (at the receipt time when it has none, or
 *       one in the future);</li>
 *   <li>{@code status: "firing"}: firing; its {@code endsAt} is ignored unless in the future (Alertmanager
 *       sends the zero time {@code 0001-01-01T00:00:00Z}). Alertmanager does not re-send a firing alert
 *       within a minute as Prometheus does, but only every {@code repeat_interval} (4 h by default), and
 *       sends a resolved notification when it resolves; so these alerts get a resolve timeout of their
 *       own (default {@link #DEFAULT_RESOLVE_TIMEOUT}) instead of 5 minutes. Set it above the route's
 *       {@code repeat_interval} plus {@code group_interval};</li>
 *   <li>no {@code status}: as {@code /api/v2/alerts} takes it.</li>
 * </ul>
 * The alert's identity is the fingerprint Operon computes from its labels, which is the one Alertmanager
 * sends. Unknown fields (anywhere) are ignored, and {@code version} is not checked: a future version with
 * the same alert fields works.
 *
 * <p><b>Answers.</b> Alertmanager retries on 5xx and gives up on 4xx, so 4xx only for a payload that can
 * never succeed. 200 {@code {"accepted": [event ids], "rejected": [{"index", "error", "detail"}]}}
 * ("rejected" only when some alert was invalid: the valid ones are accepted and each invalid one is
 * dead-lettered with its index; re-sending would not help it). 400 {@code {"error", "detail"}} (Operon's
 * error object) for malformed JSON, a body that is not a notification (no {@code alerts} array) or one
 * none of whose alerts is valid; 413 over the body limit; all dead-lettered with the body. 503 with
 * {@code Retry-After} when the engine's queue is full, Operon is starting or stopping, or the journal
 * fails: not dead-lettered, Alertmanager sends it again. 401 without the API token (configure
 * {@code http_config.authorization} in the receiver).
 */
public class AlertmanagerWebhookRoutes extends RouteBuilder {
    public static final String PATH = "/api/v1/alertmanager";
    /** The name its requests are counted under in {@link IntakeCounters}. */
    public static final String COUNTER_SOURCE = "http:" + PATH;
    /** Exchange property: the request was counted as received, so a refusal of it counts as rejected. */
    private static final String COUNTED_PROPERTY = "operon.intakeCounted";
    /** Resolve timeout of firing alerts from the webhook: Alertmanager's default repeat_interval (4 h) plus 10 minutes. */
    public static final Duration DEFAULT_RESOLVE_TIMEOUT = Duration.ofHours(4).plusMinutes(10);
    private static final Logger LOG = LoggerFactory.getLogger(AlertmanagerWebhookRoutes.class);

    private final AlertIntake intake;
    private final ApiTokenCheck tokenCheck;
    private final Duration resolveTimeout;
    private final JsonReply reply;
    private IntakeCounters counters = new IntakeCounters();

    /** The webhook with {@link #DEFAULT_RESOLVE_TIMEOUT}. */
    public AlertmanagerWebhookRoutes(EventAcceptor acceptor, DeadLetterStore deadLetters, Clock clock,
                                     IntakeOptions options, ApiTokenCheck tokenCheck) {
        this(acceptor, deadLetters, clock, options, tokenCheck, DEFAULT_RESOLVE_TIMEOUT);
    }

    /**
     * @param resolveTimeout how long a firing alert from the webhook stays firing without another
     *                       notification (see the class comment)
     */
    public AlertmanagerWebhookRoutes(EventAcceptor acceptor, DeadLetterStore deadLetters, Clock clock,
                                     IntakeOptions options, ApiTokenCheck tokenCheck, Duration resolveTimeout) {
        this.intake = new AlertIntake(Objects.requireNonNull(acceptor, "acceptor"),
                Objects.requireNonNull(deadLetters, "deadLetters"), Objects.requireNonNull(clock, "clock"),
                Objects.requireNonNull(options, "options"), PATH);
        this.tokenCheck = Objects.requireNonNull(tokenCheck, "tokenCheck");
        if (resolveTimeout == null || resolveTimeout.isZero() || resolveTimeout.isNegative()) {
            throw new IllegalArgumentException("resolveTimeout must be positive, not " + resolveTimeout);
        }
        this.resolveTimeout = resolveTimeout;
        this.reply = new JsonReply(intake.mapper());
    }

    /**
     * Counts this intake's requests into {@code counters} (shown by {@code GET /api/v1/sources}) under
     * {@value #COUNTER_SOURCE}; without it they are counted privately. Changes nothing else.
     */
    public AlertmanagerWebhookRoutes countingInto(IntakeCounters counters) {
        this.counters = Objects.requireNonNull(counters, "counters");
        return this;
    }

    @Override
    public void configure() {
        onException(Exception.class).handled(true).process(this::answerFailure);

        from("platform-http:" + PATH + "?httpMethodRestrict=POST")
                .routeId("alertmanager-webhook")
                .noStreamCaching() // the body stays a Vert.x Buffer: RequestBodies copies it once
                .process(tokenCheck)
                .process(this::receive);
    }

    private void receive(Exchange exchange) throws ApiException, InvalidEventException, EngineOverloadedException {
        counters.received(COUNTER_SOURCE, 1);
        exchange.setProperty(COUNTED_PROPERTY, true);
        JsonNode body = intake.readJson(exchange);
        JsonNode alerts = body.isObject() ? body.get("alerts") : null;
        if (alerts == null || !alerts.isArray()) {
            throw new InvalidEventException(body.isObject() ? "missing_attribute" : "wrong_type",
                    "the body must be an Alertmanager webhook notification: a JSON object with an \"alerts\" array");
        }
        Instant now = intake.clock().instant();
        List<AlertReport> reports = new ArrayList<>();
        List<DecodedRequest.Rejection> rejected = new ArrayList<>();
        for (int i = 0; i < alerts.size(); i++) {
            JsonNode alert = alerts.get(i);
            try {
                reports.add(report(alert, now));
            } catch (InvalidEventException e) {
                rejected.add(intake.rejection(i, e, alert));
            }
        }
        if (reports.isEmpty() && !rejected.isEmpty()) {
            intake.deadLetter(rejected);
            counters.rejected(COUNTER_SOURCE, rejected.size());
            Map<String, Object> answer = JsonReply.errorBody("no_valid_alerts",
                    "none of the " + rejected.size() + " alerts is valid; see \"rejected\"");
            answer.put("accepted", List.of());
            answer.put("rejected", rejections(rejected));
            reply.write(exchange, 400, answer);
            return;
        }
        List<Event> accepted = intake.accept(reports);
        intake.deadLetter(rejected);
        counters.accepted(COUNTER_SOURCE, accepted.size());
        counters.rejected(COUNTER_SOURCE, rejected.size());
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("accepted", accepted.stream().map(Event::getId).toList());
        if (!rejected.isEmpty()) {
            answer.put("rejected", rejections(rejected));
        }
        reply.write(exchange, 200, answer);
    }

    /** One alert of the notification as a report; see the class comment for what its status means. */
    private AlertReport report(JsonNode alert, Instant now) throws InvalidEventException {
        AlertReport report = intake.report(alert);
        JsonNode status = alert.get("status");
        if (status != null && !status.isNull() && !status.isTextual()) {
            throw new InvalidEventException("wrong_type", "status must be \"firing\" or \"resolved\"");
        }
        String state = status == null || status.isNull() ? null : status.asText();
        report = report.withWebhookStatus(state, now, resolveTimeout);
        JsonNode fingerprint = alert.get("fingerprint");
        if (fingerprint != null && fingerprint.isTextual() && !fingerprint.asText().equals(report.fingerprint())) {
            LOG.debug("Alertmanager sent fingerprint {} for labels whose fingerprint is {}; using {}",
                    fingerprint.asText(), report.fingerprint(), report.fingerprint());
        }
        return report;
    }

    private static List<Map<String, Object>> rejections(List<DecodedRequest.Rejection> rejected) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (DecodedRequest.Rejection r : rejected) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("index", r.index());
            entry.put("error", r.error());
            entry.put("detail", r.detail());
            out.add(entry);
        }
        return out;
    }

    /** Answers every failure once, with Operon's JSON error object. */
    private void answerFailure(Exchange exchange) {
        AlertIntake.Failure failure = intake.answer(exchange);
        if (failure.status() < 500 && exchange.getProperty(COUNTED_PROPERTY) != null) {
            counters.rejected(COUNTER_SOURCE, 1); // the whole request, refused as such
        }
        reply.writeError(exchange, failure.status(), failure.error(), failure.detail());
        if (failure.retryAfter() != null) {
            exchange.getMessage().setHeader("Retry-After", String.valueOf(failure.retryAfter()));
        }
    }
}
