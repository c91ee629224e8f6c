package org.operon.rules;

import org.operon.model.Alert;
import org.operon.model.Priority;
import org.operon.model.Routing;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A firing alert waiting for the routing tables: what their rows match on (the alert's {@code service},
 * {@code severity} and {@code alertname} labels, and whether it fires within business hours). routing.drl
 * inserts one per alert without a {@link Routing}; the matching table row of highest salience fills in
 * team, priority and channels through the setters and, in its last column, turns the request into the
 * {@link Routing} ({@link #route}) and deletes it, which cancels every other row that matched it.
 *
 * <p>A fact of the rules only; the setters are for the table rows and are called before {@link #route}
 * in the same consequence, never through {@code modify}.
 */
public final class RoutingRequest {
    private static final Pattern DELAY = Pattern.compile("(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?");

    /** The Service cell that matches any service. */
    public static final String ANY = "*";

    private final String fingerprint;
    private final String service;
    private final String severity;
    private final String alertname;
    private final boolean businessHours;
    private final Instant requestedAt;
    private String team;
    private Priority priority;
    private List<String> channels = List.of();

    RoutingRequest(String fingerprint, String service, String severity, String alertname, boolean businessHours,
                   Instant requestedAt) {
        this.fingerprint = Objects.requireNonNull(fingerprint, "fingerprint");
        this.service = service;
        this.severity = severity;
        this.alertname = alertname;
        this.businessHours = businessHours;
        this.requestedAt = Objects.requireNonNull(requestedAt, "requestedAt");
    }

    /** The request for a firing alert, routed at its last report's arrival ({@code updatedAt}). */
    public static RoutingRequest of(Alert alert, boolean businessHours) {
        return new RoutingRequest(alert.getFingerprint(), alert.label("service"), alert.label("severity"),
                alert.getAlertname(), businessHours, alert.getUpdatedAt());
    }

    public String getFingerprint() { return fingerprint; }

    /** The alert's {@code service} label, or null. */
    public String getService() { return service; }

    /**
     * True when {@code service} is {@code *} (any service, the alert's label given or not) or equals the
     * alert's {@code service} label. The routing table's Service column.
     */
    public boolean serviceIs(String service) {
        return ANY.equals(service) || service.equals(this.service);
    }

    /** The alert's {@code severity} label, or null. */
    public String getSeverity() { return severity; }

    /** The alert's {@code alertname} label, or null. */
    public String getAlertname() { return alertname; }

    /** True when the alert's last report arrived within business hours. */
    public boolean isBusinessHours() { return businessHours; }

    public void setTeam(String team) { this.team = team; }

    public void setPriority(Priority priority) { this.priority = priority; }

    /** The channels as a table cell gives them: action targets separated by commas. */
    public void setChannels(String channels) {
        this.channels = Arrays.stream(channels.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    /**
     * The routing the row decided.
     *
     * @param escalateAfter the row's "Escalate after" cell: {@code never}, or a delay such as {@code 15m},
     *                      {@code 1h}, {@code 1h30m}, {@code 90s}
     * @param rule          the name of the row's rule
     * @throws IllegalStateException when the row gave no team or no priority
     */
    public Routing route(String escalateAfter, String rule) {
        if (team == null || team.isBlank() || priority == null) {
            throw new IllegalStateException("routing table row " + rule + " gives no team or no priority");
        }
        return new Routing(fingerprint, team, priority, channels, escalationDelay(escalateAfter), businessHours,
                rule, requestedAt);
    }

    /**
     * Parses an "Escalate after" cell: {@code never} (null: no escalation), or hours, minutes and seconds
     * in that order, each optional ({@code 1h30m}, {@code 15m}, {@code 45s}).
     *
     * @throws IllegalArgumentException for anything else, naming the cell's text
     */
    public static Duration escalationDelay(String cell) {
        String text = cell.strip();
        if (text.equalsIgnoreCase("never")) {
            return null;
        }
        Matcher m = DELAY.matcher(text);
        if (text.isEmpty() || !m.matches()) {
            throw new IllegalArgumentException("escalation delay \"" + cell + "\" is neither \"never\" nor like "
                    + "15m, 1h, 1h30m or 90s");
        }
        return Duration.ofHours(number(m.group(1))).plusMinutes(number(m.group(2))).plusSeconds(number(m.group(3)));
    }

    private static long number(String digits) {
        return digits == null ? 0 : Long.parseLong(digits);
    }

    @Override
    public String toString() {
        return "RoutingRequest{fingerprint=" + fingerprint + ", service=" + service + ", severity=" + severity
                + ", alertname=" + alertname + ", businessHours=" + businessHours + "}";
    }
}
