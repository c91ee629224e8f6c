package org.operon.integration.alertmanager;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.operon.engine.EngineOverloadedException;
import org.operon.engine.EventAcceptor;
import org.operon.integration.http.ApiException;
import org.operon.integration.http.DurableAcceptance;
import org.operon.integration.http.DeadLetterWriter;
import org.operon.integration.http.DecodedRequest;
import org.operon.integration.http.IntakeOptions;
import org.operon.integration.http.RequestBodies;
import org.operon.model.AlertReport;
import org.operon.model.CloudEventJson;
import org.operon.model.Event;
import org.operon.model.InvalidEventException;
import org.operon.state.DeadLetterStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * What the alert routes ({@link AlertRoutes}, {@link AlertmanagerWebhookRoutes}) share: reading the body
 * within the intake's size limit, parsing it, turning alert reports into {@value AlertReport#EVENT_TYPE}
 * events and waiting until the event journal holds them, dead-lettering what was refused, and telling
 * which failures are answered how.
 *
 * <p>Each report becomes an event with a fresh random UUID as its id (a re-sent alert is a new report, so
 * duplicate detection must never drop it), the route's source, the alert's fingerprint as subject and
 * the receipt time from the injected clock as its time (see {@link AlertReport#toEvent}).
 */
final class AlertIntake {
    private static final Logger LOG = LoggerFactory.getLogger(AlertIntake.class);
    private static final String BODY_PROPERTY = "operon.alertBody";
    /** What a 503 {@code journal_unavailable} or {@code not_accepting} tells the client. */
    static final int RETRY_AFTER_SECONDS = 5;

    private final DurableAcceptance durable;
    private final Clock clock;
    private final IntakeOptions options;
    private final String source;
    private final DeadLetterWriter deadLetters;
    private final ObjectMapper mapper = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private final CloudEventJson json = new CloudEventJson(mapper);

    AlertIntake(EventAcceptor acceptor, DeadLetterStore deadLetters, Clock clock, IntakeOptions options, String source) {
        this.durable = new DurableAcceptance(acceptor, options.acceptTimeout());
        this.clock = clock;
        this.options = options;
        this.source = source;
        this.deadLetters = new DeadLetterWriter(deadLetters, clock, "http:" + source, options.deadLetterPayloadBytes());
    }

    ObjectMapper mapper() {
        return mapper;
    }

    Clock clock() {
        return clock;
    }

    /**
     * The request body as JSON, kept on the exchange for dead letters.
     *
     * @throws ApiException          413 {@code body_too_large} over {@link IntakeOptions#maxBodyBytes()}
     * @throws InvalidEventException {@code empty_body} or {@code malformed_json} (with line and column)
     */
    JsonNode readJson(Exchange exchange) throws ApiException, InvalidEventException {
        byte[] body = RequestBodies.bytes(exchange.getIn());
        body = body == null ? new byte[0] : body;
        exchange.setProperty(BODY_PROPERTY, body);
        if (body.length > options.maxBodyBytes()) {
            throw new ApiException(413, "body_too_large", "the body is " + body.length + " bytes; the limit is "
                    + options.maxBodyBytes() + " bytes");
        }
        return json.parseTree(new String(body, StandardCharsets.UTF_8));
    }

    /**
     * One alert of a request as a report; unknown fields are ignored.
     *
     * @throws InvalidEventException naming the field (see {@link AlertReport#fromData})
     */
    AlertReport report(JsonNode alert) throws InvalidEventException {
        return AlertReport.fromData(mapper.convertValue(alert, Object.class));
    }

    /** The rejection of the alert at {@code index}: its detail starts with "alert N: ", its payload is the alert's JSON. */
    DecodedRequest.Rejection rejection(int index, InvalidEventException problem, JsonNode alert) {
        return new DecodedRequest.Rejection(index, problem.error(), "alert " + index + ": " + problem.detail(),
                alert.toString());
    }

    /**
     * Journals the reports as events and returns them once they are durable (in order, stamped).
     *
     * @throws EngineOverloadedException at once, nothing journaled, when the engine's queue is full
     * @throws ApiException              503 {@code not_accepting} (starting or stopping) or
     *                                   {@code journal_unavailable} (the journal failed or did not confirm)
     */
    List<Event> accept(List<AlertReport> reports) throws EngineOverloadedException, ApiException {
        if (reports.isEmpty()) {
            return List.of();
        }
        var now = clock.instant();
        List<Event> events = new ArrayList<>(reports.size());
        for (AlertReport r : reports) {
            events.add(r.toEvent(UUID.randomUUID().toString(), source, now));
        }
        return durable.accept(events, "alerts",
                "and sending them again is safe (a re-sent alert updates the same alert)");
    }

    /** Keeps each refused alert of a request as a dead letter of its own (index set, payload its JSON). */
    void deadLetter(List<DecodedRequest.Rejection> rejected) {
        for (DecodedRequest.Rejection r : rejected) {
            deadLetters.write(r.error(), r.detail(), r.index(), r.payload().getBytes(StandardCharsets.UTF_8));
        }
    }

    /**
     * How a failure is answered: one place for both routes. A failure of a request whose body was read
     * (an alert intake) is dead-lettered with the body, except overload, "not accepting" and 401: then
     * the client keeps the alerts and sends them again, or is not authenticated. Failures of reading
     * requests (GET) are never dead-lettered.
     */
    Failure answer(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Failure answer;
        if (failure instanceof EngineOverloadedException overloaded) {
            answer = new Failure(503, "overloaded", "the engine's queue is full; nothing was accepted; retry after "
                    + overloaded.retryAfterSeconds() + " s", overloaded.retryAfterSeconds(), false);
        } else if (failure instanceof ApiException api) {
            boolean keep = !api.error().equals("unauthorized") && !api.error().equals("not_accepting");
            answer = new Failure(api.status(), api.error(), api.detail(),
                    api.status() == 503 ? RETRY_AFTER_SECONDS : null, keep);
        } else if (failure instanceof InvalidEventException invalid) {
            answer = new Failure(400, invalid.error(), invalid.detail(), null, true);
        } else {
            LOG.warn("Unexpected failure in the alert intake ({})", source, failure);
            answer = new Failure(500, "internal_error", "Operon failed to process the request ("
                    + (failure == null ? "unknown error" : failure.getClass().getSimpleName())
                    + "); the request was kept as a dead letter", null, true);
        }
        byte[] body = exchange.getProperty(BODY_PROPERTY, byte[].class);
        if (answer.deadLettered() && body != null) {
            deadLetters.write(answer.error(), answer.detail(), null, body);
            return answer;
        }
        return new Failure(answer.status(), answer.error(), answer.detail(), answer.retryAfter(), false);
    }

    /**
     * @param retryAfter seconds for a {@code Retry-After} header, or null
     */
    record Failure(int status, String error, String detail, Integer retryAfter, boolean deadLettered) {
    }
}
