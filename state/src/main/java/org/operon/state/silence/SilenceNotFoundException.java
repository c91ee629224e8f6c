package org.operon.state.silence;

/** No silence with this id is kept (never created, or removed after its retention). */
public class SilenceNotFoundException extends RuntimeException {
    private final String id;

    public SilenceNotFoundException(String id) {
        super("silence not found: " + id);
        this.id = id;
    }

    public String id() {
        return id;
    }
}
