package org.operon.rules;

import org.operon.model.AlertLimits;
import org.operon.model.Decision;
import org.operon.model.Explainable;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The alerts of one service that started firing lately: the state behind {@code alert-storm.drl}. One
 * instance per value of the {@code service} label is in working memory from the first alert of the
 * service that starts firing (its first firing report, or firing again after it resolved) until the
 * service has had none for the window ({@link AlertLimits#getStormWindow()}, 2 minutes by default); so
 * instances are bounded by the services with an alert that started firing in the last window.
 *
 * <p>A <em>storm</em> starts when more than {@link AlertLimits#getStormThreshold()} (20 by default)
 * distinct alerts of the service started firing within the window (by session time, the moment Operon
 * saw each start), and lasts until the service has had no alert start firing for the window. The limits
 * are those of the session's {@link AlertLimits} fact when the service was first tracked. The rules hand it each
 * start exactly once and it decides in plain Java, in constant time per start (amortised): the
 * window is a map in order of start, trimmed from its oldest end; a start of an alert already in it
 * moves it to the newest end.
 *
 * <p>Not thread-safe; only the session's rules touch it.
 */
public final class AlertStorm implements Explainable {

    /** The decision sent once when a storm starts; also the {@link QuietTimer} behaviour. */
    public static final String STORM = "alert-storm";
    /** The decision sent when a storm is over. */
    public static final String STORM_ENDED = "alert-storm-ended";
    /** At most this many distinct alertnames are named in the decisions. */
    public static final int SAMPLE_SIZE = 5;

    private record Start(long time, String alertname, String eventId) {
    }

    private final String service;
    /** A storm is more than this many alerts of the service starting to fire within the window. */
    private final int threshold;
    /** The window; also how long without a new firing alert ends a storm. */
    private final long windowMillis;
    /** Before a storm: the alerts that started within the window, by fingerprint, oldest start first. */
    private final LinkedHashMap<String, Start> window = new LinkedHashMap<>();
    /** During a storm: every alert in it (those that made it included), by fingerprint, in order of start. */
    private final LinkedHashMap<String, Start> members = new LinkedHashMap<>();
    private final List<String> onsetEventIds = new ArrayList<>();
    private long lastStart;
    private long since;
    private int heldBack;
    private boolean storming;
    private boolean announced;

    /** The tracker of a service's first alert that starts firing, counting with the session's limits. */
    public AlertStorm(String service, AlertLimits limits) {
        this.service = service;
        this.threshold = limits.getStormThreshold();
        this.windowMillis = limits.getStormWindowMillis();
    }

    public String getService() { return service; }

    /**
     * True while the service has a storm: the rules hold back the {@code alert-firing} decisions of its
     * alerts. The rules set it through {@code modify} when {@link #record} says so.
     */
    public boolean isStorming() { return storming; }

    public void setStorming(boolean storming) { this.storming = storming; }

    /** True once the {@value #STORM} decision of the current storm has been sent. */
    public boolean isAnnounced() { return announced; }

    public void setAnnounced(boolean announced) { this.announced = announced; }

    /**
     * Records one alert of this service that starts firing (starts arrive in session-time order).
     * Returns true when it starts a storm: more than the threshold of distinct alerts in the window
     * and no storm yet. Starts recorded during a storm join it and return false.
     */
    public boolean record(AlertNotice start) {
        long now = start.getTime();
        lastStart = now;
        Start s = new Start(now, start.getAlertname(), start.getEventId());
        if (storming) {
            members.remove(start.getFingerprint());
            members.put(start.getFingerprint(), s);
            return false;
        }
        window.remove(start.getFingerprint());
        window.put(start.getFingerprint(), s);
        Iterator<Start> oldest = window.values().iterator();
        while (oldest.hasNext() && oldest.next().time() <= now - windowMillis) {
            oldest.remove();
        }
        if (window.size() <= threshold) {
            return false;
        }
        since = now;
        members.putAll(window);
        window.clear();
        for (Start m : members.values()) {
            if (m.eventId() != null) {
                onsetEventIds.add(m.eventId());
            }
        }
        return true;
    }

    /** Counts one {@code alert-firing} decision held back because of the storm. */
    public void heldBack() {
        heldBack++;
    }

    /** The session time at which the service has had no alert start firing for the window. */
    public long getQuietAt() { return lastStart + windowMillis; }

    /**
     * How many distinct alerts are in the storm now (those that made it and every later start), or, before
     * a storm, how many started within the window so far. Incidents read it for their {@code stormCount}.
     */
    public int getCount() { return storming ? members.size() : window.size(); }

    /**
     * The {@value #STORM} decision: subject the service; eventIds the reports of the alerts that made the
     * storm (the alerts of the window at the start that made it more than the threshold), oldest
     * first; params service, count (the alerts in the storm now: more than the threshold, more
     * still when several started at the same moment), alertnames (up to {@link #SAMPLE_SIZE} distinct
     * alertnames, in order of start), since (RFC 3339) and window.
     */
    public Decision stormDecision(String rule) {
        return params(Decision.of(STORM, service, rule, onsetEventIds));
    }

    /**
     * The {@value #STORM_ENDED} decision: subject the service; params as {@link #stormDecision} with
     * count the alerts in the whole storm, plus heldBack (the {@code alert-firing} decisions it held back).
     */
    public Decision endedDecision(String rule) {
        return params(Decision.of(STORM_ENDED, service, rule, List.of())).withParam("heldBack", heldBack);
    }

    private Decision params(Decision d) {
        Set<String> names = new LinkedHashSet<>();
        for (Start m : members.values()) {
            if (names.size() == SAMPLE_SIZE) {
                break;
            }
            if (m.alertname() != null) {
                names.add(m.alertname());
            }
        }
        return d.withParam("service", service)
                .withParam("count", members.size())
                .withParam("alertnames", List.copyOf(names))
                .withParam("since", Instant.ofEpochMilli(since).toString())
                .withParam("window", DurationText.of(windowMillis));
    }

    @Override
    public String explainKey() {
        return service;
    }

    /** {@code service}, {@code storming}, the alerts counted ({@code count}), {@code threshold} and {@code window}. */
    @Override
    public Map<String, Object> explain() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("service", service);
        fields.put("storming", storming);
        fields.put("count", getCount());
        fields.put("threshold", threshold);
        fields.put("window", DurationText.of(windowMillis));
        fields.put("onsetEventIds", List.copyOf(onsetEventIds));
        return fields;
    }

    @Override
    public String toString() {
        return "AlertStorm{service=" + service + ", window=" + window.size() + ", members=" + members.size()
                + ", storming=" + storming + "}";
    }
}
