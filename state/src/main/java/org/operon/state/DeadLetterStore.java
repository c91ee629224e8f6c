package org.operon.state;

import java.util.List;

/** Durable store of rejected input. */
public interface DeadLetterStore {
    /** Keeps the record; durable when this returns. */
    void add(DeadLetter letter);

    /** At most {@code limit} records, newest first. */
    List<DeadLetter> latest(int limit);

    long count();
}
