package org.operon.app;

import org.operon.actions.mute.MaintenanceMuter;
import org.operon.app.config.ConfigException;
import org.operon.app.config.OperonConfig;
import org.operon.app.config.ReferenceData;
import org.operon.toolkit.diff.DiffCommand;
import org.operon.toolkit.explain.ExplainCommand;
import org.operon.toolkit.replay.ReplayCommand;
import org.operon.toolkit.replay.ReplaySetup;
import org.operon.toolkit.scenario.ScenarioCommand;

import java.io.PrintStream;
import java.util.Arrays;

/**
 * The rule authoring commands of the jar ({@code operon test|replay|diff|explain}), run with the same
 * configuration as the server (application.properties, environment, -D) so that they decide as
 * production does: incident policy, alert limits, inhibit rules, reference data, throttles,
 * maintenance windows and targets per decision type. Nothing is performed and no data directory is
 * touched; silences are not replayed (they live in the running server's store). {@code explain} only asks a
 * running server (its API) and reads no configuration.
 */
final class ToolCommands {
    private ToolCommands() {
    }

    /** Runs {@code args[0]} (test, replay, diff, explain) with the rest of the arguments; returns the exit code. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        String command = args[0];
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        if (command.equals("explain")) {
            // Asks a running server; needs none of the server's configuration.
            return ExplainCommand.run(rest, out, err);
        }
        ReplaySetup setup;
        try {
            setup = setupFrom(OperonConfig.load());
        } catch (ConfigException e) {
            err.println("operon: " + e.getMessage());
            return 2;
        }
        return switch (command) {
            case "test" -> new ScenarioCommand(setup.facts()).execute(rest, out, err);
            case "replay" -> new ReplayCommand(setup).execute(rest, out, err);
            case "diff" -> new DiffCommand(setup).execute(rest, out, err);
            default -> throw new IllegalArgumentException("not a tool command: " + command);
        };
    }

    static ReplaySetup setupFrom(OperonConfig config) {
        var actions = OperonApp.actionOptions(config, config.dataDir());
        return new ReplaySetup(config.sessionFacts(), config.throttles(),
                new MaintenanceMuter(config.maintenanceWindows()), actions::targetsFor, ReferenceData::load);
    }
}
