package org.operon.bench;

import org.operon.model.Event;
import org.operon.model.Severity;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The benchmark's event stream, the same for every run (fixed seed): one event per millisecond of
 * arrival time, spread uniformly over a fixed set of subjects.
 *
 * <ul>
 *   <li>5% heartbeats (type {@code heartbeat}, severity info): a subject's heartbeats come about
 *       every 20 s, with random gaps, so a few of them exceed 2 minutes;</li>
 *   <li>10% critical, 20% warning and 65% info alerts (type {@code alert});</li>
 *   <li>1% of the events are duplicates: a copy of one of the last 1,000 events, same id and source.</li>
 * </ul>
 * Each event is stamped with the next sequence number and its arrival time, as the journal would.
 */
final class BenchWorkload {

    static final String SOURCE = "/bench/monitoring";

    private final long startTime;
    private final String[] subjects;
    private final Random random = new Random(20250301L);
    private final Event[] recent = new Event[1_000];
    private long seq;

    BenchWorkload(long startTime, int subjectCount) {
        this.startTime = startTime;
        this.subjects = new String[subjectCount];
        for (int i = 0; i < subjectCount; i++) {
            subjects[i] = "host-" + i;
        }
    }

    /** The next {@code size} events, stamped one millisecond apart. */
    List<Event> nextBatch(int size) {
        List<Event> batch = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            batch.add(next());
        }
        return batch;
    }

    private Event next() {
        long n = seq++;
        long arrival = startTime + n;
        Event event;
        Event earlier = recent[random.nextInt(recent.length)];
        if (earlier != null && random.nextDouble() < 0.01) {
            event = earlier;
        } else {
            event = fresh(n);
            recent[(int) (n % recent.length)] = event;
        }
        return event.stamped(n + 1, arrival);
    }

    private Event fresh(long n) {
        String subject = subjects[random.nextInt(subjects.length)];
        double kind = random.nextDouble();
        Event.Builder b = Event.builder().id("ev-" + n).source(SOURCE).subject(subject);
        if (kind < 0.05) {
            b.type("heartbeat").severity(Severity.INFO);
        } else if (kind < 0.15) {
            b.type("alert").severity(Severity.CRITICAL);
        } else if (kind < 0.35) {
            b.type("alert").severity(Severity.WARNING);
        } else {
            b.type("alert").severity(Severity.INFO);
        }
        return b.build();
    }
}
