package org.operon.actions;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.operon.state.AuditEntry;
import org.operon.state.AuditLog;

/** A test stand-in for the Infinispan audit log; it also keeps every write in order. */
public final class InMemoryAuditLog implements AuditLog {
    private final Map<String, AuditEntry> entries = new ConcurrentHashMap<>();
    final List<AuditEntry> writes = new CopyOnWriteArrayList<>();
    private final Held asyncWrites = new Held();
    private final Held asyncFinds = new Held();
    /** How many asynchronous lookups were started. */
    final AtomicInteger findsStarted = new AtomicInteger();

    /** Work held back, as unfinished disk work: run, in order, when released. */
    private static final class Held {
        private final ConcurrentLinkedQueue<Runnable> work = new ConcurrentLinkedQueue<>();
        private volatile boolean holding;

        /** Runs {@code step} now, or holds it until {@link #release()} while holding. */
        void runOrHold(Runnable step) {
            if (holding) {
                work.add(step);
            } else {
                step.run();
            }
        }

        void hold() {
            holding = true;
        }

        void release() {
            holding = false;
            Runnable r;
            while ((r = work.poll()) != null) {
                r.run();
            }
        }

        int size() {
            return work.size();
        }
    }

    @Override
    public void record(AuditEntry entry) {
        entries.put(entry.id(), entry);
        writes.add(entry);
    }

    /**
     * Without {@link #holdAsyncWrites()}: records at once. With it: the entry is kept (and found) only when
     * {@link #releaseAsyncWrites()} completes its future, as a disk write that has not finished yet.
     */
    @Override
    public CompletableFuture<Void> recordAsync(AuditEntry entry) {
        CompletableFuture<Void> written = new CompletableFuture<>();
        asyncWrites.runOrHold(() -> {
            record(entry);
            written.complete(null);
        });
        return written;
    }

    /** Asynchronous writes wait for {@link #releaseAsyncWrites()} from now on. */
    public void holdAsyncWrites() {
        asyncWrites.hold();
    }

    /** Completes the asynchronous writes held so far, in order, and stops holding them. */
    public void releaseAsyncWrites() {
        asyncWrites.release();
    }

    /** How many asynchronous writes wait. */
    public int heldAsyncWrites() {
        return asyncWrites.size();
    }

    @Override
    public Optional<AuditEntry> find(String id) {
        return Optional.ofNullable(entries.get(id));
    }

    /**
     * Without {@link #holdFinds()}: finds at once. With it: the lookup completes (with what is kept then)
     * only when {@link #releaseFinds()} runs, as a file store lookup that has not finished yet.
     */
    @Override
    public CompletableFuture<Optional<AuditEntry>> findAsync(String id) {
        findsStarted.incrementAndGet();
        CompletableFuture<Optional<AuditEntry>> found = new CompletableFuture<>();
        asyncFinds.runOrHold(() -> found.complete(find(id)));
        return found;
    }

    /** Asynchronous lookups wait for {@link #releaseFinds()} from now on. */
    public void holdFinds() {
        asyncFinds.hold();
    }

    /** Completes the asynchronous lookups held so far and stops holding them. */
    public void releaseFinds() {
        asyncFinds.release();
    }

    /** How many asynchronous lookups wait. */
    public int heldFinds() {
        return asyncFinds.size();
    }

    @Override
    public List<AuditEntry> latest(int limit) {
        return entries.values().stream()
                .sorted(Comparator.comparing(AuditEntry::time).thenComparing(AuditEntry::id).reversed())
                .limit(limit)
                .toList();
    }

    public List<AuditEntry> all() {
        return List.copyOf(entries.values());
    }
}
