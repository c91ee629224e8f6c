package org.operon.integration.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.operon.integration.source.SourceIntake;
import org.operon.model.CloudEventJson;
import org.operon.model.Event;
import org.operon.model.Severity;

import java.math.BigDecimal;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.math.RoundingMode;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Turns a webhook's JSON payload into events: {@code split} selects the elements that become one event
 * each (default: the whole payload is one event), and each event field is read from its element.
 *
 * <ul>
 *   <li>{@code id}: default {@code <message id>-<element index>} when the payload came with a stable message
 *       id (a Kafka record's {@code <topic>-<partition>-<offset>}, an AMQP message's message id, see
 *       {@link #mapAs(String, byte[], JsonNode, String)}), else {@code <first 32 hex digits of SHA-256 of the
 *       raw body>-<element index>}; either way a redelivery or a sender's retry of the same payload yields the
 *       same ids and is dropped as a duplicate;</li>
 *   <li>{@code source}: default {@code webhook:<name>};</li>
 *   <li>{@code type}: required; a type starting with {@code operon.} is refused ({@code reserved_type});</li>
 *   <li>{@code subject}, {@code time} (RFC 3339 text, or epoch seconds as a number or digits), {@code labels}
 *       (label name to value; a value that selects nothing or
 *       an empty string leaves the label out);</li>
 *   <li>{@code severity}: the value looked up in the severity map (ignoring case), else read as
 *       {@code critical}/{@code warning}/{@code info}, else the configured default; an unknown value
 *       without a default rejects the element; no value at all is the default, or info;</li>
 *   <li>{@code data}: default the whole element.</li>
 * </ul>
 * An element that cannot become an event is rejected with its index and the reason; the others are kept.
 */
public final class WebhookMapping {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final JsonExpression split;
    private final FieldValue id;
    private final FieldValue source;
    private final FieldValue type;
    private final FieldValue subject;
    private final FieldValue severity;
    private final Map<String, Severity> severityMap;
    private final Severity severityDefault;
    private final FieldValue time;
    private final Map<String, FieldValue> labels;
    private final JsonExpression data;

    /**
     * @param split           selects the elements (null: the payload is the one element)
     * @param id              null: the message id (else the body hash) and the element index
     * @param source          null: {@code webhook:<name>}
     * @param type            required
     * @param severity        null: {@code severityDefault}
     * @param severityMap     value (any case) to severity
     * @param severityDefault null: info when there is no severity expression, else unmapped values are rejected
     * @param data            null: the whole element
     */
    public WebhookMapping(JsonExpression split, FieldValue id, FieldValue source, FieldValue type, FieldValue subject,
                          FieldValue severity, Map<String, Severity> severityMap, Severity severityDefault,
                          FieldValue time, Map<String, FieldValue> labels, JsonExpression data) {
        this.split = split;
        this.id = id;
        this.source = source;
        this.type = Objects.requireNonNull(type, "type");
        this.subject = subject;
        this.severity = severity;
        Map<String, Severity> lower = new LinkedHashMap<>();
        severityMap.forEach((k, v) -> lower.put(k.toLowerCase(Locale.ROOT), v));
        this.severityMap = Map.copyOf(lower);
        this.severityDefault = severityDefault;
        this.time = time;
        this.labels = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(labels));
        this.data = data;
    }

    /** The events of one payload and the elements that could not become one. */
    public record Result(List<Event> events, List<SourceIntake.Rejection> rejected) {
    }

    /** Maps {@code root}, the parsed {@code body}, received on the webhook {@code name}. */
    public Result map(String name, byte[] body, JsonNode root) {
        return mapAs("webhook:" + name, body, root);
    }

    /**
     * Maps {@code root}, the parsed {@code body}, received from {@code defaultSource} (e.g. {@code kafka:alerts}),
     * which is the events' source unless the mapping has a {@code source}.
     */
    public Result mapAs(String defaultSource, byte[] body, JsonNode root) {
        return mapAs(defaultSource, body, root, null);
    }

    /**
     * Like {@link #mapAs(String, byte[], JsonNode)}, with the payload's {@code messageId} (null: none) as the
     * stem of the default event ids in place of the body's hash. A message id must be the same on every
     * delivery of one message and differ between messages, as a Kafka record's topic, partition and offset do:
     * then two messages with the same body are two events, and a redelivered one is recognised by its id
     * rather than by its body.
     */
    public Result mapAs(String defaultSource, byte[] body, JsonNode root, String messageId) {
        List<JsonNode> elements = split == null ? List.of(root) : split.select(root);
        List<Event> events = new ArrayList<>();
        List<SourceIntake.Rejection> rejected = new ArrayList<>();
        if (elements.isEmpty()) {
            rejected.add(new SourceIntake.Rejection(null, "no_events",
                    "the split expression " + split + " selects nothing in the payload"));
            return new Result(events, rejected);
        }
        String bodyHash = null;
        for (int i = 0; i < elements.size(); i++) {
            JsonNode element = elements.get(i);
            Integer index = split == null ? null : i;
            try {
                String eventId = id == null ? null : id.text(element);
                if (eventId == null) {
                    if (messageId != null && !messageId.isEmpty()) {
                        eventId = messageId + "-" + i;
                    } else {
                        bodyHash = bodyHash == null ? sha256Prefix(body) : bodyHash;
                        eventId = bodyHash + "-" + i;
                    }
                }
                String eventType = require(type, element, "type", i);
                if (CloudEventJson.isReservedType(eventType)) {
                    throw new MappingException("reserved_type", "event " + i + ": type '" + eventType
                            + "' is reserved: types starting with 'operon.' are made only by Operon");
                }
                Event.Builder event = Event.builder()
                        .id(eventId)
                        .source(source == null ? defaultSource : require(source, element, "source", i))
                        .type(eventType)
                        .subject(subject == null ? null : subject.text(element))
                        .severity(severityOf(element, i))
                        .time(timeOf(element, i));
                labels.forEach((label, value) -> {
                    String text = value.text(element);
                    if (text != null && !text.isEmpty()) {
                        event.label(label, text);
                    }
                });
                JsonNode dataNode = data == null ? element : data.first(element);
                event.data(dataNode == null ? null : MAPPER.convertValue(dataNode, Object.class));
                events.add(event.build());
            } catch (MappingException e) {
                rejected.add(new SourceIntake.Rejection(index, e.error, e.getMessage()));
            } catch (IllegalArgumentException e) {
                rejected.add(new SourceIntake.Rejection(index, "invalid_value", "event " + i + ": " + e.getMessage()));
            }
        }
        return new Result(events, rejected);
    }

    private static String require(FieldValue value, JsonNode element, String field, int i) throws MappingException {
        String text = value.text(element);
        if (text == null || text.isEmpty()) {
            throw new MappingException("missing_attribute", "event " + i + ": " + field + " (" + value
                    + ") selects nothing or an empty value");
        }
        return text;
    }

    private Severity severityOf(JsonNode element, int i) throws MappingException {
        String text = severity == null ? null : severity.text(element);
        if (text != null) {
            Severity mapped = severityMap.get(text.toLowerCase(Locale.ROOT));
            if (mapped != null) {
                return mapped;
            }
            for (Severity s : Severity.values()) {
                if (s.wireName().equalsIgnoreCase(text.trim())) {
                    return s;
                }
            }
        }
        if (severityDefault != null) {
            return severityDefault;
        }
        if (text == null) {
            return Severity.INFO;
        }
        throw new MappingException("invalid_value", "event " + i + ": severity '" + text + "' (" + severity
                + ") is not in the severity map and not one of critical, warning, info, and no default is configured");
    }

    private Instant timeOf(JsonNode element, int i) throws MappingException {
        JsonNode node = time == null ? null : time.node(element);
        if (node == null) {
            return null;
        }
        try {
            if (node.isNumber()) {
                return epochSeconds(node.decimalValue());
            }
            String text = node.asText().trim();
            if (!text.isEmpty() && text.chars().allMatch(Character::isDigit)) {
                return epochSeconds(new BigDecimal(text));
            }
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeException | ArithmeticException e) {
            throw new MappingException("invalid_value", "event " + i + ": time '" + node.asText() + "' (" + time
                    + ") is neither an RFC 3339 timestamp such as 2026-01-31T12:00:00Z nor epoch seconds");
        }
    }

    private static Instant epochSeconds(BigDecimal seconds) {
        return Instant.ofEpochMilli(seconds.movePointRight(3).setScale(0, RoundingMode.DOWN).longValueExact());
    }

    private static String sha256Prefix(byte[] body) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }

    private static final class MappingException extends Exception {
        private final String error;

        MappingException(String error, String detail) {
            super(detail);
            this.error = error;
        }
    }
}
