package org.operon.state;

/**
 * How far the engine has processed the event journal.
 *
 * @param seq       the last journal sequence number whose event was inserted and whose rules fired
 * @param clockTime the session clock (epoch milliseconds) when the checkpoint was taken; every
 *                  decision at or before it has been handed to the actions
 */
public record Checkpoint(long seq, long clockTime) {
    public static final Checkpoint START = new Checkpoint(0, 0);
}
