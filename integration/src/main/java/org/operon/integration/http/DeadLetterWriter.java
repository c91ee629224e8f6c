package org.operon.integration.http;

import org.operon.state.DeadLetter;
import org.operon.state.DeadLetterStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;
import java.util.UUID;

/**
 * Keeps rejected intake input in the {@link DeadLetterStore}: a fresh id, the time from the injected
 * clock, the channel, the reason, and the first {@code keptBytes} of the payload (decoded as UTF-8; a
 * character cut at the boundary becomes U+FFFD) with the full size and whether it was cut.
 *
 * <p>{@link #write} never throws: a store failure is logged (id and error code, never the payload) and
 * the request is still answered, because the client has been told what was wrong.
 */
public final class DeadLetterWriter {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterWriter.class);

    private final DeadLetterStore store;
    private final Clock clock;
    private final String channel;
    private final int keptBytes;

    public DeadLetterWriter(DeadLetterStore store, Clock clock, String channel, int keptBytes) {
        this.store = store;
        this.clock = clock;
        this.channel = channel;
        this.keptBytes = keptBytes;
    }

    /**
     * Builds and stores the dead letter.
     *
     * @param index        position in a batch, or null for a whole request
     * @param payload      the bytes that were received, possibly only a prefix of them
     * @param payloadBytes the size of the whole payload (may exceed {@code payload.length} when the
     *                     server did not keep all of it)
     * @return the letter, whether or not storing it succeeded
     */
    public DeadLetter write(String error, String detail, Integer index, byte[] payload, long payloadBytes) {
        int kept = (int) Math.min(payload.length, keptBytes);
        boolean truncated = kept < payloadBytes;
        String text = new String(Arrays.copyOf(payload, kept), StandardCharsets.UTF_8);
        DeadLetter letter = new DeadLetter(UUID.randomUUID().toString(), clock.instant().toString(), channel,
                error, detail, index, text, payloadBytes, truncated);
        try {
            store.add(letter);
            LOG.info("Dead-lettered {} input from {}: {} (dead letter {}, {} bytes)",
                    index == null ? "a request" : "batch element " + index, channel, error, letter.id(), payloadBytes);
        } catch (RuntimeException e) {
            LOG.error("Could not store dead letter {} ({}: {}) from {}; the client was still told the reason",
                    letter.id(), error, detail, channel, e);
        }
        return letter;
    }

    /** Stores a dead letter for a whole payload that was received completely. */
    public DeadLetter write(String error, String detail, Integer index, byte[] payload) {
        return write(error, detail, index, payload, payload.length);
    }
}
