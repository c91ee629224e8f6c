package org.operon.app;

import org.operon.app.config.ConfigException;
import org.operon.app.config.OperonConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CountDownLatch;

/**
 * The command line: {@code java -jar operon.jar [run]} starts Operon with the configuration from
 * the environment (see {@link OperonConfig}) and runs until SIGTERM or Ctrl-C, which stop it cleanly;
 * {@code test}, {@code replay}, {@code diff} and {@code explain} are the rule authoring tools ({@link ToolCommands}).
 *
 * <p>Exit codes: 0 after a clean stop, 2 for a configuration error, 1 when start-up failed; the tools'
 * own codes (0 ok, 1 a scenario failed, 2 could not run).
 */
public final class Operon {

    private Operon() {
    }

    public static void main(String[] args) {
        String command = args.length == 0 ? "run" : args[0];
        switch (command) {
            case "run" -> run();
            case "test", "replay", "diff", "explain" -> {
                ToolLogging.install(); // before any logger: the tools log warnings only, without starting Log4j
                System.exit(ToolCommands.run(args, System.out, System.err));
            }
            case "help", "--help", "-h" -> {
                System.out.println("""
                        Usage: java -jar operon.jar [run | test | replay | diff | explain] [options]

                          run      start Operon (the default); stop with SIGTERM or Ctrl-C
                          test     run scenario files: test [--rules DIR] PATH...  (docs/testing-rules.md)
                          replay   replay recorded events in event time, print the actions as JSON lines:
                                   replay --events FILE|DIR [--rules DIR] [--tail 30m]  (docs/replay.md)
                          diff     what a rule change would have done to the same history:
                                   diff --events FILE|DIR [--rules-a DIR] --rules-b DIR  (docs/replay.md)
                          explain  why an action happened (rule, file, facts, events, suppression):
                                   explain ACTION-ID [--url URL] [--token T]  (docs/explain.md)

                        Configuration: application.properties, environment variables (OPERON_HTTP_PORT, ...)
                        or -Dkey=value; see docs/configuration.md.""");
            }
            default -> {
                System.err.println("operon: unknown command '" + command + "'; try 'help'");
                System.exit(2);
            }
        }
    }

    private static void run() {
        Logger log = LoggerFactory.getLogger(Operon.class); // not a static field: the tools use another provider
        OperonConfig config;
        try {
            config = OperonConfig.load();
        } catch (ConfigException e) {
            log.error(e.getMessage());
            System.err.println("operon: " + e.getMessage());
            System.exit(2);
            return;
        }
        OperonApp app = new OperonApp(config);
        CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            app.stop();
            done.countDown();
        }, "operon-shutdown"));
        try {
            app.start();
        } catch (Exception e) {
            log.error("Operon failed to start: {}", e.getMessage(), e);
            System.err.println("operon: failed to start: " + e.getMessage());
            System.exit(1); // the shutdown hook closes whatever did start
            return;
        }
        try {
            done.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
