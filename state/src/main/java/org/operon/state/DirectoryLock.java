package org.operon.state;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive operating-system lock on a file, held while one owner uses a directory. The operating
 * system releases it when the process dies, however it dies, so unlike a marker file it never dangles
 * after a {@code kill -9}: a crashed owner never blocks the next start, and two live owners never
 * share a directory.
 */
final class DirectoryLock implements AutoCloseable {
    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private DirectoryLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock on {@code file}, creating it if missing.
     *
     * @throws IllegalStateException if another process, or another owner in this process, holds it
     * @throws UncheckedIOException if the file cannot be opened
     */
    static DirectoryLock acquire(Path file, String what) {
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the lock file " + file + " of the " + what, e);
        }
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        } catch (IOException e) {
            closeQuietly(channel);
            throw new UncheckedIOException("cannot lock " + file + " of the " + what, e);
        }
        if (lock == null) {
            closeQuietly(channel);
            throw new IllegalStateException("the " + what + " in " + file.getParent()
                    + " is already open (lock " + file + " is held); only one Operon may use a data directory");
        }
        return new DirectoryLock(file, channel, lock);
    }

    Path file() {
        return file;
    }

    /** Releases the lock. The file stays; it means nothing when no process holds its lock. */
    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException e) {
            // Closing the channel below releases the lock as well.
        }
        closeQuietly(channel);
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Nothing is written through this channel; there is nothing to lose.
        }
    }
}
