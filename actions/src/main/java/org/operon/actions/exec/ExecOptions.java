package org.operon.actions.exec;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

import org.operon.actions.TargetSettings;

/**
 * The allow-list of the {@code exec} and {@code ansible} targets, read from the exec file
 * ({@value #FILE}, see {@link ExecCommandFile}). Nothing else can be run: a decision only names an entry.
 *
 * @param file            the file it was read from, for messages
 * @param commands        the commands by name
 * @param playbooks       the playbooks by name
 * @param ansiblePlaybook the absolute path of {@code ansible-playbook} (checked at start when there are playbooks)
 */
public record ExecOptions(Path file, Map<String, ExecCommand> commands, Map<String, Playbook> playbooks,
                          Path ansiblePlaybook) implements TargetSettings {
    public static final String FILE = "operon.actions.exec.file";
    /** Where {@code ansible-playbook} is looked for unless the file says otherwise. */
    public static final Path DEFAULT_ANSIBLE_PLAYBOOK = Path.of("/usr/bin/ansible-playbook");

    public ExecOptions {
        Objects.requireNonNull(file, "file");
        commands = Map.copyOf(commands);
        playbooks = Map.copyOf(playbooks);
        Objects.requireNonNull(ansiblePlaybook, "ansiblePlaybook");
    }

    @Override
    public boolean enables(String target) {
        return target.equals(ExecSink.NAME) || target.equals(AnsibleSink.NAME);
    }

    @Override
    public String toString() {
        return "ExecOptions[file=" + file + ", commands=" + commands.keySet() + ", playbooks=" + playbooks.keySet()
                + "]";
    }
}
