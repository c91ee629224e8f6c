package org.operon.state;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Turns the stored records ({@link AuditEntry}, {@link DeadLetter}, {@link Checkpoint}) into the JSON
 * strings the caches hold, and back. Unknown properties are ignored when reading, so a record written
 * by a newer Operon with more fields still reads.
 */
final class JsonCodec {
    private final ObjectMapper mapper = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    String write(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /** @throws IllegalStateException naming the type if the stored JSON is not a valid record */
    <T> T read(String json, Class<T> type) {
        try {
            return mapper.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored " + type.getSimpleName() + " is not valid JSON: "
                    + e.getOriginalMessage(), e);
        }
    }
}
