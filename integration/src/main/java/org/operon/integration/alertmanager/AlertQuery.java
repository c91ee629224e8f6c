package org.operon.integration.alertmanager;

import org.operon.model.InvalidMatcherException;
import org.operon.integration.http.ApiException;
import org.operon.state.silence.InvalidSilenceException;
import org.operon.model.Matcher;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The query parameters of {@code GET /api/v2/alerts}, with Alertmanager's meaning:
 * <ul>
 *   <li>{@code active}, {@code silenced}, {@code inhibited}, {@code unprocessed}: booleans, default true;
 *       false leaves out the alerts in that state ({@code unprocessed} never applies: Operon processes an
 *       alert before it can be listed);</li>
 *   <li>{@code filter}, repeatable: a matcher in amtool's syntax ({@code alertname="HighCpu"},
 *       {@code severity=~"crit.*"}, {@code env!=prod}); an alert is listed when it matches all of them
 *       (a label it lacks counts as the empty string);</li>
 *   <li>{@code receiver}: a regular expression the receiver's name must match whole; Operon's one receiver
 *       is {@value AlertRoutes#RECEIVER}.</li>
 * </ul>
 * Other parameters are ignored. Parameters are read from the raw, URL-encoded query string.
 */
record AlertQuery(boolean active, boolean silenced, boolean inhibited, boolean unprocessed,
                  List<Predicate<Map<String, String>>> filter, Pattern receiver) {

    /** Every alert. */
    static final AlertQuery ALL = new AlertQuery(true, true, true, true, List.of(), null);

    /**
     * @throws ApiException 400 {@code bad_query} naming the parameter and the problem
     */
    static AlertQuery parse(String rawQuery) throws ApiException {
        boolean active = true;
        boolean silenced = true;
        boolean inhibited = true;
        boolean unprocessed = true;
        List<Predicate<Map<String, String>>> filter = new ArrayList<>();
        Pattern receiver = null;
        if (rawQuery == null || rawQuery.isEmpty()) {
            return ALL;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            switch (name) {
                case "active" -> active = bool(name, value);
                case "silenced" -> silenced = bool(name, value);
                case "inhibited" -> inhibited = bool(name, value);
                case "unprocessed" -> unprocessed = bool(name, value);
                case "filter" -> filter.add(matcher(value));
                case "receiver" -> receiver = receiver(value);
                default -> {
                    // ignored, as Alertmanager ignores unknown parameters
                }
            }
        }
        return new AlertQuery(active, silenced, inhibited, unprocessed, List.copyOf(filter), receiver);
    }

    /**
     * Whether an alert in this state, with these labels and silences, is listed.
     *
     * @param silencedBy ids of the silences that mute it
     */
    boolean admits(Map<String, String> labels, List<String> silencedBy, List<String> inhibitedBy, String receiverName) {
        boolean suppressed = !silencedBy.isEmpty() || !inhibitedBy.isEmpty();
        if (!active && !suppressed) {
            return false;
        }
        if (!silenced && !silencedBy.isEmpty()) {
            return false;
        }
        if (!inhibited && !inhibitedBy.isEmpty()) {
            return false;
        }
        if (receiver != null && !receiver.matcher(receiverName).matches()) {
            return false;
        }
        return filter.stream().allMatch(m -> m.test(labels));
    }

    private static boolean bool(String name, String value) throws ApiException {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true", "1" -> true;
            case "false", "0" -> false;
            default -> throw new ApiException(400, "bad_query",
                    name + " in query must be of type boolean: \"" + value + "\"");
        };
    }

    private static Predicate<Map<String, String>> matcher(String text) throws ApiException {
        try {
            return Matcher.parse(text).compile();
        } catch (InvalidMatcherException e) {
            throw new ApiException(400, "bad_query", "filter: " + e.problem());
        }
    }

    private static Pattern receiver(String regex) throws ApiException {
        try {
            return Pattern.compile("^(?:" + regex + ")$");
        } catch (PatternSyntaxException e) {
            throw new ApiException(400, "bad_query", "failed to parse receiver param: " + e.getDescription());
        }
    }

    private static String decode(String text) throws ApiException {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, "bad_query", "the query string is not URL-encoded correctly: " + e.getMessage());
        }
    }
}
