package org.operon.integration.incident;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.operon.integration.http.ApiException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;

/**
 * Reads the optional body of an incident command, {@code {"by": "…", "comment": "…"}}. An empty body, and
 * a missing or null {@code by}, mean {@value IncidentRoutes#DEFAULT_BY}; a missing comment is null.
 * Anything else is refused with a 400 naming the problem: malformed JSON ({@code malformed_json}), not an
 * object or a field of the wrong type ({@code wrong_type}), an unknown field ({@code unknown_field}, so
 * that a misspelt field is not silently dropped), a blank {@code by}, one with control characters (it is
 * logged), or a value over its length ({@code invalid_value}). Bodies over {@value #MAX_BODY_BYTES} bytes
 * are refused with 413 {@code body_too_large}.
 */
final class CommandBody {
    static final int MAX_BODY_BYTES = 16 * 1024;

    private final ObjectMapper mapper;

    CommandBody(ObjectMapper mapper) {
        this.mapper = mapper.copy().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    /** Who gave the command and why; {@code comment} may be null. */
    record Parsed(String by, String comment) {
    }

    Parsed parse(byte[] body) throws ApiException {
        if (body != null && body.length > MAX_BODY_BYTES) {
            throw new ApiException(413, "body_too_large", "the body is " + body.length + " bytes; the limit is "
                    + MAX_BODY_BYTES + " bytes");
        }
        if (body == null || new String(body, StandardCharsets.UTF_8).isBlank()) {
            return new Parsed(IncidentRoutes.DEFAULT_BY, null);
        }
        JsonNode json;
        try {
            json = mapper.readTree(body);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw new ApiException(400, "malformed_json", "the body is not valid JSON" + where + ": "
                    + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ApiException(400, "malformed_json", "the body cannot be read as JSON: " + e.getMessage());
        }
        if (!json.isObject()) {
            throw new ApiException(400, "wrong_type", "the body must be a JSON object {\"by\": string, "
                    + "\"comment\": string}, not " + json.getNodeType().name().toLowerCase());
        }
        for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals("by") && !name.equals("comment")) {
                throw new ApiException(400, "unknown_field", "unknown field '" + abbreviated(name)
                        + "'; the body may hold 'by' and 'comment' only");
            }
        }
        String by = text(json, "by", IncidentRoutes.MAX_BY_LENGTH);
        if (by != null && (by.isBlank() || by.chars().anyMatch(Character::isISOControl))) {
            throw new ApiException(400, "invalid_value", "'by' must name who gives the command: "
                    + "not blank, without control characters");
        }
        String comment = text(json, "comment", IncidentRoutes.MAX_COMMENT_LENGTH);
        return new Parsed(by == null ? IncidentRoutes.DEFAULT_BY : by, comment);
    }

    /** The string field, or null when missing or null. */
    private static String text(JsonNode json, String name, int maxLength) throws ApiException {
        JsonNode value = json.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new ApiException(400, "wrong_type", "'" + name + "' must be a string, not "
                    + value.getNodeType().name().toLowerCase());
        }
        String text = value.textValue();
        if (text.length() > maxLength) {
            throw new ApiException(400, "invalid_value", "'" + name + "' is " + text.length()
                    + " characters long; at most " + maxLength + " are allowed");
        }
        return text;
    }

    private static String abbreviated(String name) {
        String printable = name.codePoints().filter(c -> !Character.isISOControl(c))
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return printable.length() > 64 ? printable.substring(0, 64) + "…" : printable;
    }
}
