package org.operon.app;

import org.operon.app.config.ConfigException;
import org.operon.app.config.OperonConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CountDownLatch;

/**
 * The command line: {@code java -jar operon.jar [run]} starts Operon with the configuration from
 * the environment (see {@link OperonConfig}) and runs until SIGTERM or Ctrl-C, which stop it cleanly.
 *
 * <p>Exit codes: 0 after a clean stop, 2 for a configuration error, 1 when start-up failed.
 */
public final class Operon {
    private static final Logger LOG = LoggerFactory.getLogger(Operon.class);

    private Operon() {
    }

    public static void main(String[] args) {
        String command = args.length == 0 ? "run" : args[0];
        switch (command) {
            case "run" -> run();
            case "help", "--help", "-h" -> {
                System.out.println("""
                        Usage: java -jar operon.jar [run]

                          run   start Operon (the default); stop with SIGTERM or Ctrl-C

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
        OperonConfig config;
        try {
            config = OperonConfig.load();
        } catch (ConfigException e) {
            LOG.error(e.getMessage());
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
            LOG.error("Operon failed to start: {}", e.getMessage(), e);
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
