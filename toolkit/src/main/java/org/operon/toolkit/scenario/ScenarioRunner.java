package org.operon.toolkit.scenario;

import org.operon.actions.mute.Muter;
import org.operon.actions.mute.SilenceMuter;
import org.operon.engine.SessionOpener;
import org.operon.model.Decision;
import org.operon.model.Event;
import org.operon.model.IncidentCommand;
import org.operon.toolkit.DurationText;
import org.operon.toolkit.replay.Replay;
import org.operon.toolkit.replay.ReplayedAction;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Runs a {@link Scenario} in virtual time through {@link Replay} and judges its expectations.
 *
 * <p>The session starts at the scenario's start. Before each step the clock moves to the step's time
 * (timers due by then fire first); then the step's input enters: events and alerts are processed at
 * that time; a silence is added to the scenario's own silences (judged like {@link SilenceMuter}: an
 * action is suppressed, reason {@code silenced by <ids>}, when a silence active at the decision's time
 * matches the decision's labels); a command names its incident by id or by the correlation key of
 * the incident decisions seen so far (the latest of that key) and enters as the reserved event the
 * incident API journals. After the last step the clock runs to {@code until}.
 *
 * <p>Every expectation of {@code expect} must be met by distinct actions ({@code count} of them,
 * and no more actions may fit it); no action may fit an entry of {@code expect_none}.
 */
public final class ScenarioRunner {

    private ScenarioRunner() {
    }

    /** Runs the scenario with the given rules (its own {@code rules} directory already compiled in). */
    public static ScenarioResult run(Scenario scenario, SessionOpener rules) {
        ScenarioSilences silences = new ScenarioSilences();
        Replay replay = Replay.builder().rules(rules).throttles(scenario.throttles()).muter(silences)
                .targets(scenario::targetsFor).build();
        List<ReplayedAction> actions = new ArrayList<>();
        Map<String, String> incidentByKey = new HashMap<>();
        List<String> problems = new ArrayList<>();
        long start = scenario.start();
        try (Replay.Run run = replay.start(start, actions::add)) {
            run.observeDecisions(d -> rememberIncident(d, incidentByKey));
            int command = 0;
            for (Scenario.Step step : scenario.steps()) {
                long time = start + step.at();
                run.advanceTo(time);
                if (step instanceof Scenario.Send send) {
                    List<Event> events = new ArrayList<>();
                    for (Event e : send.events()) {
                        events.add(e.stamped(0, time));
                    }
                    run.process(events);
                } else if (step instanceof Scenario.Silence silence) {
                    silences.add(silence);
                } else if (step instanceof Scenario.Command c) {
                    String id = c.incidentId() != null ? c.incidentId() : incidentByKey.get(c.incidentKey());
                    if (id == null) {
                        problems.add(c.location() + ": at " + DurationText.offset(step.at()) + " no incident of key '"
                                + c.incidentKey() + "' has been decided yet, so there is none to "
                                + (c.type().equals(IncidentCommand.TYPE_ACKNOWLEDGE) ? "acknowledge" : "resolve"));
                        continue;
                    }
                    Event event = IncidentCommand.event("c" + (++command), c.type(), id, c.by(), c.comment(),
                            Instant.ofEpochMilli(time));
                    run.process(List.of(event.stamped(0, time)));
                }
            }
            run.advanceTo(start + scenario.until());
        }
        return judge(scenario, actions, problems);
    }

    /** Incident decisions carry the incident's snapshot; remember its id by correlation key (the subject). */
    private static void rememberIncident(Decision d, Map<String, String> incidentByKey) {
        if (d.getType().startsWith("incident-") && d.getParams().get("incident") instanceof Map<?, ?> snapshot
                && snapshot.get("id") instanceof String id) {
            incidentByKey.put(d.getSubject(), id);
        }
    }

