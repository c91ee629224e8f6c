package org.operon.integration.http;

import org.operon.model.Event;

import java.util.List;

/**
 * The events of one intake request.
 *
 * @param batch    whether the request was a batch (a JSON array); only a batch has rejections
 * @param events   the valid events, in request order
 * @param rejected the invalid elements of a batch, in request order
 */
public record DecodedRequest(boolean batch, List<Event> events, List<Rejection> rejected) {

    public DecodedRequest {
        events = List.copyOf(events);
        rejected = List.copyOf(rejected);
    }

    static DecodedRequest single(Event event) {
        return new DecodedRequest(false, List.of(event), List.of());
    }

    /**
     * One invalid element of a batch.
     *
     * @param index   its position in the array, from 0
     * @param error   short stable code, e.g. {@code missing_attribute}
     * @param detail  what is wrong, naming the attribute
     * @param payload the element as JSON text
     */
    public record Rejection(int index, String error, String detail, String payload) {
    }
}
