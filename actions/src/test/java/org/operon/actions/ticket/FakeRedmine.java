package org.operon.actions.ticket;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Redmine's REST API as the captured exchanges in {@code src/test/resources/fixtures/redmine} show it (a
 * Redmine 5.0.4; see the README there). Each request is checked against them: path and method, the
 * {@code X-Redmine-API-Key} header (401 without the right key, as Redmine answers writes), a JSON
 * {@code Content-Type} on writes, and the body's shape (only the fields of {@code create-request.json} on
 * create, of {@code comment-request.json} and {@code resolve-request.json} on update, with the same JSON
 * types; a subject and project on create, else 422 like Redmine's {@code {"errors": [...]}}). Answers are
 * the fixtures with this fake's ids, subjects and statuses. The look-up before a create, {@code GET
 * /issues.json} with Redmine's text filter {@code description=~…}, is not among the captured exchanges: it is
 * answered in the shape of the captured list ({@code list-updated-since.json}).
 */
final class FakeRedmine implements TicketApiServer.Api {
    private static final Pattern ISSUE = Pattern.compile("/issues/([0-9]+)\\.json");

    /** One issue as this fake keeps it. */
    static final class Issue {
        final int id;
        final JsonNode created;
        volatile int statusId = 1;
        final List<String> notes = new CopyOnWriteArrayList<>();

        Issue(int id, JsonNode created) {
            this.id = id;
            this.created = created;
        }
    }

    private final String apiKey;
    private final JsonNode createRequest = fixture("create-request.json");
    private final JsonNode createResponse = fixture("create-response-201.json");
    private final JsonNode commentRequest = fixture("comment-request.json");
    private final JsonNode resolveRequest = fixture("resolve-request.json");
    private final JsonNode getWithJournals = fixture("get-with-journals.json");
    private final JsonNode statuses = fixture("issue_statuses.json");
    private final AtomicInteger nextId = new AtomicInteger(createResponse.path("issue").path("id").asInt());
    final Map<Integer, Issue> issues = new ConcurrentHashMap<>();
    /** When set, the next create is performed but answered 504, as when a proxy times out. */
    volatile boolean loseNextCreateAnswer;
    private final JsonNode list = fixture("list-updated-since.json");
    private static final Pattern SEARCH = Pattern.compile("~operon-incident: (inc-[0-9a-f]{12})");

    FakeRedmine(String apiKey) {
        this.apiKey = apiKey;
    }

