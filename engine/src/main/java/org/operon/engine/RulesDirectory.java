package org.operon.engine;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The user's rules directory ({@code operon.rules.dir}): which of its files are rule files, read
 * together with a fingerprint of their content.
 *
 * <p>Rule files are {@code *.drl}, {@code *.drl.xlsx}, {@code *.drl.xls} and {@code *.drl.csv}, in the
 * directory and its subdirectories. Names starting with a dot are skipped, files and directories
 * alike: editors' swap files, and the {@code ..data} directories through which Kubernetes swaps a
 * mounted ConfigMap (whose visible files are symbolic links, which are followed). Other files are
 * ignored; a spreadsheet or CSV file without {@code .drl.} in its name is logged once, since it was
 * probably meant as a decision table.
 */
public final class RulesDirectory {
    private static final Logger LOG = LoggerFactory.getLogger(RulesDirectory.class);

    private final Path dir;
    private final Set<String> warnedAbout = ConcurrentHashMap.newKeySet();

    public RulesDirectory(Path dir) {
        this.dir = Objects.requireNonNull(dir, "dir").toAbsolutePath().normalize();
    }

    public Path path() {
        return dir;
    }

    /**
     * The rule files as they are now, sorted by path.
     *
     * @param sources     the rule files, read
     * @param fingerprint a digest of every rule file's path and content: equal fingerprints, same rules
     */
    public record Snapshot(List<RuleSource> sources, String fingerprint) {
    }

    /**
     * Reads every rule file.
     *
     * @throws RulesInvalidException when the directory does not exist or a file cannot be read (the
     *                               error names the file)
     */
    public Snapshot read() throws RulesInvalidException {
        if (!Files.isDirectory(dir)) {
            throw new RulesInvalidException(List.of(new RuleError("", 0, 0,
                    "the rules directory " + dir + " does not exist or is not a directory (operon.rules.dir)")));
        }
        List<Path> files = new ArrayList<>();
        try {
            Files.walkFileTree(dir, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                    return !d.equals(dir) && hidden(d) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) {
                    if (attrs.isRegularFile() && !hidden(f)) {
                        if (RuleSource.kindOf(f.getFileName().toString()) != null) {
                            files.add(f);
                        } else {
                            warnIfMisnamed(f);
                        }
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path f, IOException e) throws IOException {
                    if (e instanceof FileSystemLoopException || hidden(f)) {
                        return FileVisitResult.CONTINUE;
                    }
                    throw e;
                }
            });
        } catch (IOException e) {
            throw new RulesInvalidException(List.of(new RuleError(relative(pathOf(e)), 0, 0,
                    "cannot read: " + e)));
        }
        files.sort(Comparator.comparing(this::relative));
        List<RuleSource> sources = new ArrayList<>(files.size());
        MessageDigest digest = sha256();
        for (Path f : files) {
            String path = relative(f);
            byte[] content;
            try {
                content = Files.readAllBytes(f);
            } catch (IOException e) {
                throw new RulesInvalidException(List.of(new RuleError(path, 0, 0, "cannot read the file: " + e)));
            }
            sources.add(new RuleSource(path, content));
            digest.update(path.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            digest.update((byte) 0);
            digest.update(Long.toString(content.length).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            digest.update((byte) 0);
            digest.update(content);
        }
        return new Snapshot(List.copyOf(sources), HexFormat.of().formatHex(digest.digest()));
    }

    /**
     * The fingerprint of the rule files as they are now, or a fingerprint that stands for "cannot be
     * read" (which differs from any readable state). For watching: never throws.
     */
    public String fingerprint() {
        try {
            return read().fingerprint();
        } catch (RulesInvalidException e) {
            return unreadable(e);
        } catch (UncheckedIOException e) {
            return "unreadable: " + e.getMessage();
        }
    }

    /** The fingerprint of a directory that {@link #read()} refused with {@code e}. */
    static String unreadable(RulesInvalidException e) {
        return "unreadable: " + e.getMessage();
    }

    private static boolean hidden(Path p) {
        Path name = p.getFileName();
        return name != null && name.toString().startsWith(".");
    }

    private String relative(Path p) {
        if (p == null) {
            return "";
        }
        return dir.relativize(p.toAbsolutePath().normalize()).toString().replace(p.getFileSystem().getSeparator(), "/");
    }

    private static Path pathOf(IOException e) {
        if (e instanceof java.nio.file.FileSystemException fse && fse.getFile() != null) {
            return Path.of(fse.getFile());
        }
        return null;
    }

    private void warnIfMisnamed(Path f) {
        String name = f.getFileName().toString().toLowerCase(Locale.ROOT);
        if ((name.endsWith(".xlsx") || name.endsWith(".xls") || name.endsWith(".csv")) && warnedAbout.add(relative(f))) {
            LOG.warn("Ignoring {} in the rules directory: a decision table's name must end in .drl.xlsx, .drl.xls "
                    + "or .drl.csv", relative(f));
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }

    @Override
    public String toString() {
        return dir.toString();
    }
}
