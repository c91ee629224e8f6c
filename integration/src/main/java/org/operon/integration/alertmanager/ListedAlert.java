package org.operon.integration.alertmanager;

import org.operon.model.Alert;
import org.operon.model.AlertStatus;

import java.time.Instant;
import java.util.Map;

/**
 * A copy of one {@link Alert} fact, taken on the engine thread, for {@code GET /api/v2/alerts}.
 *
 * @param generatorURL null when the sender gave none
 */
public record ListedAlert(String fingerprint, Map<String, String> labels, Map<String, String> annotations,
                          Instant startsAt, Instant endsAt, String generatorURL, Instant updatedAt,
                          AlertStatus status) {

    public ListedAlert {
        labels = Map.copyOf(labels);
        annotations = Map.copyOf(annotations);
    }

    /** Copies what the API shows of the fact; call it where the fact may be read (on the engine thread). */
    public static ListedAlert of(Alert alert) {
        return new ListedAlert(alert.getFingerprint(), alert.getLabels(), alert.getAnnotations(), alert.getStartsAt(),
                alert.getEndsAt(), alert.getGeneratorURL(), alert.getUpdatedAt(), alert.getStatus());
    }
}
