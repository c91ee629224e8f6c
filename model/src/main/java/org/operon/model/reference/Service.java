package org.operon.model.reference;

import java.util.List;
import java.util.Objects;

/**
 * A service from the reference data ({@code services.yaml} / {@code services.csv} in
 * {@code operon.reference.dir}): its owning team, its tier and the services it depends on. A fact in
 * the session; rules match alerts to it by their {@code service} label. Immutable.
 */
public final class Service {
    private final String name;
    private final String team;
    private final String tier;
    private final List<String> dependsOn;

    /**
     * @param team      the owning team's name, or null when none is recorded
     * @param tier      a free-form tier such as {@code tier-1}, or null
     * @param dependsOn names of the services this one needs; an incident on any of them mutes this
     *                  service's alerts (topology inhibition)
     */
    public Service(String name, String team, String tier, List<String> dependsOn) {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("a service needs a name");
        this.name = name;
        this.team = team;
        this.tier = tier;
        this.dependsOn = List.copyOf(dependsOn == null ? List.of() : dependsOn);
        if (this.dependsOn.contains(name)) throw new IllegalArgumentException("service " + name + " depends on itself");
    }

    public String getName() { return name; }
    public String getTeam() { return team; }
    public String getTier() { return tier; }
    public List<String> getDependsOn() { return dependsOn; }

    /** True when this service needs {@code other} directly. */
    public boolean dependsOn(String other) { return dependsOn.contains(other); }

    @Override
    public boolean equals(Object o) {
        return o instanceof Service s && name.equals(s.name) && Objects.equals(team, s.team)
                && Objects.equals(tier, s.tier) && dependsOn.equals(s.dependsOn);
    }

    @Override
    public int hashCode() { return name.hashCode(); }

    @Override
    public String toString() {
        return "Service{" + name + ", team=" + team + ", tier=" + tier + ", dependsOn=" + dependsOn + "}";
    }
}
