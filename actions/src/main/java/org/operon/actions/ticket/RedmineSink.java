package org.operon.actions.ticket;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

import org.operon.actions.ActionOptions;
import org.operon.model.TicketChange;
import org.operon.state.ticket.TicketLink;

/**
 * Target {@code redmine}: one Redmine issue per incident through the REST API, authenticated by
 * {@code X-Redmine-API-Key} (see {@link TicketSink} for when it creates, comments and resolves).
 *
 * <ul>
 *   <li>look up (see {@link #existing}): an issue whose description already names the incident is linked
 *       instead of creating another;</li>
 *   <li>create: {@code POST /issues.json} {@code {"issue": {"project_id", "tracker_id", "priority_id",
 *       "subject", "description"}}} (tracker and priority only when configured); the description ends with the
 *       line {@code operon-incident: inc-…} that the Redmine ticket source reads; answer 201 with the issue;</li>
 *   <li>comment: {@code PUT /issues/{id}.json} {@code {"issue": {"notes"}}}; answer 204;</li>
 *   <li>resolve: {@code GET /issues/{id}.json}, then {@code PUT /issues/{id}.json}
 *       {@code {"issue": {"status_id", "notes"}}}, or only the notes when the issue already has the resolved
 *       status or a closed one.</li>
 * </ul>
 * The API key's user is the author of these changes: the ticket source skips them when that user's id is
 * its {@code operon.redmine.own-user-id}.
 */
public final class RedmineSink extends TicketSink {
    public static final String NAME = "redmine";
    static final int MAX_SUBJECT = 255;

    private final RedmineTicketOptions redmine;
    private final URI base;

    public RedmineSink(ActionOptions options) {
        this(options, options.ticketOptions().redmineOptions().orElseThrow(() -> new IllegalArgumentException(
                "target 'redmine' needs " + RedmineTicketOptions.URL)));
    }

    private RedmineSink(ActionOptions options, RedmineTicketOptions redmine) {
        super(NAME, options, redmine.uri(), Map.of("X-Redmine-API-Key", redmine.apiKey()));
        this.redmine = redmine;
        this.base = redmine.uri();
    }

    @Override
    Created create(TicketHttp http, TicketIncident incident) throws Exception {
        Map<String, Object> issue = new LinkedHashMap<>();
        issue.put("project_id", redmine.projectId());
        if (redmine.trackerId() != null) {
            issue.put("tracker_id", redmine.trackerId());
        }
        if (redmine.priorityId() != null) {
            issue.put("priority_id", redmine.priorityId());
        }
        issue.put("subject", incident.summary(MAX_SUBJECT));
        issue.put("description", incident.description());
        JsonNode answer = http.send("POST", resolve(base, "/issues.json"), null, Map.of("issue", issue));
        String id = TicketHttp.safeId(answer.path("issue").path("id").asText(null), "issue id");
        return new Created(id, id);
    }

    /**
     * The oldest issue of the project whose description names the incident: {@code GET /issues.json?status_id=*
     * &project_id=…&description=~operon-incident: inc-…&sort=id&limit=25}. Only an issue whose description
     * really carries the marker counts, so a Redmine that ignored the filter could not make Operon adopt
     * another issue.
     */
    @Override
    Optional<Created> existing(TicketHttp http, TicketIncident incident) throws Exception {
        String query = "status_id=*&project_id=" + URLEncoder.encode(redmine.project(), StandardCharsets.UTF_8)
                + "&description=" + URLEncoder.encode("~" + TicketChange.MARKER + " " + incident.id(),
                StandardCharsets.UTF_8) + "&sort=id&limit=25";
        for (JsonNode issue : http.send("GET", resolve(base, "/issues.json"), query, null).path("issues")) {
            if (incident.id().equals(TicketChange.incidentIn(issue.path("description").asText(null)))) {
                String id = TicketHttp.safeId(issue.path("id").asText(null), "issue id");
                return Optional.of(new Created(id, id));
            }
        }
        return Optional.empty();
    }

    @Override
    void comment(TicketHttp http, TicketLink link, String note) throws Exception {
        http.send("PUT", issue(link), null, Map.of("issue", Map.of("notes", note)));
    }

    @Override
    void resolve(TicketHttp http, TicketLink link, String note) throws Exception {
        JsonNode status = http.send("GET", issue(link), null, null).path("issue").path("status");
        Map<String, Object> change = new LinkedHashMap<>();
        if (status.path("id").asInt() != redmine.resolvedStatusId() && !status.path("is_closed").asBoolean()) {
            change.put("status_id", redmine.resolvedStatusId());
        }
        change.put("notes", note);
        http.send("PUT", issue(link), null, Map.of("issue", change));
    }

    private URI issue(TicketLink link) {
        return resolve(base, "/issues/" + TicketHttp.safeId(link.ticketId(), "issue id") + ".json");
    }
}
