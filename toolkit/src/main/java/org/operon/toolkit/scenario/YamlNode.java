package org.operon.toolkit.scenario;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A YAML value with the line and column where it starts, so that every error in a scenario file can
 * point at its place: a mapping (keys in file order), a list, or a scalar (text, number, boolean,
 * null). Only plain data is read; no YAML tag ever creates an object.
 */
final class YamlNode {
    private static final YAMLFactory YAML = new YAMLFactory();

    private final Object value;
    private final Path file;
    private final int line;
    private final int column;

    private YamlNode(Object value, Path file, JsonLocation at) {
        this.value = value;
        this.file = file;
        this.line = at == null ? 0 : at.getLineNr();
        this.column = at == null ? 0 : at.getColumnNr();
    }

    /**
     * The document of {@code text}; an empty document is an empty mapping.
     *
     * @throws ScenarioException for text that is not YAML, naming line and column
     */
    static YamlNode parse(Path file, String text) throws ScenarioException {
        try (JsonParser p = YAML.createParser(text)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                return new YamlNode(Map.of(), file, null);
            }
            YamlNode root = read(p, file);
            if (p.nextToken() != null) {
                throw new ScenarioException(file, p.currentTokenLocation().getLineNr(),
                        p.currentTokenLocation().getColumnNr(), "a scenario file holds one YAML document, not more");
            }
            return root;
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new ScenarioException(file, at == null ? 0 : at.getLineNr(), at == null ? 0 : at.getColumnNr(),
                    "not valid YAML: " + e.getOriginalMessage().lines().findFirst().orElse("").strip());
        } catch (IOException e) {
            throw new ScenarioException(file, 0, 0, "cannot be read: " + e.getMessage());
        }
    }

    private static YamlNode read(JsonParser p, Path file) throws IOException, ScenarioException {
        JsonLocation at = p.currentTokenLocation();
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT -> {
                Map<String, YamlNode> map = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    JsonLocation keyAt = p.currentTokenLocation();
                    p.nextToken();
                    if (map.put(key, read(p, file)) != null) {
                        throw new ScenarioException(file, keyAt.getLineNr(), keyAt.getColumnNr(),
                                "duplicate key \"" + key + "\"");
                    }
                }
                return new YamlNode(Collections.unmodifiableMap(map), file, at);
            }
            case START_ARRAY -> {
                List<YamlNode> list = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    list.add(read(p, file));
                }
                return new YamlNode(Collections.unmodifiableList(list), file, at);
            }
            case VALUE_STRING -> {
                return new YamlNode(p.getText(), file, at);
            }
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                return new YamlNode(p.getNumberValue(), file, at);
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return new YamlNode(t == JsonToken.VALUE_TRUE, file, at);
            }
            case VALUE_NULL -> {
                return new YamlNode(null, file, at);
            }
            default -> throw new ScenarioException(file, at.getLineNr(), at.getColumnNr(),
                    "unexpected YAML content (" + t + ")");
        }
    }

    /** An error located at this node. */
    ScenarioException error(String message) {
        return new ScenarioException(file, line, column, message);
    }

    boolean isMap() {
        return value instanceof Map;
    }

    boolean isList() {
        return value instanceof List;
    }

    boolean isNull() {
        return value == null;
    }

    boolean isScalar() {
        return !isMap() && !isList();
    }

    /** The entries of a mapping; refuses anything else and keys outside {@code allowed}. */
    @SuppressWarnings("unchecked")
    Map<String, YamlNode> map(String what, Set<String> allowed) throws ScenarioException {
        if (!isMap()) {
            throw error(what + " must be a mapping of " + String.join(", ", allowed));
        }
        Map<String, YamlNode> map = (Map<String, YamlNode>) value;
        for (Map.Entry<String, YamlNode> e : map.entrySet()) {
            if (!allowed.contains(e.getKey())) {
                throw e.getValue().error("unknown key \"" + e.getKey() + "\" in " + what + " (expected one of "
                        + String.join(", ", allowed.stream().sorted().toList()) + ")");
            }
        }
        return map;
    }

    /** The entries of a mapping, whatever their keys; refuses anything else. */
    @SuppressWarnings("unchecked")
    Map<String, YamlNode> entries(String what) throws ScenarioException {
        if (!isMap()) {
            throw error(what + " must be a mapping");
        }
        return (Map<String, YamlNode>) value;
    }

    /** The items of a list; a single non-list value is refused. */
    @SuppressWarnings("unchecked")
    List<YamlNode> list(String what) throws ScenarioException {
        if (!isList()) {
            throw error(what + " must be a list");
        }
        return (List<YamlNode>) value;
    }

    /** A scalar as text (numbers and booleans as written); refuses mappings, lists and null. */
    String text(String what) throws ScenarioException {
        if (!isScalar() || value == null) {
            throw error(what + " must be a single value, not " + kind());
        }
        String text = value.toString();
        if (text.isBlank()) {
            throw error(what + " must not be empty");
        }
        return text;
    }

    /** The value as plain Java data: maps, lists, strings, numbers, booleans, null. */
    @SuppressWarnings("unchecked")
    Object plain() {
        if (isMap()) {
            Map<String, Object> out = new LinkedHashMap<>();
            ((Map<String, YamlNode>) value).forEach((k, v) -> out.put(k, v.plain()));
            return out;
        }
        if (isList()) {
            List<Object> out = new ArrayList<>();
            ((List<YamlNode>) value).forEach(v -> out.add(v.plain()));
            return out;
        }
        return value;
    }

    /** Where this value starts: {@code file:line:column}. */
    String location() {
        return file + ":" + line + ":" + column;
    }

    private String kind() {
        if (isMap()) {
            return "a mapping";
        }
        if (isList()) {
            return "a list";
        }
        return value == null ? "nothing" : "'" + value + "'";
    }
}
