package org.operon.actions.exec;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs one program with {@link ProcessBuilder}: the argument list is handed to the operating system as
 * it is (no shell, no re-tokenizing, no quoting), standard input is empty, standard output and error are
 * merged and the last {@value #OUTPUT_LIMIT} bytes are kept. When the timeout passes, the process and
 * all its descendants are killed ({@link ProcessHandle#destroyForcibly()}).
 *
 * <p>The environment is not Operon's: it holds only {@code PATH}, {@code HOME}, {@code LANG},
 * {@code LC_ALL} and {@code TZ} from Operon's environment (when set) plus the command's own entries, so
 * tokens given to Operon through its environment do not leak into commands.
 */
final class ProcessRunner {
    /** How much of the merged output is kept: the last 4 KiB. */
    static final int OUTPUT_LIMIT = 4096;
    private static final List<String> INHERITED = List.of("PATH", "HOME", "LANG", "LC_ALL", "TZ");
    /** How long to wait for the output to end once the process is gone (a daemonized grandchild may hold it). */
    private static final long DRAIN_MILLIS = 2000;

    private ProcessRunner() {
    }

    /**
     * What one run gave.
     *
     * @param exitCode the exit code; -1 when the process was killed for its timeout
     * @param output   the last {@value #OUTPUT_LIMIT} bytes of standard output and error, as UTF-8
     * @param timedOut true when the timeout killed it
     */
    record Result(int exitCode, String output, boolean timedOut) {
        Map<String, Object> toMap() {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("exitCode", exitCode);
            map.put("output", output);
            map.put("timedOut", timedOut);
            return map;
        }
    }

    /**
     * Runs {@code argv} (the program's absolute path first) in {@code workingDir} (null: Operon's).
     *
     * @throws IOException when the program cannot be started
     */
    static Result run(List<String> argv, Path workingDir, Map<String, String> env, Duration timeout)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(argv)
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        if (workingDir != null) {
            builder.directory(workingDir.toFile());
        }
        Map<String, String> environment = builder.environment();
        Map<String, String> inherited = new LinkedHashMap<>();
        for (String name : INHERITED) {
            String value = environment.get(name);
            if (value != null) {
                inherited.put(name, value);
            }
        }
        environment.clear();
        environment.putAll(inherited);
        environment.putAll(env);

        Process process = builder.start();
        TailBuffer tail = new TailBuffer(OUTPUT_LIMIT);
        Thread reader = new Thread(() -> tail.readAll(process.getInputStream()), "operon-exec-output");
        reader.setDaemon(true);
        reader.start();
        boolean finished;
        try {
            finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            killTree(process);
            throw e;
        }
        if (!finished) {
            killTree(process);
            process.waitFor(DRAIN_MILLIS, TimeUnit.MILLISECONDS);
        }
        reader.join(DRAIN_MILLIS);
        if (reader.isAlive()) {
            // A descendant that left the process tree (double fork) still holds the pipe: stop reading.
            process.getInputStream().close();
        }
        return new Result(finished ? process.exitValue() : -1, tail.text(), !finished);
    }

    /** Kills the descendants first (they are no longer descendants once the parent is gone), then the process. */
    static void killTree(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    /** Keeps the last {@code limit} bytes read. */
    private static final class TailBuffer {
        private final byte[] ring;
        private long total;

        TailBuffer(int limit) {
            this.ring = new byte[limit];
        }

        void readAll(InputStream in) {
            byte[] chunk = new byte[1024];
            try (in) {
                int n;
                while ((n = in.read(chunk)) > 0) {
                    append(chunk, n);
                }
            } catch (IOException e) {
                // The stream was closed after the process ended; what was read is kept.
            }
        }

        private synchronized void append(byte[] chunk, int n) {
            for (int i = 0; i < n; i++) {
                ring[(int) (total++ % ring.length)] = chunk[i];
            }
        }

        synchronized String text() {
            int size = (int) Math.min(total, ring.length);
            byte[] out = new byte[size];
            int start = (int) ((total - size) % ring.length);
            for (int i = 0; i < size; i++) {
                out[i] = ring[(start + i) % ring.length];
            }
            String text = new String(out, StandardCharsets.UTF_8);
            // A cut in the middle of a multi-byte character leaves a replacement character at the start.
            return total > ring.length && !text.isEmpty() && text.charAt(0) == '\uFFFD' ? text.substring(1) : text;
        }
    }
}
