package org.operon.model;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The identity of an alert: a hash of its label set, computed exactly as Prometheus and Alertmanager
 * compute it ({@code model.LabelSet.Fingerprint} of github.com/prometheus/common), so that an alert
 * has the same fingerprint in Operon as in Alertmanager and in its webhook payloads.
 *
 * <p>The algorithm: 64-bit FNV-1a over the label names sorted by their UTF-8 bytes, each name and
 * then its value written as UTF-8 and each followed by the separator byte {@code 0xff} (a byte that
 * cannot occur in UTF-8); the result is written as 16 lower-case hexadecimal digits. The empty label
 * set hashes to the FNV offset basis, {@code cbf29ce484222325}.
 */
public final class AlertFingerprint {
    private static final long OFFSET_BASIS = 0xcbf29ce484222325L;
    private static final long PRIME = 0x100000001b3L;
    private static final int SEPARATOR = 0xff;

    private AlertFingerprint() {
    }

    /** The fingerprint of the label set, 16 lower-case hex digits. Never null. */
    public static String of(Map<String, String> labels) {
        List<byte[]> names = new ArrayList<>(labels.size());
        for (String name : labels.keySet()) {
            names.add(name.getBytes(StandardCharsets.UTF_8));
        }
        names.sort(Arrays::compareUnsigned); // Go sorts strings by their bytes
        long hash = OFFSET_BASIS;
        for (byte[] name : names) {
            hash = add(hash, name);
            hash = add(hash, SEPARATOR);
            hash = add(hash, labels.get(new String(name, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
            hash = add(hash, SEPARATOR);
        }
        return String.format("%016x", hash);
    }

    private static long add(long hash, byte[] bytes) {
        for (byte b : bytes) {
            hash = add(hash, b & 0xff);
        }
        return hash;
    }

    private static long add(long hash, int octet) {
        return (hash ^ octet) * PRIME;
    }
}
