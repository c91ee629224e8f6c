package org.operon.integration.http;

import org.operon.engine.EngineOverloadedException;
import org.operon.engine.EventAcceptor;
import org.operon.model.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Hands events to the engine and waits until they are durable in the journal: what every intake
 * route does before it answers success. Failures become the API errors every route answers alike:
 * 503 {@code not_accepting} (starting or stopping), 503 {@code journal_unavailable} (the journal
 * failed or did not confirm in time); a full queue stays an {@link EngineOverloadedException}.
 */
public final class DurableAcceptance {
    private static final Logger LOG = LoggerFactory.getLogger(DurableAcceptance.class);

    private final EventAcceptor acceptor;
    private final Duration timeout;

    public DurableAcceptance(EventAcceptor acceptor, Duration timeout) {
        this.acceptor = acceptor;
        this.timeout = timeout;
    }

    /**
     * @param what       what the events are, for messages ("events", "alerts")
     * @param resendNote why resending after an unconfirmed write is safe, for the client
     * @return the events stamped by the journal, in order
     */
    public List<Event> accept(List<Event> events, String what, String resendNote)
            throws EngineOverloadedException, ApiException {
        return begin(events, what).await(resendNote);
    }

    /**
     * The first half of {@link #accept}: hands the events to the engine and returns without waiting for the
     * journal, so that a caller can prepare its next events while these are written. Each handle must be
     * {@linkplain Pending#await awaited} before the caller acknowledges anything of them.
     */
    public Pending begin(List<Event> events, String what) throws EngineOverloadedException, ApiException {
        try {
            if (!acceptor.isAccepting()) {
                throw new IllegalStateException("the engine is not accepting events");
            }
            return new Pending(acceptor.accept(events), events.size(), what);
        } catch (IllegalStateException e) {
            throw new ApiException(503, "not_accepting",
                    "Operon is starting or stopping and does not accept " + what + " now; retry shortly");
        }
    }

    /** The acceptance timeout from now, as a {@link System#nanoTime()} deadline for {@link Pending#await(String, long)}. */
    public long deadline() {
        return System.nanoTime() + timeout.toNanos();
    }

    /** Events handed to the engine by {@link #begin}, on their way into the journal. */
    public final class Pending {
        private final CompletableFuture<List<Event>> durable;
        private final int count;
        private final String what;

        private Pending(CompletableFuture<List<Event>> durable, int count, String what) {
            this.durable = durable;
            this.count = count;
            this.what = what;
        }

        /**
         * Waits (at most the acceptance timeout from now) until the events are durable.
         *
         * @param resendNote why resending after an unconfirmed write is safe, for the client
         * @return the events stamped by the journal, in order
         */
        public List<Event> await(String resendNote) throws ApiException {
            return await(resendNote, deadline());
        }

        /**
         * Waits until the events are durable, at most until {@code deadlineNanos} ({@link System#nanoTime()}
         * scale; see {@link DurableAcceptance#deadline()}), so that several appends of one call share one
         * acceptance timeout.
         */
        public List<Event> await(String resendNote, long deadlineNanos) throws ApiException {
            try {
                return durable.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (ExecutionException e) {
                LOG.error("The event journal could not store {} {}", count, what, e.getCause());
                throw new ApiException(503, "journal_unavailable",
                        "the event journal could not store the " + what + ", so none was accepted; retry later");
            } catch (TimeoutException e) {
                throw new ApiException(503, "journal_unavailable", "the event journal did not confirm the write within "
                        + timeout.toMillis() + " ms; the " + what + " may or may not have been accepted, " + resendNote);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ApiException(503, "journal_unavailable", "Operon is stopping; the " + what + " were not confirmed");
            }
        }
    }
}
