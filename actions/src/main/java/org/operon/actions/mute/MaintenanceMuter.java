package org.operon.actions.mute;

import org.operon.model.Decision;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Mutes a decision while a {@link MaintenanceWindow} matching it is active at the decision's time (the
 * session clock, not the wall clock). The reason names the first such window in configuration order:
 * {@code "maintenance window <name>"}. The windows are fixed when the muter is built; it does no I/O and
 * is thread-safe.
 */
public final class MaintenanceMuter implements Muter {
    private final List<Compiled> windows;

    public MaintenanceMuter(List<MaintenanceWindow> windows) {
        this.windows = windows.stream().map(w -> new Compiled(w, w.compiledMatchers())).toList();
    }

    @Override
    public Optional<String> mutes(Decision decision, Instant at) {
        if (windows.isEmpty()) {
            return Optional.empty();
        }
        Map<String, String> labels = SilenceMuter.labelsOf(decision);
        for (Compiled c : windows) {
            if (c.window.schedule().isActiveAt(at) && c.matchers.test(labels)) {
                return Optional.of("maintenance window " + c.window.name());
            }
        }
        return Optional.empty();
    }

    private record Compiled(MaintenanceWindow window, Predicate<Map<String, String>> matchers) {
    }
}
