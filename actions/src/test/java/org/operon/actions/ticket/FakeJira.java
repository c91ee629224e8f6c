package org.operon.actions.ticket;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
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

/**
 * Jira's REST API v2 as documented (https://developer.atlassian.com/cloud/jira/platform/rest/v2/): create
 * issue ({@code POST /rest/api/2/issue} with {@code fields.project.key}, {@code summary} of at most 255
 * characters, {@code issuetype.name}, optional {@code description} and {@code labels} without spaces; 201
 * {@code {"id", "key", "self"}}), add comment ({@code POST …/comment} {@code {"body"}}; 201), get transitions
 * ({@code GET …/transitions}: those from the issue's current status) and do transition ({@code POST
 * …/transitions} {@code {"transition": {"id"}}} with an offered id; 204). Basic auth {@code email:token}
 * (401 otherwise); JSON content type on POST; 400 {@code {"errorMessages", "errors"}} for anything else.
 */
final class FakeJira implements TicketApiServer.Api {
    private static final Pattern ISSUE = Pattern.compile("/rest/api/2/issue/([A-Z][A-Z0-9]*-[0-9]+)(/comment|/transitions)");
    private static final Set<String> FIELDS = Set.of("project", "summary", "description", "issuetype", "labels");

    /** An issue: its status and comments. */
    static final class Issue {
        volatile String status = "To Do";
        final JsonNode fields;
        final List<String> comments = new CopyOnWriteArrayList<>();

        Issue(JsonNode fields) {
            this.fields = fields;
        }
    }

    private final String authorization;
    private final String project;
    private final AtomicInteger next = new AtomicInteger(1);
    final Map<String, Issue> issues = new ConcurrentHashMap<>();
    /** When set, the next create is performed but answered 504, as when a proxy times out. */
    volatile boolean loseNextCreateAnswer;
    private static final Pattern JQL = Pattern.compile("labels = \"(operon-incident-inc-[0-9a-f]{12})\" ORDER BY created ASC");

    FakeJira(String email, String token, String project) {
        this.authorization = "Basic " + Base64.getEncoder().encodeToString((email + ":" + token)
                .getBytes(StandardCharsets.UTF_8));
        this.project = project;
    }

    /** The transitions Jira offers from a status (a simple workflow: To Do → In Progress → Done → Reopen). */
    static List<Map<String, Object>> transitionsFrom(String status) {
        if (status.equals("Done")) {
            return List.of(Map.of("id", "41", "name", "Reopen", "to", Map.of("name", "To Do")));
        }
        return List.of(Map.of("id", "21", "name", "In Progress", "to", Map.of("name", "In Progress")),
                Map.of("id", "31", "name", "Done", "to", Map.of("name", "Done")));
    }

