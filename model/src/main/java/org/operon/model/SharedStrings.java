package org.operon.model;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;

import java.util.Arrays;

/**
 * A small cache that hands out one {@link String} instance for text that repeats from event to event
 * (an event's source, type, subject, severity): parsing a stream of events then makes such a string once
 * instead of once per event, and the events the session keeps for their windows share it. One cache serves
 * the whole process ({@link #PROCESS}), so that the journal, encoding events that an intake decoded, can
 * tell such a string by identity and write its JSON from bytes quoted once ({@link #quoted}).
 *
 * <p>Lossy and lock-free: a slot holds the last text that hashed to it, a lookup that finds other text
 * there makes a new string and takes the slot. Any number of threads may share one cache; a race costs at
 * most a new string (a slot holds one immutable entry), never a wrong one, because a hit compares the text
 * in full. Texts longer than {@link #MAX_LENGTH} are never cached.
 */
final class SharedStrings {
    /** Longer texts are made every time (ids, messages, URLs: rarely repeated, costly to compare). */
    static final int MAX_LENGTH = 64;
    private static final int SLOTS = 8192;
    /** The cache every {@link CloudEventJson} of this process uses. */
    static final SharedStrings PROCESS = new SharedStrings();

    /** A cached text: the string, its characters (compared in bulk) and its JSON form, quoted on first use. */
    private record Entry(String text, char[] chars, SerializedString json) {
    }

    private final Entry[] slots = new Entry[SLOTS];

    /** The text {@code chars[offset, offset + length)} as a string, the cached instance when it holds that text. */
    String of(char[] chars, int offset, int length) {
        if (length > MAX_LENGTH) {
            return new String(chars, offset, length);
        }
        int h = 0;
        for (int i = offset, end = offset + length; i < end; i++) {
            h = 31 * h + chars[i];
        }
        int slot = slot(h);
        Entry cached = slots[slot];
        if (cached != null && Arrays.equals(cached.chars, 0, cached.chars.length, chars, offset, offset + length)) {
            return cached.text;
        }
        String made = new String(chars, offset, length);
        slots[slot] = new Entry(made, Arrays.copyOfRange(chars, offset, offset + length),
                isPlainAscii(chars, offset, length) ? new SerializedString(made) : null);
        return made;
    }

    /**
     * Whether the text is printable ASCII without {@code "} and {@code \}: the only texts given a JSON form
     * ({@link #quoted}), because any generator writes them as they are (no escape, so no question of an
     * escape's form: Jackson's generator escapes surrogates, even paired ones, where a
     * {@link SerializedString} writes UTF-8 or refuses a lone one).
     */
    static boolean isPlainAscii(CharSequence text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
                return false;
            }
        }
        return true;
    }

    private static boolean isPlainAscii(char[] chars, int offset, int length) {
        return isPlainAscii(java.nio.CharBuffer.wrap(chars, offset, length));
    }

    /**
     * The JSON string of {@code s}, quoted and encoded once, when {@code s} is the very instance this cache
     * handed out and still holds, and plain ASCII ({@link #isPlainAscii}); otherwise null (then write the
     * string itself).
     */
    SerializableString quoted(String s) {
        if (s == null || s.length() > MAX_LENGTH) {
            return null;
        }
        Entry cached = slots[slot(s.hashCode())]; // String.hashCode is the hash of() computes, and kept by s
        return cached != null && cached.text == s ? cached.json : null;
    }

    private static int slot(int h) {
        return (h ^ (h >>> 16)) & (SLOTS - 1);
    }
}
