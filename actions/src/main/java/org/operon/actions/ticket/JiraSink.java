package org.operon.actions.ticket;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

import org.operon.actions.ActionOptions;
import org.operon.state.ticket.TicketLink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Target {@code jira}: one Jira issue per incident through the REST API v2, authenticated with basic auth
 * {@code email:api-token} (Jira Cloud) or a bearer personal access token (Data Center) (see
 * {@link TicketSink} for when it creates, comments and resolves).
 *
 * <ul>
 *   <li>look up (see {@link #existing}): an issue already labelled with the incident is linked instead of
 *       creating another;</li>
 *   <li>create: {@code POST /rest/api/2/issue} {@code {"fields": {"project": {"key"}, "summary",
 *       "description", "issuetype": {"name"}, "labels": ["operon", "operon-incident-inc-…"]}}}; the label is
 *       what the Jira ticket source reads back; answer 201 {@code {"id", "key", "self"}};</li>
 *   <li>comment: {@code POST /rest/api/2/issue/{key}/comment} {@code {"body"}}; answer 201;</li>
 *   <li>resolve: {@code GET /rest/api/2/issue/{key}/transitions}, {@code POST …/transitions}
 *       {@code {"transition": {"id"}}} with the id of the transition named as configured (answer 204), then the
 *       comment. When the issue offers no such transition (already done, e.g. by the person whose change
 *       resolved the incident) only the comment is added, with a warning naming the transitions offered.</li>
 * </ul>
 */
public final class JiraSink extends TicketSink {
    public static final String NAME = "jira";
    static final int MAX_SUMMARY = 255;
    /** The label prefix the Jira ticket source reads the incident id from. */
    static final String LABEL_PREFIX = "operon-incident-";
    private static final Logger LOG = LoggerFactory.getLogger(JiraSink.class);

    private final JiraTicketOptions jira;
    private final URI base;

    public JiraSink(ActionOptions options) {
        this(options, options.ticketOptions().jiraOptions().orElseThrow(() -> new IllegalArgumentException(
                "target 'jira' needs " + JiraTicketOptions.URL)));
    }

    private JiraSink(ActionOptions options, JiraTicketOptions jira) {
        super(NAME, options, jira.uri(), Map.of("Authorization", jira.authorization()));
        this.jira = jira;
        this.base = jira.uri();
    }

    @Override
    Created create(TicketHttp http, TicketIncident incident) throws Exception {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("project", Map.of("key", jira.project()));
        fields.put("summary", incident.summary(MAX_SUMMARY));
        fields.put("description", incident.description());
        fields.put("issuetype", Map.of("name", jira.issueType()));
        fields.put("labels", List.of("operon", LABEL_PREFIX + incident.id()));
        JsonNode answer = http.send("POST", resolve(base, "/rest/api/2/issue"), null, Map.of("fields", fields));
        String key = TicketHttp.safeId(answer.path("key").asText(null), "issue key");
        return new Created(key, key);
    }

    /**
     * The oldest issue labelled with the incident, if Jira's search finds one: {@code GET /rest/api/2/search/jql}
     * (Jira Cloud, with an email) or {@code GET /rest/api/2/search} (Data Center, with a personal access token),
     * {@code jql=labels = "operon-incident-inc-…" ORDER BY created ASC}. Jira Cloud's search may lag a
     * moment behind a create, so this is best effort.
     */
    @Override
    Optional<Created> existing(TicketHttp http, TicketIncident incident) throws Exception {
        String jql = "labels = \"" + LABEL_PREFIX + incident.id() + "\" ORDER BY created ASC";
        String query = "jql=" + URLEncoder.encode(jql, StandardCharsets.UTF_8) + "&fields=key&maxResults=1";
        String path = jira.email().isEmpty() ? "/rest/api/2/search" : "/rest/api/2/search/jql";
        JsonNode issues = http.send("GET", resolve(base, path), query, null).path("issues");
        if (!issues.isArray() || issues.isEmpty()) {
            return Optional.empty();
        }
        String key = TicketHttp.safeId(issues.get(0).path("key").asText(null), "issue key");
        return Optional.of(new Created(key, key));
    }

    @Override
    void comment(TicketHttp http, TicketLink link, String note) throws Exception {
        http.send("POST", issue(link, "/comment"), null, Map.of("body", note));
    }

    @Override
    void resolve(TicketHttp http, TicketLink link, String note) throws Exception {
        JsonNode offered = http.send("GET", issue(link, "/transitions"), null, null).path("transitions");
        String id = null;
        List<String> names = new ArrayList<>();
        for (JsonNode t : offered) {
            names.add(t.path("name").asText());
            if (id == null && t.path("name").asText().equalsIgnoreCase(jira.resolveTransition())) {
                id = t.path("id").asText(null);
            }
        }
        if (id != null) {
            http.send("POST", issue(link, "/transitions"), null, Map.of("transition", Map.of("id", id)));
        } else {
            LOG.warn("jira issue {} offers no transition '{}' ({}); only commenting that incident {} resolved",
                    link.ticketKey(), jira.resolveTransition(), names, link.incidentId());
        }
        comment(http, link, note);
    }

    private URI issue(TicketLink link, String tail) {
        return resolve(base, "/rest/api/2/issue/" + TicketHttp.safeId(link.ticketId(), "issue key") + tail);
    }
}
