package org.operon.integration.source;

import org.apache.camel.CamelContext;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * The routes directory ({@code operon.routes.dir}): operator-written Camel YAML DSL route files
 * ({@code *.yaml}, including {@code *.camel.yaml}) loaded once at start into Operon's CamelContext. They
 * typically end at {@value SourceIntake#ENDPOINT} with the header {@value SourceIntake#SOURCE_HEADER}.
 *
 * <p>Route files are configuration, like rule files: they run inside Operon with its rights (files,
 * network, every Camel component on the class path). Only the operator may write the directory.
 *
 * <p>A file that does not parse, or whose routes do not start (an unknown component, a bad endpoint
 * option), is reported with its file; Operon then refuses to start, so routes of other files that were
 * already added stop with it.
 */
public final class RoutesDirectory {
    private final Path dir;

    public RoutesDirectory(Path dir) {
        this.dir = Objects.requireNonNull(dir, "dir");
    }

    public Path dir() {
        return dir;
    }

    /** The route files of the directory, sorted by name; not recursive. */
    public List<Path> files() throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException("the routes directory " + dir + " does not exist or is not a directory");
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().endsWith(".yaml"))
                    .sorted()
                    .toList();
        }
    }

    /**
     * Parses every route file and adds its routes to {@code context} (started routes start at once).
     *
     * @return the files loaded
     * @throws RoutesInvalidException naming each file and its problem
     */
    public List<Path> load(CamelContext context) {
        List<Path> files;
        try {
            files = files();
        } catch (IOException e) {
            throw new RoutesInvalidException(List.of(new Problem(dir, e.getMessage())));
        }
        List<Problem> problems = new ArrayList<>();
        for (Path file : files) {
            try {
                Resource resource = ResourceHelper.resolveMandatoryResource(context, "file:" + file.toAbsolutePath());
                Collection<RoutesBuilder> builders = PluginHelper.getRoutesLoader(context).findRoutesBuilders(resource);
                for (RoutesBuilder b : builders) {
                    context.addRoutes(b);
                }
            } catch (Exception e) {
                problems.add(new Problem(file, message(e)));
            }
        }
        if (!problems.isEmpty()) {
            throw new RoutesInvalidException(problems);
        }
        return files;
    }

    private static String message(Throwable e) {
        StringBuilder out = new StringBuilder();
        for (Throwable t = e; t != null && out.length() < 2000; t = t.getCause()) {
            String m = t.getMessage();
            if (m != null && !m.isBlank() && out.indexOf(m) < 0) {
                out.append(out.isEmpty() ? "" : ": ").append(m);
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return out.isEmpty() ? e.getClass().getSimpleName() : out.toString();
    }

    /** One file and what is wrong with it. */
    public record Problem(Path file, String detail) {
    }

    /** Route files that cannot be loaded: Operon refuses to start. */
    public static final class RoutesInvalidException extends RuntimeException {
        private final List<Problem> problems;

        public RoutesInvalidException(List<Problem> problems) {
            super(describe(problems));
            this.problems = List.copyOf(problems);
        }

        public List<Problem> problems() {
            return problems;
        }

        private static String describe(List<Problem> problems) {
            StringBuilder out = new StringBuilder("invalid route files (operon.routes.dir):");
            for (Problem p : problems) {
                out.append("\n  ").append(p.file()).append(": ").append(p.detail());
            }
            return out.toString();
        }
    }
}
