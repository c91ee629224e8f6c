package org.operon.actions.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The exec file is checked at start: each mistake stops it with the file, the entry and the problem. */
class ExecCommandFileTest {
    @TempDir
    Path dir;
    private Path program;
    private Path file;

    @BeforeEach
    void program() throws Exception {
        program = dir.resolve("tool.sh");
        Files.writeString(program, "#!/bin/sh\n");
        Files.setPosixFilePermissions(program, PosixFilePermissions.fromString("rwx------"));
        file = dir.resolve("exec.yaml");
    }

    private ExecOptions read(String yaml) throws Exception {
        Files.writeString(file, yaml);
        return ExecCommandFile.read(file);
    }

    private void rejects(String yaml, String message) throws Exception {
        Files.writeString(file, yaml);
        assertThatThrownBy(() -> ExecCommandFile.read(file)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(file.toString()).hasMessageContaining(message);
    }

    @Test
    void readsCommandsAndPlaybooksWithTheirSettings() throws Exception {
        Path playbook = Files.writeString(dir.resolve("restart.yml"), "- hosts: all\n");
        ExecOptions exec = read("ansible-playbook: " + program + "\ncommands:\n  restart:\n    command: [\"" + program
                + "\", \"--host\", \"{{params.host}}\"]\n    timeout: 30s\n    working-dir: " + dir
                + "\n    env: {LANG: C.UTF-8}\n    retry-on-exit-codes: [75, 111]\nplaybooks:\n  web:\n    playbook: "
                + playbook + "\n    timeout: 10m\n");

        ExecCommand restart = exec.commands().get("restart");
        assertThat(restart.argv()).extracting(ArgTemplate::toString)
                .containsExactly(program.toString(), "--host", "{{params.host}}");
        assertThat(restart.timeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(restart.workingDir()).isEqualTo(dir);
        assertThat(restart.env()).containsEntry("LANG", "C.UTF-8");
        assertThat(restart.retryOnExitCodes()).containsExactlyInAnyOrder(75, 111);
        assertThat(exec.playbooks().get("web").timeout()).isEqualTo(Duration.ofMinutes(10));
        assertThat(exec.playbooks().get("web").inventory()).isNull();
        assertThat(exec.ansiblePlaybook()).isEqualTo(program);
        assertThat(read("commands:\n  x:\n    command: [\"" + program + "\"]\n").commands().get("x").timeout())
                .isEqualTo(ExecCommandFile.DEFAULT_TIMEOUT);
    }

    @Test
    void aProgramMustBeALiteralAbsolutePathToAnExecutableThatExists() throws Exception {
        rejects("commands:\n  a:\n    command: [\"tool.sh\"]\n", "commands.a: command[0]: 'tool.sh' must be an absolute path");
        rejects("commands:\n  a:\n    command: [\"" + dir.resolve("missing") + "\"]\n",
                "commands.a: command[0]: " + dir.resolve("missing") + " does not exist");
        Path plain = Files.writeString(dir.resolve("plain.txt"), "x");
        rejects("commands:\n  a:\n    command: [\"" + plain + "\"]\n", "is not executable");
        rejects("commands:\n  a:\n    command: [\"{{params.program}}\"]\n", "must be a literal path");
        rejects("commands:\n  a:\n    command: \"" + program + " --all\"\n", "'command' must be a list");
    }

    @Test
    void templatesKeysAndValuesAreChecked() throws Exception {
        rejects("commands:\n  a:\n    command: [\"" + program + "\", \"{{params.x}\"]\n", "commands.a: command[1]: unclosed");
        rejects("commands:\n  a:\n    command: [\"" + program + "\", \"{{env.HOME}}\"]\n", "unknown placeholder {{env.HOME}}");
        rejects("commands:\n  a:\n    command: [\"" + program + "\"]\n    timout: 5s\n", "commands.a: unknown key 'timout'");
        rejects("commands:\n  a:\n    command: [\"" + program + "\"]\n    timeout: soon\n", "timeout must be a positive");
        rejects("commands:\n  a:\n    command: [\"" + program + "\"]\n    retry-on-exit-codes: [0]\n", "is not an exit code");
        rejects("commands:\n  a:\n    command: [\"" + program + "\"]\n    working-dir: " + dir.resolve("nope") + "\n",
                "is not a directory");
        rejects("playbooks:\n  p:\n    playbook: " + dir.resolve("none.yml") + "\n", "playbooks.p: playbook: ");
        rejects("commands: {}\n", "lists no commands and no playbooks");
        rejects("shell: true\n", "unknown key 'shell'");
    }

    @Test
    void playbooksNeedAnExecutableAnsiblePlaybook() throws Exception {
        Path playbook = Files.writeString(dir.resolve("p.yml"), "- hosts: all\n");
        rejects("ansible-playbook: " + dir.resolve("ansible-playbook") + "\nplaybooks:\n  p:\n    playbook: " + playbook
                + "\n", "ansible-playbook: " + dir.resolve("ansible-playbook") + " does not exist");
    }
}
