package org.operon.actions.exec;

import java.util.List;
import java.util.Map;

import org.apache.camel.model.RouteDefinition;
import org.operon.actions.Action;
import org.operon.actions.ActionOptions;
import org.operon.actions.ActionSink;

/**
 * Target {@code exec}: runs the allow-listed command named by the decision's {@code command} param
 * (see {@link ExecCommandFile}). Each argument is rendered from the decision on its own
 * ({@link ArgTemplate}) and handed to {@link ProcessBuilder} as one argument: no shell, no splitting, no
 * concatenation. A decision without {@code command}, or naming a command not in the file, fails the action
 * without running anything; so does a placeholder without a value. The result (exit code, last 4 KiB of
 * output, timed out) is the exchange property {@code operonActionResult}; see {@link ProcessStep} for
 * what is sent, failed and retried.
 */
public final class ExecSink implements ActionSink {
    public static final String NAME = "exec";
    /** The decision param naming the command. */
    public static final String COMMAND_PARAM = "command";

    private final ExecOptions options;

    public ExecSink(ActionOptions options) {
        this.options = options.targetSettings(ExecOptions.class).orElseThrow(() -> new IllegalArgumentException(
                "target 'exec' needs " + ExecOptions.FILE));
    }

    @Override
    public void perform(RouteDefinition route) {
        route.process(exchange -> {
            Action action = exchange.getIn().getBody(Action.class);
            ExecCommand command = command(action);
            List<String> argv = command.render(action.decision());
            ProcessStep.run(exchange, action, "command '" + command.name() + "'", argv, command.timeout(),
                    command.workingDir(), command.env(), command.retryOnExitCodes(),
                    new java.util.LinkedHashMap<>(Map.of("command", command.name())));
        });
    }

    /** The allow-listed command the decision names; throws (not retried) when there is none. */
    ExecCommand command(Action action) {
        Object name = action.decision().getParams().get(COMMAND_PARAM);
        if (!(name instanceof String text) || text.isBlank()) {
            throw new IllegalArgumentException("the decision has no '" + COMMAND_PARAM + "' param naming a command of "
                    + ExecOptions.FILE);
        }
        ExecCommand command = options.commands().get(text);
        if (command == null) {
            throw new IllegalArgumentException("command '" + text + "' is not in " + ExecOptions.FILE + " ("
                    + options.file() + "); known: " + options.commands().keySet());
        }
        return command;
    }
}
