package org.operon.rules;

import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * An alert that must not notify while this fact exists: inserted logically by inhibition.drl (an
 * inhibit rule's source alert fires, or an alert of a service the alert's service depends on fires),
 * so Drools removes it by itself when that stops being true. It is held for a firing alert, and for a
 * resolved one only while its alert-resolved notice is on its way out (so that notice is muted too).
 * The alert still exists and still belongs to its incident; its alert-firing / alert-resolved
 * decisions leave with {@link org.operon.model.Decision#MUTED_BY_PARAM} set to {@link #getReason()},
 * and incident notifications leave it out.
 *
 * <p>One alert may have several, one per reason; each reason names one source alert, so the fact of one
 * source goes when that source resolves and the others stay.
 */
public final class InhibitedAlert {
    private final String fingerprint;
    private final String reason;

    /**
     * @param reason what inhibits it, for the audit log: see {@link #byAlert} and {@link #byService}
     */
    public InhibitedAlert(String fingerprint, String reason) {
        this.fingerprint = Objects.requireNonNull(fingerprint, "fingerprint");
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** Inhibited under an inhibit rule: {@code "inhibited by alert <source fp> (rule <name>)"}. */
    public static InhibitedAlert byAlert(String fingerprint, String sourceFingerprint, String ruleName) {
        return new InhibitedAlert(fingerprint, "inhibited by alert " + sourceFingerprint + " (rule " + ruleName + ")");
    }

    /**
     * Inhibited by topology: {@code "inhibited by service <needed>, which <dependent> depends on (alert <source fp>)"}.
     *
     * @param needed    the service a firing alert is on
     * @param dependent the service of the inhibited alert, which depends on {@code needed} directly
     */
    public static InhibitedAlert byService(String fingerprint, String needed, String dependent,
                                           String sourceFingerprint) {
        return new InhibitedAlert(fingerprint, "inhibited by service " + needed + ", which " + dependent
                + " depends on (alert " + sourceFingerprint + ")");
    }

    /**
     * The mute reason of an alert with these reasons: the first of them in sorted order, so it does not
     * depend on the order the rules found them in (replay gives the same), followed by
     * {@code " (and N more)"} when there are others. Bounded, though a large outage can give an alert
     * hundreds of reasons.
     *
     * @param reasons at least one
     */
    public static String reasonOf(List<String> reasons) {
        TreeSet<String> distinct = new TreeSet<>(reasons);
        return distinct.size() == 1 ? distinct.first() : distinct.first() + " (and " + (distinct.size() - 1) + " more)";
    }

    public String getFingerprint() { return fingerprint; }

    public String getReason() { return reason; }

    // Value equality: insertLogical keeps one fact per (fingerprint, reason) however many rules justify
    // it. Drools' truth maintenance looks facts up by equals/hashCode even in a kbase with
    // equalsBehavior="identity" (InhibitionTest proves it).
    @Override
    public boolean equals(Object o) {
        return o instanceof InhibitedAlert i && fingerprint.equals(i.fingerprint) && reason.equals(i.reason);
    }

    @Override
    public int hashCode() { return Objects.hash(fingerprint, reason); }

    @Override
    public String toString() { return "InhibitedAlert{" + fingerprint + ", " + reason + "}"; }
}
