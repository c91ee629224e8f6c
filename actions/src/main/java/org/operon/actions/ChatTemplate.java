package org.operon.actions;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A logic-less message template for the {@code chat} target: literal text with {@code {{name}}}
 * placeholders, nothing else (no sections, conditions, partials or expressions). Names:
 * {@code id}, {@code type}, {@code subject}, {@code rule}, {@code time}, {@code params.<name>} and
 * {@code incident.<field>} ({@code id}, {@code correlationKey}, {@code status}, {@code kind},
 * {@code firingCount}, {@code resolvedCount}, {@code alertnames}, {@code priority}, {@code team},
 * {@code escalationLevel}, {@code reopenCount}). Every value is escaped for Slack mrkdwn ({@code &},
 * {@code <}, {@code >}), so a decision cannot inject links or mentions; a missing value renders empty.
 * A template is parsed when configured: an unknown name or an unclosed {@code {{} is an error then.
 */
final class ChatTemplate {
    /** For {@code incident-*} decisions: key, status, firing count and alert names. */
    static final String INCIDENT_DEFAULT = "*{{type}}* incident {{incident.correlationKey}} ({{incident.id}}) is "
            + "{{incident.status}}: {{incident.firingCount}} firing [{{incident.alertnames}}]";
    /** For every other decision: type, subject and rule. */
    static final String DECISION_DEFAULT = "*{{type}}* for {{subject}} (rule {{rule}})";

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([^{}]*?)\\s*}}");
    private static final Set<String> DECISION_FIELDS = Set.of("id", "type", "subject", "rule", "time");
    private static final Set<String> INCIDENT_FIELDS = Set.of("id", "correlationKey", "status", "kind",
            "firingCount", "resolvedCount", "alertnames", "priority", "team", "escalationLevel", "reopenCount");
    private static final Pattern PARAM_NAME = Pattern.compile("[A-Za-z0-9_.-]+");

    private final List<String> parts;

    private ChatTemplate(List<String> parts) {
        this.parts = parts;
    }

    /**
     * Parses {@code template}; {@code key} names the setting in error messages.
     *
     * @throws IllegalArgumentException naming {@code key} and the bad placeholder
     */
    static ChatTemplate parse(String template, String key) {
        List<String> parts = new ArrayList<>();
        Matcher m = PLACEHOLDER.matcher(template);
        int at = 0;
        while (m.find()) {
            String literal = template.substring(at, m.start());
            checkLiteral(literal, key);
            parts.add(literal);
            String name = m.group(1);
            if (!isKnown(name)) {
                throw new IllegalArgumentException(key + " has unknown placeholder {{" + name + "}}; known: "
                        + "{{id}}, {{type}}, {{subject}}, {{rule}}, {{time}}, {{params.<name>}}, {{incident.<field>}} "
                        + "with field one of " + INCIDENT_FIELDS);
            }
            parts.add(name);
            at = m.end();
        }
        String tail = template.substring(at);
        checkLiteral(tail, key);
        parts.add(tail);
        return new ChatTemplate(List.copyOf(parts));
    }

    /** The text for this action, every value escaped for mrkdwn; the template's own text is kept as written. */
    String render(DecisionView view) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < parts.size(); i++) {
            out.append(i % 2 == 0 ? parts.get(i) : escape(value(parts.get(i), view)));
        }
        return out.toString();
    }

    /** Slack's mrkdwn control characters as entities: {@code &}, {@code <}, {@code >}. */
    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String value(String name, DecisionView view) {
        if (name.startsWith("params.")) {
            return view.param(name.substring("params.".length()));
        }
        if (name.startsWith("incident.")) {
            return view.incident(name.substring("incident.".length()));
        }
        var d = view.decision();
        return switch (name) {
            case "id" -> nullToEmpty(d.getId());
            case "type" -> nullToEmpty(d.getType());
            case "subject" -> nullToEmpty(d.getSubject());
            case "rule" -> nullToEmpty(d.getRule());
            case "time" -> java.time.Instant.ofEpochMilli(d.getTime()).toString();
            default -> "";
        };
    }

    private static boolean isKnown(String name) {
        if (DECISION_FIELDS.contains(name)) {
            return true;
        }
        if (name.startsWith("params.")) {
            return PARAM_NAME.matcher(name.substring("params.".length())).matches();
        }
        return name.startsWith("incident.") && INCIDENT_FIELDS.contains(name.substring("incident.".length()));
    }

    private static void checkLiteral(String literal, String key) {
        if (literal.contains("{{") || literal.contains("}}")) {
            throw new IllegalArgumentException(key + " has an unclosed or nested {{ }} placeholder");
        }
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
