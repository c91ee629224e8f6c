package org.operon.engine;

import org.operon.engine.session.RuleSession;
import org.operon.model.Decision;
import org.operon.model.Event;
import org.operon.state.Checkpoint;
import org.operon.state.CheckpointStore;
import org.operon.state.EventJournal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

/**
 * The single writer of the rule session. Intake hands events to {@link #accept}; they are made
 * durable in the {@link EventJournal}, which hands them to this engine's bounded queue in sequence
 * order; one engine thread drains the queue, inserts in batches, fires, and moves the session's
 * pseudo clock. Decisions leave through the {@link DecisionListener}.
 *
 * <h2>Time</h2>
 * The session always runs on a pseudo clock. Events advance it to their arrival time (stamped by
 * the journal); when idle, the engine advances it to the injected clock every tick, which is what
 * makes absence rules fire. The engine never moves the clock past an event that is accepted but not
 * yet in its queue (it ticks only when no append is in flight), so the clock the session sees in
 * production is the same one a replay of the journal produces: decisions, and their ids, come out
 * the same.
 *
 * <h2>Restart</h2>
 * The engine records a {@link Checkpoint} (last processed sequence number and session clock). On
 * start it replays the journal from {@code restoreHorizon} before the checkpoint to rebuild windows,
 * with decisions muted up to the checkpoint (its sequence number, then its clock, so that timers that
 * fired before it do not fire again), then processes, unmuted, whatever was accepted but not
 * processed before a crash. Decisions made between the last checkpoint and a crash may be emitted
 * again; their ids are deterministic, so the action side drops the repeats. The checkpoint only
 * advances while no effect is in flight, so no decision whose action was lost in a crash is muted.
 *
 * <h2>Changing the rules</h2>
 * {@link #replaceRules} switches to other rules without losing state: on the engine thread, between
 * batches, a session of the new rules is rebuilt exactly as on a restart (the journal from
 * {@code restoreHorizon} before the session clock up to the last processed event, decisions muted,
 * then the clock moved, muted, to where the old session's clock stood) and takes the old one's
 * place. Every event in a window, every pending timer and every state a rule keeps is rebuilt from
 * the events that made it; no decision is made twice, and new rules do not act on the past. Intake
 * keeps accepting meanwhile; the events wait in the queue.
 *
 * <h2>Throttles</h2>
 * Every decision of the session passes its {@link DecisionThrottle} ({@link EngineOptions#throttles()})
 * before it reaches the listener, and before the muting of a replay, so a replay rebuilds the
 * throttle's windows as it rebuilds the rules' state: a decision throttled before a restart or a
 * switch of rules stays throttled after it. The throttle counts session time only; after each move
 * of the session clock it sends the {@code once_after} summaries that have fallen due. Each session
 * has a throttle of its own, filled by the replay that builds it.
 *
 * <h2>Back-pressure</h2>
 * Room in the queue is reserved before an event is journaled; when there is none, {@link #accept}
 * fails at once with {@link EngineOverloadedException} and nothing is written.
 */
