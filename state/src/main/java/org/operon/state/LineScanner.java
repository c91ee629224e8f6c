package org.operon.state;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads a file of newline-terminated lines as bytes, keeping track of byte offsets, so that the journal
 * can tell a complete record from a torn one and truncate exactly after the last complete line.
 */
final class LineScanner implements Closeable {
    private final InputStream in;
    private final byte[] buffer = new byte[64 * 1024];
    private int position;
    private int limit;
    private long consumed;
    private byte[] line = new byte[1024];
    private int lineLength;
    private boolean terminated;
    private long lineStart;

    LineScanner(InputStream in) {
        this.in = in;
    }

    /**
     * Reads the next line. Returns false at the end of the file; otherwise the line's bytes are in
     * {@link #bytes()} (without the newline) and {@link #terminated()} says whether a newline ended it.
     */
    boolean next() throws IOException {
        lineLength = 0;
        terminated = false;
        lineStart = consumed;
        boolean any = false;
        while (true) {
            if (position == limit) {
                limit = in.read(buffer);
                position = 0;
                if (limit <= 0) {
                    limit = 0;
                    return any;
                }
            }
            any = true;
            int start = position;
            while (position < limit && buffer[position] != '\n') {
                position++;
            }
            int length = position - start;
            append(start, length);
            consumed += length;
            if (position < limit) {
                position++; // the newline
                consumed++;
                terminated = true;
                return true;
            }
        }
    }

    private void append(int start, int length) {
        if (lineLength + length > line.length) {
            line = Arrays.copyOf(line, Math.max(line.length * 2, lineLength + length));
        }
        System.arraycopy(buffer, start, line, lineLength, length);
        lineLength += length;
    }

    byte[] bytes() {
        return line;
    }

    int length() {
        return lineLength;
    }

    boolean terminated() {
        return terminated;
    }

    /** The file offset of the line's first byte. */
    long lineStart() {
        return lineStart;
    }

    /** The file offset just after the line (and its newline, when terminated). */
    long lineEnd() {
        return consumed;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
