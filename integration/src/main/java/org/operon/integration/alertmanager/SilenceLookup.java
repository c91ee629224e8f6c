package org.operon.integration.alertmanager;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Which silences mute an alert, for the {@code status} of listed alerts. The application passes
 * {@code silenceStore::activeFor}.
 */
@FunctionalInterface
public interface SilenceLookup {
    /** Silences nothing. */
    SilenceLookup NONE = (labels, at) -> List.of();

    /** The ids of the silences active at {@code at} whose matchers all match the labels; never null. */
    List<String> silencedBy(Map<String, String> labels, Instant at);
}
