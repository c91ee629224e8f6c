package org.operon.engine;

import java.util.List;

/** Read access to a rule session's working memory, for queries run on the engine thread. */
public interface SessionView {
    /** The facts of the given class (and its subclasses) in working memory, in no particular order. */
    <T> List<T> facts(Class<T> type);

    /** The session clock, epoch milliseconds. */
    long clockTime();
}
