package org.operon.actions.exec;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * One allow-listed playbook of the exec file, run by the {@code ansible} target as
 * {@code ansible-playbook [-i <inventory>] --extra-vars <JSON> <playbook>}.
 *
 * @param name             the name a decision gives in its {@code playbook} param
 * @param playbook         the playbook file, an absolute path checked at start
 * @param inventory        the inventory, an absolute path checked at start; null to use Ansible's default
 * @param timeout          how long one run may take before it and its descendants are killed
 * @param workingDir       the directory it runs in; null for Operon's
 * @param env              environment entries (e.g. {@code ANSIBLE_CONFIG})
 * @param retryOnExitCodes exit codes after which the action is retried
 */
public record Playbook(String name, Path playbook, Path inventory, Duration timeout, Path workingDir,
                       Map<String, String> env, Set<Integer> retryOnExitCodes) {

    public Playbook {
        env = Map.copyOf(env);
        retryOnExitCodes = Set.copyOf(retryOnExitCodes);
    }
}
