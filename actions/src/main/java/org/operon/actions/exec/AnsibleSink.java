package org.operon.actions.exec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;

import org.apache.camel.model.RouteDefinition;
import org.operon.actions.Action;
import org.operon.actions.ActionOptions;
import org.operon.actions.ActionSink;
import org.operon.model.Decision;

/**
 * Target {@code ansible}: runs the allow-listed playbook named by the decision's {@code playbook} param
 * (see {@link ExecCommandFile}) as
 * {@code <ansible-playbook> [-i <inventory>] --extra-vars <JSON> <playbook>}, through the same machinery
 * and with the same guarantees as {@code exec} ({@link ProcessStep}): no shell, a timeout that kills the
 * process tree, the exit code and output in {@code operonActionResult}.
 *
 * <p>The extra vars are ONE argument, a JSON object ({@link #extraVars}): the decision's params except
 * {@code playbook}, plus {@code operon} = {@code {actionId, decisionId, type, subject, rule, time}}. It
 * always starts with <code>{</code>, so Ansible never reads it as {@code @file} or {@code key=value} pairs.
 */
public final class AnsibleSink implements ActionSink {
    public static final String NAME = "ansible";
    /** The decision param naming the playbook. */
    public static final String PLAYBOOK_PARAM = "playbook";

    private final ExecOptions options;

    public AnsibleSink(ActionOptions options) {
        this.options = options.targetSettings(ExecOptions.class).orElseThrow(() -> new IllegalArgumentException(
                "target 'ansible' needs " + ExecOptions.FILE));
    }

    @Override
    public void perform(RouteDefinition route) {
        route.process(exchange -> {
            Action action = exchange.getIn().getBody(Action.class);
            Playbook playbook = playbook(action);
            ProcessStep.run(exchange, action, "playbook '" + playbook.name() + "'", argv(playbook, action),
                    playbook.timeout(), playbook.workingDir(), playbook.env(), playbook.retryOnExitCodes(),
                    new LinkedHashMap<>(Map.of("playbook", playbook.name())));
        });
    }

    /** The argument list: ansible-playbook, the inventory, the extra vars as one JSON argument, the playbook. */
    List<String> argv(Playbook playbook, Action action) {
        List<String> argv = new ArrayList<>();
        argv.add(options.ansiblePlaybook().toString());
        if (playbook.inventory() != null) {
            argv.add("-i");
            argv.add(playbook.inventory().toString());
        }
        argv.add("--extra-vars");
        argv.add(extraVars(action));
        argv.add(playbook.playbook().toString());
        return argv;
    }

    /** The decision's params (without {@code playbook}) and an {@code operon} object, as one JSON object. */
    static String extraVars(Action action) {
        Decision d = action.decision();
        Map<String, Object> vars = new LinkedHashMap<>(d.getParams());
        vars.remove(PLAYBOOK_PARAM);
        Map<String, Object> operon = new LinkedHashMap<>();
        operon.put("actionId", action.id());
        operon.put("decisionId", d.getId());
        operon.put("type", d.getType());
        operon.put("subject", d.getSubject());
        operon.put("rule", d.getRule());
        operon.put("time", action.time());
        vars.put("operon", operon);
        try {
            return ArgTemplate.JSON.writeValueAsString(vars);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the decision's params cannot be rendered as JSON: " + e.getOriginalMessage());
        }
    }

    private Playbook playbook(Action action) {
        Object name = action.decision().getParams().get(PLAYBOOK_PARAM);
        if (!(name instanceof String text) || text.isBlank()) {
            throw new IllegalArgumentException("the decision has no '" + PLAYBOOK_PARAM + "' param naming a playbook of "
                    + ExecOptions.FILE);
        }
        Playbook playbook = options.playbooks().get(text);
        if (playbook == null) {
            throw new IllegalArgumentException("playbook '" + text + "' is not in " + ExecOptions.FILE + " ("
                    + options.file() + "); known: " + options.playbooks().keySet());
        }
        return playbook;
    }
}
