package org.operon.actions.exec;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.operon.model.Decision;

/**
 * One allow-listed command of the exec file: a program (an absolute path, checked at start) and its
 * arguments, each an {@link ArgTemplate} rendered from the decision to exactly one argument.
 *
 * @param name             the name a decision gives in its {@code command} param
 * @param argv             the program (a literal absolute path) and its argument templates
 * @param timeout          how long one run may take before it and its descendants are killed
 * @param workingDir       the directory it runs in; null for Operon's
 * @param env              environment entries added to the minimal environment (see {@link ProcessRunner})
 * @param retryOnExitCodes exit codes after which the action is retried; any other non-zero code fails it
 */
public record ExecCommand(String name, List<ArgTemplate> argv, Duration timeout, Path workingDir,
                          Map<String, String> env, Set<Integer> retryOnExitCodes) {

    public ExecCommand {
        argv = List.copyOf(argv);
        env = Map.copyOf(env);
        retryOnExitCodes = Set.copyOf(retryOnExitCodes);
    }

    /** The argument list for {@code decision}: one string per template, the program first. */
    public List<String> render(Decision decision) {
        return argv.stream().map(t -> t.render(decision)).toList();
    }

    /** The program's path. */
    public Path program() {
        return Path.of(argv.get(0).toString());
    }
}
