package org.operon.model.reference;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A team from the reference data ({@code teams.yaml} / {@code teams.csv} in {@code operon.reference.dir})
 * with its on-call contacts in escalation order: level 1 is {@code onCall.get(0)}, level 2 the next,
 * and so on. A fact in the session; escalation rules read it. Immutable.
 */
public final class Team {
    private final String name;
    private final List<String> onCall;

    public Team(String name, List<String> onCall) {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("a team needs a name");
        this.name = name;
        this.onCall = List.copyOf(onCall == null ? List.of() : onCall);
    }

    public String getName() { return name; }

    /** Contacts in escalation order; may be empty. */
    public List<String> getOnCall() { return onCall; }

    /** How many escalation levels the team has (at least 1). */
    public int getLevels() { return Math.max(1, onCall.size()); }

    /** The contact of escalation level {@code level} (1-based), if the team has one. */
    public Optional<String> contactAt(int level) {
        return level >= 1 && level <= onCall.size() ? Optional.of(onCall.get(level - 1)) : Optional.empty();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Team t && name.equals(t.name) && onCall.equals(t.onCall);
    }

    @Override
    public int hashCode() { return Objects.hash(name, onCall); }

    @Override
    public String toString() { return "Team{" + name + ", onCall=" + onCall + "}"; }
}