    private static ScenarioResult judge(Scenario scenario, List<ReplayedAction> actions, List<String> problems) {
        long start = scenario.start();
        // Each unit of each expectation (count copies) must take a distinct action: bipartite matching.
        List<Scenario.Expectation> units = new ArrayList<>();
        for (Scenario.Expectation e : scenario.expect()) {
            for (int i = 0; i < e.count(); i++) {
                units.add(e);
            }
        }
        int[] actionOfUnit = new int[units.size()];
        int[] unitOfAction = new int[actions.size()];
        java.util.Arrays.fill(actionOfUnit, -1);
        java.util.Arrays.fill(unitOfAction, -1);
        for (int u = 0; u < units.size(); u++) {
            augment(u, units, actions, start, actionOfUnit, unitOfAction, new boolean[actions.size()]);
        }
        List<Scenario.Expectation> missing = new ArrayList<>();
        for (int u = 0; u < units.size(); u++) {
            if (actionOfUnit[u] < 0) {
                missing.add(units.get(u));
            }
        }
        List<ScenarioResult.TooMany> tooMany = new ArrayList<>();
        for (Scenario.Expectation e : scenario.expect()) {
            long fitting = actions.stream().filter(a -> e.matches(a, start)).count();
            if (e.exactCount() && fitting > e.count()) {
                tooMany.add(new ScenarioResult.TooMany(e, fitting));
            }
        }
        List<ScenarioResult.Unwanted> unwanted = new ArrayList<>();
        for (Scenario.Expectation e : scenario.expectNone()) {
            for (ReplayedAction a : actions) {
                if (e.matches(a, start)) {
                    unwanted.add(new ScenarioResult.Unwanted(e, a));
                }
            }
        }
        List<Boolean> matched = new ArrayList<>(actions.size());
        for (int a = 0; a < actions.size(); a++) {
            matched.add(unitOfAction[a] >= 0);
        }
        return new ScenarioResult(scenario, List.copyOf(actions), List.copyOf(matched), List.copyOf(missing), List.copyOf(tooMany),
                List.copyOf(unwanted), List.copyOf(problems));
    }

    /** Kuhn's augmenting path: finds an action for unit {@code u}, moving earlier units where needed. */
    private static boolean augment(int u, List<Scenario.Expectation> units, List<ReplayedAction> actions, long start,
                                   int[] actionOfUnit, int[] unitOfAction, boolean[] seen) {
        for (int a = 0; a < actions.size(); a++) {
            if (seen[a] || !units.get(u).matches(actions.get(a), start)) {
                continue;
            }
            seen[a] = true;
            if (unitOfAction[a] < 0 || augment(unitOfAction[a], units, actions, start, actionOfUnit, unitOfAction, seen)) {
                actionOfUnit[u] = a;
                unitOfAction[a] = u;
                return true;
            }
        }
        return false;
    }

    /** The silences of a scenario, judged at each decision's time as the silence store judges them. */
    static final class ScenarioSilences implements Muter {
        private final List<Compiled> silences = new ArrayList<>();

        void add(Scenario.Silence silence) {
            Predicate<Map<String, String>> all = labels -> true;
            for (org.operon.model.Matcher m : silence.matchers()) {
                all = all.and(m.compile());
            }
            silences.add(new Compiled(silence, all));
        }

        @Override
        public Optional<String> mutes(Decision decision, Instant at) {
            Map<String, String> labels = SilenceMuter.labelsOf(decision);
            long t = at.toEpochMilli();
            TreeSet<String> ids = new TreeSet<>();
            for (Compiled c : silences) {
                if (c.silence.startsAt() <= t && t < c.silence.endsAt() && c.matchers.test(labels)) {
                    ids.add(c.silence.id());
                }
            }
            return ids.isEmpty() ? Optional.empty() : Optional.of("silenced by " + String.join(", ", ids));
        }

        private record Compiled(Scenario.Silence silence, Predicate<Map<String, String>> matchers) {
        }
    }
}