    static JsonNode fixture(String name) {
        try (InputStream in = FakeRedmine.class.getResourceAsStream("/fixtures/redmine/" + name)) {
            return TicketApiServer.JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public List<String> problems(TicketApiServer.Request r) {
        List<String> problems = new ArrayList<>();
        if (!apiKey.equals(r.header("X-Redmine-API-Key"))) {
            problems.add("X-Redmine-API-Key");
            return problems;
        }
        boolean write = r.method().equals("POST") || r.method().equals("PUT");
        if (write && (r.header("Content-Type") == null || !r.header("Content-Type").startsWith("application/json"))) {
            problems.add("Content-Type " + r.header("Content-Type"));
        }
        Matcher issue = ISSUE.matcher(r.path());
        if (r.path().equals("/issues.json") && r.method().equals("POST")) {
            JsonNode fields = r.body() == null ? null : r.body().path("issue");
            if (fields == null || !fields.isObject() || r.body().size() != 1) {
                problems.add("body must be {\"issue\": {...}}");
                return problems;
            }
            sameShape(fields, createRequest.path("issue"), Set.of("project_id"), problems);
            if (fields.path("subject").asText("").isBlank()) {
                problems.add("Subject cannot be blank");
            }
            if (!fields.has("project_id")) {
                problems.add("Project cannot be blank");
            }
        } else if (issue.matches() && r.method().equals("PUT")) {
            JsonNode fields = r.body() == null ? null : r.body().path("issue");
            if (fields == null || !fields.isObject() || r.body().size() != 1) {
                problems.add("body must be {\"issue\": {...}}");
                return problems;
            }
            ObjectNode allowed = resolveRequest.path("issue").deepCopy();
            allowed.setAll((ObjectNode) commentRequest.path("issue"));
            sameShape(fields, allowed, Set.of(), problems);
            if (fields.has("status_id") && status(fields.path("status_id").asInt()) == null) {
                problems.add("Status is not included in the list");
            }
        } else if (r.path().equals("/issues.json") && r.method().equals("GET")) {
            // The list call of the captured exchanges, with Redmine's text filter on the description.
            Map<String, String> q = query(r.query());
            if (!"*".equals(q.get("status_id")) || !"id".equals(q.get("sort")) || q.get("project_id") == null
                    || !SEARCH.matcher(q.getOrDefault("description", "")).matches()
                    || Integer.parseInt(q.getOrDefault("limit", "25")) > 100) {
                problems.add("issue search " + q);
            }
        } else if (issue.matches() && r.method().equals("GET")) {
            if (r.body() != null) {
                problems.add("GET with a body");
            }
        } else {
            problems.add("no such call: " + r.method() + " " + r.path());
        }
        return problems;
    }

    /** Every field of {@code actual} is one of {@code example}'s, with its JSON type. */
    private static void sameShape(JsonNode actual, JsonNode example, Set<String> textAllowed, List<String> problems) {
        for (Iterator<Map.Entry<String, JsonNode>> it = actual.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            JsonNode expected = example.get(field.getKey());
            if (expected == null) {
                problems.add("unknown field " + field.getKey());
            } else if (expected.getNodeType() != field.getValue().getNodeType()
                    && !(textAllowed.contains(field.getKey()) && field.getValue().isTextual())) {
                problems.add(field.getKey() + " is " + field.getValue().getNodeType() + ", not "
                        + expected.getNodeType());
            }
        }
    }

    @Override
    public TicketApiServer.Answer invalid(TicketApiServer.Request request, List<String> problems) {
        if (problems.contains("X-Redmine-API-Key")) {
            return new TicketApiServer.Answer(401, null);
        }
        if (problems.get(0).startsWith("no such call")) {
            return new TicketApiServer.Answer(404, null);
        }
        return TicketApiServer.Answer.json(422, Map.of("errors", problems));
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                out.put(java.net.URLDecoder.decode(pair.substring(0, eq), java.nio.charset.StandardCharsets.UTF_8),
                        java.net.URLDecoder.decode(pair.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    @Override
    public TicketApiServer.Answer answer(TicketApiServer.Request r) {
        if (r.method().equals("GET") && r.path().equals("/issues.json")) {
            Matcher search = SEARCH.matcher(query(r.query()).get("description"));
            search.matches();
            ObjectNode answer = list.deepCopy();
            com.fasterxml.jackson.databind.node.ArrayNode found = answer.putArray("issues");
            issues.values().stream().sorted(java.util.Comparator.comparingInt(i -> i.id))
                    .filter(i -> i.created.path("description").asText().contains("operon-incident: " + search.group(1)))
                    .forEach(i -> {
                        ObjectNode one = list.path("issues").get(0).deepCopy();
                        one.put("id", i.id);
                        one.put("description", i.created.path("description").asText().replace("\n", "\r\n"));
                        one.set("status", status(i.statusId));
                        found.add(one);
                    });
            answer.put("total_count", found.size()).put("offset", 0).put("limit", 25);
            return TicketApiServer.Answer.json(200, answer);
        }
        if (r.method().equals("POST")) {
            int id = nextId.getAndIncrement();
            issues.put(id, new Issue(id, r.body().path("issue")));
            if (loseNextCreateAnswer) {
                loseNextCreateAnswer = false;
                return new TicketApiServer.Answer(504, null);
            }
            ObjectNode answer = createResponse.deepCopy();
            ObjectNode issue = (ObjectNode) answer.path("issue");
            issue.put("id", id);
            issue.put("subject", r.body().path("issue").path("subject").asText());
            issue.put("description", r.body().path("issue").path("description").asText().replace("\n", "\r\n"));
            return TicketApiServer.Answer.json(201, answer);
        }
        Matcher m = ISSUE.matcher(r.path());
        m.matches();
        Issue issue = issues.get(Integer.parseInt(m.group(1)));
        if (issue == null) {
            return new TicketApiServer.Answer(404, null);
        }
        if (r.method().equals("GET")) {
            ObjectNode answer = getWithJournals.deepCopy();
            ObjectNode fields = (ObjectNode) answer.path("issue");
            fields.put("id", issue.id);
            fields.set("status", status(issue.statusId));
            return TicketApiServer.Answer.json(200, answer);
        }
        JsonNode change = r.body().path("issue");
        if (change.has("status_id")) {
            issue.statusId = change.path("status_id").asInt();
        }
        if (change.has("notes")) {
            issue.notes.add(change.path("notes").asText());
        }
        return new TicketApiServer.Answer(204, null);
    }

    /** The status with this id of {@code issue_statuses.json}, or null. */
    JsonNode status(int id) {
        for (JsonNode s : statuses.path("issue_statuses")) {
            if (s.path("id").asInt() == id) {
                return s;
            }
        }
        return null;
    }
}
