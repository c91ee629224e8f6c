package org.operon.integration.testing;

import org.operon.state.DeadLetter;
import org.operon.state.DeadLetterStore;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** A {@link DeadLetterStore} in a list, for tests; newest first means last added first. */
public final class InMemoryDeadLetters implements DeadLetterStore {
    private final List<DeadLetter> letters = new ArrayList<>();

    @Override
    public synchronized void add(DeadLetter letter) {
        letters.add(letter);
    }

    @Override
    public synchronized List<DeadLetter> latest(int limit) {
        List<DeadLetter> newestFirst = new ArrayList<>(letters);
        Collections.reverse(newestFirst);
        return List.copyOf(newestFirst.subList(0, Math.min(limit, newestFirst.size())));
    }

    @Override
    public synchronized long count() {
        return letters.size();
    }

    public synchronized List<DeadLetter> all() {
        return List.copyOf(letters);
    }

    public synchronized void clear() {
        letters.clear();
    }
}
