package org.operon.integration.ticket.redmine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.operon.engine.EngineOverloadedException;
import org.operon.integration.http.ApiException;
import org.operon.integration.source.SourceIntake;
import org.operon.model.Event;
import org.operon.model.TicketChange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentMap;

/**
 * Polls a Redmine server for changed issues and submits each change as a {@link TicketChange} event.
 *
 * <p>One {@link #poll()}: reads the statuses ({@code GET /issue_statuses.json}, for {@code is_closed}), then
 * pages through {@code GET /issues.json?status_id=*&updated_on=>=<position>&sort=updated_on&limit=…&offset=…}
 * from the stored position (see {@link RedmineCursor}). Each page's new changes are submitted through
 * {@link SourceIntake#submitEvents} and the position moves past them only after that returned, so a crash or
 * an overloaded engine repeats the page at the next poll (the events' ids are the issue and its update time,
 * the same both times) and never skips it. Each next page is asked from the new position (offset 0), so an
 * issue that changes while paging cannot shift another one out of sight; only a page whose issues all share
 * the position's second moves on by offset. An issue's
 * change is identified by its id, update second and status, so a person's status change in the same second as
 * Operon's own comment is still taken.
 *
 * <p>Before submitting a change that would acknowledge or resolve an incident it reads the issue's journals
 * ({@code GET /issues/{id}.json?include=journals}, one request per such change) to learn who made it; a
 * change whose last journal is by {@link RedmineOptions#ownUserId()} is Operon's own and is skipped.
 *
 * <p>The first poll with no stored position starts at the current time: history is not imported.
 * The API key is sent in a header and never appears in logs or exceptions. Not thread-safe: one timer calls it.
 */
