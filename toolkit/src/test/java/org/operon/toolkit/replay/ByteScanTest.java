package org.operon.toolkit.replay;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The word-at-a-time searches find and count exactly what a byte-by-byte loop does. */
class ByteScanTest {

    @Test
    void findsAndCountsAsAByteLoopDoes() {
        Random random = new Random(11);
        byte[] alphabet = {'\n', '\r', 'a', '{', (byte) 0xED, (byte) 0x8A, (byte) 0x0A ^ (byte) 0x80, 0, (byte) 0xFF, 0x09};
        for (int round = 0; round < 5_000; round++) {
            byte[] bytes = new byte[random.nextInt(40)];
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = random.nextInt(4) == 0 ? alphabet[random.nextInt(alphabet.length)] : (byte) random.nextInt(256);
            }
            byte b = alphabet[random.nextInt(alphabet.length)];
            int from = bytes.length == 0 ? 0 : random.nextInt(bytes.length + 1);
            int to = from + random.nextInt(bytes.length - from + 1);
            assertThat(ByteScan.indexOf(bytes, b, from, to)).isEqualTo(loopIndexOf(bytes, b, from, to));
            assertThat(ByteScan.count(bytes, b, to)).isEqualTo(loopCount(bytes, b, to));
        }
    }

    private static int loopIndexOf(byte[] bytes, byte b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private static int loopCount(byte[] bytes, byte b, int length) {
        int n = 0;
        for (int i = 0; i < length; i++) {
            if (bytes[i] == b) {
                n++;
            }
        }
        return n;
    }
}
