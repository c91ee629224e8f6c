package org.operon.state;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One file of the journal, {@code journal-<first seq, 20 digits>.jsonl}. Its records run from its first
 * sequence number to the one before the next segment's first; the name alone orders segments.
 */
record JournalSegment(Path path, long firstSeq) {
    private static final Pattern NAME = Pattern.compile("journal-(\\d{20})\\.jsonl");

    static Path pathOf(Path dir, long firstSeq) {
        return dir.resolve(String.format("journal-%020d.jsonl", firstSeq));
    }

    /** The segments in {@code dir}, by first sequence number. Other files are ignored. */
    static List<JournalSegment> list(Path dir) {
        List<JournalSegment> segments = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "journal-*.jsonl")) {
            for (Path file : files) {
                Matcher m = NAME.matcher(file.getFileName().toString());
                if (m.matches()) {
                    segments.add(new JournalSegment(file, Long.parseLong(m.group(1))));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the journal directory " + dir, e);
        }
        segments.sort(Comparator.comparingLong(JournalSegment::firstSeq));
        return segments;
    }

    /**
     * The last complete line of the segment (without its newline), read backwards from the end so that
     * the cost does not grow with the segment; null if the segment holds no complete line.
     */
    byte[] lastLine() throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            // An unterminated tail is a record being written, or torn: the last line ends at the last newline.
            long lineEnd = lastNewlineBefore(channel, channel.size());
            if (lineEnd < 0) {
                return null;
            }
            long start = lastNewlineBefore(channel, lineEnd) + 1;
            ByteBuffer line = ByteBuffer.allocate((int) (lineEnd - start));
            readFully(channel, line, start);
            return line.array();
        }
    }

    /** The position of the last newline before {@code end}, or -1. Reads backwards in chunks. */
    private static long lastNewlineBefore(FileChannel channel, long end) throws IOException {
        ByteBuffer chunk = ByteBuffer.allocate(8192);
        long to = end;
        while (to > 0) {
            long from = Math.max(0, to - chunk.capacity());
            chunk.clear().limit((int) (to - from));
            readFully(channel, chunk, from);
            for (int i = chunk.limit() - 1; i >= 0; i--) {
                if (chunk.get(i) == '\n') {
                    return from + i;
                }
            }
            to = from;
        }
        return -1;
    }

    private static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, at);
            if (n < 0) {
                throw new IOException("unexpected end of journal segment");
            }
            at += n;
        }
    }
}
