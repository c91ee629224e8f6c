package org.operon.actions.exec;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import org.operon.model.Decision;

/**
 * One argument of an allow-listed command: literal text with {@code {{name}}} placeholders and nothing
 * else (the logic-less subset of Mustache that the chat target uses). Names: {@code id}, {@code type},
 * {@code subject}, {@code rule}, {@code time} of the decision, {@code params.<name>} (objects and lists
 * as JSON) and {@code labels.<name>} (the {@code labels} param, else the {@code commonLabels} of an
 * incident snapshot).
 *
 * <p>An argument renders to exactly one argument: values are inserted as they are, never split on
 * spaces, never unquoted, never given to a shell, never evaluated (a value holding {@code {{subject}}}
 * stays literal). A value the decision lacks fails the action ({@link MissingValueException}) rather
 * than rendering empty, so {@code /srv/{{params.dir}}} can never become {@code /srv/}. A template is
 * parsed at start: an unknown name or an unclosed {@code {{} is an error then.
 *
 * <p>Kept small on purpose and private to exec and ansible; it can be replaced by a shared template
 * engine without changing its contract.
 */
public final class ArgTemplate {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([^{}]*?)\\s*}}");
    private static final Set<String> DECISION_FIELDS = Set.of("id", "type", "subject", "rule", "time");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]+");
    static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private final String source;
    /** Literal, name, literal, name, …, literal. */
    private final List<String> parts;

    private ArgTemplate(String source, List<String> parts) {
        this.source = source;
        this.parts = parts;
    }

    /** A failure to render because the decision lacks a value; the action fails, it is not retried. */
    public static final class MissingValueException extends IllegalArgumentException {
        MissingValueException(String message) {
            super(message);
        }
    }

    /**
     * Parses one argument.
     *
     * @throws IllegalArgumentException naming the bad placeholder
     */
    public static ArgTemplate parse(String template) {
        List<String> parts = new ArrayList<>();
        Matcher m = PLACEHOLDER.matcher(template);
        int at = 0;
        while (m.find()) {
            parts.add(literal(template.substring(at, m.start())));
            String name = m.group(1);
            if (!isKnown(name)) {
                throw new IllegalArgumentException("unknown placeholder {{" + name + "}}; known: {{id}}, {{type}}, "
                        + "{{subject}}, {{rule}}, {{time}}, {{params.<name>}}, {{labels.<name>}}");
            }
            parts.add(name);
            at = m.end();
        }
        parts.add(literal(template.substring(at)));
        return new ArgTemplate(template, List.copyOf(parts));
    }

    /** True when the argument has no placeholder. */
    public boolean isLiteral() {
        return parts.size() == 1;
    }

    /**
     * The argument for {@code decision}: one string, values inserted verbatim.
     *
     * @throws MissingValueException when a placeholder's value is absent or null
     */
    public String render(Decision decision) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < parts.size(); i++) {
            out.append(i % 2 == 0 ? parts.get(i) : value(parts.get(i), decision));
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return source;
    }

    private static String value(String name, Decision d) {
        if (name.startsWith("params.")) {
            String param = name.substring("params.".length());
            return text(d.getParams().get(param), name);
        }
        if (name.startsWith("labels.")) {
            String label = name.substring("labels.".length());
            Object value = null;
            if (d.getParams().get("labels") instanceof Map<?, ?> labels) {
                value = labels.get(label);
            }
            if (value == null && d.getParams().get("incident") instanceof Map<?, ?> incident
                    && incident.get("commonLabels") instanceof Map<?, ?> common) {
                value = common.get(label);
            }
            return text(value, name);
        }
        return switch (name) {
            case "id" -> d.getId();
            case "type" -> d.getType();
            case "subject" -> d.getSubject();
            case "rule" -> d.getRule();
            case "time" -> Instant.ofEpochMilli(d.getTime()).toString();
            default -> throw new IllegalStateException("checked at parse: " + name);
        };
    }

    private static String text(Object value, String name) {
        if (value == null) {
            throw new MissingValueException("the decision has no value for {{" + name + "}}");
        }
        if (value instanceof String s) {
            return s;
        }
        if (value instanceof Number || value instanceof Boolean) {
            return value.toString();
        }
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new MissingValueException("{{" + name + "}} cannot be rendered as JSON");
        }
    }

    private static boolean isKnown(String name) {
        if (DECISION_FIELDS.contains(name)) {
            return true;
        }
        for (String prefix : List.of("params.", "labels.")) {
            if (name.startsWith(prefix)) {
                return NAME.matcher(name.substring(prefix.length())).matches();
            }
        }
        return false;
    }

    private static String literal(String text) {
        if (text.contains("{{") || text.contains("}}")) {
            throw new IllegalArgumentException("unclosed or nested {{ }} placeholder");
        }
        return text;
    }
}
