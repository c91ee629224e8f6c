package org.operon.actions;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One target's bounded queue and the workers that drain it, under the target's {@link TargetPolicy}:
 *
 * <ul>
 *   <li>{@code maxConcurrent} workers; with one (the default) actions run one at a time in queue order.</li>
 *   <li>At most {@code maxConcurrentPerSubject} actions of one decision subject run at once; a worker
 *       takes the oldest queued action whose subject is below that limit, so one busy subject does not
 *       hold up the others.</li>
 *   <li>A {@link Rate}: a worker starts an action no sooner than {@link Rate#spacing()} after the
 *       previous start, by the injected clock (waiting in slices of at most {@value #WAIT_SLICE_MILLIS} ms,
 *       so a clock moved by a test is noticed).</li>
 *   <li>At most once per action id: an id already queued, running or settling is not queued again, so one
 *       action never runs on two threads.</li>
 * </ul>
 *
 * <p>The handler performs an action and returns a stage that completes once its outcome is recorded
 * ("settled"). The worker takes the next action as soon as the effect is done, while the record is still
 * being written, so that records of consecutive actions share the disk's forced writes; an action
 * counts as running (for the limits above) until the handler returns, and as held (not queued again)
 * until it settled. At most {@value #MAX_SETTLING} actions of a lane settle at once.
 */
final class TargetLane {
    static final long WAIT_SLICE_MILLIS = 50;
    /** How many performed actions of one lane may wait for their records at once. */
    static final int MAX_SETTLING = 1024;

    /** What {@link #enqueue} did. */
    enum Queued { QUEUED, DUPLICATE, FULL }

    private final String target;
    private final int capacity;
    private final TargetPolicy policy;
    private final Clock clock;
    private final Function<Action, CompletionStage<?>> handler;
    private final Consumer<Action> released;
    private final Semaphore settling = new Semaphore(MAX_SETTLING);
    private final BooleanSupplier stopped;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Action> queue = new ArrayDeque<>();
    private final Set<String> held = new HashSet<>();
    private final Map<String, Integer> runningBySubject = new HashMap<>();
    private final List<Thread> workers = new ArrayList<>();
    private int running;
    private long nextStartMillis = Long.MIN_VALUE;

    /**
     * @param handler performs one action and returns the stage of its settling (see the class comment); called
     *                on a worker thread, never twice at once for one id
     * @param released  told after an action settled and its id is no longer held
     * @param stopped true once queuing must give up waiting for room
     */
    TargetLane(String target, int capacity, TargetPolicy policy, Clock clock,
               Function<Action, CompletionStage<?>> handler, Consumer<Action> released,
               BooleanSupplier stopped) {
        this.target = target;
        this.capacity = capacity;
        this.policy = policy;
        this.clock = clock;
        this.handler = handler;
        this.released = released;
        this.stopped = stopped;
        for (int i = 0; i < policy.maxConcurrent(); i++) {
            Thread worker = new Thread(this::work, "operon-action-" + target + (policy.maxConcurrent() > 1 ? "-" + i : ""));
            worker.setDaemon(true);
            workers.add(worker);
        }
    }

    String target() {
        return target;
    }

    TargetPolicy policy() {
        return policy;
    }

    void start() {
        workers.forEach(Thread::start);
    }

    void interrupt() {
        workers.forEach(Thread::interrupt);
    }

    void join(Duration maxWait) {
        long deadline = System.nanoTime() + maxWait.toNanos();
        for (Thread worker : workers) {
            try {
                worker.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Queues the action, waiting for room while {@code stopped} is false. An interrupt of the calling
     * thread does not drop the action; the interrupt flag is restored.
     *
     * @throws IllegalStateException when stopped while waiting for room
     */
    Queued enqueue(Action action) {
        return enqueue(action, queued -> { });
    }

    /**
     * {@link #enqueue(Action)}, calling {@code queuing} with the action just before it is queued, under the
     * lane's lock: after every earlier run of its id here has been released, and before a worker can take it.
     */
    Queued enqueue(Action action, java.util.function.Consumer<Action> queuing) {
        boolean interrupted = false;
        lock.lock();
        try {
            if (held.contains(action.id())) {
                return Queued.DUPLICATE;
            }
            while (queue.size() >= capacity) {
                if (stopped.getAsBoolean()) {
                    throw new IllegalStateException("ActionDispatcher stopped while waiting to queue action "
                            + action.id() + " for " + target);
                }
                try {
                    changed.await(WAIT_SLICE_MILLIS * 2, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
                if (held.contains(action.id())) {
                    return Queued.DUPLICATE; // queued by another caller while this one waited for room
                }
            }
            queuing.accept(action);
            queue.addLast(action);
            held.add(action.id());
            changed.signalAll();
            return Queued.QUEUED;
        } finally {
            lock.unlock();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Queues the action only when there is room now; never waits. */
    Queued tryEnqueue(Action action) {
        lock.lock();
        try {
            if (held.contains(action.id())) {
                return Queued.DUPLICATE;
            }
            if (queue.size() >= capacity) {
                return Queued.FULL;
            }
            queue.addLast(action);
            held.add(action.id());
            changed.signalAll();
            return Queued.QUEUED;
        } finally {
            lock.unlock();
        }
    }

    /** Whether the action id is queued or running here. */
    boolean holds(String actionId) {
        lock.lock();
        try {
            return held.contains(actionId);
        } finally {
            lock.unlock();
        }
    }

    int queued() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    int running() {
        lock.lock();
        try {
            return running;
        } finally {
            lock.unlock();
        }
    }

    private void work() {
        while (true) {
            Action action;
            try {
                settling.acquire();
            } catch (InterruptedException e) {
                return;
            }
            try {
                action = next();
            } catch (InterruptedException e) {
                settling.release();
                return;
            }
            CompletionStage<?> settled = null;
            try {
                settled = handler.apply(action);
            } finally {
                stopRunning(action);
                if (settled == null) {
                    settling.release();
                    release(action);
                }
            }
            settled.whenComplete((result, failure) -> {
                settling.release();
                release(action);
            });
        }
    }

    /** The oldest queued action that its subject's limit and the rate let start now; waits for one. */
    private Action next() throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (true) {
                Action startable = firstStartable();
                if (startable == null) {
                    changed.await(WAIT_SLICE_MILLIS, TimeUnit.MILLISECONDS);
                    continue;
                }
                if (policy.rate() != null) {
                    long now = clock.millis();
                    if (now < nextStartMillis) {
                        changed.await(Math.min(nextStartMillis - now, WAIT_SLICE_MILLIS), TimeUnit.MILLISECONDS);
                        continue;
                    }
                    nextStartMillis = now + policy.rate().spacing().toMillis();
                }
                queue.remove(startable);
                running++;
                runningBySubject.merge(startable.decision().getSubject(), 1, Integer::sum);
                changed.signalAll();
                return startable;
            }
        } finally {
            lock.unlock();
        }
    }

    private Action firstStartable() {
        int perSubject = policy.maxConcurrentPerSubject();
        for (Iterator<Action> it = queue.iterator(); it.hasNext(); ) {
            Action candidate = it.next();
            if (perSubject == 0 || runningBySubject.getOrDefault(candidate.decision().getSubject(), 0) < perSubject) {
                return candidate;
            }
        }
        return null;
    }

    private void stopRunning(Action action) {
        lock.lock();
        try {
            running--;
            runningBySubject.computeIfPresent(action.decision().getSubject(), (s, n) -> n > 1 ? n - 1 : null);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void release(Action action) {
        lock.lock();
        try {
            held.remove(action.id());
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        released.accept(action);
    }

}
