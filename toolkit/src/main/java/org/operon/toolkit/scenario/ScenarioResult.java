package org.operon.toolkit.scenario;

import org.operon.toolkit.DurationText;
import org.operon.toolkit.replay.ReplayedAction;

import java.util.List;

/**
 * The outcome of one scenario: the actions decided, which of them met an expectation, and what went
 * wrong. {@link #report()} words it for a terminal.
 *
 * @param matched  per action (same index): whether it met an expectation of {@code expect}
 * @param missing  expectations (one entry per missing count) no distinct action met
 * @param tooMany  expectations more actions fit than their count
 * @param unwanted actions that fit an entry of {@code expect_none}
 * @param problems inputs that could not be applied (a command naming an incident key never decided)
 */
public record ScenarioResult(Scenario scenario, List<ReplayedAction> actions, List<Boolean> matched,
                             List<Scenario.Expectation> missing, List<TooMany> tooMany, List<Unwanted> unwanted,
                             List<String> problems) {

    /** An expectation that more actions fit than its count allows. */
    public record TooMany(Scenario.Expectation expectation, long found) {
    }

    /** An action that an {@code expect_none} entry forbids. */
    public record Unwanted(Scenario.Expectation expectation, ReplayedAction action) {
    }

    public boolean passed() {
        return missing.isEmpty() && tooMany.isEmpty() && unwanted.isEmpty() && problems.isEmpty();
    }

    /**
     * {@code PASS <name>} on one line, or {@code FAIL <name> (<file>)} followed by what is wrong and
     * every action decided, one per line, times as offsets from the start ({@code +90s}); actions that
     * met an expectation are marked {@code =}. Ends with a line break.
     */
    public String report() {
        StringBuilder s = new StringBuilder();
        s.append(passed() ? "PASS " : "FAIL ").append(scenario.name()).append("  (").append(scenario.file())
                .append(", ").append(actions.size()).append(actions.size() == 1 ? " action)" : " actions)").append('\n');
        if (passed()) {
            return s.toString();
        }
        for (String p : problems) {
            s.append("  cannot apply: ").append(p).append('\n');
        }
        if (!missing.isEmpty()) {
            s.append("  expected, but no action fits:\n");
            for (Scenario.Expectation e : missing) {
                s.append("    - ").append(e.description()).append("   (").append(e.location()).append(")\n");
                actions.stream().filter(a -> e.type() == null || e.type().equals(a.type())).limit(3)
                        .forEach(a -> s.append("        nearest of that type: ").append(line(a)).append('\n'));
            }
        }
        for (TooMany t : tooMany) {
            s.append("  expected ").append(t.expectation().count()).append(", but ").append(t.found())
                    .append(" actions fit: ").append(t.expectation().description()).append("   (")
                    .append(t.expectation().location()).append(")\n");
        }
        if (!unwanted.isEmpty()) {
            s.append("  expected none, but decided:\n");
            for (Unwanted u : unwanted) {
                s.append("    - ").append(line(u.action())).append("   (expect_none ")
                        .append(u.expectation().description()).append(" at ").append(u.expectation().location())
                        .append(")\n");
            }
        }
        s.append("  actions decided (= met an expectation):\n");
        if (actions.isEmpty()) {
            s.append("    (none)\n");
        }
        for (int i = 0; i < actions.size(); i++) {
            s.append(matched.get(i) ? "  = " : "    ").append(line(actions.get(i))).append('\n');
        }
        return s.toString();
    }

    /** {@code +90s notify web-1 -> log sent [critical-burst]}, with the reason when suppressed. */
    private String line(ReplayedAction a) {
        StringBuilder s = new StringBuilder();
        s.append(DurationText.offset(a.time() - scenario.start())).append(' ').append(a.type()).append(' ')
                .append(a.subject()).append(" -> ").append(a.target()).append(' ').append(a.status());
        if (a.reason() != null) {
            s.append(" (").append(a.reason()).append(')');
        }
        return s.append(" [").append(a.rule()).append(']').toString();
    }
}
