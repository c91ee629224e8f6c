package org.operon.actions.ticket;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.operon.actions.HttpTarget;

/**
 * The {@code jira} target: issues through Jira's REST API v2.
 *
 * @param url               the Jira base URL, e.g. {@code https://example.atlassian.net} ({@link #URL})
 * @param email             the account's email for Jira Cloud (basic auth {@code email:api-token}); empty for a
 *                          Data Center personal access token, sent as {@code Bearer} ({@link #EMAIL})
 * @param apiToken          the API token or personal access token; a secret, never logged ({@link #API_TOKEN})
 * @param project           the project key issues are created in, e.g. {@code OPS} ({@link #PROJECT})
 * @param issueType         the issue type's name ({@link #ISSUE_TYPE}; default {@code Task})
 * @param resolveTransition the name of the workflow transition that resolves an issue
 *                          ({@link #RESOLVE_TRANSITION}; default {@code Done})
 */
public record JiraTicketOptions(String url, String email, String apiToken, String project, String issueType,
                                String resolveTransition) {
    public static final String URL = "operon.actions.jira.url";
    public static final String EMAIL = "operon.actions.jira.email";
    public static final String API_TOKEN = "operon.actions.jira.api-token";
    public static final String PROJECT = "operon.actions.jira.project";
    public static final String ISSUE_TYPE = "operon.actions.jira.issue-type";
    public static final String RESOLVE_TRANSITION = "operon.actions.jira.resolve-transition";

    /** @throws IllegalArgumentException naming the key of the first missing or invalid value */
    public JiraTicketOptions {
        url = TicketOptions.required(url, URL, JiraSink.NAME);
        HttpTarget.parse(url, URL);
        email = email == null ? "" : email.strip();
        apiToken = TicketOptions.required(apiToken, API_TOKEN, JiraSink.NAME);
        project = TicketOptions.required(project, PROJECT, JiraSink.NAME);
        issueType = issueType == null || issueType.isBlank() ? "Task" : issueType.strip();
        resolveTransition = resolveTransition == null || resolveTransition.isBlank() ? "Done" : resolveTransition.strip();
    }

    URI uri() {
        return HttpTarget.parse(url, URL);
    }

    /** The {@code Authorization} header: basic with an email, bearer without. */
    String authorization() {
        if (email.isEmpty()) {
            return "Bearer " + apiToken;
        }
        return "Basic " + Base64.getEncoder().encodeToString((email + ":" + apiToken).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "JiraTicketOptions[url=" + HttpTarget.hostOnly(uri()) + uri().getRawPath() + ", email=" + email
                + ", apiToken=****, project=" + project + ", issueType=" + issueType + ", resolveTransition="
                + resolveTransition + "]";
    }
}
