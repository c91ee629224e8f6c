package org.operon.rules;

import org.operon.model.Alert;
import org.operon.model.AlertReport;
import org.operon.model.AlertStatus;
import org.operon.model.Event;
import org.operon.model.InvalidEventException;

import java.time.Instant;
import java.util.Map;

/**
 * One report of an alert as it arrived: the state behind {@code alerts.drl} between the arrival of an
 * {@value AlertReport#EVENT_TYPE} event and the update of the {@link Alert} it reports. It resolves the
 * report's times against the arrival time, as Alertmanager does on receipt:
 * <ul>
 *   <li>no {@code endsAt}: the arrival time plus the report's resolve timeout (5 minutes unless the
 *       sender's intake set another), marked as {@linkplain #isEndsByTimeout() ending by timeout};</li>
 *   <li>no {@code startsAt}: the arrival time (or {@code endsAt}, when that is earlier);</li>
 *   <li>firing when {@code endsAt} is after the arrival time, else resolved.</li>
 * </ul>
 * The rules delete each instance as soon as it has been applied. Immutable.
 */
public final class ReceivedAlert {
    private final String eventId;
    private final long seq;
    private final Instant arrival;
    private final AlertReport report;
    private final Instant startsAt;
    private final Instant endsAt;
    private final boolean endsByTimeout;

    private ReceivedAlert(Event event, AlertReport report) {
        this.eventId = event.getId();
        this.seq = event.getSeq();
        this.arrival = Instant.ofEpochMilli(event.getArrivalTime());
        this.report = report;
        this.endsByTimeout = report.endsAt() == null;
        this.endsAt = endsByTimeout ? arrival.plus(report.resolveTimeout()) : report.endsAt();
        Instant start = report.startsAt() == null ? arrival : report.startsAt();
        this.startsAt = start.isAfter(endsAt) ? endsAt : start;
    }

    /**
     * The report an {@value AlertReport#EVENT_TYPE} event carries, resolved against its arrival time;
     * null when the event's data is not a valid report. (Operon's alert intake validates reports before
     * journaling them and no client can send this type, so null means a journal written by hand.)
     */
    public static ReceivedAlert of(Event event) {
        try {
            return new ReceivedAlert(event, AlertReport.fromEvent(event));
        } catch (InvalidEventException | RuntimeException e) {
            return null;
        }
    }

    /** A new alert fact from this report: firing or resolved as the report says. */
    public Alert newAlert() {
        return new Alert(report.labels(), report.annotations(), startsAt, endsAt, endsByTimeout,
                report.generatorURL(), isFiring() ? AlertStatus.FIRING : AlertStatus.RESOLVED, arrival, eventId);
    }

    public String getFingerprint() { return report.fingerprint(); }

    /** The journal sequence number of the event: reports of one alert are applied in this order. */
    public long getSeq() { return seq; }

    public String getEventId() { return eventId; }

    /** The arrival time of the event (session clock). */
    public Instant getArrival() { return arrival; }

    public Map<String, String> getAnnotations() { return report.annotations(); }

    public String getGeneratorURL() { return report.generatorURL(); }

    public Instant getStartsAt() { return startsAt; }

    public Instant getEndsAt() { return endsAt; }

    public boolean isEndsByTimeout() { return endsByTimeout; }

    /** True when the alert is still firing at its arrival: its end is later. */
    public boolean isFiring() { return endsAt.isAfter(arrival); }

    /** True when this report's end is before {@code time}: a resolved report about an earlier firing. */
    public boolean endsBefore(Instant time) { return endsAt.isBefore(time); }

    /** For an alert that goes on firing: it started at the earlier of its known start and this report's. */
    public Instant startsAtMergedWith(Alert alert) {
        return alert.getStartsAt().isBefore(startsAt) ? alert.getStartsAt() : startsAt;
    }

    /**
     * For an alert that goes on firing, its new end: this report's, unless this one only has the resolve
     * timeout and the alert has a later end its sender gave (Alertmanager's merge: an explicit end
     * that is later wins over a timeout).
     */
    public Instant endsAtMergedWith(Alert alert) {
        return keepsSendersEnd(alert) ? alert.getEndsAt() : endsAt;
    }

    /** Whether {@link #endsAtMergedWith} is a timeout. */
    public boolean endsByTimeoutMergedWith(Alert alert) {
        return keepsSendersEnd(alert) ? false : endsByTimeout;
    }

    private boolean keepsSendersEnd(Alert alert) {
        return endsByTimeout && !alert.isEndsByTimeout() && alert.getEndsAt().isAfter(endsAt);
    }

    /** For an alert resolved again: the later of both ends. */
    public Instant laterEnd(Alert alert) {
        return alert.getEndsAt().isAfter(endsAt) ? alert.getEndsAt() : endsAt;
    }

    @Override
    public String toString() {
        return "ReceivedAlert{fingerprint=" + getFingerprint() + ", seq=" + seq + ", arrival=" + arrival + ", endsAt="
                + endsAt + ", firing=" + isFiring() + "}";
    }
}
