package org.operon.integration.http;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Received, accepted and rejected counts per source name since start, shared by every intake (the
 * {@code SourceIntake} of the sources and Operon's own HTTP intake routes) so that
 * {@code GET /api/v1/sources} shows them together. {@code received} counts payloads (requests,
 * messages); {@code accepted} and {@code rejected} count events, or a whole payload refused as such.
 * A payload that could not be handled now (overloaded, journal unconfirmed) is received only.
 */
public final class IntakeCounters {
    private final Map<String, Counts> counts = new ConcurrentHashMap<>();

    public void received(String source, long n) {
        counts(source).received.add(n);
    }

    public void accepted(String source, long n) {
        counts(source).accepted.add(n);
    }

    public void rejected(String source, long n) {
        counts(source).rejected.add(n);
    }

    /** The counts of every source that has been counted, by name: {@code received}, {@code accepted}, {@code rejected}. */
    public Map<String, Map<String, Long>> snapshot() {
        Map<String, Map<String, Long>> out = new TreeMap<>();
        counts.forEach((name, c) -> out.put(name, Map.of("received", c.received.sum(),
                "accepted", c.accepted.sum(), "rejected", c.rejected.sum())));
        return out;
    }

    private Counts counts(String source) {
        return counts.computeIfAbsent(Objects.requireNonNull(source, "source"), s -> new Counts());
    }

    private static final class Counts {
        final LongAdder received = new LongAdder();
        final LongAdder accepted = new LongAdder();
        final LongAdder rejected = new LongAdder();
    }
}
