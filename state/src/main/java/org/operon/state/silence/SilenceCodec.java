package org.operon.state.silence;

import org.operon.model.Matcher;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A silence as the JSON string the {@code silences} cache holds, with the field names of Alertmanager's
 * API ({@code id}, {@code matchers[].name|value|isRegex|isEqual}, {@code startsAt}, {@code endsAt},
 * {@code createdBy}, {@code comment}, {@code updatedAt}) and times as ISO-8601 instants. Written by hand so
 * that the stored form does not depend on how Jackson names record components.
 */
final class SilenceCodec {
    private final ObjectMapper mapper = new ObjectMapper();

    String write(Silence silence) {
        ObjectNode node = mapper.createObjectNode();
        node.put("id", silence.id());
        ArrayNode matchers = node.putArray("matchers");
        for (Matcher m : silence.matchers()) {
            matchers.addObject().put("name", m.name()).put("value", m.value())
                    .put("isRegex", m.isRegex()).put("isEqual", m.isEqual());
        }
        node.put("startsAt", silence.startsAt().toString());
        node.put("endsAt", silence.endsAt().toString());
        node.put("createdBy", silence.createdBy());
        node.put("comment", silence.comment());
        node.put("updatedAt", silence.updatedAt().toString());
        try {
            return mapper.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write silence " + silence.id() + " as JSON", e);
        }
    }

    /** @throws IllegalStateException if the stored text is not a valid silence */
    Silence read(String json) {
        try {
            JsonNode node = mapper.readTree(json);
            List<Matcher> matchers = new ArrayList<>();
            for (JsonNode m : node.path("matchers")) {
                matchers.add(new Matcher(m.path("name").asText(), m.path("value").asText(),
                        m.path("isRegex").asBoolean(), m.path("isEqual").asBoolean(true)));
            }
            return new Silence(node.path("id").asText(), matchers, Instant.parse(node.path("startsAt").asText()),
                    Instant.parse(node.path("endsAt").asText()), node.path("createdBy").asText(),
                    node.path("comment").asText(), Instant.parse(node.path("updatedAt").asText()));
        } catch (JsonProcessingException | RuntimeException e) {
            throw new IllegalStateException("stored silence is not valid: " + e.getMessage(), e);
        }
    }
}
