package org.operon.app.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Reading the small YAML files of the configuration as trees (never as objects of arbitrary classes),
 * and checking their fields. The field checks throw {@link IllegalArgumentException} with the problem;
 * callers add the file and the entry.
 */
final class YamlFile {
    private static final YAMLMapper YAML = new YAMLMapper();

    private YamlFile() {
    }

    /**
     * The file's document; {@link MissingNode} for an empty file.
     *
     * @throws ConfigFileException when it cannot be read or is not YAML (with the line)
     */
    static JsonNode read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new ConfigFileException(file, 0, "cannot be read: " + e);
        }
        try {
            JsonNode root = YAML.readTree(text);
            return root == null ? MissingNode.getInstance() : root;
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new ConfigFileException(file, at == null ? 0 : at.getLineNr(), "not valid YAML: "
                    + e.getOriginalMessage().lines().findFirst().orElse(""));
        }
    }

    /**
     * The list under {@code key} of a document that is a mapping with (at most) the keys {@code allowed};
     * an empty document or a missing or null list is an empty list.
     *
     * @throws ConfigFileException when the document is not such a mapping
     */
    static List<JsonNode> topLevelList(Path file, JsonNode root, String key, Set<String> allowed) {
        if (root.isMissingNode() || root.isNull()) {
            return List.of();
        }
        String expected = "must be a YAML mapping with a list \"" + key + "\"";
        if (!root.isObject()) {
            throw new ConfigFileException(file, 0, expected);
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!field.equals(key) && !allowed.contains(field)) {
                throw new ConfigFileException(file, 0, "unknown top-level key \"" + field + "\" (" + expected + ")");
            }
        }
        JsonNode list = root.get(key);
        if (list == null || list.isNull()) {
            return List.of();
        }
        if (!list.isArray()) {
            throw new ConfigFileException(file, 0, expected);
        }
        List<JsonNode> out = new ArrayList<>();
        list.forEach(out::add);
        return out;
    }

    /** Refuses an entry that is not a mapping or has a key outside {@code fields}. */
    static void checkFields(JsonNode entry, List<String> fields) {
        if (!entry.isObject()) {
            throw new IllegalArgumentException("must be a mapping of " + String.join(", ", fields));
        }
        for (Iterator<String> it = entry.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!fields.contains(field)) {
                throw new IllegalArgumentException("unknown key \"" + field + "\" (expected "
                        + String.join(", ", fields) + ")");
            }
        }
    }

    /** The scalar under {@code field} as text, stripped; null when absent or null and not required. */
    static String text(JsonNode entry, String field, boolean required) {
        JsonNode value = entry.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                throw new IllegalArgumentException("\"" + field + "\" is missing");
            }
            return null;
        }
        if (!value.isValueNode() || value.asText().isBlank()) {
            throw new IllegalArgumentException("\"" + field + "\" must be a non-empty text");
        }
        return value.asText().strip();
    }

    /** The list of non-empty scalars under {@code field}, stripped; empty when absent or null. */
    static List<String> texts(JsonNode entry, String field) {
        JsonNode value = entry.get(field);
        if (value == null || value.isNull()) {
            return List.of();
        }
        if (!value.isArray()) {
            throw new IllegalArgumentException("\"" + field + "\" must be a list");
        }
        List<String> out = new ArrayList<>();
        int i = 0;
        for (JsonNode item : value) {
            i++;
            if (!item.isValueNode() || item.isNull() || item.asText().isBlank()) {
                throw new IllegalArgumentException("\"" + field + "\" item " + i + " must be a non-empty text");
            }
            out.add(item.asText().strip());
        }
        return out;
    }
}
