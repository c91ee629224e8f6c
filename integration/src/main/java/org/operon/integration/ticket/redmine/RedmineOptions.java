package org.operon.integration.ticket.redmine;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * How the Redmine source polls (docs/sources/tickets.md).
 *
 * @param baseUrl              the Redmine server, e.g. {@code https://redmine.example.com}
 * @param apiKey               sent as {@code X-Redmine-API-Key}; a secret, never logged or shown
 * @param period               time between polls
 * @param projectId            only issues of this project (Redmine's {@code project_id}), or null for all
 * @param acknowledgeStatusIds status ids whose issues acknowledge their incident (default 2, In Progress)
 * @param resolveStatusIds     status ids whose issues resolve their incident; empty: every status Redmine
 *                             flags {@code is_closed} (a default install's "Resolved", id 3, is not closed)
 * @param ownUserId            Redmine user id of Operon's own ticket actions, whose changes are ignored; null:
 *                             none ignored
 * @param pageSize             issues per request (Redmine allows at most 100)
 */
public record RedmineOptions(URI baseUrl, String apiKey, Duration period, String projectId,
                             Set<Integer> acknowledgeStatusIds, Set<Integer> resolveStatusIds, Integer ownUserId,
                             int pageSize) {
    public RedmineOptions {
        Objects.requireNonNull(baseUrl, "baseUrl");
        if (apiKey == null || apiKey.isBlank()) {
            throw new IllegalArgumentException("the Redmine API key is required");
        }
        if (period == null || period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("the poll period must be positive, not " + period);
        }
        acknowledgeStatusIds = Set.copyOf(acknowledgeStatusIds);
        resolveStatusIds = Set.copyOf(resolveStatusIds);
        if (pageSize < 1 || pageSize > 100) {
            throw new IllegalArgumentException("the page size must be 1..100, not " + pageSize);
        }
        String base = baseUrl.toString();
        if (base.endsWith("/")) {
            baseUrl = URI.create(base.substring(0, base.length() - 1));
        }
    }

    @Override
    public String toString() {
        return "RedmineOptions{" + baseUrl + ", apiKey=***, period=" + period + ", project=" + projectId
                + ", acknowledge=" + acknowledgeStatusIds + ", resolve=" + resolveStatusIds + ", ownUser=" + ownUserId + "}";
    }
}
