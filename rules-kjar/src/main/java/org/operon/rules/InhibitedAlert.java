package org.operon.rules;

import java.util.Objects;

/**
 * A firing alert that must not notify while this fact exists: inserted logically by inhibition.drl
 * (an inhibit rule's source alert fires, or an incident is open on a service the alert's service
 * depends on), so Drools removes it by itself when that stops being true. The alert still exists and
 * still belongs to its incident; its alert-firing / alert-resolved decisions leave with
 * {@link org.operon.model.Decision#MUTED_BY_PARAM} set to {@link #getReason()}, and incident
 * notifications leave it out.
 */
public final class InhibitedAlert {
    private final String fingerprint;
    private final String reason;

    /**
     * @param reason what inhibits it, for the audit log: {@code "inhibited by alert <fp> (rule <name>)"} or
     *               {@code "inhibited by incident <id> on <service>, which <service> depends on"}
     */
    public InhibitedAlert(String fingerprint, String reason) {
        this.fingerprint = Objects.requireNonNull(fingerprint, "fingerprint");
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public String getFingerprint() { return fingerprint; }

    public String getReason() { return reason; }

    // Value equality: insertLogical keeps one fact per (fingerprint, reason) however many rules justify it.
    @Override
    public boolean equals(Object o) {
        return o instanceof InhibitedAlert i && fingerprint.equals(i.fingerprint) && reason.equals(i.reason);
    }

    @Override
    public int hashCode() { return Objects.hash(fingerprint, reason); }

    @Override
    public String toString() { return "InhibitedAlert{" + fingerprint + ", " + reason + "}"; }
}
