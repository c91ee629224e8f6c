package org.operon.app;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Epoch milliseconds that never go backwards, even when the system clock is stepped back. Operon's
 * one source of wall-clock time: the journal stamps arrivals with it and the engine moves the
 * session clock by it.
 */
public final class MonotonicClock implements LongSupplier {
    private final LongSupplier source;
    private final AtomicLong last = new AtomicLong(Long.MIN_VALUE);

    public MonotonicClock(LongSupplier source) {
        this.source = source;
    }

    public static MonotonicClock system() {
        return new MonotonicClock(System::currentTimeMillis);
    }

    @Override
    public long getAsLong() {
        long now = source.getAsLong();
        return last.accumulateAndGet(now, Math::max);
    }
}
