package org.operon.integration.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import org.operon.model.CloudEventJson;
import org.operon.model.Event;
import org.operon.model.InvalidEventException;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns an {@link IntakeRequest} into events, following the CloudEvents 1.0 HTTP binding.
 *
 * <p>The mode is chosen in this order:
 * <ol>
 *   <li>{@code application/cloudevents+json}: structured mode, exactly one event (a JSON object);</li>
 *   <li>{@code application/cloudevents-batch+json}: batch mode, a JSON array of events;</li>
 *   <li>a {@code ce-specversion} or {@code ce-id} header: binary mode, attributes from the {@code ce-*}
 *       headers and the body (of any media type, possibly empty) as data;</li>
 *   <li>{@code application/json}: a JSON object is one event, a JSON array is a batch (Operon accepts
 *       this for senders that cannot set the CloudEvents media types);</li>
 *   <li>anything else: 415 {@code unsupported_media_type}.</li>
 * </ol>
 *
 * <p>A problem with the request as a whole (not JSON, empty, wrong shape, an invalid single event) is
 * thrown; in a batch every element is validated on its own and an invalid one becomes a
 * {@link DecodedRequest.Rejection} with its index, so that the valid ones can still be accepted.
 */
public final class CloudEventRequestDecoder {
    public static final String CLOUDEVENTS_JSON = "application/cloudevents+json";
    public static final String CLOUDEVENTS_BATCH_JSON = "application/cloudevents-batch+json";
    public static final String JSON = "application/json";

    private final CloudEventJson cloudEvents;
    /** Valid structured and batch bodies straight from the bytes; the tree path words every problem. */
    private final StreamedCloudEvents streamed = new StreamedCloudEvents();

    /** A decoder refusing reserved event types: {@code cloudEvents} must be {@link CloudEventJson#rejectingReservedTypes()}. */
    public CloudEventRequestDecoder(CloudEventJson cloudEvents) {
        this.cloudEvents = cloudEvents;
    }

    /**
     * @throws InvalidEventException for a request none of whose content can be accepted, with the codes
     *                               {@code malformed_json}, {@code empty_body}, {@code empty_batch},
     *                               {@code missing_attribute}, {@code wrong_type} or {@code invalid_value}
     * @throws ApiException          415 {@code unsupported_media_type}, naming the accepted types
     */
    public DecodedRequest decode(IntakeRequest request) throws InvalidEventException, ApiException {
        String mediaType = request.mediaType();
        if (mediaType.equals(CLOUDEVENTS_JSON)) {
            Event fast = streamed.single(request.body());
            if (fast != null) {
                return DecodedRequest.single(fast);
            }
            JsonNode node = parse(request);
            if (node.isArray()) {
                throw new InvalidEventException("wrong_type", CLOUDEVENTS_JSON
                        + " carries one event, a JSON object; send a JSON array as " + CLOUDEVENTS_BATCH_JSON);
            }
            return DecodedRequest.single(cloudEvents.fromJson(node));
        }
        if (mediaType.equals(CLOUDEVENTS_BATCH_JSON)) {
            List<Event> fast = streamed.batch(request.body());
            if (fast != null) {
                return new DecodedRequest(true, fast, List.of());
            }
            JsonNode node = parse(request);
            if (!node.isArray()) {
                throw new InvalidEventException("wrong_type", CLOUDEVENTS_BATCH_JSON
                        + " must be a JSON array of events, not " + nodeType(node));
            }
            return batch(node);
        }
        if (request.hasBinaryModeHeaders()) {
            String data = new String(request.body(), StandardCharsets.UTF_8);
            return DecodedRequest.single(cloudEvents.fromBinary(request.ceAttributes(),
                    request.contentType(), data));
        }
        if (mediaType.equals(JSON)) {
            Event single = streamed.single(request.body());
            if (single != null) {
                return DecodedRequest.single(single);
            }
            List<Event> batch = streamed.batch(request.body());
            if (batch != null) {
                return new DecodedRequest(true, batch, List.of());
            }
            JsonNode node = parse(request);
            return node.isArray() ? batch(node) : DecodedRequest.single(cloudEvents.fromJson(node));
        }
        throw new ApiException(415, "unsupported_media_type", (mediaType.isEmpty()
                ? "the request has no Content-Type"
                : "Content-Type '" + mediaType + "' is not accepted")
                + "; send " + CLOUDEVENTS_JSON + " or " + JSON + " (one event, or a JSON array), "
                + CLOUDEVENTS_BATCH_JSON + " (a JSON array), or binary mode with ce-specversion, ce-id, "
                + "ce-source and ce-type headers");
    }

    private JsonNode parse(IntakeRequest request) throws InvalidEventException {
        String text = new String(request.body(), StandardCharsets.UTF_8);
        if (text.isBlank()) {
            throw new InvalidEventException("empty_body", "the request body is empty; expected a CloudEvent as JSON");
        }
        return cloudEvents.parseTree(text);
    }

    private DecodedRequest batch(JsonNode array) throws InvalidEventException {
        if (array.isEmpty()) {
            throw new InvalidEventException("empty_batch", "the batch is an empty JSON array; send at least one event");
        }
        List<Event> events = new ArrayList<>();
        List<DecodedRequest.Rejection> rejected = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            JsonNode element = array.get(i);
            try {
                events.add(cloudEvents.fromJson(element));
            } catch (InvalidEventException e) {
                rejected.add(new DecodedRequest.Rejection(i, e.error(), e.detail(), toJson(element)));
            }
        }
        return new DecodedRequest(true, events, rejected);
    }

    private String toJson(JsonNode node) {
        try {
            return cloudEvents.mapper().writeValueAsString(node);
        } catch (JsonProcessingException e) {
            return node.toString();
        }
    }

    private static String nodeType(JsonNode node) {
        return node.getNodeType().name().toLowerCase();
    }
}
