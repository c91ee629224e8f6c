package org.operon.integration.webhook;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A path into a JSON document, written as a JSON Pointer or in a small subset of JSONPath; selects
 * zero or more nodes. Nothing else is evaluated: an expression is only ever a path.
 *
 * <p>Accepted syntax, exactly:
 * <ul>
 *   <li>JSON Pointer (RFC 6901), starting with {@code /}: {@code /alerts/0/labels/alertname}, with
 *       {@code ~1} for {@code /} and {@code ~0} for {@code ~} in a name; selects at most one node.</li>
 *   <li>JSONPath, starting with {@code $} (the document, or the element being mapped), followed by any
 *       number of these steps:
 *       <ul>
 *         <li>{@code .name}: the member {@code name} of an object; a name is one or more characters
 *             other than {@code . [ ] ' "}, space and {@code *};</li>
 *         <li>{@code ['name']} or {@code ["name"]}: the member of that name, which may contain any
 *             character ({@code \'}, {@code \"} and {@code \\} escape);</li>
 *         <li>{@code [n]}: element {@code n} of an array, from 0; a negative {@code n} counts from the
 *             end ({@code [-1]} is the last);</li>
 *         <li>{@code [*]} or {@code .*}: every element of an array, or every member value of an object.</li>
 *       </ul>
 *       For example {@code $}, {@code $.alerts[*]}, {@code $.a.b}, {@code $['x-y'][0]}.</li>
 * </ul>
 * Anything else (filters {@code [?(...)]}, recursive descent {@code ..}, slices, unions, functions) is
 * refused by {@link #parse} with the position and the reason.
 *
 * <p>Missing members, indexes out of range and JSON {@code null} select nothing; a step that does not
 * fit the node (a name on an array) selects nothing as well.
 */
public final class JsonExpression {
    private sealed interface Step permits Member, Index, Wildcard {
    }

    private record Member(String name) implements Step {
    }

    private record Index(int index) implements Step {
    }

    private record Wildcard() implements Step {
    }

    private final String text;
    private final JsonPointer pointer;
    private final List<Step> steps;

    private JsonExpression(String text, JsonPointer pointer, List<Step> steps) {
        this.text = text;
        this.pointer = pointer;
        this.steps = steps;
    }

    /** True when {@code text} is written as an expression (starts with {@code $} or {@code /}). */
    public static boolean looksLikeExpression(String text) {
        return text != null && (text.startsWith("$") || text.startsWith("/"));
    }

    /**
     * Compiles an expression.
     *
     * @throws IllegalArgumentException saying where and why {@code text} is not an accepted expression
     */
    public static JsonExpression parse(String text) {
        Objects.requireNonNull(text, "text");
        if (text.startsWith("/")) {
            try {
                return new JsonExpression(text, JsonPointer.compile(text), null);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + text + "' is not a JSON Pointer: " + e.getMessage());
            }
        }
        if (!text.startsWith("$")) {
            throw new IllegalArgumentException("'" + text + "' is not an expression: a JSON Pointer starts with '/', "
                    + "a JSONPath with '$'");
        }
        return new JsonExpression(text, null, List.copyOf(new PathParser(text).steps()));
    }

    /** The nodes selected in {@code root}, in document order; empty when nothing matches. Never null nodes. */
    public List<JsonNode> select(JsonNode root) {
        List<JsonNode> current = new ArrayList<>();
        if (pointer != null) {
            current.add(root.at(pointer));
        } else {
            current.add(root);
            for (Step step : steps) {
                List<JsonNode> next = new ArrayList<>();
                for (JsonNode node : current) {
                    if (node != null) {
                        apply(step, node, next);
                    }
                }
                current = next;
            }
        }
        current.removeIf(n -> n == null || n.isMissingNode() || n.isNull());
        return current;
    }

    /** The first selected node, or null when nothing matches. */
    public JsonNode first(JsonNode root) {
        List<JsonNode> nodes = select(root);
        return nodes.isEmpty() ? null : nodes.get(0);
    }

    private static void apply(Step step, JsonNode node, List<JsonNode> out) {
        if (step instanceof Member m) {
            if (node.isObject()) {
                out.add(node.get(m.name()));
            }
        } else if (step instanceof Index i) {
            if (node.isArray()) {
                int at = i.index() < 0 ? node.size() + i.index() : i.index();
                if (at >= 0 && at < node.size()) {
                    out.add(node.get(at));
                }
            }
        } else if (node.isArray() || node.isObject()) {
            node.forEach(out::add);
        }
    }

    @Override
    public String toString() {
        return text;
    }

    /** Reads the steps of a JSONPath expression after its {@code $}. */
    private static final class PathParser {
        private final String text;
        private int at = 1;

        PathParser(String text) {
            this.text = text;
        }

        List<Step> steps() {
            List<Step> steps = new ArrayList<>();
            while (at < text.length()) {
                char c = text.charAt(at);
                if (c == '.') {
                    at++;
                    if (at < text.length() && text.charAt(at) == '.') {
                        throw error("recursive descent '..' is not supported");
                    }
                    if (at < text.length() && text.charAt(at) == '*') {
                        at++;
                        steps.add(new Wildcard());
                    } else {
                        steps.add(new Member(name()));
                    }
                } else if (c == '[') {
                    at++;
                    steps.add(bracket());
                } else {
                    throw error("expected '.' or '['");
                }
            }
            return steps;
        }

        private String name() {
            int start = at;
            while (at < text.length() && ".[]'\" *".indexOf(text.charAt(at)) < 0) {
                at++;
            }
            if (at == start) {
                throw error("expected a member name after '.'");
            }
            return text.substring(start, at);
        }

        private Step bracket() {
            if (at >= text.length()) {
                throw error("unclosed '['");
            }
            char c = text.charAt(at);
            Step step;
            if (c == '*') {
                at++;
                step = new Wildcard();
            } else if (c == '\'' || c == '"') {
                step = new Member(quoted(c));
            } else if (c == '-' || Character.isDigit(c)) {
                int start = at++;
                while (at < text.length() && Character.isDigit(text.charAt(at))) {
                    at++;
                }
                try {
                    step = new Index(Integer.parseInt(text.substring(start, at)));
                } catch (NumberFormatException e) {
                    throw error("expected an array index");
                }
            } else if (c == '?') {
                throw error("filters '[?(...)]' are not supported");
            } else {
                throw error("expected '*', a quoted name or an array index after '['");
            }
            if (at >= text.length() || text.charAt(at) != ']') {
                char found = at < text.length() ? text.charAt(at) : 0;
                throw error(found == ':' ? "slices are not supported" : found == ',' ? "unions are not supported"
                        : "expected ']'");
            }
            at++;
            return step;
        }

        private String quoted(char quote) {
            StringBuilder name = new StringBuilder();
            at++;
            while (at < text.length()) {
                char c = text.charAt(at++);
                if (c == quote) {
                    return name.toString();
                }
                if (c == '\\' && at < text.length()) {
                    c = text.charAt(at++);
                }
                name.append(c);
            }
            throw error("unclosed quoted name");
        }

        private IllegalArgumentException error(String reason) {
            return new IllegalArgumentException("'" + text + "' is not a supported JSONPath expression at character "
                    + (at + 1) + ": " + reason + " (supported: $, .name, ['name'], [n], [*], .*)");
        }
    }
}
