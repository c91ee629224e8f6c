package org.operon.actions.template;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A logic-less template (a subset of Mustache), parsed and checked once, rendered many times against a
 * JSON tree. What it understands:
 *
 * <ul>
 *   <li>{@code {{name}}}: the value, escaped for the template's {@link Format}; a dotted name
 *       ({@code {{params.service}}}) walks into objects; objects and lists render as JSON; a missing
 *       value renders empty;</li>
 *   <li>{@code {{{name}}}} or {@code {{&name}}}: the raw value, only in formats where that is safe
 *       ({@link Format#allowsRaw()});</li>
 *   <li>{@code {{#name}}…{{/name}}}: rendered once per item of a list, once with an object or another
 *       true value as the current item, not at all for a false value (missing, null, {@code false}, an
 *       empty list, an empty string); {@code {{^name}}…{{/name}}} is rendered only for a false value;
 *       inside, a name is looked up in the current item first, then outwards; {@code {{.}}} is the item;</li>
 *   <li>{@code {{! comment}}}: nothing. A section, inverted, closing or comment tag alone on its line
 *       takes the whole line with it, so templates can be laid out on lines.</li>
 * </ul>
 * Nothing else: no partials, no delimiter changes, no lambdas, no expressions. Values are looked up in
 * the tree and never evaluated, so a value that contains {@code {{…}}} renders literally.
 *
 * <p>{@link #parse} refuses, with a message that starts with the configuration key: an unclosed tag or
 * section, a closing tag that does not match, a name that is not {@code [A-Za-z0-9_-]} segments joined
 * by dots, a name outside the {@link Vocabulary} (inside a section, a name with an unknown root is taken
 * to be a field of the current item), and raw output where the format forbids it.
 */
public final class Template {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*");

    private sealed interface Node permits Text, Var, Section {
    }

    private record Text(String text) implements Node {
    }

    private record Var(String name, List<String> path, boolean raw) implements Node {
    }

    private record Section(String name, List<String> path, boolean inverted, List<Node> children) implements Node {
    }

    private final String source;
    private final Format format;
    private final List<Node> nodes;

    private Template(String source, Format format, List<Node> nodes) {
        this.source = source;
        this.format = format;
        this.nodes = nodes;
    }

    /**
     * Parses and checks {@code text}.
     *
     * @param key   the configuration key (or file) the template comes from; every message starts with it
     * @param names the names the template may use
     * @throws IllegalArgumentException naming {@code key}, the problem and its line and column
     */
    public static Template parse(String text, String key, Format format, Vocabulary names) {
        return new Parser(text, key, format, names).parse();
    }

    /** The template text as configured. */
    public String source() {
        return source;
    }

    public Format format() {
        return format;
    }

    /** Renders against {@code model} (usually an object node); never throws for missing values. */
    public String render(JsonNode model) {
        StringBuilder out = new StringBuilder(source.length() + 64);
        Deque<JsonNode> stack = new ArrayDeque<>();
        stack.push(model);
        render(nodes, stack, out);
        return out.toString();
    }

    private void render(List<Node> list, Deque<JsonNode> stack, StringBuilder out) {
        for (Node node : list) {
            if (node instanceof Text t) {
                out.append(t.text());
            } else if (node instanceof Var v) {
                JsonNode value = lookup(v.path(), stack);
                out.append(v.raw() ? format.raw(value) : format.escape(text(value)));
            } else if (node instanceof Section s) {
                JsonNode value = lookup(s.path(), stack);
                boolean truthy = isTruthy(value);
                if (s.inverted()) {
                    if (!truthy) {
                        render(s.children(), stack, out);
                    }
                } else if (truthy) {
                    if (value.isArray()) {
                        for (JsonNode item : value) {
                            stack.push(item);
                            render(s.children(), stack, out);
                            stack.pop();
                        }
                    } else {
                        stack.push(value);
                        render(s.children(), stack, out);
                        stack.pop();
                    }
                }
            }
        }
    }

    /** The value of a name: its first segment from the innermost item that has it, the rest strictly below. */
    private static JsonNode lookup(List<String> path, Deque<JsonNode> stack) {
        if (path.isEmpty()) {
            return stack.peek();
        }
        JsonNode value = null;
        for (JsonNode scope : stack) {
            if (scope != null && scope.isObject() && scope.has(path.get(0))) {
                value = scope.get(path.get(0));
                break;
            }
        }
        for (int i = 1; i < path.size() && value != null; i++) {
            value = value.isObject() ? value.get(path.get(i)) : null;
        }
        return value;
    }

    private static boolean isTruthy(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return false;
        }
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        if (value.isArray()) {
            return !value.isEmpty();
        }
        return !value.isTextual() || !value.textValue().isEmpty();
    }

    /** A value as text: empty when missing or null, JSON for objects and lists. */
    static String text(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return "";
        }
        return value.isValueNode() ? value.asText() : value.toString();
    }

    @Override
    public String toString() {
        return "Template[" + format + ", " + source.length() + " chars]";
    }

    private static final class Parser {
        private final String text;
        private final String key;
        private final Format format;
        private final Vocabulary names;
        private final Deque<Section> open = new ArrayDeque<>();
        private final Deque<Integer> openedAt = new ArrayDeque<>();

        Parser(String text, String key, Format format, Vocabulary names) {
            this.text = text == null ? "" : text;
            this.key = key;
            this.format = format;
            this.names = names;
        }

        Template parse() {
            List<Node> root = new ArrayList<>();
            int pos = 0;
            while (pos < text.length()) {
                int at = text.indexOf("{{", pos);
                if (at < 0) {
                    add(root, new Text(text.substring(pos)));
                    break;
                }
                boolean triple = text.startsWith("{{{", at);
                String close = triple ? "}}}" : "}}";
                int end = text.indexOf(close, at + close.length());
                if (end < 0) {
                    throw error(at, "has an unclosed tag " + (triple ? "{{{" : "{{"));
                }
                String content = text.substring(at + close.length(), end);
                if (content.contains("{{")) {
                    throw error(at, "has an unclosed tag {{ (a tag starts inside another)");
                }
                int tagEnd = end + close.length();
                String body = content.strip();
                char sigil = triple || body.isEmpty() ? ' ' : body.charAt(0);
                boolean standalone = false;
                int lineStart = text.lastIndexOf('\n', at - 1) + 1;
                if ("#^/!".indexOf(sigil) >= 0 && sigil != ' ' && lineStart >= pos
                        && text.substring(lineStart, at).isBlank()) {
                    int nl = text.indexOf('\n', tagEnd);
                    String rest = text.substring(tagEnd, nl < 0 ? text.length() : nl);
                    if (rest.isBlank()) {
                        standalone = true;
                        add(root, new Text(text.substring(pos, lineStart)));
                        tagEnd = nl < 0 ? text.length() : nl + 1;
                    }
                }
                if (!standalone) {
                    add(root, new Text(text.substring(pos, at)));
                }
                tag(root, triple, sigil, body, at);
                pos = tagEnd;
            }
            if (!open.isEmpty()) {
                throw error(openedAt.peek(), "has an unclosed section {{#" + open.peek().name() + "}} (no {{/"
                        + open.peek().name() + "}})");
            }
            return new Template(text, format, List.copyOf(root));
        }

        private void tag(List<Node> root, boolean triple, char sigil, String body, int at) {
            if (triple) {
                add(root, new Var(body, name(body, at, true), true));
                return;
            }
            String name = body.length() > 0 && "#^/!&>={".indexOf(sigil) >= 0 ? body.substring(1).strip() : body;
            switch (sigil) {
                case '!' -> {
                }
                case '#', '^' -> {
                    Section s = new Section(name, name(name, at, false), sigil == '^', new ArrayList<>());
                    add(root, s);
                    open.push(s);
                    openedAt.push(at);
                }
                case '/' -> {
                    if (open.isEmpty()) {
                        throw error(at, "closes {{/" + name + "}} which was never opened");
                    }
                    if (!open.peek().name().equals(name)) {
                        throw error(at, "closes {{/" + name + "}} but {{#" + open.peek().name() + "}} is open");
                    }
                    open.pop();
                    openedAt.pop();
                }
                case '&' -> add(root, new Var(name, name(name, at, true), true));
                case '>' -> throw error(at, "uses a partial {{>" + name + "}}; partials are not supported");
                case '=' -> throw error(at, "changes delimiters; that is not supported");
                case '{' -> throw error(at, "has a malformed {{{ tag");
                default -> add(root, new Var(name, name(name, at, false), false));
            }
        }

        /** Checks a name and splits it at dots; {@code .} is the current item (an empty path). */
        private List<String> name(String name, int at, boolean raw) {
            if (raw && !format.allowsRaw()) {
                throw error(at, "uses raw output {{{" + name + "}}}, which is not allowed in " + format
                        + " templates (values are always escaped there)");
            }
            if (name.equals(".")) {
                if (open.isEmpty()) {
                    throw error(at, "uses {{.}} outside a section");
                }
                return List.of();
            }
            if (!NAME.matcher(name).matches()) {
                throw error(at, "has an invalid name {{" + name + "}} (letters, digits, _ and - joined by dots)");
            }
            List<String> path = List.of(name.split("\\."));
            if (!names.hasRoot(path.get(0))) {
                if (open.isEmpty()) {
                    throw error(at, "has unknown name {{" + name + "}}; known: " + names.describe());
                }
                return path;
            }
            Optional<String> problem = names.check(path);
            if (problem.isPresent()) {
                throw error(at, "has unknown name {{" + name + "}}: " + problem.get());
            }
            return path;
        }

        private void add(List<Node> root, Node node) {
            if (node instanceof Text t && t.text().isEmpty()) {
                return;
            }
            (open.isEmpty() ? root : open.peek().children()).add(node);
        }

        private IllegalArgumentException error(int at, String problem) {
            int line = 1;
            int lineStart = 0;
            for (int i = 0; i < at && i < text.length(); i++) {
                if (text.charAt(i) == '\n') {
                    line++;
                    lineStart = i + 1;
                }
            }
            return new IllegalArgumentException(key + " " + problem + " (line " + line + ", column "
                    + (at - lineStart + 1) + ")");
        }
    }
}
