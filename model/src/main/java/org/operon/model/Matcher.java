package org.operon.model;

import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One condition of a silence on one label, with Alertmanager's semantics.
 *
 * <ul>
 *   <li>A label the label set does not have counts as the empty string: {@code env=""} matches a label
 *       set without {@code env}, and {@code env!=""} requires {@code env} to be present and non-empty.</li>
 *   <li>With {@code isRegex} the value is a regular expression that must match the <em>whole</em> label
 *       value, as Alertmanager anchors it ({@code ^(?:value)$}): {@code web.*} matches {@code web-1}, and
 *       {@code web} does not match {@code web-1}.</li>
 *   <li>{@code isEqual = false} negates the test: {@code !=} and {@code !~}.</li>
 * </ul>
 *
 * <p>Regular expressions are Java's ({@link Pattern}), not Go's RE2. The common syntax is the same;
 * Go-only forms such as {@code (?P<name>...)} are refused as invalid, and Java-only forms such as
 * back-references are accepted.
 *
 * @param name    the label name; never empty
 * @param value   the label value or regular expression; may be empty
 * @param isRegex whether {@code value} is a regular expression
 * @param isEqual false to negate the test
 * @throws InvalidMatcherException naming {@code name} or {@code value} when the name is empty, the value
 *                                 is null, or the regular expression does not compile
 */
public record Matcher(String name, String value, boolean isRegex, boolean isEqual) {

    public Matcher {
        if (name == null || name.isEmpty()) {
            throw new InvalidMatcherException("name", "a matcher needs a non-empty label name");
        }
        if (value == null) {
            throw new InvalidMatcherException("value", "a matcher needs a value (it may be empty)");
        }
        if (isRegex) {
            anchored(value);
        }
    }

    /** {@code name="value"}. */
    public static Matcher equal(String name, String value) {
        return new Matcher(name, value, false, true);
    }

    /** {@code name!="value"}. */
    public static Matcher notEqual(String name, String value) {
        return new Matcher(name, value, false, false);
    }

    /** {@code name=~"regex"}. */
    public static Matcher regex(String name, String regex) {
        return new Matcher(name, regex, true, true);
    }

    /** {@code name!~"regex"}. */
    public static Matcher notRegex(String name, String regex) {
        return new Matcher(name, regex, true, false);
    }

    /**
     * Parses one matcher as amtool and the API's {@code filter} parameter write it: a label name, an
     * operator ({@code =}, {@code !=}, {@code =~}, {@code !~}) and a value, quoted or not, optionally in
     * braces: {@code alertname="x"}, {@code alertname=x}, {@code {env=~"prod|stage"}}. Inside double quotes
     * {@code \"}, {@code \\}, {@code \n} and {@code \t} are escapes; any other backslash is kept, so that
     * {@code "a\.b"} is the regular expression {@code a\.b}. The label name may be quoted too.
     *
     * @throws InvalidMatcherException with field {@code matcher} when the text is not a matcher
     */
    public static Matcher parse(String text) {
        return new MatcherParser(text).parse();
    }

    /**
     * A test of label sets that compiles the regular expression once; use it when testing many label
     * sets. Absent labels count as the empty string.
     */
    public Predicate<Map<String, String>> compile() {
        Predicate<String> test = isRegex ? anchored(value).asMatchPredicate() : value::equals;
        String label = name;
        boolean wanted = isEqual;
        return labels -> {
            String v = labels.get(label);
            return test.test(v == null ? "" : v) == wanted;
        };
    }

    /** Whether the label set satisfies this matcher. Compiles the regular expression on every call. */
    public boolean matches(Map<String, String> labels) {
        return compile().test(labels);
    }

    /**
     * Whether this matcher, by Alertmanager's rule for refusing silences, "matches the empty string":
     * only {@code =} and {@code =~} matchers can; {@code !=} and {@code !~} never count as matching it,
     * even when they would accept an empty value (Alertmanager's {@code matchesEmpty}).
     */
    public boolean matchesEmpty() {
        if (!isEqual) {
            return false;
        }
        return isRegex ? anchored(value).matcher("").matches() : value.isEmpty();
    }

