package org.operon.model;

/**
 * A small cache that hands out one {@link String} instance for text that repeats from event to event
 * (an event's source, type, subject, severity): parsing a stream of events then makes such a string once
 * instead of once per event, and the events the session keeps for their windows share it.
 *
 * <p>Lossy and lock-free: a slot holds the last string whose text hashed to it, a lookup that finds other
 * text there makes a new string and takes the slot. Any number of threads may share one cache; a race
 * costs at most a new string (strings are immutable and a slot holds a whole reference), never a wrong one,
 * because a hit compares the text in full. Texts longer than {@link #MAX_LENGTH} are never cached.
 */
final class SharedStrings {
    /** Longer texts are made every time (ids, messages, URLs: rarely repeated, costly to compare). */
    static final int MAX_LENGTH = 64;
    private static final int SLOTS = 4096;

    private final String[] slots = new String[SLOTS];

    /** The text {@code chars[offset, offset + length)} as a string, the cached instance when it holds that text. */
    String of(char[] chars, int offset, int length) {
        if (length > MAX_LENGTH) {
            return new String(chars, offset, length);
        }
        int h = 0;
        for (int i = offset, end = offset + length; i < end; i++) {
            h = 31 * h + chars[i];
        }
        int slot = (h ^ (h >>> 16)) & (SLOTS - 1);
        String cached = slots[slot];
        if (cached != null && sameText(cached, chars, offset, length)) {
            return cached;
        }
        String made = new String(chars, offset, length);
        slots[slot] = made;
        return made;
    }

    private static boolean sameText(String s, char[] chars, int offset, int length) {
        if (s.length() != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (s.charAt(i) != chars[offset + i]) {
                return false;
            }
        }
        return true;
    }
}
