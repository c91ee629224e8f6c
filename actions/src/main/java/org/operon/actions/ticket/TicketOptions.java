package org.operon.actions.ticket;

import java.util.Optional;

/**
 * The settings of the three ticket targets; each is null when that target is not configured, and then
 * naming it as a target is an error.
 */
public record TicketOptions(RedmineTicketOptions redmine, JiraTicketOptions jira, ServiceNowTicketOptions serviceNow) {
    /** No ticket target configured. */
    public static final TicketOptions NONE = new TicketOptions(null, null, null);

    public Optional<RedmineTicketOptions> redmineOptions() {
        return Optional.ofNullable(redmine);
    }

    public Optional<JiraTicketOptions> jiraOptions() {
        return Optional.ofNullable(jira);
    }

    public Optional<ServiceNowTicketOptions> serviceNowOptions() {
        return Optional.ofNullable(serviceNow);
    }

    /**
     * Whether target {@code name} may be used: true for names that are not ticket targets, and for ticket
     * targets that are configured.
     */
    public boolean allows(String name) {
        return switch (name) {
            case RedmineSink.NAME -> redmine != null;
            case JiraSink.NAME -> jira != null;
            case ServiceNowSink.NAME -> serviceNow != null;
            default -> true;
        };
    }

    /** The key whose setting configures ticket target {@code name}, for error messages. */
    public static String keyOf(String name) {
        return switch (name) {
            case RedmineSink.NAME -> RedmineTicketOptions.URL;
            case JiraSink.NAME -> JiraTicketOptions.URL;
            case ServiceNowSink.NAME -> ServiceNowTicketOptions.URL;
            default -> throw new IllegalArgumentException("not a ticket target: " + name);
        };
    }

    static String required(String value, String key, String target) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(key + " must be set for target '" + target + "'");
        }
        return value.strip();
    }

    static void positive(Integer value, String key) {
        if (value != null && value < 1) {
            throw new IllegalArgumentException(key + " must be a positive id, was " + value);
        }
    }
}
