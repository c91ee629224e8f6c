package org.operon.actions.ticket;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import org.operon.actions.Action;
import org.operon.model.TicketChange;

/**
 * The incident an {@code incident-*} decision carries (its {@code incident} snapshot, see docs/incidents.md),
 * read as plain text for ticket subjects, descriptions and comments. Values are looked up, never evaluated.
 */
final class TicketIncident {
    private static final ObjectMapper MAPPER = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private final String type;
    private final JsonNode params;
    private final JsonNode snapshot;

    private TicketIncident(String type, JsonNode params, JsonNode snapshot) {
        this.type = type;
        this.params = params;
        this.snapshot = snapshot;
    }

    /**
     * The incident of the action's decision.
     *
     * @throws IllegalArgumentException when the decision is not an {@code incident-*} decision with a snapshot
     *                                  that has an incident id (a configuration error: not retried)
     */
    static TicketIncident of(Action action) {
        String type = action.decision().getType();
        Map<String, Object> p = action.decision().getParams();
        JsonNode params = MAPPER.valueToTree(p == null ? Map.of() : p);
        JsonNode snapshot = params.path("incident");
        if (type == null || !type.startsWith("incident-") || !snapshot.isObject()
                || TicketChange.incidentId(snapshot.path("id").asText(null)) == null) {
            throw new IllegalArgumentException("target '" + action.target() + "' takes incident-* decisions with an "
                    + "incident snapshot, not '" + type + "'; route only incident decisions to it");
        }
        return new TicketIncident(type, params, snapshot);
    }

    String id() {
        return snapshot.path("id").asText();
    }

    String status() {
        return text(snapshot.get("status"));
    }

    boolean isResolved() {
        return "resolved".equals(status());
    }

    /** A notification that only repeats an unchanged open incident: nothing new for the ticket. */
    boolean isRepeat() {
        return type.equals("incident-notification") && "repeat".equals(text(params.get("reason")));
    }

    /** The routing's priority ({@code P1} …), or empty. */
    String priority() {
        return text(snapshot.path("routing").get("priority"));
    }

    /** {@code [P1] checkout: HighLatency, ErrorRate}, cut to {@code max} characters. */
    String summary(int max) {
        String prefix = priority().isEmpty() ? "" : "[" + priority() + "] ";
        List<String> firing = firingNames();
        String summary = prefix + text(snapshot.get("correlationKey"))
                + (firing.isEmpty() ? "" : ": " + String.join(", ", firing));
        return summary.length() <= max ? summary : summary.substring(0, max - 1) + "…";
    }

    /** The text of a new ticket; its last line is the marker the ticket sources read back. */
    String description() {
        StringBuilder b = new StringBuilder();
        b.append("Operon incident ").append(id()).append(" for ").append(text(snapshot.get("correlationKey")))
                .append(", ").append(status()).append(" since ").append(text(snapshot.get("openedAt"))).append(".\n");
        String team = text(snapshot.path("routing").get("team"));
        if (!priority().isEmpty() || !team.isEmpty()) {
            b.append("Priority: ").append(priority().isEmpty() ? "-" : priority())
                    .append(", team: ").append(team.isEmpty() ? "-" : team).append(".\n");
        }
        b.append("\nFiring alerts:\n");
        for (JsonNode alert : snapshot.path("alerts")) {
            if ("firing".equals(text(alert.get("status")))) {
                String labels = labels(alert.path("labels"));
                b.append("- ").append(text(alert.get("alertname"))).append(labels.isEmpty() ? "" : " " + labels)
                        .append('\n');
            }
        }
        b.append('\n').append(TicketChange.MARKER).append(' ').append(id());
        return b.toString();
    }

    /** A comment telling what changed. */
    String changeNote() {
        String head = switch (type) {
            case "incident-acknowledged" -> "Acknowledged by " + orDash(params.get("by"))
                    + (text(params.get("comment")).isEmpty() ? "" : ": " + text(params.get("comment")));
            case "incident-escalated" -> "Escalated to level " + orDash(params.get("level")) + " (team "
                    + orDash(params.get("team")) + ", contact " + orDash(params.get("contact")) + ")";
            case "incident-reopened" -> "Reopened (" + orDash(snapshot.get("reopenCount")) + " time(s))";
            case "incident-notification" -> "Notification (" + orDash(params.get("reason")) + ")";
            default -> type;
        };
        StringBuilder b = new StringBuilder(head).append(". Status: ").append(status()).append(". Firing: ");
        List<String> firing = firingNames();
        b.append(firing.isEmpty() ? "none" : String.join(", ", firing)).append('.');
        List<String> resolved = names(params.path("resolved"));
        if (!resolved.isEmpty()) {
            b.append(" Resolved: ").append(String.join(", ", resolved)).append('.');
        }
        return b.toString();
    }

    /** The comment that goes with resolving the ticket. */
    String resolveNote() {
        return "Incident " + id() + " resolved by " + orDash(snapshot.get("resolvedBy")) + " at "
                + orDash(snapshot.get("resolvedAt")) + ".";
    }

    private List<String> firingNames() {
        List<String> out = new ArrayList<>();
        for (JsonNode alert : snapshot.path("alerts")) {
            String name = text(alert.get("alertname"));
            if ("firing".equals(text(alert.get("status"))) && !name.isEmpty() && !out.contains(name)) {
                out.add(name);
            }
        }
        return out;
    }

    private static List<String> names(JsonNode alerts) {
        List<String> out = new ArrayList<>();
        for (JsonNode alert : alerts) {
            String name = text(alert.get("alertname"));
            if (!name.isEmpty() && !out.contains(name)) {
                out.add(name);
            }
        }
        return out;
    }

    /** {@code (instance=host-1, service=checkout)}: no braces, which Jira's wiki markup would read as a macro. */
    private static String labels(JsonNode labels) {
        Map<String, String> sorted = new TreeMap<>();
        labels.fields().forEachRemaining(e -> sorted.put(e.getKey(), text(e.getValue())));
        sorted.remove("alertname");
        List<String> pairs = new ArrayList<>();
        sorted.forEach((k, v) -> pairs.add(k + "=" + v));
        return pairs.isEmpty() ? "" : "(" + String.join(", ", pairs) + ")";
    }

    private static String orDash(JsonNode node) {
        String t = text(node);
        return t.isEmpty() ? "-" : t;
    }

    private static String text(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return "";
        }
        return node.isValueNode() ? node.asText() : node.toString();
    }
}
