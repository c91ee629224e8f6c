package org.operon.actions.exec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.operon.actions.Action;
import org.operon.actions.ActionOptions;
import org.operon.actions.ActionRoutes;
import org.operon.model.Decision;

/**
 * The {@code ansible} target with a fake {@code ansible-playbook} (a script that records its arguments):
 * the argument list is exactly {@code -i <inventory> --extra-vars <JSON> <playbook>}, the params as ONE JSON
 * argument, whatever they hold.
 */
class AnsibleSinkIT {
    private static final Instant T0 = Instant.parse("2024-03-05T10:15:30Z");

    @TempDir
    Path dir;
    private CamelContext camel;
    private Path argsOut;
    private Path playbook;
    private Path inventory;

    @BeforeEach
    void start() throws Exception {
        argsOut = dir.resolve("args.out");
        Path fake = dir.resolve("bin").resolve("ansible-playbook");
        Files.createDirectories(fake.getParent());
        Files.writeString(fake, "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\0' \"$a\" >> '" + argsOut + "'; done\n"
                + "echo 'PLAY RECAP'\n[ -n \"$FAIL\" ] && exit 2\nexit 0\n");
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwx------"));
        playbook = Files.writeString(dir.resolve("restart.yml"), "- hosts: all\n");
        inventory = Files.writeString(dir.resolve("hosts.ini"), "web-1\n");
        Path file = Files.writeString(dir.resolve("exec.yaml"), "ansible-playbook: " + fake + "\nplaybooks:\n"
                + "  restart-web:\n    playbook: " + playbook + "\n    inventory: " + inventory + "\n"
                + "  failing:\n    playbook: " + playbook + "\n    env: {FAIL: \"1\"}\n");
        ActionOptions options = ActionOptions.defaults().withFileDirectory(dir).withRetries(3, Duration.ofMillis(10))
                .withTargetSettings(ExecCommandFile.read(file)).withDefaultTargets(List.of(AnsibleSink.NAME));
        camel = new DefaultCamelContext();
        camel.addRoutes(new ActionRoutes(options));
        camel.start();
    }

    @AfterEach
    void stop() {
        camel.stop();
    }

    private Exchange perform(Decision decision) {
        Action action = Action.of(decision, AnsibleSink.NAME);
        return camel.createProducerTemplate().send(ActionRoutes.endpointFor(AnsibleSink.NAME),
                e -> e.getIn().setBody(action));
    }

    private List<String> args() throws Exception {
        String[] parts = Files.readString(argsOut).split("\0", -1);
        return List.of(parts).subList(0, parts.length - 1);
    }

    @Test
    void theParamsGoAsOneJsonArgumentBeforeThePlaybook() throws Exception {
        String nasty = "'; rm -rf / #\" $(id) `id` @/etc/passwd\nkey=value";
        Decision decision = Decision.of("remediate", "web-1", "restart-rule", List.of("e1"))
                .withParam("playbook", "restart-web").withParam("service", nasty).withParam("count", 3)
                .stamped(T0.toEpochMilli());

        Exchange done = perform(decision);

        assertThat(done.getException()).isNull();
        List<String> args = args();
        assertThat(args).hasSize(5);
        assertThat(args.subList(0, 3)).containsExactly("-i", inventory.toString(), "--extra-vars");
        assertThat(args.get(4)).isEqualTo(playbook.toString());
        assertThat(args.get(3)).startsWith("{");
        JsonNode vars = new ObjectMapper().readTree(args.get(3));
        assertThat(vars.path("service").asText()).isEqualTo(nasty);
        assertThat(vars.path("count").asInt()).isEqualTo(3);
        assertThat(vars.has("playbook")).isFalse();
        assertThat(vars.path("operon").path("subject").asText()).isEqualTo("web-1");
        assertThat(vars.path("operon").path("decisionId").asText()).isEqualTo(decision.getId());
        assertThat(vars.path("operon").path("actionId").asText()).isEqualTo(Action.idFor(decision.getId(), "ansible"));
        @SuppressWarnings("unchecked")
        Map<String, Object> result = done.getProperty("operonActionResult", Map.class);
        assertThat(result).containsEntry("exitCode", 0).containsEntry("playbook", "restart-web")
                .containsEntry("output", "PLAY RECAP\n");
    }

    @Test
    void aFailingRunOrAnUnlistedPlaybookFailsTheAction() throws Exception {
        Exchange failed = perform(Decision.of("remediate", "web-1", "r", List.of("e1")).withParam("playbook", "failing")
                .stamped(T0.toEpochMilli()));
        assertThat(failed.getException()).hasMessage("playbook 'failing' exited with 2");
        assertThat(args()).doesNotContain("-i");

        Files.delete(argsOut);
        Exchange unknown = perform(Decision.of("remediate", "web-1", "r", List.of("e1"))
                .withParam("playbook", "/etc/passwd").stamped(T0.toEpochMilli()));
        assertThat(unknown.getException()).hasMessageStartingWith("playbook '/etc/passwd' is not in");
        assertThat(argsOut).doesNotExist();
    }
}
