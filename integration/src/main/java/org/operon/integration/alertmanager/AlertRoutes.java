package org.operon.integration.alertmanager;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
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
import org.operon.model.AlertStatus;
import org.operon.model.InvalidEventException;
import org.operon.state.DeadLetterStore;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * The alert part of Prometheus Alertmanager's API v2, over platform-http, so that Prometheus
 * ({@code alerting.alertmanagers} with {@code api_version: v2}) and {@code amtool alert} work against
 * Operon unchanged. Paths, JSON shapes and status codes follow Alertmanager's {@code api/v2/openapi.yaml}
 * and its handlers:
 * <ul>
 *   <li>{@code POST /api/v2/alerts} with a JSON array of postable alerts ({@code labels} required and
 *       non-empty, {@code annotations}, {@code startsAt}, {@code endsAt}, {@code generatorURL}; unknown
 *       fields ignored): each valid alert becomes an {@value AlertReport#EVENT_TYPE} event (source
 *       {@value #ALERTS_PATH}) and is durable in the event journal before the answer, 200 with an empty
 *       body. As in Alertmanager, valid alerts are taken even when others are not; then the answer is
 *       400 with the problems of the invalid ones, each of which is dead-lettered with its index.</li>
 *   <li>{@code GET /api/v2/alerts}: 200 with the JSON array of gettable alerts (firing alerts only, as
 *       Alertmanager lists them), sorted by fingerprint; each with {@code receivers: [{"name":
 *       "operon"}]} and {@code status} {@code {state, silencedBy, inhibitedBy}}: {@code suppressed} while a
 *       silence matches it (from the {@link SilenceLookup}), else {@code active}. Query parameters as
 *       {@link AlertQuery} says.</li>
 *   <li>{@code GET /api/v2/status}: Alertmanager's status object (cluster {@code ready} without peers,
 *       {@code versionInfo.version} Operon's version ({@link OperonVersion}), an empty {@code config.original},
 *       {@code uptime}), which Prometheus and amtool ask for.</li>
 * </ul>
 *
 * <p><b>Errors</b> are answered as Alertmanager answers them: the body is a JSON <em>string</em> (its
 * OpenAPI's {@code type: string}), not Operon's {@code {"error", "detail"}}, because Alertmanager's Go
 * client decodes error bodies as strings. 400 (malformed JSON, not an array, invalid alerts), 413 (body over
 * the intake's limit) and 500 are dead-lettered with the body; 503 (the engine's queue is full, with
 * {@code Retry-After}; Operon starting or stopping; the journal failing) and 401 are not, because the
 * sender keeps its alerts and sends them again (Prometheus re-sends firing alerts every minute).
 *
 * <p>Every route runs the {@link ApiTokenCheck} first.
 */
public class AlertRoutes extends RouteBuilder {
    public static final String ALERTS_PATH = "/api/v2/alerts";
    public static final String STATUS_PATH = "/api/v2/status";
    /** The name its POSTs are counted under in {@link IntakeCounters}. */
    public static final String COUNTER_SOURCE = "http:" + ALERTS_PATH;
    /** Exchange property: the request was counted as received, so a refusal of it counts as rejected. */
    private static final String COUNTED_PROPERTY = "operon.intakeCounted";
    /** The name of Operon's one receiver, as listed alerts show it. */
    public static final String RECEIVER = "operon";

    private final AlertIntake intake;
    private final ApiTokenCheck tokenCheck;
    private final AlertReader reader;
    private final SilenceLookup silences;
    private final IntakeOptions options;
    private final JsonReply reply;
    private Instant started;
    private IntakeCounters counters = new IntakeCounters();
    /** Operon's version, reported as Alertmanager's by {@code GET /api/v2/status}. */
    private final String version = OperonVersion.current();

    /** The alert API without silence status: every listed alert is {@code active}. */
    public AlertRoutes(EventAcceptor acceptor, DeadLetterStore deadLetters, Clock clock, IntakeOptions options,
                       ApiTokenCheck tokenCheck, AlertReader reader) {
        this(acceptor, deadLetters, clock, options, tokenCheck, reader, SilenceLookup.NONE);
    }

    /**
     * @param clock    receipt time of alerts, "now" for silences and dead letters, and the start time
     *                 {@code /api/v2/status} reports
     * @param options  the body limit, how much of a refused body a dead letter keeps, and how long to wait
     *                 for the journal (and for the engine to list alerts)
     * @param reader   where listed alerts come from: {@link AlertReader#of} the engine
     * @param silences which silences mute an alert, for its listed status
     */
    public AlertRoutes(EventAcceptor acceptor, DeadLetterStore deadLetters, Clock clock, IntakeOptions options,
                       ApiTokenCheck tokenCheck, AlertReader reader, SilenceLookup silences) {
        this.options = Objects.requireNonNull(options, "options");
        this.intake = new AlertIntake(Objects.requireNonNull(acceptor, "acceptor"),
                Objects.requireNonNull(deadLetters, "deadLetters"), Objects.requireNonNull(clock, "clock"), options,
                ALERTS_PATH);
        this.tokenCheck = Objects.requireNonNull(tokenCheck, "tokenCheck");
        this.reader = Objects.requireNonNull(reader, "reader");
        this.silences = Objects.requireNonNull(silences, "silences");
        this.reply = new JsonReply(intake.mapper());
    }

    /**
     * Counts this intake's requests into {@code counters} (shown by {@code GET /api/v1/sources}) under
     * {@value #COUNTER_SOURCE}; without it they are counted privately. Changes nothing else.
     */
    public AlertRoutes countingInto(IntakeCounters counters) {
        this.counters = Objects.requireNonNull(counters, "counters");
        return this;
    }

    @Override
    public void configure() {
        started = intake.clock().instant();
        onException(Exception.class).handled(true).process(this::answerFailure);

        from("platform-http:" + ALERTS_PATH + "?httpMethodRestrict=GET,POST")
                .routeId("alertmanager-alerts")
                .noStreamCaching() // the body stays a Vert.x Buffer: RequestBodies copies it once
                .process(tokenCheck)
                .process(e -> {
                    if ("POST".equals(e.getIn().getHeader(Exchange.HTTP_METHOD, String.class))) {
                        post(e);
                    } else {
                        list(e);
                    }
                });

        from("platform-http:" + STATUS_PATH + "?httpMethodRestrict=GET")
                .routeId("alertmanager-status")
                .process(tokenCheck)
                .process(e -> reply.write(e, 200, status()));
    }

    private void post(Exchange exchange) throws ApiException, InvalidEventException, EngineOverloadedException {
        counters.received(COUNTER_SOURCE, 1);
        exchange.setProperty(COUNTED_PROPERTY, true);
        JsonNode body = intake.readJson(exchange);
        if (!body.isArray()) {
            throw new InvalidEventException("wrong_type", "the body must be a JSON array of alerts "
                    + "(Alertmanager's postableAlerts), not " + body.getNodeType().name().toLowerCase());
        }
        List<AlertReport> reports = new ArrayList<>();
        List<DecodedRequest.Rejection> rejected = new ArrayList<>();
        for (int i = 0; i < body.size(); i++) {
            try {
                reports.add(intake.report(body.get(i)));
            } catch (InvalidEventException e) {
                rejected.add(intake.rejection(i, e, body.get(i)));
            }
        }
        counters.accepted(COUNTER_SOURCE, intake.accept(reports).size());
        counters.rejected(COUNTER_SOURCE, rejected.size());
        // Only once the valid ones are durable: a request the sender must repeat leaves no dead letters.
        intake.deadLetter(rejected);
        if (rejected.isEmpty()) {
            Message message = exchange.getMessage();
            message.removeHeaders("*");
            message.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
            message.setBody("");
        } else {
            reply.write(exchange, 400, rejected.stream().map(DecodedRequest.Rejection::detail)
                    .collect(Collectors.joining("; ")));
        }
    }

    private void list(Exchange exchange) throws ApiException {
        AlertQuery query = AlertQuery.parse(exchange.getIn().getHeader(Exchange.HTTP_QUERY, String.class));
        Instant now = intake.clock().instant();
        List<Map<String, Object>> listed = new ArrayList<>();
        for (ListedAlert alert : current()) {
            if (alert.status() != AlertStatus.FIRING) {
                continue; // Alertmanager lists no alert whose end has passed
            }
            List<String> silencedBy = List.copyOf(silences.silencedBy(alert.labels(), now));
            List<String> inhibitedBy = List.of();
            if (query.admits(alert.labels(), silencedBy, inhibitedBy, RECEIVER)) {
                listed.add(gettable(alert, silencedBy, inhibitedBy));
            }
        }
        listed.sort(Comparator.comparing(a -> (String) a.get("fingerprint")));
        reply.write(exchange, 200, listed);
    }

    private List<ListedAlert> current() throws ApiException {
        try {
            return reader.alerts().get(options.acceptTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new ApiException(503, "not_accepting", "the alerts cannot be read now (" + e.getCause().getMessage()
                    + "); retry shortly");
        } catch (TimeoutException e) {
            throw new ApiException(503, "engine_busy", "the engine did not answer within "
                    + options.acceptTimeout().toMillis() + " ms; retry shortly");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(503, "not_accepting", "Operon is stopping");
        }
    }

    /** Alertmanager's gettableAlert. */
    private static Map<String, Object> gettable(ListedAlert a, List<String> silencedBy, List<String> inhibitedBy) {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("state", silencedBy.isEmpty() && inhibitedBy.isEmpty() ? "active" : "suppressed");
        status.put("silencedBy", silencedBy);
        status.put("inhibitedBy", inhibitedBy);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("annotations", a.annotations());
        json.put("endsAt", Rfc3339.format(a.endsAt()));
        json.put("fingerprint", a.fingerprint());
        json.put("receivers", List.of(Map.of("name", RECEIVER)));
        json.put("startsAt", Rfc3339.format(a.startsAt()));
        json.put("status", status);
        json.put("updatedAt", Rfc3339.format(a.updatedAt()));
        if (a.generatorURL() != null) {
            json.put("generatorURL", a.generatorURL());
        }
        json.put("labels", a.labels());
        return json;
    }

    /** Alertmanager's alertmanagerStatus. */
    private Map<String, Object> status() {
        Map<String, Object> versionInfo = new LinkedHashMap<>();
        versionInfo.put("version", version);
        versionInfo.put("revision", "unknown");
        versionInfo.put("branch", "unknown");
        versionInfo.put("buildUser", "operon");
        versionInfo.put("buildDate", "unknown");
        versionInfo.put("goVersion", "java" + Runtime.version().feature());
        Map<String, Object> cluster = new LinkedHashMap<>();
        cluster.put("name", "operon");
        cluster.put("status", "ready");
        cluster.put("peers", List.of());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("cluster", cluster);
        body.put("versionInfo", versionInfo);
        body.put("config", Map.of("original", ""));
        body.put("uptime", Rfc3339.format(started));
        return body;
    }

    /** Answers every failure once, with a JSON string body (see the class comment). */
    private void answerFailure(Exchange exchange) {
        AlertIntake.Failure failure = intake.answer(exchange);
        if (failure.status() < 500 && exchange.getProperty(COUNTED_PROPERTY) != null) {
            counters.rejected(COUNTER_SOURCE, 1); // the whole request, refused as such
        }
        reply.write(exchange, failure.status(), failure.detail());
        if (failure.retryAfter() != null) {
            exchange.getMessage().setHeader("Retry-After", String.valueOf(failure.retryAfter()));
        }
    }
}
