package org.operon.actions.template;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What a template renders into, and so how a value is escaped. {@code {{name}}} always goes through
 * {@link #escape}; {@code {{{name}}}} (or {@code {{&name}}}) inserts {@link #raw} and is allowed only
 * where raw output cannot break out of the target format ({@link #allowsRaw}).
 */
public enum Format {
    /** Plain text (an email's text part, a subject): values as they are; raw is the same. */
    TEXT(true) {
        @Override
        public String escape(String text) {
            return text;
        }
    },
    /** HTML: {@code & < > " '} as entities. Raw is refused: it would let an event inject markup. */
    HTML(false) {
        @Override
        public String escape(String text) {
            StringBuilder out = new StringBuilder(text.length() + 16);
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                switch (c) {
                    case '&' -> out.append("&amp;");
                    case '<' -> out.append("&lt;");
                    case '>' -> out.append("&gt;");
                    case '"' -> out.append("&quot;");
                    case '\'' -> out.append("&#39;");
                    default -> out.append(c);
                }
            }
            return out.toString();
        }
    },
    /**
     * JSON: a value is escaped as the content of a JSON string (the template supplies the quotes:
     * {@code "summary": "{{subject}}"}); raw inserts the value as a JSON literal (a quoted string, a
     * number, an object, {@code null} when missing), so {@code "details": {{{params}}}} stays valid JSON.
     */
    JSON(true) {
        @Override
        public String escape(String text) {
            StringBuilder out = new StringBuilder(text.length() + 16);
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                switch (c) {
                    case '"' -> out.append("\\\"");
                    case '\\' -> out.append("\\\\");
                    case '\n' -> out.append("\\n");
                    case '\r' -> out.append("\\r");
                    case '\t' -> out.append("\\t");
                    default -> {
                        if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                            out.append(String.format("\\u%04x", (int) c));
                        } else {
                            out.append(c);
                        }
                    }
                }
            }
            return out.toString();
        }

        @Override
        String raw(JsonNode value) {
            return value == null || value.isMissingNode() ? "null" : value.toString();
        }
    },
    /** Slack mrkdwn: {@code & < >} as entities, so a value cannot add links or mentions. Raw is refused. */
    SLACK_MRKDWN(false) {
        @Override
        public String escape(String text) {
            return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
        }
    },
    /** An HTTP or mail header value: control characters (CR, LF, …) become spaces. Raw is refused. */
    HEADER(false) {
        @Override
        public String escape(String text) {
            StringBuilder out = new StringBuilder(text.length());
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                out.append(Character.isISOControl(c) ? ' ' : c);
            }
            return out.toString();
        }
    };

    private final boolean allowsRaw;

    Format(boolean allowsRaw) {
        this.allowsRaw = allowsRaw;
    }

    /** {@code text} made safe to stand in this format. */
    public abstract String escape(String text);

    /** Whether {@code {{{name}}}} may be used in templates of this format. */
    public boolean allowsRaw() {
        return allowsRaw;
    }

    /** The unescaped rendering of {@code value}; only called when {@link #allowsRaw()}. */
    String raw(JsonNode value) {
        return Template.text(value);
    }
}