    @Override
    public List<String> problems(TicketApiServer.Request r) {
        List<String> problems = new ArrayList<>();
        if (!authorization.equals(r.header("Authorization"))) {
            problems.add("Authorization");
            return problems;
        }
        if (r.method().equals("POST") && (r.header("Content-Type") == null
                || !r.header("Content-Type").startsWith("application/json"))) {
            problems.add("Content-Type");
        }
        Matcher m = ISSUE.matcher(r.path());
        if (r.path().equals("/rest/api/2/search/jql") && r.method().equals("GET")) {
            Map<String, String> q = query(r.query());
            if (!JQL.matcher(q.getOrDefault("jql", "")).matches()) {
                problems.add("jql " + q.get("jql"));
            }
            if (!"1".equals(q.get("maxResults"))) {
                problems.add("maxResults");
            }
        } else if (r.path().equals("/rest/api/2/issue") && r.method().equals("POST")) {
            JsonNode f = r.body() == null ? null : r.body().path("fields");
            if (f == null || !f.isObject()) {
                problems.add("fields");
                return problems;
            }
            for (Iterator<String> it = f.fieldNames(); it.hasNext(); ) {
                String name = it.next();
                if (!FIELDS.contains(name)) {
                    problems.add("unknown field " + name);
                }
            }
            if (!project.equals(f.path("project").path("key").asText())) {
                problems.add("project: valid project is required");
            }
            String summary = f.path("summary").asText("");
            if (!f.path("summary").isTextual() || summary.isBlank() || summary.length() > 255) {
                problems.add("summary");
            }
            if (!f.path("issuetype").path("name").isTextual()) {
                problems.add("issuetype");
            }
            if (f.has("description") && !f.path("description").isTextual()) {
                problems.add("description");
            }
            if (f.has("labels")) {
                if (!f.path("labels").isArray()) {
                    problems.add("labels");
                }
                f.path("labels").forEach(l -> {
                    if (!l.isTextual() || l.asText().contains(" ")) {
                        problems.add("labels: a label cannot contain spaces");
                    }
                });
            }
        } else if (m.matches() && m.group(2).equals("/comment") && r.method().equals("POST")) {
            if (r.body() == null || !r.body().path("body").isTextual() || r.body().size() != 1) {
                problems.add("comment body");
            }
        } else if (m.matches() && m.group(2).equals("/transitions") && r.method().equals("GET")) {
            if (!r.rawBody().isEmpty()) {
                problems.add("GET with a body");
            }
        } else if (m.matches() && m.group(2).equals("/transitions") && r.method().equals("POST")) {
            Issue issue = issues.get(m.group(1));
            String id = r.body() == null ? null : r.body().path("transition").path("id").asText(null);
            if (issue != null && transitionsFrom(issue.status).stream().noneMatch(t -> t.get("id").equals(id))) {
                problems.add("transition " + id + " is not valid for this issue");
            }
        } else {
            problems.add("no such call: " + r.method() + " " + r.path());
        }
        return problems;
    }

    @Override
    public TicketApiServer.Answer invalid(TicketApiServer.Request request, List<String> problems) {
        if (problems.contains("Authorization")) {
            return new TicketApiServer.Answer(401, null);
        }
        if (problems.get(0).startsWith("no such call")) {
            return new TicketApiServer.Answer(404, null);
        }
        return TicketApiServer.Answer.json(400, Map.of("errorMessages", problems, "errors", Map.of()));
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                out.put(java.net.URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    @Override
    public TicketApiServer.Answer answer(TicketApiServer.Request r) {
        if (r.path().equals("/rest/api/2/search/jql")) {
            Matcher jql = JQL.matcher(query(r.query()).get("jql"));
            jql.matches();
            List<Map<String, Object>> found = new ArrayList<>();
            issues.entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .filter(e -> e.getValue().fields.path("labels").toString().contains("\"" + jql.group(1) + "\""))
                    .limit(1).forEach(e -> found.add(Map.of("id", "1", "key", e.getKey())));
            return TicketApiServer.Answer.json(200, Map.of("issues", found, "isLast", true));
        }
        if (r.path().equals("/rest/api/2/issue")) {
            int n = next.getAndIncrement();
            String key = project + "-" + n;
            issues.put(key, new Issue(r.body().path("fields")));
            if (loseNextCreateAnswer) {
                loseNextCreateAnswer = false;
                return TicketApiServer.Answer.json(504, Map.of());
            }
            return TicketApiServer.Answer.json(201, Map.of("id", String.valueOf(10000 + n), "key", key,
                    "self", "http://jira.example/rest/api/2/issue/" + (10000 + n)));
        }
        Matcher m = ISSUE.matcher(r.path());
        m.matches();
        Issue issue = issues.get(m.group(1));
        if (issue == null) {
            return TicketApiServer.Answer.json(404, Map.of("errorMessages", List.of("Issue does not exist"),
                    "errors", Map.of()));
        }
        if (m.group(2).equals("/comment")) {
            issue.comments.add(r.body().path("body").asText());
            return TicketApiServer.Answer.json(201, Map.of("id", String.valueOf(issue.comments.size()),
                    "body", r.body().path("body").asText()));
        }
        if (r.method().equals("GET")) {
            return TicketApiServer.Answer.json(200, Map.of("expand", "transitions",
                    "transitions", transitionsFrom(issue.status)));
        }
        String id = r.body().path("transition").path("id").asText();
        transitionsFrom(issue.status).stream().filter(t -> t.get("id").equals(id)).findFirst()
                .ifPresent(t -> issue.status = (String) ((Map<?, ?>) t.get("to")).get("name"));
        return new TicketApiServer.Answer(204, null);
    }
}