public final class Engine implements EventAcceptor, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Engine.class);
    public static final String CHECKPOINT_NAME = "engine";
    private static final long STOP_SETTLE_MILLIS = 30_000;

    private final EventJournal journal;
    private final CheckpointStore checkpoints;
    private final DecisionListener listener;
    private final LongSupplier clock;
    private final EngineOptions options;
    private final BooleanSupplier effectsSettled;

    private final BlockingQueue<Event> queue;
    private final Semaphore room;
    private final AtomicLong inFlight = new AtomicLong();
    private final AtomicLong processed = new AtomicLong();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Object settleMonitor = new Object();
    private final Semaphore wakeUp = new Semaphore(0);
    private final Queue<Runnable> queries = new ConcurrentLinkedQueue<>();
    /** The newest checkpoint not yet handed to the store, for {@link #checkpointWriter}. */
    private final AtomicReference<Checkpoint> unsaved = new AtomicReference<>();
    /**
     * Writes checkpoints off the engine thread: a save is a durable (fsynced) store write, and waiting for
     * it on the engine thread delayed every event behind it. One thread, so saves keep their order.
     */
    private final ExecutorService checkpointWriter = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "operon-checkpoint");
        t.setDaemon(true);
        return t;
    });

    private volatile boolean accepting;
    private volatile boolean running;
    private volatile boolean paused;
    private volatile Throwable failure;
    private Thread thread;

    // Owned by the engine thread (and by start() before the thread exists).
    private SessionOpener opener;
    private ThrottledSession session;
    private boolean muted;
    private long lastSeq;
    private long lastCheckpointWall;
    private Checkpoint lastSaved = Checkpoint.START;
    /** The newest checkpoint the store confirmed (a handed-off save may fail after {@link #lastSaved} moved). */
    private volatile Checkpoint stored = Checkpoint.START;
    // Copies for other threads (status), written by the engine thread.
    private volatile long lastSeqSeen;
    private volatile long sessionClock;
    /** Whether the session keeps events for their 5 minutes (a rule of the rules directory may match them later). */
    private volatile boolean sessionKeepsEvents;

    /** An engine whose decision listener completes each effect before it returns. */
    public Engine(SessionOpener opener, EventJournal journal, CheckpointStore checkpoints, DecisionListener listener,
                  LongSupplier clock, EngineOptions options) {
        this(opener, journal, checkpoints, listener, clock, options, () -> true);
    }

    /**
     * @param effectsSettled true when every decision handed to the listener so far has had its effect
     *                       (or was durably recorded as failed). The checkpoint only advances while it
     *                       is true: a crash can then never leave a decision muted on restore whose
     *                       action was still in flight.
     */
    public Engine(SessionOpener opener, EventJournal journal, CheckpointStore checkpoints, DecisionListener listener,
                  LongSupplier clock, EngineOptions options, BooleanSupplier effectsSettled) {
        this.effectsSettled = effectsSettled;
        this.opener = opener;
        this.journal = journal;
        this.checkpoints = checkpoints;
        this.listener = listener;
        this.clock = clock;
        this.options = options;
        this.queue = new ArrayBlockingQueue<>(options.queueCapacity());
        this.room = new Semaphore(options.queueCapacity());
        for (ThrottlePolicy t : options.throttles()) {
            if (t.window().compareTo(options.restoreHorizon()) > 0) {
                LOG.warn("The throttle window of '{}' ({}) is longer than the restore horizon ({}): after a restart "
                        + "its windows are rebuilt from the horizon only", t.decisionType(), t.window(),
                        options.restoreHorizon());
            }
        }
    }

    /**
     * Restores the session from the checkpoint and the journal, then starts the engine thread. When
     * this returns, {@link #isAccepting()} is true.
     */
    public synchronized void start() {
        if (running) {
            return;
        }
        journal.onDurable(this::enqueueDurable);
        restore();
        lastSeqSeen = lastSeq;
        sessionClock = session.clockTime();
        sessionKeepsEvents = session.rules.keepsEvents();
        running = true;
        accepting = true;
        thread = new Thread(this::runLoop, "operon-engine");
        thread.setDaemon(false);
        thread.start();
        LOG.info("Engine accepting events (journal at seq {}, session clock {})", lastSeq, session.clockTime());
    }

    private void restore() {
        Checkpoint cp = checkpoints.load(CHECKPOINT_NAME);
        lastSaved = cp;
        stored = cp;
        long journalEnd = journal.lastSeq();
        long restoreFrom = cp.seq() == 0 ? 0 : Math.max(0, cp.clockTime() - options.restoreHorizon().toMillis());
        Replayed replayed;
        // Without a checkpoint nothing was processed: the whole journal is new, the session starts at
        // its first event. Otherwise history is replayed from the horizon, muted up to the checkpoint.
        try (Stream<Event> history = cp.seq() == 0 ? journal.readAfter(0) : journal.readFromArrival(restoreFrom)) {
            replayed = replay(opener, history, cp.seq() == 0 ? Long.MAX_VALUE : restoreFrom, cp, Long.MAX_VALUE);
        }
        session = replayed.session() != null ? replayed.session()
                : new ThrottledSession(opener, Math.max(clock.getAsLong(), cp.clockTime()));
        lastSeq = Math.max(replayed.lastSeq(), Math.max(cp.seq(), journalEnd));
        if (replayed.muted() + replayed.unmuted() > 0) {
            LOG.info("Restored session: replayed {} processed events (decisions muted) and processed {} events "
                    + "accepted before the last stop", replayed.muted(), replayed.unmuted());
        }
        processed.addAndGet(replayed.unmuted());
        // The next checkpoint is written by the engine thread once the resumed events' effects are done.
    }

    /**
     * What {@link #replay} rebuilt.
     *
     * @param session the new session, or null when the history held no event
     * @param lastSeq the sequence number of the last event replayed (0 when none)
     * @param muted   events replayed with decisions muted (processed before)
     * @param unmuted events processed for the first time
     */
    private record Replayed(ThrottledSession session, long lastSeq, long muted, long unmuted) {
    }

    /**
     * Opens a session of {@code rules} and feeds it {@code history} up to and including sequence
     * number {@code upToSeq}, in batches. Decisions are muted for the events up to
     * {@code processed.seq()}, which were processed before; then the clock is moved, still muted, to
     * {@code processed.clockTime()} (not past the next event), so the timers that had already fired
     * do not fire again; the events after that are processed with decisions on. The session's clock
     * starts at {@code startTime}, or at the first event's arrival when that is earlier. If the new
     * rules fail, the new session is closed and the exception propagates.
     */
    private Replayed replay(SessionOpener rules, Stream<Event> history, long startTime, Checkpoint processed,
                            long upToSeq) {
        ThrottledSession fresh = null;
        long last = 0;
        long mutedCount = 0;
        long unmutedCount = 0;
        try {
            Iterator<Event> it = history.iterator();
            List<Event> chunk = new ArrayList<>(options.batchSize());
            muted = true;
            while (it.hasNext()) {
                Event e = it.next();
                if (e.getSeq() > upToSeq) {
                    break;
                }
                if (fresh == null) {
                    fresh = new ThrottledSession(rules, Math.min(e.getArrivalTime(), startTime));
                }
                boolean alreadyProcessed = e.getSeq() <= processed.seq();
                if (!chunk.isEmpty() && (chunk.size() == options.batchSize() || alreadyProcessed != muted)) {
                    fresh.process(chunk);
                    chunk.clear();
                }
                if (muted && !alreadyProcessed) {
                    fresh.advanceTo(Math.min(processed.clockTime(), e.getArrivalTime()));
                    muted = false;
                }
                chunk.add(e);
                last = e.getSeq();
                if (alreadyProcessed) mutedCount++; else unmutedCount++;
                if (e.getSeq() == upToSeq) {
                    break; // read no further: later records may still be in the making
                }
            }
            if (!chunk.isEmpty()) {
                fresh.process(chunk);
            }
            if (fresh != null && muted) {
                fresh.advanceTo(processed.clockTime());
            }
            return new Replayed(fresh, last, mutedCount, unmutedCount);
        } catch (RuntimeException | Error e) {
            if (fresh != null) {
                fresh.close();
            }
            throw e;
        } finally {
            muted = false;
        }
    }

    /**
     * What a switch of rules did.
     *
     * @param replayedEvents journal events replayed into the new session
     * @param millis         how long the engine thread spent rebuilding and switching
     */
    public record RulesSwitched(long replayedEvents, long millis) {
    }

    /**
     * Switches to other rules keeping all state (see "Changing the rules" in the class comment). Runs
     * on the engine thread between batches, also while paused. The future completes once the new
     * rules decide; it fails, with the old rules still running, when the new rules throw while the
     * state is rebuilt (a {@link org.operon.engine.session.RuleFailedException} naming the rule), and
     * with an {@link IllegalStateException} when the engine has stopped or failed.
     */
    public CompletableFuture<RulesSwitched> replaceRules(SessionOpener rules) {
        CompletableFuture<RulesSwitched> result = new CompletableFuture<>();
        if (stopped.getCount() == 0) {
            result.completeExceptionally(new IllegalStateException("the engine is stopped"));
            return result;
        }
        queries.add(() -> {
            if (stopped.getCount() == 0 || failure != null) {
                result.completeExceptionally(new IllegalStateException("the engine is stopped"));
                return;
            }
            try {
                result.complete(switchTo(rules));
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        wakeUp.release();
        return result;
    }

    /** On the engine thread: rebuilds the state under {@code rules} and swaps the sessions. */
    private RulesSwitched switchTo(SessionOpener rules) {
        long began = clock.getAsLong();
        ThrottledSession old = session;
        long now = old.clockTime();
        long from = Math.max(0, now - options.restoreHorizon().toMillis());
        Replayed replayed;
        try (Stream<Event> history = journal.readFromArrival(from)) {
            replayed = replay(rules, history, from, new Checkpoint(lastSeq, now), lastSeq);
        }
        session = replayed.session() != null ? replayed.session() : new ThrottledSession(rules, now);
        sessionKeepsEvents = session.rules.keepsEvents(); // also while paused, when the loop does not refresh it
        opener = rules;
        old.close();
        long took = Math.max(0, clock.getAsLong() - began);
        LOG.info("Rules switched: rebuilt the state from {} journal events in {} ms (session clock {})",
                replayed.muted(), took, now);
        return new RulesSwitched(replayed.muted(), took);
    }

    @Override
    public CompletableFuture<List<Event>> accept(List<Event> events) throws EngineOverloadedException {
        if (!accepting) {
            throw new IllegalStateException("the engine is not accepting events (starting or stopping)");
        }
        if (events.isEmpty()) {
            return CompletableFuture.completedFuture(List.of());
        }
        int n = events.size();
        if (n > options.queueCapacity()) {
            throw new IllegalArgumentException("a batch of " + n + " events exceeds the engine queue capacity of "
                    + options.queueCapacity());
        }
        if (!room.tryAcquire(n)) {
            throw new EngineOverloadedException("the engine queue is full (" + options.queueCapacity()
                    + " events waiting)", options.retryAfterSeconds());
        }
        inFlight.addAndGet(n);
        CompletableFuture<List<Event>> written;
        try {
            written = journal.append(events);
        } catch (RuntimeException e) {
            inFlight.addAndGet(-n);
            room.release(n);
            throw e;
        }
        return written.whenComplete((stamped, error) -> {
            if (error != null) {
                // Not durable, so never queued: give the room back.
                inFlight.addAndGet(-n);
                room.release(n);
            }
        });
    }

    /** Called by the journal's writer thread, in sequence order, once a group is on disk. */
    private void enqueueDurable(List<Event> stamped) {
        for (Event e : stamped) {
            // Room was reserved in accept(), so offer() cannot fail; add() would say so loudly if it did.
            queue.add(e);
        }
        inFlight.addAndGet(-stamped.size());
        wakeUp.release();
    }

    @Override
    public boolean isAccepting() {
        return accepting && failure == null;
    }

    /**
     * Stops processing without stopping intake: events are still accepted into the journal and the
     * queue (until it is full) and the session clock stands still. For maintenance; a paused engine
     * that is stopped still processes what it accepted, and a restart always starts unpaused.
     */
    public void pause() {
        paused = true;
        LOG.info("Engine paused: events are accepted and kept, not processed");
    }

    /** Resumes processing after {@link #pause()}. */
    public void resume() {
        paused = false;
        wakeUp.release();
        LOG.info("Engine resumed");
    }

    public boolean isPaused() {
        return paused;
    }

    /**
     * A snapshot of the engine for status pages.
     *
     * @param processed events processed since this engine started (restored history not counted)
     * @param backlog   events accepted and not yet processed
     * @param lastSeq   journal sequence number of the last processed event
     * @param clockTime the session clock, epoch milliseconds
     * @param keepsEvents whether events stay in the session for 5 minutes after their arrival (a rule of the
     *                    rules directory may match them later), or leave once the rules fired on them
     */
    public record Status(boolean accepting, boolean paused, long processed, int backlog, long lastSeq, long clockTime,
                         boolean keepsEvents) {
    }

    public Status status() {
        return new Status(isAccepting(), paused, processed.get(), backlog(), lastSeqSeen, sessionClock,
                sessionKeepsEvents);
    }

    /** Events processed since this engine started (restored events not counted). */
    public long processedCount() {
        return processed.get();
    }

    /** Events accepted and not yet processed. */
    public int backlog() {
        return options.queueCapacity() - room.availablePermits();
    }

    private void runLoop() {
        List<Event> batch = new ArrayList<>(options.batchSize());
        try {
            while (running || inFlight.get() > 0 || !queue.isEmpty()) {
                // Woken by a durable event group or a submitted query, else after one tick.
                if ((queue.isEmpty() || paused)
                        && wakeUp.tryAcquire(options.tickInterval().toMillis(), TimeUnit.MILLISECONDS)) {
                    wakeUp.drainPermits();
                }
                runQueries();
                if (paused && running) {
                    continue;
                }
                if (queue.drainTo(batch, options.batchSize()) > 0) {
                    processBatch(batch);
                    batch.clear();
                }
                tick();
                lastSeqSeen = lastSeq;
                sessionClock = session.clockTime();
                sessionKeepsEvents = session.rules.keepsEvents();
                maybeCheckpoint(false);
            }
            awaitEffectsSettled();
            maybeCheckpoint(true);
            runQueries();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warn("Engine thread interrupted; {} events stay in the journal for the next start", backlog());
        } catch (Throwable t) {
            failure = t;
            accepting = false;
            LOG.error("Engine failed; it stops accepting events. Accepted events stay in the journal and are "
                    + "processed on the next start", t);
        } finally {
            try {
                session.close();
            } finally {
                checkpointWriter.shutdown();
                stopped.countDown();
                Runnable q;
                while ((q = queries.poll()) != null) {
                    q.run(); // each fails its future: the session is closed
                }
            }
        }
    }

    /**
     * Runs {@code query} on the engine thread, between batches, with read access to the session's
     * facts, and completes the future with its result. Queries see every event processed before
     * them; they must not keep references to facts beyond the call. Works while paused.
     */
    public <T> CompletableFuture<T> inspect(Function<SessionView, T> query) {
        CompletableFuture<T> result = new CompletableFuture<>();
        if (stopped.getCount() == 0) {
            result.completeExceptionally(new IllegalStateException("the engine is stopped"));
            return result;
        }
        queries.add(() -> {
            try {
                result.complete(query.apply(session.view()));
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        wakeUp.release();
        return result;
    }

    private void runQueries() {
        Runnable q;
        while ((q = queries.poll()) != null) {
            q.run();
        }
    }

    private void processBatch(List<Event> batch) {
        session.process(batch);
        lastSeq = batch.get(batch.size() - 1).getSeq();
        processed.addAndGet(batch.size());
        room.release(batch.size());
    }

    /**
     * Moves the session clock to the injected clock, but only when no accepted event is still on
     * its way to the queue: such an event may carry an earlier arrival time, and the clock must not
     * pass it (see the class comment).
     */
    private void tick() {
        long now = clock.getAsLong();
        if (inFlight.get() == 0 && queue.isEmpty() && now > session.clockTime()) {
            session.advanceTo(now);
        }
    }

    /** On stop: gives the listener's in-flight effects time to finish, so the final checkpoint covers them. */
    private void awaitEffectsSettled() throws InterruptedException {
        long waited = 0;
        long step = options.tickInterval().toMillis();
        while (!effectsSettled.getAsBoolean() && waited < STOP_SETTLE_MILLIS) {
            synchronized (settleMonitor) {
                settleMonitor.wait(step);
            }
            waited += step;
        }
    }

    private void maybeCheckpoint(boolean force) {
        if (force && !awaitHandedOffSaves()) {
            return; // interrupted (the stop timed out): the stored checkpoint stays older, a restart replays more
        }
        if (!effectsSettled.getAsBoolean()) {
            return; // an action is still in flight; checkpoint once it is done
        }
        Checkpoint current = new Checkpoint(lastSeq, session.clockTime());
        // On stop, against what the store confirmed: a handed-off save may have failed since it was handed off.
        if (current.equals(force ? stored : lastSaved)) {
            return;
        }
        long wall = clock.getAsLong();
        if (force || wall - lastCheckpointWall >= options.checkpointInterval().toMillis()) {
            saveCheckpoint(force);
            lastCheckpointWall = wall;
        }
    }

    /**
     * Saves the current checkpoint: on stop ({@code force}) on this thread, after every save handed off
     * before ({@link #awaitHandedOffSaves}); otherwise handed to {@link #checkpointWriter}, which saves the
     * newest one it finds. A later save only makes the stored checkpoint older than the session, which a
     * restart handles (it replays more, muted), so the hand-off keeps the guarantee of the class comment.
     */
    private void saveCheckpoint(boolean force) {
        Checkpoint cp = new Checkpoint(lastSeq, session.clockTime());
        lastSaved = cp;
        if (force) {
            checkpoints.save(CHECKPOINT_NAME, cp);
            stored = cp;
            return;
        }
        if (unsaved.getAndSet(cp) == null) {
            checkpointWriter.execute(this::saveUnsaved);
        }
    }

    /**
     * On stop: waits until {@link #checkpointWriter} has stored every checkpoint handed to it. Without this a
     * stop whose state was already handed off returned while the save was still queued, and a restart right
     * after it read the checkpoint before, emitting again the decisions made since.
     */
    private boolean awaitHandedOffSaves() {
        try {
            checkpointWriter.submit(this::saveUnsaved).get();
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException e) {
            LOG.error("Saving a checkpoint failed", e.getCause());
            return true;
        }
    }

    /** On the checkpoint writer: saves the newest checkpoint handed off, if any. */
    private void saveUnsaved() {
        Checkpoint cp = unsaved.getAndSet(null);
        if (cp == null) {
            return;
        }
        try {
            checkpoints.save(CHECKPOINT_NAME, cp);
            stored = cp;
        } catch (RuntimeException e) {
            LOG.error("Saving checkpoint {} failed; the next one is tried within {}", cp,
                    options.checkpointInterval(), e);
        }
    }

    /** Hands a decision that passed the throttle to the listener, unless a replay mutes it. */
    private void emit(Decision decision) {
        if (!muted) {
            listener.onDecision(decision);
        }
    }

    /**
     * A rule session with the throttle of its decisions, which sends its due summaries after every
     * move of the session clock. Owned by the engine thread.
     */
    private final class ThrottledSession implements AutoCloseable {
        private final RuleSession rules;
        private final DecisionThrottle throttle;

        ThrottledSession(SessionOpener opener, long startTime) {
            DecisionThrottle fresh = new DecisionThrottle(options.throttles());
            this.throttle = fresh;
            this.rules = opener.open(startTime, d -> fresh.offer(d, Engine.this::emit));
        }

        void process(List<Event> events) {
            rules.process(events);
            throttle.flushDue(rules.clockTime(), Engine.this::emit);
        }

        void advanceTo(long epochMillis) {
            rules.advanceTo(epochMillis);
            throttle.flushDue(rules.clockTime(), Engine.this::emit);
        }

        long clockTime() {
            return rules.clockTime();
        }

        SessionView view() {
            return rules;
        }

        @Override
        public void close() {
            rules.close();
        }
    }

    /**
     * Stops accepting, processes everything already accepted, writes the final checkpoint and closes
     * the session. Waits at most {@code timeout}; what is left unprocessed stays in the journal and
     * is processed on the next start.
     *
     * @return true if the engine stopped within the timeout
     */
    public boolean stop(Duration timeout) {
        synchronized (this) {
            if (!running) {
                return true;
            }
            accepting = false;
            running = false;
        }
        wakeUp.release();
        try {
            boolean done = stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!done) {
                LOG.warn("Engine did not drain within {}; {} events stay in the journal for the next start",
                        timeout, backlog());
                thread.interrupt();
            }
            return done;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(30));
    }
}
