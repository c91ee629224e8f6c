package org.operon.actions.mute;

import org.operon.model.Matcher;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * A named, recurring period during which the decisions it matches are muted, as a silence would mute
 * them: a decision whose labels (see {@link SilenceMuter#labelsOf}) satisfy all {@code matchers} is muted
 * while {@code schedule} is active at the decision's time.
 *
 * @param name     the window's name, shown in the audit reason {@code "maintenance window <name>"}
 * @param matchers the conditions on the decision's labels, all of which must hold; not empty
 * @param schedule when the window is active: a {@link WeeklySchedule} or a {@link CronSchedule}
 */
public record MaintenanceWindow(String name, List<Matcher> matchers, MaintenanceSchedule schedule) {

    public MaintenanceWindow {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a maintenance window needs a name");
        }
        Objects.requireNonNull(schedule, "schedule");
        if (matchers == null || matchers.isEmpty()) {
            throw new IllegalArgumentException("a maintenance window needs at least one matcher");
        }
        matchers = List.copyOf(matchers);
    }

    /** The window with its regular expressions compiled once; used by {@link MaintenanceMuter}. */
    Predicate<Map<String, String>> compiledMatchers() {
        Predicate<Map<String, String>> all = labels -> true;
        for (Matcher m : matchers) {
            all = all.and(m.compile());
        }
        return all;
    }
}
