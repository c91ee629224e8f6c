package org.operon.toolkit.scenario;

import org.operon.engine.ThrottlePolicy;
import org.operon.model.Event;
import org.operon.model.Matcher;
import org.operon.toolkit.replay.ReplayedAction;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One scenario file, parsed ({@link ScenarioParser}): a timeline of inputs at offsets from
 * {@code start} and the actions expected of the rules. All times are epoch milliseconds; offsets are
 * milliseconds after {@code start}.
 *
 * @param file           the file it was read from
 * @param name           its name (the file name when it gives none)
 * @param rules          the rules directory next to the packaged rules, or null
 * @param start          the moment offset 0 stands for
 * @param steps          the inputs, in time order
 * @param expect         actions that must have been decided, each by a distinct action
 * @param expectNone     actions that must not have been decided
 * @param until          the offset the clock runs to after the last step
 * @param throttles      decision throttles, as {@code operon.throttles.file} configures them
 * @param targets        the targets of listed decision types
 * @param defaultTargets the targets of the other types
 */
public record Scenario(Path file, String name, Path rules, long start, List<Step> steps, List<Expectation> expect,
                       List<Expectation> expectNone, long until, List<ThrottlePolicy> throttles,
                       Map<String, List<String>> targets, List<String> defaultTargets) {

    /** The targets of a decision type. */
    public List<String> targetsFor(String type) {
        return targets.getOrDefault(type, defaultTargets);
    }

    /** One input of the timeline, at an offset. */
    public sealed interface Step permits Send, Silence, Command {
        /** Milliseconds after the start. */
        long at();

        /** {@code file:line:column} of the step, for messages. */
        String location();
    }

    /** Events (also alerts, already turned into {@code operon.alert} events) arriving together. */
    public record Send(long at, String location, List<Event> events) implements Step {
    }

    /**
     * A silence created at {@code at}: actions whose labels all {@code matchers} match are suppressed
     * from {@code startsAt} (inclusive) to {@code endsAt} (exclusive), epoch milliseconds.
     */
    public record Silence(long at, String location, String id, List<Matcher> matchers, long startsAt, long endsAt,
                          String createdBy, String comment) implements Step {
    }

    /**
     * An operator's command about an incident ({@code operon.incident.acknowledge} or {@code .resolve}),
     * naming the incident by id or by correlation key.
     */
    public record Command(long at, String location, String type, String incidentId, String incidentKey, String by,
                          String comment) implements Step {
    }

    /**
     * What an expected action must look like; null fields are not checked.
     *
     * @param location    {@code file:line:column} of the expectation
     * @param description the expectation as written, one line
     * @param params      a subset of the decision's parameters: maps match by their given keys, lists
     *                    element by element, scalars by their text
     * @param from        earliest offset (inclusive), or null; {@code at} sets from and to alike
     * @param to          latest offset (inclusive), or null
     * @param count       how many distinct actions must fit (1 unless given)
     * @param exactCount  whether more fitting actions than {@code count} fail the scenario (when
     *                    {@code count} was given)
     */
    public record Expectation(String location, String description, String type, String subject, String status,
                              String target, String rule, String reason, List<String> eventIds,
                              Map<String, Object> params, Long from, Long to, int count,
                              boolean exactCount) {

        /** Whether {@code action}, decided at {@code action.time()}, fits; offsets count from {@code start}. */
        public boolean matches(ReplayedAction action, long start) {
            long offset = action.time() - start;
            return (type == null || type.equals(action.type()))
                    && (subject == null || subject.equals(action.subject()))
                    && (status == null || status.equals(action.status()))
                    && (target == null || target.equals(action.target()))
                    && (rule == null || rule.equals(action.rule()))
                    && (reason == null || (action.reason() != null && action.reason().contains(reason)))
                    && (eventIds == null || eventIds.equals(action.decision().getEventIds()))
                    && (from == null || offset >= from)
                    && (to == null || offset <= to)
                    && (params == null || subset(params, action.decision().getParams()));
        }

        private static boolean subset(Object expected, Object actual) {
            if (expected instanceof Map<?, ?> want) {
                if (!(actual instanceof Map<?, ?> have)) {
                    return false;
                }
                for (Map.Entry<?, ?> e : want.entrySet()) {
                    if (!have.containsKey(e.getKey()) || !subset(e.getValue(), have.get(e.getKey()))) {
                        return false;
                    }
                }
                return true;
            }
            if (expected instanceof List<?> want) {
                if (!(actual instanceof List<?> have) || have.size() != want.size()) {
                    return false;
                }
                for (int i = 0; i < want.size(); i++) {
                    if (!subset(want.get(i), have.get(i))) {
                        return false;
                    }
                }
                return true;
            }
            if (expected == null || actual == null) {
                return expected == actual;
            }
            return Objects.equals(expected.toString(), actual.toString());
        }
    }
}
