package org.operon.model;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One alert as the rules know it: the fact that {@code alerts.drl} keeps, one per
 * {@linkplain #getFingerprint() fingerprint}, from the {@value AlertReport#EVENT_TYPE} events that
 * report it. Rules match it like any fact, e.g. {@code Alert(status == AlertStatus.FIRING,
 * label("service") == "checkout")}.
 *
 * <p>Fields follow Alertmanager's alert: labels (the identity; they never change), annotations,
 * {@code startsAt}, {@code endsAt}, {@code generatorURL}, {@code updatedAt}. Operon adds the
 * {@link #getStatus() status} (firing until {@code endsAt} has passed, then resolved), how many reports
 * were received and the id of the last event that reported it.
 *
 * <p>Only the alert rules change an alert, in their consequences and through {@code modify} with the
 * setters below, so that rules watching some of its properties (property reactivity) are re-evaluated
 * exactly when those change: a re-sent firing alert changes {@code endsAt}, {@code updatedAt} and the
 * counters, never {@code status}. Other code reads alerts only on the engine thread and copies what it
 * needs; an instance must not be kept beyond that.
 */
public final class Alert {
    private final String fingerprint;
    private final Map<String, String> labels;
    private Map<String, String> annotations;
    private Instant startsAt;
    private Instant endsAt;
    private boolean endsByTimeout;
    private String generatorURL;
    private AlertStatus status;
    private Instant updatedAt;
    private int receivedCount;
    private String lastEventId;

    /**
     * A new alert.
     *
     * @param endsAt        when it ends: never null (an alert whose sender gave no end ends at the
     *                      arrival time plus the resolve timeout)
     * @param endsByTimeout true when {@code endsAt} came from the resolve timeout, not the sender
     * @param updatedAt     the arrival time of the report
     */
    public Alert(Map<String, String> labels, Map<String, String> annotations, Instant startsAt, Instant endsAt,
                 boolean endsByTimeout, String generatorURL, AlertStatus status, Instant updatedAt, String eventId) {
        this.labels = Collections.unmodifiableMap(new TreeMap<>(labels));
        this.fingerprint = AlertFingerprint.of(this.labels);
        setAnnotations(annotations);
        this.startsAt = Objects.requireNonNull(startsAt, "startsAt");
        this.endsAt = Objects.requireNonNull(endsAt, "endsAt");
        this.endsByTimeout = endsByTimeout;
        this.generatorURL = generatorURL;
        this.status = Objects.requireNonNull(status, "status");
        this.updatedAt = Objects.requireNonNull(updatedAt, "updatedAt");
        this.receivedCount = 1;
        this.lastEventId = eventId;
    }

    /** {@link AlertFingerprint#of} the labels: 16 hex digits, the alert's identity. */
    public String getFingerprint() { return fingerprint; }

    /** The labels, sorted by name; never change. */
    public Map<String, String> getLabels() { return labels; }

    /** A label's value, or null. Convenient in rule constraints. */
    public String label(String name) { return labels.get(name); }

    /** The {@code alertname} label, or null. */
    public String getAlertname() { return labels.get("alertname"); }

    /** The annotations of the last report, sorted by name; never null. */
    public Map<String, String> getAnnotations() { return annotations; }

    public void setAnnotations(Map<String, String> annotations) {
        this.annotations = Collections.unmodifiableMap(new TreeMap<>(annotations == null ? Map.of() : annotations));
    }

    /** When the current firing (or the last one, once resolved) started. */
    public Instant getStartsAt() { return startsAt; }

    public void setStartsAt(Instant startsAt) { this.startsAt = Objects.requireNonNull(startsAt, "startsAt"); }

    /**
     * When the alert ends (firing) or ended (resolved); never null. For a firing alert whose sender gave
     * no end, the arrival of its last report plus the resolve timeout.
     */
    public Instant getEndsAt() { return endsAt; }

    public void setEndsAt(Instant endsAt) { this.endsAt = Objects.requireNonNull(endsAt, "endsAt"); }

    /** True when {@link #getEndsAt()} comes from the resolve timeout rather than from the sender. */
    public boolean isEndsByTimeout() { return endsByTimeout; }

    public void setEndsByTimeout(boolean endsByTimeout) { this.endsByTimeout = endsByTimeout; }

    /** The link back to the alert's source, or null. */
    public String getGeneratorURL() { return generatorURL; }

    public void setGeneratorURL(String generatorURL) { this.generatorURL = generatorURL; }

    public AlertStatus getStatus() { return status; }

    public void setStatus(AlertStatus status) { this.status = Objects.requireNonNull(status, "status"); }

    public boolean isFiring() { return status == AlertStatus.FIRING; }

    /** The arrival time of the last report of this alert (session clock). */
    public Instant getUpdatedAt() { return updatedAt; }

    public void setUpdatedAt(Instant updatedAt) { this.updatedAt = Objects.requireNonNull(updatedAt, "updatedAt"); }

    /**
     * Milliseconds from {@link #getUpdatedAt()} to {@link #getEndsAt()}: how long after its last report
     * a firing alert resolves by itself. The rules set {@code updatedAt} to the session time whenever
     * they change {@code endsAt}, so this is the delay of the resolve timer.
     */
    public long getMillisToEnd() {
        return endsAt.toEpochMilli() - updatedAt.toEpochMilli();
    }

    /** How many reports of this alert were received (first one included). */
    public int getReceivedCount() { return receivedCount; }

    public void setReceivedCount(int receivedCount) { this.receivedCount = receivedCount; }

    /** The id of the event of the last report. */
    public String getLastEventId() { return lastEventId; }

    public void setLastEventId(String lastEventId) { this.lastEventId = lastEventId; }

    @Override
    public String toString() {
        return "Alert{fingerprint=" + fingerprint + ", labels=" + labels + ", status=" + status.wireName()
                + ", startsAt=" + startsAt + ", endsAt=" + endsAt + ", updatedAt=" + updatedAt + "}";
    }
}
