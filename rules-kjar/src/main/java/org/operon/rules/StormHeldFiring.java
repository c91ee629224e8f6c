package org.operon.rules;

/**
 * A firing alert whose {@code alert-firing} decision {@code alert-storm.drl} held back: its
 * {@code alert-resolved} decision is held back too, whenever it comes (during the storm or after),
 * because nobody was told it fired. One instance per such alert, in working memory until the alert
 * resolves. Immutable.
 */
public final class StormHeldFiring {
    private final String fingerprint;

    public StormHeldFiring(String fingerprint) {
        this.fingerprint = fingerprint;
    }

    public String getFingerprint() { return fingerprint; }

    @Override
    public String toString() {
        return "StormHeldFiring{fingerprint=" + fingerprint + "}";
    }
}
