package org.operon.integration.webhook;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Objects;

/**
 * Where one event field of a webhook mapping comes from: a {@link JsonExpression} evaluated against the
 * element being mapped, or a constant. A configured string starting with {@code $} or {@code /} is an
 * expression, any other string a constant.
 */
public final class FieldValue {
    private final JsonExpression expression;
    private final String constant;

    private FieldValue(JsonExpression expression, String constant) {
        this.expression = expression;
        this.constant = constant;
    }

    /**
     * An expression when {@code text} starts with {@code $} or {@code /}, else the constant {@code text}.
     *
     * @throws IllegalArgumentException when it looks like an expression but is not an accepted one
     */
    public static FieldValue of(String text) {
        Objects.requireNonNull(text, "text");
        return JsonExpression.looksLikeExpression(text)
                ? new FieldValue(JsonExpression.parse(text), null) : new FieldValue(null, text);
    }

    /** The first node the expression selects, or null; a constant is returned as a text node. */
    public JsonNode node(JsonNode element) {
        return expression == null ? com.fasterxml.jackson.databind.node.TextNode.valueOf(constant)
                : expression.first(element);
    }

    /**
     * The value as text: a string as it is, a number or boolean as written in JSON, an object or array as
     * compact JSON; null when the expression selects nothing.
     */
    public String text(JsonNode element) {
        JsonNode node = node(element);
        if (node == null) {
            return null;
        }
        return node.isValueNode() ? node.asText() : node.toString();
    }

    @Override
    public String toString() {
        return expression == null ? "constant '" + constant + "'" : "expression " + expression;
    }
}
