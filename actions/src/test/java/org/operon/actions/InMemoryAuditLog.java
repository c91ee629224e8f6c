package org.operon.actions;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

import org.operon.state.AuditEntry;
import org.operon.state.AuditLog;

/** A test stand-in for the Infinispan audit log; it also keeps every write in order. */
public final class InMemoryAuditLog implements AuditLog {
    private final Map<String, AuditEntry> entries = new ConcurrentHashMap<>();
    final List<AuditEntry> writes = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<Runnable> held = new ConcurrentLinkedQueue<>();
    private volatile boolean holding;

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
        if (!holding) {
            record(entry);
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> written = new CompletableFuture<>();
        held.add(() -> {
            record(entry);
            written.complete(null);
        });
        return written;
    }

    /** Asynchronous writes wait for {@link #releaseAsyncWrites()} from now on. */
    public void holdAsyncWrites() {
        holding = true;
    }

    /** Completes the asynchronous writes held so far, in order, and stops holding them. */
    public void releaseAsyncWrites() {
        holding = false;
        Runnable r;
        while ((r = held.poll()) != null) {
            r.run();
        }
    }

    /** How many asynchronous writes wait. */
    public int heldAsyncWrites() {
        return held.size();
    }

    @Override
    public Optional<AuditEntry> find(String id) {
        return Optional.ofNullable(entries.get(id));
    }

    private final ConcurrentLinkedQueue<Runnable> heldFinds = new ConcurrentLinkedQueue<>();
    private volatile boolean holdingFinds;

    /**
     * Without {@link #holdFinds()}: finds at once. With it: the lookup completes (with what is kept then)
     * only when {@link #releaseFinds()} runs, as a file store lookup that has not finished yet.
     */
    /** How many asynchronous lookups were started. */
    final java.util.concurrent.atomic.AtomicInteger findsStarted = new java.util.concurrent.atomic.AtomicInteger();

    @Override
    public CompletableFuture<Optional<AuditEntry>> findAsync(String id) {
        findsStarted.incrementAndGet();
        if (!holdingFinds) {
            return CompletableFuture.completedFuture(find(id));
        }
        CompletableFuture<Optional<AuditEntry>> found = new CompletableFuture<>();
        heldFinds.add(() -> found.complete(find(id)));
        return found;
    }

    /** Asynchronous lookups wait for {@link #releaseFinds()} from now on. */
    public void holdFinds() {
        holdingFinds = true;
    }

    /** Completes the asynchronous lookups held so far and stops holding them. */
    public void releaseFinds() {
        holdingFinds = false;
        Runnable r;
        while ((r = heldFinds.poll()) != null) {
            r.run();
        }
    }

    /** How many asynchronous lookups wait. */
    public int heldFinds() {
        return heldFinds.size();
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