    /** The operator as amtool writes it: {@code =}, {@code !=}, {@code =~} or {@code !~}. */
    public String operator() {
        return (isEqual ? "=" : "!") + (isRegex ? "~" : (isEqual ? "" : "="));
    }

    /** amtool's notation, e.g. {@code alertname="disk full"} or {@code env!~"dev|test"}. */
    @Override
    public String toString() {
        return name + operator() + quote(value);
    }

    private static String quote(String text) {
        return '"' + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + '"';
    }

    /** The whole-value pattern; {@link java.util.regex.Matcher#matches()} anchors at both ends. */
    private static Pattern anchored(String regex) {
        try {
            return Pattern.compile("(?:" + regex + ")");
        } catch (PatternSyntaxException e) {
            throw new InvalidMatcherException("value", "invalid regular expression " + quote(regex) + ": "
                    + e.getDescription());
        }
    }

    /** A hand-written reader of the matcher syntax described at {@link #parse(String)}. */
    private static final class MatcherParser {
        private final String text;
        private int at;

        MatcherParser(String text) {
            this.text = Objects.requireNonNullElse(text, "").strip();
        }

        Matcher parse() {
            String body = text;
            if (body.startsWith("{") && body.endsWith("}") && body.length() >= 2) {
                body = body.substring(1, body.length() - 1).strip();
            }
            return new MatcherParser(body).parseBare(text);
        }

        private Matcher parseBare(String original) {
            String name;
            if (peek() == '"') {
                name = quoted(original);
            } else {
                int start = at;
                while (at < text.length() && "=!~".indexOf(text.charAt(at)) < 0
                        && !Character.isWhitespace(text.charAt(at))) {
                    at++;
                }
                name = text.substring(start, at);
            }
            if (name.isEmpty()) {
                throw bad(original, "it has no label name");
            }
            skipSpaces();
            String op;
            if (text.startsWith("=~", at) || text.startsWith("!~", at) || text.startsWith("!=", at)) {
                op = text.substring(at, at + 2);
                at += 2;
            } else if (text.startsWith("=", at)) {
                op = "=";
                at += 1;
            } else {
                throw bad(original, "it has no operator (=, !=, =~ or !~) after the label name");
            }
            skipSpaces();
            String value;
            if (peek() == '"') {
                value = quoted(original);
                skipSpaces();
                if (at < text.length()) {
                    throw bad(original, "unexpected text after the quoted value");
                }
            } else {
                value = text.substring(at).strip();
            }
            boolean regex = op.endsWith("~");
            boolean equal = !op.startsWith("!");
            try {
                return new Matcher(name, value, regex, equal);
            } catch (InvalidMatcherException e) {
                throw new InvalidMatcherException("matcher", "'" + original + "': " + e.problem());
            }
        }

        private char peek() {
            return at < text.length() ? text.charAt(at) : 0;
        }

        private void skipSpaces() {
            while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
                at++;
            }
        }

        /** Reads a double-quoted string starting at the opening quote. */
        private String quoted(String original) {
            StringBuilder out = new StringBuilder();
            at++;
            while (at < text.length()) {
                char c = text.charAt(at++);
                if (c == '"') {
                    return out.toString();
                }
                if (c == '\\' && at < text.length()) {
                    char next = text.charAt(at++);
                    switch (next) {
                        case '"' -> out.append('"');
                        case '\\' -> out.append('\\');
                        case 'n' -> out.append('\n');
                        case 't' -> out.append('\t');
                        default -> out.append('\\').append(next);
                    }
                } else {
                    out.append(c);
                }
            }
            throw bad(original, "a quoted string is not closed");
        }

        private static InvalidMatcherException bad(String original, String why) {
            return new InvalidMatcherException("matcher", "'" + original + "' is not a matcher: " + why);
        }
    }
}
