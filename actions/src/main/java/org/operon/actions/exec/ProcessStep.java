package org.operon.actions.exec;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.camel.Exchange;
import org.operon.actions.Action;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The route step that the exec and ansible targets share: runs one program through {@link ProcessRunner},
 * puts {@code {exitCode, output, timedOut}} into the exchange property {@value #RESULT}, and turns the
 * outcome into the sink contract: exit code 0 completes normally (sent); an exit code listed in
 * {@code retry-on-exit-codes} throws a {@link RetryableExitException} (an {@link IOException}, so the
 * shared error handling retries it); any other code and a timeout throw {@link ExecFailedException}
 * (failed at once: a remediation that hung or failed is not run again by itself).
 */
final class ProcessStep {
    /** The exchange property with the run's result (see the class comment). */
    static final String RESULT = "operonActionResult";
    private static final Logger LOG = LoggerFactory.getLogger("operon.actions.exec");

    private ProcessStep() {
    }

    /** A non-zero exit or a timeout that is not retried. */
    static final class ExecFailedException extends RuntimeException {
        ExecFailedException(String message) {
            super(message);
        }
    }

    /** A non-zero exit listed in {@code retry-on-exit-codes}. */
    static final class RetryableExitException extends IOException {
        RetryableExitException(String message) {
            super(message);
        }
    }

    static void run(Exchange exchange, Action action, String what, List<String> argv, Duration timeout, Path workingDir,
                    Map<String, String> env, Set<Integer> retryOnExitCodes, Map<String, Object> extra)
            throws IOException, InterruptedException {
        for (int i = 0; i < argv.size(); i++) {
            if (argv.get(i).indexOf('\0') >= 0) {
                // The operating system cannot pass it; ProcessBuilder would throw an IOException, which is retried.
                throw new IllegalArgumentException(what + ": argument " + i + " contains a NUL character");
            }
        }
        long started = System.nanoTime();
        ProcessRunner.Result result = ProcessRunner.run(argv, workingDir, env, timeout);
        Map<String, Object> map = result.toMap();
        map.putAll(extra);
        exchange.setProperty(RESULT, map);
        long millis = (System.nanoTime() - started) / 1_000_000;
        if (result.timedOut()) {
            LOG.warn("action {}: {} timed out after {}; it and its descendants were killed", action.id(), what, timeout);
            throw new ExecFailedException(what + " timed out after " + timeout.toString().substring(2).toLowerCase());
        }
        LOG.info("action {}: {} exited with {} after {} ms", action.id(), what, result.exitCode(), millis);
        if (result.exitCode() == 0) {
            return;
        }
        if (retryOnExitCodes.contains(result.exitCode())) {
            throw new RetryableExitException(what + " exited with " + result.exitCode());
        }
        throw new ExecFailedException(what + " exited with " + result.exitCode());
    }
}
