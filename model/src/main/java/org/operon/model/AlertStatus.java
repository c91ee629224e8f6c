package org.operon.model;

import java.util.Locale;

/** Whether an alert is firing or resolved. The wire form is the lower-case name, as in Alertmanager's webhook. */
public enum AlertStatus {
    FIRING, RESOLVED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
