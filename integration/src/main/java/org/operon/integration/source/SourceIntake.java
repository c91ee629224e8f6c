package org.operon.integration.source;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.operon.engine.EngineOverloadedException;
import org.operon.engine.EventAcceptor;
import org.operon.integration.http.ApiException;
import org.operon.integration.http.DeadLetterWriter;
import org.operon.integration.http.DurableAcceptance;
import org.operon.integration.http.IntakeCounters;
import org.operon.integration.http.IntakeOptions;
import org.operon.integration.http.StreamedCloudEvents;
import org.operon.integration.webhook.WebhookMapping;
import org.operon.model.CloudEventJson;
import org.operon.model.Event;
import org.operon.model.InvalidEventException;
import org.operon.state.DeadLetterStore;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The one way into the engine for every source that is not Operon's own HTTP API (Kafka, AMQP, MQTT,
 * named webhooks, syslog, routes from the routes directory): decodes CloudEvents, keeps what is bad in
 * the dead-letter store with the reason, hands the rest to the engine and returns only once they are
 * durable in the event journal. A source acknowledges or commits its input only after {@link #submit}
 * returned; when it throws, nothing was accepted or the outcome is unknown, and the source must not
 * acknowledge (the broker redelivers; duplicates are dropped by the rules by id and source).
 *
 * <p>Counts received, accepted and rejected events per source name ({@link #counters()}).
 *
 * <p>Camel routes use it through {@link SourceIntakeRoute}: {@code to("direct:operon-intake")} with the
 * header {@value #SOURCE_HEADER} naming the source.
 */
public final class SourceIntake {
    /** The Camel endpoint of the intake for routes. */
    public static final String ENDPOINT = "direct:operon-intake";
    /** The header naming the source (e.g. {@code kafka:alerts}); the dead-letter channel and counters use it. */
    public static final String SOURCE_HEADER = "OperonSource";

    /**
     * How many events {@link #submitAll} decodes before it hands them to the journal and decodes on: large
     * enough that a chunk is one journal append of many events, small enough that a Kafka poll of records of
     * 100 events (50,000 events) is written while the rest of it is decoded.
     */
    static final int PIPELINE_CHUNK_EVENTS = 4096;

    private final DurableAcceptance durable;
    private final DeadLetterStore deadLetterStore;
    private final Clock clock;
    private final IntakeOptions options;
    private final CloudEventJson cloudEvents;
    /** The same decoding straight from the bytes, for payloads that are valid CloudEvents. */
    private final StreamedCloudEvents streamed = new StreamedCloudEvents();
    private final IntakeCounters counters;

    public SourceIntake(EventAcceptor acceptor, DeadLetterStore deadLetters, Clock clock, IntakeOptions options) {
        this(acceptor, deadLetters, clock, options, new IntakeCounters());
    }

    /** The intake counting into {@code counters}, which other intakes (the HTTP API) may share. */
    public SourceIntake(EventAcceptor acceptor, DeadLetterStore deadLetters, Clock clock, IntakeOptions options,
                        IntakeCounters counters) {
        this.counters = Objects.requireNonNull(counters, "counters");
        this.durable = new DurableAcceptance(Objects.requireNonNull(acceptor, "acceptor"), options.acceptTimeout());
        this.deadLetterStore = Objects.requireNonNull(deadLetters, "deadLetters");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.options = Objects.requireNonNull(options, "options");
        ObjectMapper mapper = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        // Types starting with "operon." are Operon's own: no source may send them.
        this.cloudEvents = new CloudEventJson(mapper).rejectingReservedTypes();
    }

    /**
     * What happened to one payload.
     *
     * @param accepted the ids of the events now durable in the journal
     * @param rejected one entry per rejected payload or batch element: {@code error} and {@code detail}
     *                 as the dead letter has them
     */
    public record Outcome(List<String> accepted, List<Rejection> rejected) {
        public Outcome {
            accepted = List.copyOf(accepted);
            rejected = List.copyOf(rejected);
        }
    }

    /** One rejected payload or batch element (index null for the whole payload). */
    public record Rejection(Integer index, String error, String detail) {
    }

    /**
     * Decodes {@code payload} as one CloudEvent (a JSON object) or a batch (a JSON array of them) and
     * accepts the valid ones; bad input is dead-lettered, never thrown.
     *
     * @throws EngineOverloadedException the engine's queue is full: nothing accepted, try again later
     * @throws ApiException              503: not accepting now, or the journal did not confirm; do not acknowledge
     */
    public Outcome submit(String source, byte[] payload) throws EngineOverloadedException, ApiException {
        return submit(source, payload, null);
    }

    /**
     * Like {@link #submit(String, byte[])}, but a JSON payload that is not CloudEvents (an object without
     * {@code specversion}, or an array whose first element is not such an object) is turned into events by
     * {@code mapping} (a named webhook's mapping), with {@code source} as the events' default source. With
     * a null mapping every payload must be CloudEvents. A payload that is neither is dead-lettered with the
     * mapping's reason.
     */
    public Outcome submit(String source, byte[] payload, WebhookMapping mapping)
            throws EngineOverloadedException, ApiException {
        return submitAll(List.of(Payload.of(source, payload, mapping))).get(0);
    }

    /**
     * Like {@link #submit(String, byte[], WebhookMapping)}, with the message's stable id (null: none), the stem
     * of the mapped events' default ids (see {@link WebhookMapping#mapAs(String, byte[], JsonNode, String)}).
     */
    public Outcome submit(String source, byte[] payload, WebhookMapping mapping, String messageId)
            throws EngineOverloadedException, ApiException {
        return submitAll(List.of(Payload.of(source, payload, mapping, messageId))).get(0);
    }

    /**
     * One payload of {@link #submitAll}: structured-mode (CloudEvents JSON, or JSON turned into events by
     * {@code mapping} when not null) unless {@code binaryAttributes} is not null, in which case it is one
     * binary-mode CloudEvent with those attributes and {@code contentType} (see {@link #submitBinary}).
     * {@code messageId} (may be null) is the transport's stable id of the message, the stem of mapped events'
     * default ids.
     */
    public record Payload(String source, byte[] body, WebhookMapping mapping, Map<String, String> binaryAttributes,
                          String contentType, String messageId) {
        public Payload {
            Objects.requireNonNull(source, "source");
            body = body == null ? new byte[0] : body;
        }

        public static Payload of(String source, byte[] body, WebhookMapping mapping) {
            return of(source, body, mapping, null);
        }

        /** A structured-mode payload whose mapped events' default ids are {@code <messageId>-<index>}. */
        public static Payload of(String source, byte[] body, WebhookMapping mapping, String messageId) {
            return new Payload(source, body, mapping, null, null, messageId);
        }

        public static Payload binary(String source, Map<String, String> attributes, String contentType, byte[] body) {
            return new Payload(source, body, null, Objects.requireNonNull(attributes, "attributes"), contentType, null);
        }
    }

    /**
     * Accepts the valid events of all {@code payloads}, e.g. all records of one Kafka poll, and returns one
     * outcome per payload in order once all of them are durable. They go to the journal in appends of about
     * {@value #PIPELINE_CHUNK_EVENTS} events (one append when there are fewer), each as soon as it is decoded,
     * so that the journal writes while the rest is decoded. What is malformed is dead-lettered per payload
     * with its reason, exactly as {@link #submit(String, byte[], WebhookMapping)} does, but only after the
     * acceptance; all appends share one acceptance timeout. When this throws nothing was dead-lettered, none of
     * its appends is still in flight (unless the journal did not confirm within the timeout), and the whole call
     * must be repeated (events of earlier appends may be durable already; their repeats are dropped
     * by id).
     *
     * @throws EngineOverloadedException the engine's queue is full: try again later (the first append
     *                                   refused means nothing was accepted)
     * @throws ApiException              503: not accepting now, or the journal did not confirm; do not acknowledge
     */
    public List<Outcome> submitAll(List<Payload> payloads) throws EngineOverloadedException, ApiException {
        List<Prepared> prepared = new ArrayList<>(payloads.size());
        // Pipelined: each chunk of events goes to the journal as soon as it is decoded, so the journal writes
        // one chunk while this thread decodes the next; the call returns once every chunk is durable.
        List<DurableAcceptance.Pending> pending = new ArrayList<>();
        List<Event> chunk = new ArrayList<>();
        for (Payload p : payloads) {
            Prepared x = p.binaryAttributes() == null ? prepare(p.source(), p.body(), p.mapping(), p.messageId())
                    : prepareBinary(p.source(), p.binaryAttributes(), p.contentType(), p.body());
            counters.received(x.source(), 1);
            prepared.add(x);
            chunk.addAll(x.events());
            if (chunk.size() >= PIPELINE_CHUNK_EVENTS) {
                pending.add(begin(chunk, pending));
                chunk = new ArrayList<>();
            }
        }
        if (!chunk.isEmpty()) {
            pending.add(begin(chunk, pending));
        }
        java.util.Set<String> durableIds = new java.util.HashSet<>();
        long deadline = durable.deadline(); // one acceptance timeout for all appends of the call
        for (int i = 0; i < pending.size(); i++) {
            List<Event> stamped;
            try {
                stamped = pending.get(i).await("and resending them is safe: duplicates are dropped by id", deadline);
            } catch (ApiException e) {
                awaitQuietly(pending.subList(i + 1, pending.size()), deadline);
                throw e;
            }
            for (Event e : stamped) {
                durableIds.add(e.getId());
            }
        }
        List<Outcome> outcomes = new ArrayList<>(prepared.size());
        for (Prepared x : prepared) {
            List<String> accepted = new ArrayList<>();
            for (Event e : x.events()) {
                if (durableIds.contains(e.getId())) {
                    accepted.add(e.getId());
                }
            }
            // Dead letters only after acceptance, so a payload that must be redelivered leaves none twice.
            if (!x.rejected().isEmpty()) {
                DeadLetterWriter writer = writer(x.source());
                for (Rejection r : x.rejected()) {
                    writer.write(r.error(), r.detail(), r.index(), prefix(x.body()), x.body().length);
                }
            }
            counters.accepted(x.source(), accepted.size());
            counters.rejected(x.source(), x.rejected().size());
            outcomes.add(new Outcome(accepted, x.rejected()));
        }
        return outcomes;
    }

    /**
     * Hands one chunk of {@link #submitAll} to the engine. When it is refused, waits for the chunks handed over
     * before it (their outcome does not matter: the caller repeats the whole call) and rethrows, so that no
     * append of a call that threw is still in flight when the caller repeats it.
     */
    private DurableAcceptance.Pending begin(List<Event> chunk, List<DurableAcceptance.Pending> before)
            throws EngineOverloadedException, ApiException {
        try {
            return durable.begin(chunk, "events");
        } catch (EngineOverloadedException | ApiException | RuntimeException e) {
            awaitQuietly(before, durable.deadline());
            throw e;
        }
    }

    /** Waits for appends of a call that is about to throw, at most until the deadline; their outcome does not matter. */
    private static void awaitQuietly(List<DurableAcceptance.Pending> appends, long deadlineNanos) {
        for (DurableAcceptance.Pending p : appends) {
            try {
                p.await("", deadlineNanos);
            } catch (ApiException ignored) {
                // Logged by DurableAcceptance; the caller repeats the call either way.
            }
        }
    }

    /** A payload decoded: its valid events and its rejections (one with index null: the whole payload). */
    private record Prepared(String source, byte[] body, List<Event> events, List<Rejection> rejected) {
    }

    private Prepared whole(String source, byte[] body, String error, String detail) {
        return new Prepared(source, body, List.of(), List.of(new Rejection(null, error, detail)));
    }

    private Prepared prepare(String source, byte[] body, WebhookMapping mapping, String messageId) {
        if (body.length > options.maxBodyBytes()) {
            return whole(source, body, "body_too_large", "the payload has " + body.length
                    + " bytes; the limit is " + options.maxBodyBytes() + " (operon.intake.max-body-bytes)");
        }
        // A payload that decodes on the fast path is CloudEvents, so a mapping would not have applied to it either.
        List<Event> fast = streamed.singleOrBatch(body);
        if (fast != null) {
            return new Prepared(source, body, fast, List.of());
        }
        JsonNode tree;
        try {
            tree = cloudEvents.parseTree(new String(body, StandardCharsets.UTF_8));
        } catch (InvalidEventException e) {
            return whole(source, body, e.error(), e.detail());
        }
        if (mapping != null && !isCloudEvents(tree)) {
            WebhookMapping.Result mapped = mapping.mapAs(source, body, tree, messageId);
            return new Prepared(source, body, mapped.events(), mapped.rejected());
        }
        List<Event> events = new ArrayList<>();
        List<Rejection> rejected = new ArrayList<>();
        List<JsonNode> elements = new ArrayList<>();
        if (tree.isArray()) {
            tree.forEach(elements::add);
            if (elements.isEmpty()) {
                return whole(source, body, "empty_batch", "the batch is an empty JSON array");
            }
        } else {
            elements.add(tree);
        }
        for (int i = 0; i < elements.size(); i++) {
            try {
                events.add(cloudEvents.fromJson(elements.get(i)));
            } catch (InvalidEventException e) {
                rejected.add(new Rejection(tree.isArray() ? i : null, e.error(), e.detail()));
            }
        }
        return new Prepared(source, body, events, rejected);
    }

    /** Structured-mode CloudEvents: an object with {@code specversion}, or an array starting with one. */
    static boolean isCloudEvents(JsonNode tree) {
        JsonNode first = tree.isArray() ? tree.get(0) : tree;
        return first != null && first.isObject() && first.has("specversion");
    }

    /**
     * Accepts one CloudEvent in binary content mode: its attributes came in the transport's headers or
     * properties (names without their prefix: {@code id}, {@code type}, {@code specversion}, extensions),
     * its data is {@code payload}. A JSON payload (content type null or containing {@code json}) becomes a
     * JSON tree, any other stays text. An invalid event is dead-lettered, never thrown.
     *
     * @throws EngineOverloadedException the engine's queue is full: nothing accepted, try again later
     * @throws ApiException              503: not accepting now, or the journal did not confirm; do not acknowledge
     */
    public Outcome submitBinary(String source, Map<String, String> attributes, String contentType, byte[] payload)
            throws EngineOverloadedException, ApiException {
        return submitAll(List.of(Payload.binary(source, attributes, contentType, payload))).get(0);
    }

    private Prepared prepareBinary(String source, Map<String, String> attributes, String contentType, byte[] body) {
        if (body.length > options.maxBodyBytes()) {
            return whole(source, body, "body_too_large", "the payload has " + body.length
                    + " bytes; the limit is " + options.maxBodyBytes() + " (operon.intake.max-body-bytes)");
        }
        try {
            return new Prepared(source, body, List.of(cloudEvents.fromBinary(attributes, contentType,
                    new String(body, StandardCharsets.UTF_8))), List.of());
        } catch (InvalidEventException e) {
            return whole(source, body, e.error(), "binary-mode CloudEvent: " + e.detail());
        }
    }

    /**
     * Accepts events a source built itself (a mapped webhook, a syslog line), dead-lettering the given
     * rejections with {@code payload}.
     */
    public Outcome submitEvents(String source, List<Event> events, List<Rejection> rejected, byte[] payload)
            throws EngineOverloadedException, ApiException {
        counters.received(source, 1);
        return finish(source, payload == null ? new byte[0] : payload, events, rejected);
    }

    private Outcome finish(String source, byte[] body, List<Event> events, List<Rejection> rejected)
            throws EngineOverloadedException, ApiException {
        List<String> accepted = new ArrayList<>();
        if (!events.isEmpty()) {
            for (Event e : durable.accept(events, "events", "and resending them is safe: duplicates are dropped by id")) {
                accepted.add(e.getId());
            }
        }
        // Dead letters only after acceptance, so a payload that must be redelivered leaves none twice.
        DeadLetterWriter writer = writer(source);
        for (Rejection r : rejected) {
            writer.write(r.error(), r.detail(), r.index(), prefix(body), body.length);
        }
        counters.accepted(source, accepted.size());
        counters.rejected(source, rejected.size());
        return new Outcome(accepted, rejected);
    }

    private DeadLetterWriter writer(String source) {
        return new DeadLetterWriter(deadLetterStore, clock, source, options.deadLetterPayloadBytes());
    }

    private byte[] prefix(byte[] body) {
        int keep = Math.min(body.length, options.deadLetterPayloadBytes());
        return keep == body.length ? body : java.util.Arrays.copyOf(body, keep);
    }

    /**
     * Received (payloads), accepted and rejected (events or payloads) per source name, since start; with
     * shared {@link IntakeCounters}, those of the other intakes too.
     */
    public Map<String, Map<String, Long>> counters() {
        return counters.snapshot();
    }
}
