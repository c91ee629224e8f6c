package org.operon.actions;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The delivery policies of the targets: one {@link TargetPolicy} per target that has settings of its
 * own ({@code operon.actions.<target>.max-concurrent} and so on), {@link #defaults()} for the others.
 *
 * @param defaults  the policy of a target without settings of its own
 * @param perTarget policies by target name
 */
public record DeliveryOptions(TargetPolicy defaults, Map<String, TargetPolicy> perTarget) {
    public DeliveryOptions {
        Objects.requireNonNull(defaults, "defaults");
        perTarget = Map.copyOf(perTarget == null ? Map.of() : perTarget);
    }

    /** {@link TargetPolicy#defaults()} for every target. */
    public static DeliveryOptions standard() {
        return new DeliveryOptions(TargetPolicy.defaults(), Map.of());
    }

    public TargetPolicy policyFor(String target) {
        return perTarget.getOrDefault(target, defaults);
    }

    public DeliveryOptions withDefaults(TargetPolicy policy) {
        return new DeliveryOptions(policy, perTarget);
    }

    /** A copy in which {@code target} has {@code policy}. */
    public DeliveryOptions with(String target, TargetPolicy policy) {
        Map<String, TargetPolicy> copy = new LinkedHashMap<>(perTarget);
        copy.put(target, policy);
        return new DeliveryOptions(defaults, copy);
    }
}
