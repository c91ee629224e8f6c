package org.operon.model;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * One inhibition rule with Alertmanager's semantics ({@code inhibit_rules}): while an alert matching
 * every {@code source} matcher fires, the alerts matching every {@code target} matcher that have the
 * same values as it for every label in {@code equal} (a label both lack counts as equal, empty) are
 * muted. An alert that matches both sides cannot inhibit an alert that also matches both sides (so it
 * cannot inhibit itself). A fact in the session, from configuration. Immutable.
 */
public final class InhibitRule {
    private final String name;
    private final List<Matcher> source;
    private final List<Matcher> target;
    private final List<String> equal;
    private final Predicate<Map<String, String>> sourceTest;
    private final Predicate<Map<String, String>> targetTest;

    /**
     * @param name   how the rule is named in reasons and logs (e.g. its position in the file)
     * @param source at least one matcher
     * @param target at least one matcher
     * @param equal  label names; may be empty
     */
    public InhibitRule(String name, List<Matcher> source, List<Matcher> target, List<String> equal) {
        this.name = Objects.requireNonNull(name, "name");
        if (source == null || source.isEmpty()) throw new IllegalArgumentException("an inhibit rule needs source matchers");
        if (target == null || target.isEmpty()) throw new IllegalArgumentException("an inhibit rule needs target matchers");
        this.source = List.copyOf(source);
        this.target = List.copyOf(target);
        this.equal = List.copyOf(equal == null ? List.of() : equal);
        this.sourceTest = all(this.source);
        this.targetTest = all(this.target);
    }

    private static Predicate<Map<String, String>> all(List<Matcher> matchers) {
        Predicate<Map<String, String>> p = labels -> true;
        for (Matcher m : matchers) {
            p = p.and(m.compile());
        }
        return p;
    }

    public String getName() { return name; }
    public List<Matcher> getSource() { return source; }
    public List<Matcher> getTarget() { return target; }
    public List<String> getEqual() { return equal; }

    /** True when the label set matches every source matcher. */
    public boolean matchesSource(Map<String, String> labels) { return sourceTest.test(labels); }

    /** True when the label set matches every target matcher. */
    public boolean matchesTarget(Map<String, String> labels) { return targetTest.test(labels); }

    /**
     * True when a firing alert with {@code sourceLabels} inhibits an alert with {@code targetLabels}
     * under this rule (Alertmanager's {@code InhibitRule.hasEqual} with the two-sided exclusion).
     */
    public boolean inhibits(Map<String, String> sourceLabels, Map<String, String> targetLabels) {
        if (!matchesTarget(targetLabels) || !matchesSource(sourceLabels)) {
            return false;
        }
        for (String label : equal) {
            if (!sourceLabels.getOrDefault(label, "").equals(targetLabels.getOrDefault(label, ""))) {
                return false;
            }
        }
        // An alert matching both sides cannot be inhibited by a source that matches both sides too.
        return !(matchesSource(targetLabels) && matchesTarget(sourceLabels));
    }

    @Override
    public String toString() {
        return "InhibitRule{" + name + ": source=" + source + ", target=" + target + ", equal=" + equal + "}";
    }
}
