package org.operon.integration.action;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.operon.engine.EngineOverloadedException;
import org.operon.engine.EventAcceptor;
import org.operon.integration.http.DeadLetterWriter;
import org.operon.model.ActionOutcome;
import org.operon.model.CloudEventJson;
import org.operon.model.Event;
import org.operon.state.DeadLetterStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Journals the outcomes of actions as reserved {@code operon.action.result} events ({@link ActionOutcome}), so
 * that the session sees them as facts and a replay of the journal sees them again, in order.
 *
 * <p>{@link #submit} never blocks and never throws: it puts the outcome's event on a bounded queue
 * ({@link #DEFAULT_CAPACITY}) and returns, so the action worker that reports it goes on at once. One thread
 * hands the events to the engine one by one and waits until each is durable. While the engine's queue is
 * full, or the engine is not accepting yet (starting, restoring), it tries again with a backoff doubling from
 * {@value #FIRST_BACKOFF_MILLIS} ms up to {@value #MAX_BACKOFF_MILLIS} ms. Nothing is dropped silently: an
 * outcome that cannot be journaled — the queue is full, the journal failed {@value #JOURNAL_ATTEMPTS} times,
 * or Operon stopped before it was journaled — is logged and kept in the dead-letter store (channel
 * {@value #CHANNEL}) with the event as CloudEvent JSON, from where an operator can see it.
 *
 * <p>A journal write that timed out may have succeeded; it is tried again, and the rules see the same
 * result twice (same event id, {@code <action id>:<status>}).
 */
public final class ActionOutcomeIntake implements AutoCloseable {
    /** The dead-letter channel of outcomes that could not be journaled. */
    public static final String CHANNEL = "action-results";
    public static final int DEFAULT_CAPACITY = 10_000;
    static final long FIRST_BACKOFF_MILLIS = 50;
    static final long MAX_BACKOFF_MILLIS = 5_000;
    static final int JOURNAL_ATTEMPTS = 5;

    private static final Logger LOG = LoggerFactory.getLogger(ActionOutcomeIntake.class);

    private final EventAcceptor acceptor;
    private final DeadLetterWriter deadLetters;
    private final Clock clock;
    private final Duration acceptTimeout;
    private final BlockingQueue<Event> queue;
    private final CloudEventJson json = new CloudEventJson();
    private final Thread worker;
    private volatile boolean closing;
    private volatile Event inFlight;

    /**
     * @param acceptTimeout how long to wait for the journal to confirm one event
     * @param capacity      how many outcomes may wait to be journaled
     */
    public ActionOutcomeIntake(EventAcceptor acceptor, DeadLetterStore deadLetters, Clock clock,
                               Duration acceptTimeout, int capacity, int deadLetterPayloadBytes) {
        this.acceptor = Objects.requireNonNull(acceptor, "acceptor");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.deadLetters = new DeadLetterWriter(Objects.requireNonNull(deadLetters, "deadLetters"), clock, CHANNEL,
                deadLetterPayloadBytes);
        this.acceptTimeout = Objects.requireNonNull(acceptTimeout, "acceptTimeout");
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.worker = new Thread(this::run, "operon-action-results");
        this.worker.setDaemon(true);
    }

    /** Starts the thread that journals the outcomes. Call once. */
    public ActionOutcomeIntake start() {
        worker.start();
        return this;
    }

    /** Queues the outcome's event for the journal; returns at once (see the class comment). */
    public void submit(ActionOutcome outcome) {
        Event event = outcome.event(clock.instant());
        if (closing) {
            deadLetter(event, "not_journaled", "Operon was stopping; the result of action " + outcome.actionId()
                    + " was not journaled");
        } else if (!queue.offer(event)) {
            deadLetter(event, "queue_full", "the queue of action results (" + (queue.size() + queue.remainingCapacity())
                    + ") is full; the result of action " + outcome.actionId() + " was not journaled");
        }
    }

    /** How many outcomes wait to be journaled (including the one being written). */
    public int backlog() {
        return queue.size() + (inFlight == null ? 0 : 1);
    }

    /**
     * Journals what is queued for up to {@code maxWait}, then stops; outcomes still queued then are
     * dead-lettered. Call after the dispatcher stopped. Safe to call more than once.
     */
    public void close(Duration maxWait) {
        long deadline = System.nanoTime() + maxWait.toNanos();
        while (backlog() > 0 && System.nanoTime() < deadline && acceptor.isAccepting()) {
            try {
                Thread.sleep(10); // a shutdown waits for the worker; nothing to signal on
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        closing = true;
        worker.interrupt();
        try {
            worker.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<Event> left = new ArrayList<>();
        queue.drainTo(left);
        for (Event e : left) {
            deadLetter(e, "not_journaled", "Operon stopped before the action result " + e.getId() + " was journaled");
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(5));
    }

    private void run() {
        while (!closing) {
            Event event;
            try {
                event = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            inFlight = event;
            try {
                journal(event);
            } finally {
                inFlight = null;
            }
        }
    }

    /** Hands the event to the engine until it is durable, backing off while the engine cannot take it. */
    private void journal(Event event) {
        long backoff = FIRST_BACKOFF_MILLIS;
        int journalFailures = 0;
        while (true) {
            String problem;
            try {
                if (!acceptor.isAccepting()) {
                    throw new IllegalStateException("the engine is not accepting events");
                }
                acceptor.accept(List.of(event)).get(acceptTimeout.toMillis(), TimeUnit.MILLISECONDS);
                LOG.debug("action result {} journaled", event.getId());
                return;
            } catch (EngineOverloadedException e) {
                problem = "the engine's queue is full";
            } catch (IllegalStateException e) {
                problem = "the engine is not accepting events";
            } catch (ExecutionException | TimeoutException e) {
                journalFailures++;
                problem = "the journal did not store it (" + e + ")";
                if (journalFailures >= JOURNAL_ATTEMPTS) {
                    deadLetter(event, "journal_unavailable", "the journal did not store the action result "
                            + event.getId() + " in " + JOURNAL_ATTEMPTS + " attempts: " + e);
                    return;
                }
            } catch (InterruptedException e) {
                deadLetter(event, "not_journaled", "Operon stopped before the action result " + event.getId()
                        + " was journaled");
                return;
            }
            if (closing) {
                deadLetter(event, "not_journaled", "Operon stopped before the action result " + event.getId()
                        + " was journaled: " + problem);
                return;
            }
            LOG.debug("action result {} not journaled yet: {}; trying again in {} ms", event.getId(), problem, backoff);
            try {
                Thread.sleep(backoff); // backoff of a production worker thread, interrupted by close()
            } catch (InterruptedException e) {
                deadLetter(event, "not_journaled", "Operon stopped before the action result " + event.getId()
                        + " was journaled: " + problem);
                return;
            }
            backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
        }
    }

    private void deadLetter(Event event, String error, String detail) {
        LOG.error("action result {} lost to the session, kept as a dead letter ({}): {}", event.getId(), error, detail);
        byte[] payload;
        try {
            payload = json.mapper().writeValueAsBytes(json.toJson(event));
        } catch (JsonProcessingException | RuntimeException e) {
            payload = event.toString().getBytes(StandardCharsets.UTF_8);
        }
        deadLetters.write(error, detail, null, payload, payload.length);
    }
}
