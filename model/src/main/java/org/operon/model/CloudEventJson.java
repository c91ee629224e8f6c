package org.operon.model;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.NumberOutput;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Maps CloudEvents 1.0 (JSON event format, and binary-mode attributes) to {@link Event} and back.
 *
 * <p>Validation is strict where the specification is: {@code specversion} must be {@code 1.0};
 * {@code id}, {@code source} and {@code type} are required non-empty strings; {@code time} is
 * RFC 3339; extension names are lower-case letters and digits. Operon adds: {@code severity} (the
 * extension attribute, else {@code data.severity}) is one of critical, warning, info and defaults to
 * info; {@code data.labels}, when present, is an object whose values are strings, numbers or
 * booleans; the subject defaults to the source. Every rejection is an {@link InvalidEventException}
 * naming the attribute.
 *
 * <p>Event types starting with {@value #RESERVED_TYPE_PREFIX} are reserved for the events Operon makes
 * itself (e.g. {@link AlertReport#EVENT_TYPE}). An instance made by {@link #rejectingReservedTypes()}
 * refuses them with {@code reserved_type}; the event intake uses such an instance, so that no client can
 * pose as Operon's own sources. The plain instance accepts them, because the event journal reads every
 * event it wrote back through it.
 */
public final class CloudEventJson {
    public static final String SPEC_VERSION = "1.0";
    /** Event types with this prefix are Operon's own; see the class comment. */
    public static final String RESERVED_TYPE_PREFIX = "operon.";

    private static final Set<String> CONTEXT_ATTRIBUTES =
            Set.of("specversion", "id", "source", "type", "subject", "time", "data", "data_base64");

    private final ObjectMapper mapper;
    private final boolean rejectReservedTypes;
    /** The one instance of repeated attribute texts (source, type, subject, severity, extensions), see {@link SharedStrings}. */
    private final SharedStrings sharedStrings;

    public CloudEventJson(ObjectMapper mapper) {
        this(mapper, false);
    }

    private CloudEventJson(ObjectMapper mapper, boolean rejectReservedTypes) {
        this(mapper, rejectReservedTypes, SharedStrings.PROCESS);
    }

    private CloudEventJson(ObjectMapper mapper, boolean rejectReservedTypes, SharedStrings sharedStrings) {
        this.mapper = mapper;
        this.rejectReservedTypes = rejectReservedTypes;
        this.sharedStrings = sharedStrings;
    }

    public CloudEventJson() {
        this(new ObjectMapper());
    }

    public ObjectMapper mapper() {
        return mapper;
    }

    /**
     * The same mapping for input from outside: parsing an event whose type is reserved (starts with
     * {@value #RESERVED_TYPE_PREFIX}) throws {@code reserved_type}.
     */
    public CloudEventJson rejectingReservedTypes() {
        return new CloudEventJson(mapper, true, sharedStrings);
    }

    /** True for the types only Operon itself may give events: those starting with {@value #RESERVED_TYPE_PREFIX}. */
    public static boolean isReservedType(String type) {
        return type != null && type.startsWith(RESERVED_TYPE_PREFIX);
    }

    /** Parses one structured-mode CloudEvent from its JSON object. */
    public Event fromJson(JsonNode node) throws InvalidEventException {
        if (node == null || !node.isObject()) {
            throw new InvalidEventException("wrong_type", "a CloudEvent must be a JSON object, not "
                    + (node == null ? "nothing" : node.getNodeType().name().toLowerCase()));
        }
        String specversion = requiredString(node, "specversion");
        if (!SPEC_VERSION.equals(specversion)) {
            throw new InvalidEventException("invalid_value",
                    "specversion must be \"1.0\", not \"" + specversion + "\"");
        }
        String id = requiredString(node, "id");
        String source = requiredString(node, "source");
        String type = requiredString(node, "type");
        if (rejectReservedTypes && isReservedType(type)) {
            throw new InvalidEventException("reserved_type", "type '" + type + "' is reserved: types starting with '"
                    + RESERVED_TYPE_PREFIX + "' are made by Operon itself; send alerts to /api/v2/alerts or "
                    + "/api/v1/alertmanager, or choose another type");
        }
        Event.Builder b = Event.builder()
                .id(id)
                .source(source)
                .type(type)
                .subject(optionalString(node, "subject"))
                .time(parseTime(optionalString(node, "time")));

        Object data = null;
        if (node.has("data") && node.has("data_base64")) {
            throw new InvalidEventException("invalid_value", "a CloudEvent has either data or data_base64, not both");
        }
        if (node.has("data")) {
            data = toPlain(node.get("data"));
        } else if (node.has("data_base64")) {
            JsonNode b64 = node.get("data_base64");
            if (!b64.isTextual()) {
                throw new InvalidEventException("wrong_type", "data_base64 must be a string");
            }
            b.extension("data_base64", b64.asText());
        }
        b.data(data);

        String severityText = null;
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            String name = f.getKey();
            if (CONTEXT_ATTRIBUTES.contains(name)) {
                continue;
            }
            if (!isExtensionName(name)) {
                throw new InvalidEventException("invalid_value", "attribute name '" + name
                        + "' is not valid: CloudEvents attribute names are 1-20 lower-case letters or digits");
            }
            JsonNode v = f.getValue();
            if (!(v.isTextual() || v.isNumber() || v.isBoolean())) {
                throw new InvalidEventException("wrong_type", "attribute " + name
                        + " must be a string, number or boolean, not " + v.getNodeType().name().toLowerCase());
            }
            if (name.equals("severity")) {
                severityText = v.asText();
            } else {
                b.extension(name, toPlain(v));
            }
        }
        applyDataFields(b, node.get("data"), severityText);
        return b.build();
    }

    /**
     * Parses one structured-mode CloudEvent straight from a streaming parser, without a JSON tree for
     * the envelope (only {@code data} and non-string attribute values become trees). Accepts and
     * rejects exactly what {@link #fromJson(JsonNode)} does, with the same errors, and gives an equal
     * {@link Event}. The parser is at the event's first token (or before it); on return it is at the
     * event's last token.
     *
     * @throws IOException if the JSON itself is malformed
     */
    public Event fromJson(JsonParser p) throws IOException, InvalidEventException {
        JsonToken t = p.currentToken() == null ? p.nextToken() : p.currentToken();
        if (t != JsonToken.START_OBJECT) {
            return fromJson(t == null ? null : valueNode(p, t));
        }
        Object specversion = null, id = null, source = null, type = null, subject = null, time = null;
        boolean hasData = false;
        Object data = null; // bound to plain values, or a JsonNode when the mapper's features ask for the tree path
        JsonNode dataBase64 = null;
        boolean plain = bindsPlainData();
        Map<String, Object> extensions = null;
        // A string severity is kept apart from the other extensions (the common case needs no map); a later
        // severity of another kind replaces it, as a repeated name's last value does in the map.
        String severityString = null;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            t = p.nextToken();
            boolean text = t == JsonToken.VALUE_STRING;
            switch (name) {
                case "specversion" -> specversion = text ? shared(p) : valueNode(p, t);
                case "id" -> id = text ? p.getText() : valueNode(p, t);
                case "source" -> source = text ? shared(p) : valueNode(p, t);
                case "type" -> type = text ? shared(p) : valueNode(p, t);
                case "subject" -> subject = text ? shared(p) : valueNode(p, t);
                case "time" -> time = text ? p.getText() : valueNode(p, t);
                case "data" -> {
                    hasData = true;
                    data = plain ? bindPlain(p, t) : valueNode(p, t);
                }
                case "data_base64" -> dataBase64 = valueNode(p, t);
                default -> {
                    if (text && name.equals("severity")) {
                        severityString = shared(p);
                        if (extensions != null) {
                            extensions.remove(name);
                        }
                        continue;
                    }
                    if (name.equals("severity")) {
                        severityString = null;
                    }
                    if (extensions == null) {
                        extensions = new LinkedHashMap<>();
                    }
                    extensions.put(name, text ? shared(p) : valueNode(p, t));
                }
            }
        }
        if (t != JsonToken.END_OBJECT) {
            throw new IOException("unexpected " + t + " in a CloudEvent object");
        }
        String sv = requiredValue(specversion, "specversion");
        if (!SPEC_VERSION.equals(sv)) {
            throw new InvalidEventException("invalid_value", "specversion must be \"1.0\", not \"" + sv + "\"");
        }
        String idText = requiredValue(id, "id");
        String sourceText = requiredValue(source, "source");
        String typeText = requiredValue(type, "type");
        if (rejectReservedTypes && isReservedType(typeText)) {
            throw new InvalidEventException("reserved_type", "type '" + typeText + "' is reserved: types starting with '"
                    + RESERVED_TYPE_PREFIX + "' are made by Operon itself; send alerts to /api/v2/alerts or "
                    + "/api/v1/alertmanager, or choose another type");
        }
        Event.Builder b = Event.builder()
                .id(idText)
                .source(sourceText)
                .type(typeText)
                .subject(optionalValue(subject, "subject"))
                .time(parseTime(optionalValue(time, "time")));
        if (hasData && dataBase64 != null) {
            throw new InvalidEventException("invalid_value", "a CloudEvent has either data or data_base64, not both");
        }
        Object plainData = null;
        if (hasData) {
            plainData = data instanceof JsonNode tree ? toPlain(tree) : data;
        } else if (dataBase64 != null) {
            if (!dataBase64.isTextual()) {
                throw new InvalidEventException("wrong_type", "data_base64 must be a string");
            }
            b.extension("data_base64", dataBase64.asText());
        }
        b.data(plainData);
        String severityText = severityString;
        if (extensions != null) {
            for (Map.Entry<String, Object> f : extensions.entrySet()) {
                String name = f.getKey();
                if (!isExtensionName(name)) {
                    throw new InvalidEventException("invalid_value", "attribute name '" + name
                            + "' is not valid: CloudEvents attribute names are 1-20 lower-case letters or digits");
                }
                Object value = f.getValue();
                if (value instanceof String text) {
                    if (name.equals("severity")) {
                        severityText = text;
                    } else {
                        b.extension(name, text);
                    }
                    continue;
                }
                JsonNode v = (JsonNode) value;
                if (!(v.isTextual() || v.isNumber() || v.isBoolean())) {
                    throw new InvalidEventException("wrong_type", "attribute " + name
                            + " must be a string, number or boolean, not " + v.getNodeType().name().toLowerCase());
                }
                if (name.equals("severity")) {
                    severityText = v.asText();
                } else {
                    b.extension(name, toPlain(v));
                }
            }
        }
        if (data instanceof JsonNode tree) {
            applyDataFields(b, tree, severityText);
        } else {
            applyPlainDataFields(b, plainData, severityText);
        }
        return b.build();
    }

    /** The parser's current string value, as the cached instance when the same text came before. */
    private String shared(JsonParser p) throws IOException {
        return sharedStrings.of(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
    }

    /** Deserialization features under which {@code convertValue(tree, Object.class)} gives other values than {@link #bindPlain}. */
    private static final int TREE_ONLY_FEATURES = DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS.getMask()
            | DeserializationFeature.USE_BIG_INTEGER_FOR_INTS.getMask()
            | DeserializationFeature.USE_LONG_FOR_INTS.getMask()
            | DeserializationFeature.USE_JAVA_ARRAY_FOR_JSON_ARRAY.getMask()
            | DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY.getMask();

    /** True when {@link #bindPlain} gives exactly what the tree and {@code convertValue} give with this mapper. */
    private boolean bindsPlainData() {
        return !mapper.getDeserializationConfig().hasSomeOfFeatures(TREE_ONLY_FEATURES);
    }

    /**
     * The JSON value at the parser's current token {@code t} as the plain Java values
     * {@code convertValue(readTree(p), Object.class)} gives with a default mapper, without the tree:
     * objects as {@link LinkedHashMap} (a repeated name keeps its first place and its last value),
     * arrays as {@link ArrayList}, strings, integers as Integer, Long or BigInteger by size, other
     * numbers as Double, booleans, and null. On return the parser is at the value's last token.
     */
    static Object bindPlain(JsonParser p, JsonToken t) throws IOException {
        if (t == null) {
            throw new IOException("unexpected end of input in a CloudEvent's data");
        }
        switch (t) {
            case START_OBJECT: {
                Map<String, Object> map = new LinkedHashMap<>();
                JsonToken n;
                while ((n = p.nextToken()) == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    map.put(name, bindPlain(p, p.nextToken()));
                }
                if (n != JsonToken.END_OBJECT) {
                    throw new IOException("unexpected " + n + " in a JSON object");
                }
                return map;
            }
            case START_ARRAY: {
                List<Object> list = new ArrayList<>();
                JsonToken n;
                while ((n = p.nextToken()) != JsonToken.END_ARRAY) {
                    list.add(bindPlain(p, n));
                }
                return list;
            }
            case VALUE_STRING:
                return p.getText();
            case VALUE_NUMBER_INT:
                return p.getNumberValue();
            case VALUE_NUMBER_FLOAT:
                return p.getDoubleValue();
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return null;
            default:
                throw new IOException("unexpected " + t + " in a CloudEvent's data");
        }
    }

    /** The value at the parser's current token {@code t} as a tree (JSON null as {@link NullNode}). */
    private JsonNode valueNode(JsonParser p, JsonToken t) throws IOException {
        if (t == JsonToken.VALUE_NULL) {
            return NullNode.instance;
        }
        JsonNode n = mapper.readTree(p);
        return n == null ? NullNode.instance : n;
    }

    /** The char-by-char equivalent of {@code [a-z0-9]{1,20}}. */
    static boolean isExtensionName(String name) {
        int n = name.length();
        if (n < 1 || n > 20) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = name.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
                return false;
            }
        }
        return true;
    }

    private static String requiredValue(Object v, String name) throws InvalidEventException {
        if (v instanceof String s) {
            if (s.isEmpty()) {
                throw new InvalidEventException("invalid_value", "attribute '" + name + "' must not be empty");
            }
            return s;
        }
        JsonNode n = (JsonNode) v;
        if (n == null || n.isNull()) {
            throw new InvalidEventException("missing_attribute", "required attribute '" + name + "' is missing");
        }
        throw new InvalidEventException("wrong_type", "attribute '" + name + "' must be a string, not "
                + n.getNodeType().name().toLowerCase());
    }

    private static String optionalValue(Object v, String name) throws InvalidEventException {
        if (v instanceof String s) {
            return s;
        }
        JsonNode n = (JsonNode) v;
        if (n == null || n.isNull()) {
            return null;
        }
        throw new InvalidEventException("wrong_type", "attribute '" + name + "' must be a string, not "
                + n.getNodeType().name().toLowerCase());
    }

    /**
     * Parses one binary-mode CloudEvent: attributes from the {@code ce-*} headers (names without the
     * prefix, lower case), data from the body.
     *
     * @param body the body as text, or null/empty when there is none
     * @param contentType the body's media type; JSON bodies become a JSON tree, others stay text
     */
    public Event fromBinary(Map<String, String> attributes, String contentType, String body)
            throws InvalidEventException {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        attributes.forEach(node::put);
        if (body != null && !body.isEmpty()) {
            if (contentType == null || contentType.toLowerCase().contains("json")) {
                node.set("data", parseTree(body));
            } else {
                node.put("data", body);
            }
            if (contentType != null) {
                node.put("datacontenttype", contentType);
            }
        }
        return fromJson(node);
    }

    /** Parses JSON text, turning a syntax error into {@code malformed_json} with line and column. */
    public JsonNode parseTree(String text) throws InvalidEventException {
        if (text == null || text.isBlank()) {
            throw new InvalidEventException("empty_body", "the request body is empty; expected JSON");
        }
        try {
            return mapper.readTree(text);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            String reason = e.getOriginalMessage();
            int noise = reason.indexOf(" (start marker at");
            if (noise > 0) {
                reason = reason.substring(0, noise); // the rest names Jackson's internals, not the input
            }
            throw new InvalidEventException("malformed_json", "the body is not valid JSON" + where + ": " + reason);
        }
    }

    /**
     * {@link #toJson}'s JSON as UTF-8 bytes, written straight from the event (no tree): the same bytes as
     * {@code mapper().writeValueAsBytes(toJson(e))}, for the journal's hot path.
     */
    public byte[] toJsonBytes(Event e) {
        return toJsonBytes(List.of(e))[0];
    }

    /**
     * {@link #toJsonBytes(Event)} of each event, written by one generator: an append of many events (an HTTP
     * batch, a Kafka poll) makes one generator instead of one per event.
     */
    public byte[][] toJsonBytes(List<Event> events) {
        byte[][] encoded = new byte[events.size()][];
        com.fasterxml.jackson.core.util.ByteArrayBuilder out = new com.fasterxml.jackson.core.util.ByteArrayBuilder(256);
        Event e = null;
        try (com.fasterxml.jackson.core.JsonGenerator g = mapper.getFactory().createGenerator(out)) {
            g.setRootValueSeparator(null); // the events are written one after another, each taken out alone
            boolean quotedAsIs = writesPlainAsciiAsIs();
            for (int i = 0; i < encoded.length; i++) {
                e = events.get(i);
                if (quotedAsIs) {
                    writeQuoted(e, g);
                } else {
                    write(e, g);
                }
                g.flush();
                encoded[i] = out.toByteArray();
                out.reset();
            }
        } catch (IOException ex) {
            throw new IllegalArgumentException("cannot write event " + (e == null ? "" : e.getId()) + " as JSON: "
                    + ex.getMessage(), ex);
        }
        return encoded;
    }

    private static final SerializedString SPECVERSION_FIELD = new SerializedString("specversion");
    private static final SerializedString ID_FIELD = new SerializedString("id");
    private static final SerializedString SOURCE_FIELD = new SerializedString("source");
    private static final SerializedString TYPE_FIELD = new SerializedString("type");
    private static final SerializedString SUBJECT_FIELD = new SerializedString("subject");
    private static final SerializedString TIME_FIELD = new SerializedString("time");
    private static final SerializedString SEVERITY_FIELD = new SerializedString("severity");
    private static final SerializedString SPEC_VERSION_TEXT = new SerializedString(SPEC_VERSION);
    private static final SerializedString[] SEVERITY_TEXTS = java.util.Arrays.stream(Severity.values())
            .map(s -> new SerializedString(s.wireName())).toArray(SerializedString[]::new);

    /**
     * {@link #write} with the attribute names, the severity and the texts the {@link SharedStrings} cache handed
     * out written from bytes quoted once: the same JSON, byte for byte, without checking each character again.
     */
    private void writeQuoted(Event e, com.fasterxml.jackson.core.JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeFieldName(SPECVERSION_FIELD);
        g.writeString(SPEC_VERSION_TEXT);
        g.writeFieldName(ID_FIELD);
        g.writeString(e.getId());
        g.writeFieldName(SOURCE_FIELD);
        writeText(e.getSource(), g);
        g.writeFieldName(TYPE_FIELD);
        writeText(e.getType(), g);
        g.writeFieldName(SUBJECT_FIELD);
        writeText(e.getSubject(), g);
        if (e.getTime() != null) {
            g.writeFieldName(TIME_FIELD);
            g.writeString(e.getTime().toString());
        }
        g.writeFieldName(SEVERITY_FIELD);
        g.writeString(SEVERITY_TEXTS[e.getSeverity().ordinal()]);
        writeRest(e, g);
    }

    /** Every printable ASCII character but {@code "} and {@code \}: what {@link SharedStrings#quoted} texts are made of. */
    private static final String PLAIN_ASCII;

    static {
        StringBuilder b = new StringBuilder();
        for (char c = 0x20; c <= 0x7e; c++) {
            if (c != '"' && c != '\\') {
                b.append(c);
            }
        }
        PLAIN_ASCII = b.toString();
    }

    /**
     * Whether this mapper's generators write a pre-quoted name or text ({@link #writeQuoted}) as they write the
     * same string: plain ASCII needs no escape in standard JSON, but a mapper may escape more (forward slashes,
     * its own {@code CharacterEscapes}) or quote otherwise. Asked of a generator of the mapper's factory with
     * every character such texts can hold, each time: the answer costs two small generators per call, and
     * follows any later change of the mapper's settings.
     */
    private boolean writesPlainAsciiAsIs() {
        try {
            com.fasterxml.jackson.core.util.ByteArrayBuilder plain = new com.fasterxml.jackson.core.util.ByteArrayBuilder(256);
            com.fasterxml.jackson.core.util.ByteArrayBuilder quoted = new com.fasterxml.jackson.core.util.ByteArrayBuilder(256);
            try (com.fasterxml.jackson.core.JsonGenerator g = mapper.getFactory().createGenerator(plain)) {
                g.writeStartObject();
                g.writeStringField(PLAIN_ASCII, PLAIN_ASCII);
                g.writeEndObject();
            }
            SerializedString probe = new SerializedString(PLAIN_ASCII);
            try (com.fasterxml.jackson.core.JsonGenerator g = mapper.getFactory().createGenerator(quoted)) {
                g.writeStartObject();
                g.writeFieldName(probe);
                g.writeString(probe);
                g.writeEndObject();
            }
            return java.util.Arrays.equals(plain.toByteArray(), quoted.toByteArray());
        } catch (IOException e) {
            return false;
        }
    }

    private void writeText(String text, com.fasterxml.jackson.core.JsonGenerator g) throws IOException {
        com.fasterxml.jackson.core.SerializableString quoted = sharedStrings.quoted(text);
        if (quoted != null) {
            g.writeString(quoted);
        } else {
            g.writeString(text);
        }
    }

    private void write(Event e, com.fasterxml.jackson.core.JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeStringField("specversion", SPEC_VERSION);
        g.writeStringField("id", e.getId());
        g.writeStringField("source", e.getSource());
        g.writeStringField("type", e.getType());
        g.writeStringField("subject", e.getSubject());
        if (e.getTime() != null) {
            g.writeStringField("time", e.getTime().toString());
        }
        g.writeStringField("severity", e.getSeverity().wireName());
        writeRest(e, g);
    }

    /** The extensions, the data and the end of the object: what {@link #write} and {@link #writeQuoted} share. */
    private void writeRest(Event e, com.fasterxml.jackson.core.JsonGenerator g) throws IOException {
        for (Map.Entry<String, Object> x : e.getExtensions().entrySet()) {
            g.writeFieldName(x.getKey());
            mapper.writeValue(g, x.getValue());
        }
        if (e.getData() != null) {
            g.writeFieldName("data");
            mapper.writeValue(g, e.getData());
        } else if (!e.getLabels().isEmpty()) {
            g.writeObjectFieldStart("data");
            g.writeFieldName("labels");
            mapper.writeValue(g, e.getLabels());
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    /** The structured-mode JSON of an event, as a CloudEvent with Operon's severity extension. */
    public ObjectNode toJson(Event e) {
        ObjectNode n = mapper.createObjectNode();
        n.put("specversion", SPEC_VERSION);
        n.put("id", e.getId());
        n.put("source", e.getSource());
        n.put("type", e.getType());
        n.put("subject", e.getSubject());
        if (e.getTime() != null) {
            n.put("time", e.getTime().toString());
        }
        n.put("severity", e.getSeverity().wireName());
        e.getExtensions().forEach((k, v) -> n.set(k, mapper.valueToTree(v)));
        if (e.getData() != null) {
            n.set("data", mapper.valueToTree(e.getData()));
        } else if (!e.getLabels().isEmpty()) {
            ObjectNode data = n.putObject("data");
            data.set("labels", mapper.valueToTree(e.getLabels()));
        }
        return n;
    }

    private void applyDataFields(Event.Builder b, JsonNode data, String severityText) throws InvalidEventException {
        if (data != null && data.isObject()) {
            JsonNode labels = data.get("labels");
            if (labels != null && !labels.isNull()) {
                if (!labels.isObject()) {
                    throw new InvalidEventException("wrong_type", "data.labels must be an object of strings, not "
                            + labels.getNodeType().name().toLowerCase());
                }
                Map<String, String> map = new LinkedHashMap<>();
                for (Iterator<Map.Entry<String, JsonNode>> it = labels.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> l = it.next();
                    JsonNode v = l.getValue();
                    if (!(v.isTextual() || v.isNumber() || v.isBoolean())) {
                        throw new InvalidEventException("wrong_type", "data.labels." + l.getKey()
                                + " must be a string, not " + v.getNodeType().name().toLowerCase());
                    }
                    map.put(l.getKey(), v.asText());
                }
                b.labels(map);
            }
            if (severityText == null && data.has("severity")) {
                JsonNode s = data.get("severity");
                if (!s.isTextual()) {
                    throw new InvalidEventException("wrong_type", "data.severity must be a string");
                }
                severityText = s.asText();
            }
        }
        if (severityText != null) {
            try {
                b.severity(Severity.fromWireName(severityText));
            } catch (IllegalArgumentException ex) {
                throw new InvalidEventException("invalid_value", ex.getMessage());
            }
        }
    }

    /** {@link #applyDataFields} for data bound by {@link #bindPlain}: the same checks, the same errors. */
    private static void applyPlainDataFields(Event.Builder b, Object data, String severityText) throws InvalidEventException {
        if (data instanceof Map<?, ?> map) {
            Object labels = map.get("labels");
            if (labels != null) {
                if (!(labels instanceof Map<?, ?> labelMap)) {
                    throw new InvalidEventException("wrong_type", "data.labels must be an object of strings, not "
                            + plainTypeName(labels));
                }
                Map<String, String> out = new LinkedHashMap<>();
                for (Map.Entry<?, ?> l : labelMap.entrySet()) {
                    Object v = l.getValue();
                    if (!(v instanceof String || v instanceof Number || v instanceof Boolean)) {
                        throw new InvalidEventException("wrong_type", "data.labels." + l.getKey()
                                + " must be a string, not " + plainTypeName(v));
                    }
                    out.put((String) l.getKey(), v instanceof Double d ? NumberOutput.toString(d) : v.toString());
                }
                b.labels(out);
            }
            if (severityText == null && map.containsKey("severity")) {
                if (!(map.get("severity") instanceof String s)) {
                    throw new InvalidEventException("wrong_type", "data.severity must be a string");
                }
                severityText = s;
            }
        }
        if (severityText != null) {
            try {
                b.severity(Severity.fromWireName(severityText));
            } catch (IllegalArgumentException ex) {
                throw new InvalidEventException("invalid_value", ex.getMessage());
            }
        }
    }

    /** The name {@code JsonNode.getNodeType()} gives a plain value's tree, in lower case. */
    private static String plainTypeName(Object v) {
        if (v == null) {
            return "null";
        } else if (v instanceof Map) {
            return "object";
        } else if (v instanceof List) {
            return "array";
        } else if (v instanceof String) {
            return "string";
        } else if (v instanceof Number) {
            return "number";
        } else if (v instanceof Boolean) {
            return "boolean";
        }
        return "pojo";
    }

    private static String requiredString(JsonNode node, String name) throws InvalidEventException {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            throw new InvalidEventException("missing_attribute", "required attribute '" + name + "' is missing");
        }
        if (!v.isTextual()) {
            throw new InvalidEventException("wrong_type", "attribute '" + name + "' must be a string, not "
                    + v.getNodeType().name().toLowerCase());
        }
        if (v.asText().isEmpty()) {
            throw new InvalidEventException("invalid_value", "attribute '" + name + "' must not be empty");
        }
        return v.asText();
    }

    private static String optionalString(JsonNode node, String name) throws InvalidEventException {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new InvalidEventException("wrong_type", "attribute '" + name + "' must be a string, not "
                    + v.getNodeType().name().toLowerCase());
        }
        return v.asText();
    }

    private static Instant parseTime(String text) throws InvalidEventException {
        if (text == null) {
            return null;
        }
        try {
            return OffsetTimestamps.parse(text);
        } catch (DateTimeParseException e) {
            throw new InvalidEventException("invalid_value",
                    "attribute 'time' must be an RFC 3339 timestamp such as 2026-01-31T12:00:00Z, not '" + text + "'");
        }
    }

    private Object toPlain(JsonNode node) {
        return node == null || node.isNull() ? null : mapper.convertValue(node, Object.class);
    }
}
