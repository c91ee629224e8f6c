package org.operon.rules;

import org.operon.model.AlertLimits;
import org.operon.model.Decision;
import org.operon.model.Explainable;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The state changes of one alert: the state behind {@code flapping.drl}. One instance per fingerprint is
 * in working memory from the alert's first state change (firing to resolved or back; the first report
 * of an alert is none) until the window ({@link AlertLimits#getFlappingWindow()}, 10 minutes by
 * default) has passed without one; so instances are bounded by the alerts that changed state in the
 * last window.
 *
 * <p>An alert is <em>flapping</em> once {@link AlertLimits#getFlappingChanges()} state changes (4 by
 * default) fall within the window (the first and the last less than the window apart), and stays
 * flapping until it has had no state change for the window. The limits are those of the session's
 * {@link AlertLimits} fact when the alert's first change was tracked. The rules hand it each state
 * change exactly once (it is never {@code modify}-ed in a property that the counting rule watches) and
 * it decides in plain Java, in constant time per change: it keeps at most the changes of the window,
 * which are fewer than the limit until it flaps.
 *
 * <p>Not thread-safe; only the session's rules touch it.
 */
public final class AlertFlapping implements Explainable {

    /** The decision sent once when an alert starts flapping; also the {@link QuietTimer} behaviour. */
    public static final String FLAPPING = "alert-flapping";
    /** The decision sent when a flapping alert has been quiet for the window. */
    public static final String FLAPPING_ENDED = "alert-flapping-ended";
    private record Change(long time, String eventId) {
    }

    private final String fingerprint;
    private final Map<String, String> labels;
    /** The changes of the window, oldest first, until the alert flaps; then the changes that made it flap. */
    private final ArrayDeque<Change> window;
    /** How many state changes within the window make the alert flapping. */
    private final int changes;
    /** State changes count while younger than this; this long without one ends flapping. */
    private final long windowMillis;
    private long lastChange;
    private boolean lastFiring;
    private boolean flapping;
    private boolean announced;
    private long flappingSince;
    private int changesWhileFlapping;

    /** The tracker of an alert's first state change, counting with the session's limits. */
    public AlertFlapping(AlertNotice first, AlertLimits limits) {
        this.changes = limits.getFlappingChanges();
        this.windowMillis = limits.getFlappingWindowMillis();
        this.window = new ArrayDeque<>(changes);
        this.fingerprint = first.getFingerprint();
        this.labels = first.getLabels();
        this.lastChange = first.getTime();
    }

    public String getFingerprint() { return fingerprint; }

    /**
     * True while the alert is marked flapping: its {@code alert-firing}/{@code alert-resolved} decisions
     * are held back. The rules set it through {@code modify} when {@link #record} says so.
     */
    public boolean isFlapping() { return flapping; }

    public void setFlapping(boolean flapping) { this.flapping = flapping; }

    /** True once the {@value #FLAPPING} decision of the current flapping has been sent. */
    public boolean isAnnounced() { return announced; }

    public void setAnnounced(boolean announced) { this.announced = announced; }

    /**
     * Records one state change of this alert (changes arrive in session-time order). Returns true when
     * it makes the alert flapping: the window now holds as many changes as the limit and the alert was not
     * flapping. Changes recorded while flapping are counted and return false.
     */
    public boolean record(AlertNotice change) {
        lastChange = change.getTime();
        lastFiring = change.isFiring();
        if (flapping) {
            changesWhileFlapping++;
            if (!announced) {
                window.addLast(new Change(change.getTime(), change.getEventId()));
            }
            return false;
        }
        window.addLast(new Change(change.getTime(), change.getEventId()));
        while (window.peekFirst().time() <= lastChange - windowMillis) {
            window.removeFirst();
        }
        if (window.size() < changes) {
            return false;
        }
        flappingSince = lastChange;
        changesWhileFlapping = window.size();
        return true;
    }

    /** The session time at which the alert has had no state change for the window. */
    public long getQuietAt() { return lastChange + windowMillis; }

    /**
     * The {@value #FLAPPING} decision: subject the fingerprint; eventIds the reports of the changes that
     * made it flap, oldest first; params fingerprint, alertname (when the alert has one), labels,
     * changes (how many state changes within the window: the limit, or more when several came at
     * the same moment) and window (such as {@code 10m}).
     */
    public Decision flappingDecision(String rule) {
        List<String> ids = new ArrayList<>(window.size());
        for (Change c : window) {
            if (c.eventId() != null) {
                ids.add(c.eventId());
            }
        }
        int changes = window.size();
        window.clear();
        return params(Decision.of(FLAPPING, fingerprint, rule, ids)).withParam("changes", changes);
    }

    /**
     * The {@value #FLAPPING_ENDED} decision: subject the fingerprint; params fingerprint, alertname,
     * labels, status (the alert's state after its last change: {@code firing} or {@code resolved}),
     * changes (state changes from the start of the flapping to its end, those that made it flap
     * included), since (when it started flapping, RFC 3339) and window.
     */
    public Decision endedDecision(String rule) {
        return params(Decision.of(FLAPPING_ENDED, fingerprint, rule, List.of()))
                .withParam("status", lastFiring ? "firing" : "resolved")
                .withParam("changes", changesWhileFlapping)
                .withParam("since", Instant.ofEpochMilli(flappingSince).toString());
    }

    private Decision params(Decision d) {
        d = d.withParam("fingerprint", fingerprint);
        if (labels.get("alertname") != null) {
            d = d.withParam("alertname", labels.get("alertname"));
        }
        return d.withParam("labels", labels).withParam("window", DurationText.of(windowMillis));
    }

    @Override
    public String explainKey() {
        return fingerprint;
    }

    /** {@code flapping}, {@code alertname}, {@code labels}, the {@code changes} that make flapping and the {@code window}. */
    @Override
    public Map<String, Object> explain() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("flapping", flapping);
        fields.put("alertname", labels.get("alertname"));
        fields.put("labels", new LinkedHashMap<>(labels));
        fields.put("changes", changes);
        fields.put("window", DurationText.of(windowMillis));
        return fields;
    }

    @Override
    public String toString() {
        return "AlertFlapping{fingerprint=" + fingerprint + ", flapping=" + flapping + ", lastChange=" + lastChange + "}";
    }
}
