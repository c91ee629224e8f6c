package org.operon.state;

/**
 * An input Operon could not accept, kept with the reason so that nothing is silently dropped.
 *
 * @param id           generated id of this record
 * @param time         ISO-8601 instant at which it was rejected (Operon's clock)
 * @param channel      where it came in, e.g. {@code http:/api/v1/events}
 * @param error        short stable code, e.g. {@code malformed_json}
 * @param detail       what is wrong, for people
 * @param index        position in a batch, or null for a whole request
 * @param payload      the raw payload as text (the first {@code maxKeptBytes} of it when truncated)
 * @param payloadBytes the full payload's size in bytes
 * @param truncated    whether {@code payload} holds only a prefix
 */
public record DeadLetter(String id, String time, String channel, String error, String detail, Integer index,
                         String payload, long payloadBytes, boolean truncated) {
}
