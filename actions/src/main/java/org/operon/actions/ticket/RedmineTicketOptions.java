package org.operon.actions.ticket;

import java.net.URI;

import org.operon.actions.HttpTarget;

/**
 * The {@code redmine} target: issues through Redmine's REST API.
 *
 * @param url              the Redmine base URL, e.g. {@code https://redmine.example.com} ({@link #URL})
 * @param apiKey           the API key, sent as {@code X-Redmine-API-Key}; a secret, never logged
 *                         ({@link #API_KEY}). Its user is the author of Operon's changes: give the Redmine
 *                         ticket source that user's id as {@code operon.redmine.own-user-id}
 * @param project          the project's id or identifier the issues are created in ({@link #PROJECT})
 * @param trackerId        the tracker of new issues, or null for the project's default ({@link #TRACKER_ID})
 * @param priorityId       the priority of new issues, or null for Redmine's default ({@link #PRIORITY_ID})
 * @param resolvedStatusId the status a resolved incident sets ({@link #RESOLVED_STATUS_ID}; default 3, Resolved)
 */
public record RedmineTicketOptions(String url, String apiKey, String project, Integer trackerId, Integer priorityId,
                                   int resolvedStatusId) {
    public static final String URL = "operon.actions.redmine.url";
    public static final String API_KEY = "operon.actions.redmine.api-key";
    public static final String PROJECT = "operon.actions.redmine.project";
    public static final String TRACKER_ID = "operon.actions.redmine.tracker-id";
    public static final String PRIORITY_ID = "operon.actions.redmine.priority-id";
    public static final String RESOLVED_STATUS_ID = "operon.actions.redmine.resolved-status-id";

    /** @throws IllegalArgumentException naming the key of the first missing or invalid value */
    public RedmineTicketOptions {
        url = TicketOptions.required(url, URL, RedmineSink.NAME);
        HttpTarget.parse(url, URL);
        apiKey = TicketOptions.required(apiKey, API_KEY, RedmineSink.NAME);
        project = TicketOptions.required(project, PROJECT, RedmineSink.NAME);
        TicketOptions.positive(trackerId, TRACKER_ID);
        TicketOptions.positive(priorityId, PRIORITY_ID);
        TicketOptions.positive(resolvedStatusId, RESOLVED_STATUS_ID);
    }

    URI uri() {
        return HttpTarget.parse(url, URL);
    }

    /** The project as Redmine's {@code project_id}: a number when it is one, else the identifier. */
    Object projectId() {
        return project.matches("[0-9]{1,9}") ? Integer.valueOf(project) : project;
    }

    @Override
    public String toString() {
        return "RedmineTicketOptions[url=" + HttpTarget.hostOnly(uri()) + uri().getRawPath() + ", apiKey=****, project="
                + project + ", trackerId=" + trackerId + ", priorityId=" + priorityId + ", resolvedStatusId="
                + resolvedStatusId + "]";
    }
}
