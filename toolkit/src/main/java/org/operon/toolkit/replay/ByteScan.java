package org.operon.toolkit.replay;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Byte searches over the chunks of a replayed file, eight bytes at a time (a long read from the array and
 * the zero-byte test of "Bit Twiddling Hacks"): finding each line's end and counting lines are a good part
 * of reading a journal, and a byte-by-byte loop is not vectorized by the JIT.
 */
final class ByteScan {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long LOW7 = 0x7F7F7F7F7F7F7F7FL;

    private ByteScan() {
    }

    /** The index of the first {@code b} in {@code bytes[from, to)}, or -1. */
    static int indexOf(byte[] bytes, byte b, int from, int to) {
        long pattern = ONES * (b & 0xFF);
        int i = from;
        for (; i + 8 <= to; i += 8) {
            long zeros = zeroBytes((long) LONGS.get(bytes, i) ^ pattern);
            if (zeros != 0) {
                return i + (Long.numberOfTrailingZeros(zeros) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }

    /** How many {@code b} there are in {@code bytes[0, length)}. */
    static int count(byte[] bytes, byte b, int length) {
        long pattern = ONES * (b & 0xFF);
        int n = 0;
        int i = 0;
        for (; i + 8 <= length; i += 8) {
            n += Long.bitCount(zeroBytes((long) LONGS.get(bytes, i) ^ pattern));
        }
        for (; i < length; i++) {
            if (bytes[i] == b) {
                n++;
            }
        }
        return n;
    }

    /** The high bit of each byte of {@code x} that is zero, and no other bit (exact, no false positives). */
    private static long zeroBytes(long x) {
        return ~(((x & LOW7) + LOW7) | x | LOW7);
    }
}
