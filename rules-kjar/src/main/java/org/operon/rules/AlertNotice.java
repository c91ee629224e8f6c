package org.operon.rules;

import org.operon.model.Alert;
import org.operon.model.Decision;
import org.operon.model.Explainable;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An {@code alert-firing} or {@code alert-resolved} decision of {@code alerts.drl} on its way out: the
 * rules of {@code alerts.drl} insert one where they change an alert, and the rule "alerts: send the
 * notice" (salience {@value #SEND_SALIENCE}) sends its decision and deletes it. A rule of higher salience
 * that deletes a notice first holds the decision back: {@code flapping.drl} and {@code alert-storm.drl}
 * do so. Every notice leaves working memory in the rule firing cycle that inserted it. A rule of
 * higher salience may also {@link #muteBy mute} it: the decision is still sent, but its actions are held
 * back ({@code inhibition.drl} does so for inhibited alerts).
 *
 * <p>Immutable but for the mute reason of its decision. Its decision is built when the alert changes, so
 * it carries the alert as it was then.
 */
public final class AlertNotice implements Explainable {

    /** The salience of the rule that sends notices; rules that hold notices back need a higher one. */
    public static final int SEND_SALIENCE = -20;

    private Decision decision;
    private final String fingerprint;
    private final Map<String, String> labels;
    private final String service;
    private final boolean firing;
    private final boolean stateChange;
    private final long time;

    private AlertNotice(Decision decision, Alert alert, boolean stateChange, Instant at) {
        this.decision = decision;
        this.fingerprint = alert.getFingerprint();
        this.labels = alert.getLabels();
        this.service = alert.label("service");
        this.firing = alert.isFiring();
        this.stateChange = stateChange;
        this.time = at.toEpochMilli();
    }

    /**
     * The notice of an alert whose first report is firing: it starts firing, but changes no state it had.
     *
     * @param at the session time now
     */
    public static AlertNotice firstFiring(Decision decision, Alert alert, Instant at) {
        return new AlertNotice(decision, alert, false, at);
    }

    /**
     * The notice of an alert that changed state (resolved to firing, or firing to resolved), as it is now.
     *
     * @param at the session time now
     */
    public static AlertNotice stateChange(Decision decision, Alert alert, Instant at) {
        return new AlertNotice(decision, alert, true, at);
    }

    /** The decision to send, not yet stamped; with {@link Decision#MUTED_BY_PARAM} once muted. */
    public Decision getDecision() { return decision; }

    /**
     * Replaces the decision with {@code decision.mutedBy(reason)}: the dispatcher performs none of its
     * actions and audits them as suppressed with this reason. A later call replaces the reason. No rule
     * matches on the decision, so a rule calls this without {@code update}.
     */
    public void muteBy(String reason) {
        decision = decision.mutedBy(reason);
    }

    public String getFingerprint() { return fingerprint; }

    /** The alert's labels (immutable, sorted by name). */
    public Map<String, String> getLabels() { return labels; }

    /** The alert's {@code alertname} label, or null. */
    public String getAlertname() { return labels.get("alertname"); }

    /** The alert's {@code service} label, or null. */
    public String getService() { return service; }

    /** True for {@code alert-firing}, false for {@code alert-resolved}. */
    public boolean isFiring() { return firing; }

    /** False only for the first report of an alert, which fires without changing a state it had. */
    public boolean isStateChange() { return stateChange; }

    /** The session time (epoch milliseconds) of the change: the arrival of the report, or the end that passed. */
    public long getTime() { return time; }

    /** The id of the report behind the change, or null when the decision names none. */
    public String getEventId() {
        return decision.getEventIds().isEmpty() ? null : decision.getEventIds().get(0);
    }

    @Override
    public String explainKey() {
        return fingerprint;
    }

    /**
     * The alert as the change left it ({@code status}, {@code alertname}, {@code labels}), the {@code change}
     * (the decision type), the rule that made it ({@code decidedBy}, the decision's rule, not the rule that
     * sends notices), the report behind it ({@code eventId}) and the mute reason, if any ({@code mutedBy}).
     */
    @Override
    public Map<String, Object> explain() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("status", firing ? "firing" : "resolved");
        fields.put("alertname", getAlertname());
        fields.put("labels", new LinkedHashMap<>(labels));
        fields.put("change", decision.getType());
        fields.put("decidedBy", decision.getRule());
        fields.put("eventId", getEventId());
        Object mutedBy = decision.getParams().get(Decision.MUTED_BY_PARAM);
        if (mutedBy != null) {
            fields.put("mutedBy", mutedBy);
        }
        return fields;
    }

    @Override
    public String toString() {
        return "AlertNotice{" + decision.getType() + ", fingerprint=" + fingerprint + ", time=" + time + "}";
    }
}
