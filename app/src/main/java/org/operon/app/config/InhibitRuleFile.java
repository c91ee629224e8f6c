package org.operon.app.config;

import com.fasterxml.jackson.databind.JsonNode;
import org.operon.model.InhibitRule;
import org.operon.model.InvalidMatcherException;
import org.operon.model.Matcher;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads inhibition rules ({@code operon.inhibit.file}) in Alertmanager's YAML format:
 *
 * <pre>{@code
 * inhibit_rules:
 *   - source_matchers: ['severity="critical"']
 *     target_matchers: ['severity=~"warning|info"']
 *     equal: [alertname, service]
 * }</pre>
 *
 * <ul>
 *   <li>{@code source_matchers}, {@code target_matchers}: lists of matchers in
 *       {@link Matcher#parse(String)}'s syntax, one per item;</li>
 *   <li>the deprecated {@code source_match} / {@code target_match} (maps of label to value, equality)
 *       and {@code source_match_re} / {@code target_match_re} (maps of label to regular expression) are
 *       accepted too and add to the matchers of their side;</li>
 *   <li>{@code equal}: label names whose values source and target must share; optional.</li>
 * </ul>
 * Each side needs at least one matcher. Rules are named by position: {@code rule 1}, {@code rule 2}, …
 * Unknown keys are refused; the other top-level keys of an {@code alertmanager.yml} ({@code route},
 * {@code receivers}, …) are ignored, so the file may be Alertmanager's own.
 */
public final class InhibitRuleFile {
    private static final List<String> FIELDS = List.of("source_matchers", "target_matchers", "source_match",
            "target_match", "source_match_re", "target_match_re", "equal");
    private static final Set<String> ALERTMANAGER_KEYS = Set.of("global", "route", "receivers", "templates",
            "time_intervals", "mute_time_intervals", "tracing");

    private InhibitRuleFile() {
    }

    /**
     * The rules of the file, in file order; none for an empty file.
     *
     * @throws ConfigFileException naming the file, the rule ({@code rule 2}) and the problem
     */
    public static List<InhibitRule> read(Path file) {
        List<JsonNode> entries = YamlFile.topLevelList(file, YamlFile.read(file), "inhibit_rules", ALERTMANAGER_KEYS);
        List<InhibitRule> rules = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            String name = "rule " + (i + 1);
            try {
                JsonNode entry = entries.get(i);
                YamlFile.checkFields(entry, FIELDS);
                List<Matcher> source = side(entry, "source");
                List<Matcher> target = side(entry, "target");
                rules.add(new InhibitRule(name, source, target, YamlFile.texts(entry, "equal")));
            } catch (IllegalArgumentException e) {
                String problem = e instanceof InvalidMatcherException ime ? ime.problem() : e.getMessage();
                throw new ConfigFileException(file, 0, name + ": " + problem);
            }
        }
        return List.copyOf(rules);
    }

    /** The matchers of one side: {@code <side>_match}, then {@code <side>_match_re}, then {@code <side>_matchers}. */
    private static List<Matcher> side(JsonNode entry, String side) {
        List<Matcher> matchers = new ArrayList<>();
        for (Map.Entry<String, String> e : labelMap(entry, side + "_match")) {
            matchers.add(Matcher.equal(e.getKey(), e.getValue()));
        }
        for (Map.Entry<String, String> e : labelMap(entry, side + "_match_re")) {
            try {
                matchers.add(Matcher.regex(e.getKey(), e.getValue()));
            } catch (InvalidMatcherException ex) {
                throw new IllegalArgumentException("\"" + side + "_match_re\" " + e.getKey() + ": " + ex.problem());
            }
        }
        List<String> texts = YamlFile.texts(entry, side + "_matchers");
        for (int i = 0; i < texts.size(); i++) {
            try {
                matchers.add(Matcher.parse(texts.get(i)));
            } catch (InvalidMatcherException ex) {
                throw new IllegalArgumentException("\"" + side + "_matchers\" item " + (i + 1) + ": " + ex.problem());
            }
        }
        if (matchers.isEmpty()) {
            throw new IllegalArgumentException("no " + side + " matchers: give \"" + side + "_matchers\" (or the "
                    + "deprecated \"" + side + "_match\" / \"" + side + "_match_re\")");
        }
        return matchers;
    }

    private static List<Map.Entry<String, String>> labelMap(JsonNode entry, String field) {
        JsonNode map = entry.get(field);
        if (map == null || map.isNull()) {
            return List.of();
        }
        if (!map.isObject()) {
            throw new IllegalArgumentException("\"" + field + "\" must be a mapping of label names to values");
        }
        List<Map.Entry<String, String>> out = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isValueNode() || e.getValue().isNull()) {
                throw new IllegalArgumentException("\"" + field + "\" " + e.getKey() + " must be a text value");
            }
            out.add(Map.entry(e.getKey(), e.getValue().asText()));
        }
        return out;
    }
}