public final class RedminePoller {
    /** The source name in counters and dead letters. */
    public static final String SOURCE = "redmine";
    /** The Infinispan cache (OperonState.durableCache) the app keeps ticket source positions in. */
    public static final String POSITIONS_CACHE = "ticket-source-positions";
    /** The key of the position in the durable map. */
    static final String CURSOR_KEY = "redmine";
    /** At most this many pages per poll; the rest waits for the next. */
    static final int MAX_PAGES = 50;
    private static final Logger LOG = LoggerFactory.getLogger(RedminePoller.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RedmineOptions options;
    private final SourceIntake intake;
    private final RedmineCursor cursor;
    private final Clock clock;
    private final HttpClient http;

    /** @param positions a durable map (Infinispan cache) where the poll position is kept */
    public RedminePoller(RedmineOptions options, SourceIntake intake, ConcurrentMap<String, String> positions,
                         Clock clock) {
        this.options = options;
        this.intake = intake;
        this.cursor = new RedmineCursor(positions, CURSOR_KEY);
        this.clock = clock;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    /**
     * Takes every change since the stored position.
     *
     * @return the number of changes submitted
     * @throws IOException               Redmine could not be read (the position stays)
     * @throws EngineOverloadedException the engine is full (the position stays; the next poll repeats)
     * @throws ApiException              the intake did not confirm (the position stays)
     */
    public int poll() throws IOException, InterruptedException, EngineOverloadedException, ApiException {
        RedmineCursor.Position position = cursor.load();
        if (position == null) {
            position = new RedmineCursor.Position(clock.instant().truncatedTo(ChronoUnit.SECONDS), java.util.Set.of());
            cursor.save(position);
            LOG.info("Redmine polling starts at {} (no stored position)", position.updatedOn());
        }
        Map<Integer, Boolean> closedById = statuses();
        int submitted = 0;
        int offset = 0;
        for (int page = 0; page < MAX_PAGES; page++) {
            JsonNode list = get(issuesPath(position.updatedOn(), offset));
            JsonNode issues = list.path("issues");
            RedmineCursor.Position next = position;
            List<Event> events = new ArrayList<>();
            for (JsonNode issue : issues) {
                int id = issue.path("id").asInt();
                Instant updated = Instant.parse(issue.path("updated_on").asText());
                int statusId = issue.path("status").path("id").asInt();
                if (next.taken(id, statusId, updated)) {
                    continue;
                }
                next = next.after(id, statusId, updated);
                Event event = change(issue, updated, closedById);
                if (event != null) {
                    events.add(event);
                }
            }
            if (!events.isEmpty()) {
                intake.submitEvents(SOURCE, events, List.of(), null);
                submitted += events.size();
            }
            if (!next.equals(position)) {
                cursor.save(next);
            }
            if (issues.size() < options.pageSize()) {
                break;
            }
            offset = next.updatedOn().equals(position.updatedOn()) ? offset + options.pageSize() : 0;
            position = next;
        }
        return submitted;
    }

    private String issuesPath(Instant since, int offset) {
        StringBuilder path = new StringBuilder("/issues.json?status_id=*&updated_on=")
                .append(URLEncoder.encode(">=" + since, StandardCharsets.UTF_8))
                .append("&sort=updated_on&limit=").append(options.pageSize()).append("&offset=").append(offset);
        if (options.projectId() != null) {
            path.append("&project_id=").append(URLEncoder.encode(options.projectId(), StandardCharsets.UTF_8));
        }
        return path.toString();
    }

    /** Status id to is_closed, from {@code /issue_statuses.json}. */
    private Map<Integer, Boolean> statuses() throws IOException, InterruptedException {
        Map<Integer, Boolean> closed = new HashMap<>();
        for (JsonNode s : get("/issue_statuses.json").path("issue_statuses")) {
            closed.put(s.path("id").asInt(), s.path("is_closed").asBoolean(false));
        }
        return closed;
    }

    /** The event of one issue change, or null when it is Operon's own. */
    private Event change(JsonNode issue, Instant updated, Map<Integer, Boolean> closedById)
            throws IOException, InterruptedException {
        int id = issue.path("id").asInt();
        JsonNode status = issue.path("status");
        int statusId = status.path("id").asInt();
        boolean closed = closedById.getOrDefault(statusId, status.path("is_closed").asBoolean(false));
        String effect = effect(statusId, closed);
        String incident = TicketChange.incidentIn(issue.path("description").asText(null));
        String by = null;
        if (!TicketChange.NONE.equals(effect) && incident != null) {
            JsonNode last = lastJournal(id);
            if (last != null) {
                if (options.ownUserId() != null && last.path("user").path("id").asInt(-1) == options.ownUserId()) {
                    LOG.debug("Redmine issue {} changed at {} by Operon's own user: ignored", id, updated);
                    return null;
                }
                by = last.path("user").path("name").asText(null);
            }
        }
        return TicketChange.event("redmine-" + id + "-" + updated.getEpochSecond() + "-" + statusId, TicketChange.REDMINE,
                String.valueOf(id), status.path("name").asText(null), closed, effect, incident, by, updated);
    }

    /** acknowledge, resolve or none by the configured status ids. */
    String effect(int statusId, boolean closed) {
        boolean resolves = options.resolveStatusIds().isEmpty() ? closed : options.resolveStatusIds().contains(statusId);
        if (resolves) {
            return TicketChange.RESOLVE;
        }
        return options.acknowledgeStatusIds().contains(statusId) ? TicketChange.ACKNOWLEDGE : TicketChange.NONE;
    }

    private JsonNode lastJournal(int id) throws IOException, InterruptedException {
        JsonNode journals = get("/issues/" + id + ".json?include=journals").path("issue").path("journals");
        return journals.isArray() && !journals.isEmpty() ? journals.get(journals.size() - 1) : null;
    }

    private JsonNode get(String pathAndQuery) throws IOException, InterruptedException {
        URI uri = URI.create(options.baseUrl() + pathAndQuery);
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .header("X-Redmine-API-Key", options.apiKey()).header("Accept", "application/json").GET().build();
        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IOException("Redmine answered " + response.statusCode() + " to GET " + uri.getPath());
        }
        return JSON.readTree(response.body());
    }
}
