package org.operon.actions.ticket;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.net.URLDecoder;
import java.util.Iterator;
import java.util.LinkedHashMap;
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
 * ServiceNow's Table API on the {@code incident} table as documented
 * (https://developer.servicenow.com/dev.do#!/reference/api/latest/rest/c_TableAPI): {@code POST
 * /api/now/table/incident} (201 {@code {"result": {"sys_id", "number", …}}}), {@code PATCH
 * /api/now/table/incident/{sys_id}} (200 {@code {"result"}}), {@code GET …/{sys_id}?sysparm_fields=…}
 * (200 {@code {"result": {fields}}}). Basic auth (401 otherwise), JSON content type on writes, field values
 * as strings, only fields of the incident table; {@code short_description} of at most 160 characters on
 * create; the data policy of the Resolved state: {@code state} 6 needs {@code close_code} and
 * {@code close_notes}. Errors: 400 {@code {"error": {"message", "detail"}, "status": "failure"}}, 404 for an
 * unknown sys_id.
 */
final class FakeServiceNow implements TicketApiServer.Api {
    private static final Pattern RECORD = Pattern.compile("/api/now/table/incident/([0-9a-f]{32})");
    private static final Set<String> CREATE = Set.of("short_description", "description", "correlation_id",
            "correlation_display", "impact", "urgency", "assignment_group", "caller_id", "category");
    private static final Set<String> UPDATE = Set.of("work_notes", "comments", "state", "close_code", "close_notes");

    /** A record: its state and work notes. */
    static final class Record {
        final String sysId;
        final String number;
        final JsonNode created;
        volatile String state = "1";
        final List<String> workNotes = new CopyOnWriteArrayList<>();
        volatile String closeCode;

        Record(String sysId, String number, JsonNode created) {
            this.sysId = sysId;
            this.number = number;
            this.created = created;
        }
    }

    private final String authorization;
    private final AtomicInteger next = new AtomicInteger(10023);
    final Map<String, Record> records = new ConcurrentHashMap<>();
    /** When set, the next create is performed but answered 504, as when a proxy times out. */
    volatile boolean loseNextCreateAnswer;

    FakeServiceNow(String user, String password) {
        this.authorization = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
                .getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public List<String> problems(TicketApiServer.Request r) {
        List<String> problems = new ArrayList<>();
        if (!authorization.equals(r.header("Authorization"))) {
            problems.add("Authorization");
            return problems;
        }
        boolean write = r.method().equals("POST") || r.method().equals("PATCH");
        if (write && (r.header("Content-Type") == null || !r.header("Content-Type").startsWith("application/json"))) {
            problems.add("Content-Type");
        }
        Matcher m = RECORD.matcher(r.path());
        if (r.path().equals("/api/now/table/incident") && r.method().equals("POST")) {
            fields(r.body(), CREATE, problems);
            String sd = r.body() == null ? "" : r.body().path("short_description").asText("");
            if (sd.isBlank() || sd.length() > 160) {
                problems.add("short_description");
            }
        } else if (m.matches() && r.method().equals("PATCH")) {
            fields(r.body(), UPDATE, problems);
            if (r.body() != null && "6".equals(r.body().path("state").asText())
                    && (r.body().path("close_code").asText("").isBlank()
                    || r.body().path("close_notes").asText("").isBlank())) {
                problems.add("Data Policy Exception: Resolution code and Resolution notes are mandatory");
            }
        } else if (r.path().equals("/api/now/table/incident") && r.method().equals("GET")) {
            Map<String, String> q = query(r.query());
            if (!q.getOrDefault("sysparm_query", "").matches("correlation_id=inc-[0-9a-f]{12}\\^ORDERBYsys_created_on")) {
                problems.add("sysparm_query " + q.get("sysparm_query"));
            }
            if (!"1".equals(q.get("sysparm_limit"))) {
                problems.add("sysparm_limit");
            }
        } else if (m.matches() && r.method().equals("GET")) {
            if (!r.rawBody().isEmpty()) {
                problems.add("GET with a body");
            }
        } else {
            problems.add("no such call: " + r.method() + " " + r.path());
        }
        return problems;
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private static void fields(JsonNode body, Set<String> allowed, List<String> problems) {
        if (body == null || !body.isObject()) {
            problems.add("body must be a JSON object");
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            if (!allowed.contains(f.getKey())) {
                problems.add("unknown field " + f.getKey());
            } else if (!f.getValue().isTextual()) {
                problems.add(f.getKey() + " must be a string");
            }
        }
    }

    @Override
    public TicketApiServer.Answer invalid(TicketApiServer.Request request, List<String> problems) {
        if (problems.contains("Authorization")) {
            return TicketApiServer.Answer.json(401, Map.of("error", Map.of("message", "User Not Authenticated",
                    "detail", "Required to provide Auth information"), "status", "failure"));
        }
        if (problems.get(0).startsWith("no such call")) {
            return new TicketApiServer.Answer(404, null);
        }
        return TicketApiServer.Answer.json(400, Map.of("error", Map.of("message", "Invalid request",
                "detail", String.join("; ", problems)), "status", "failure"));
    }

    @Override
    public TicketApiServer.Answer answer(TicketApiServer.Request r) {
        if (r.method().equals("POST")) {
            int n = next.getAndIncrement();
            String sysId = String.format("%032x", n);
            Record record = new Record(sysId, "INC00" + n, r.body());
            records.put(sysId, record);
            if (loseNextCreateAnswer) {
                loseNextCreateAnswer = false;
                return TicketApiServer.Answer.json(504, Map.of("error", Map.of("message", "Gateway Timeout")));
            }
            return TicketApiServer.Answer.json(201, Map.of("result", view(record)));
        }
        if (r.method().equals("GET") && r.path().equals("/api/now/table/incident")) {
            String id = query(r.query()).get("sysparm_query").replaceAll("^correlation_id=|\\^.*$", "");
            List<Map<String, Object>> found = new ArrayList<>();
            records.values().stream().filter(rec -> rec.created.path("correlation_id").asText().equals(id))
                    .sorted(java.util.Comparator.comparing(rec -> rec.number)).limit(1)
                    .forEach(rec -> found.add(Map.of("sys_id", rec.sysId, "number", rec.number)));
            return TicketApiServer.Answer.json(200, Map.of("result", found));
        }
        Matcher m = RECORD.matcher(r.path());
        m.matches();
        Record record = records.get(m.group(1));
        if (record == null) {
            return TicketApiServer.Answer.json(404, Map.of("error", Map.of("message", "No Record found",
                    "detail", "Record doesn't exist or ACL restricts the record retrieval"), "status", "failure"));
        }
        if (r.method().equals("PATCH")) {
            JsonNode b = r.body();
            if (b.has("state")) {
                record.state = b.path("state").asText();
            }
            if (b.has("close_code")) {
                record.closeCode = b.path("close_code").asText();
            }
            if (b.has("work_notes")) {
                record.workNotes.add(b.path("work_notes").asText());
            }
            if (b.has("close_notes")) {
                record.workNotes.add("close notes: " + b.path("close_notes").asText());
            }
        }
        Map<String, Object> view = view(record);
        if (r.method().equals("GET") && r.query() != null && r.query().startsWith("sysparm_fields=")) {
            Map<String, Object> only = new LinkedHashMap<>();
            for (String f : r.query().substring("sysparm_fields=".length()).split(",")) {
                only.put(f, view.get(f));
            }
            view = only;
        }
        return TicketApiServer.Answer.json(200, Map.of("result", view));
    }

    private static Map<String, Object> view(Record record) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("sys_id", record.sysId);
        v.put("number", record.number);
        v.put("state", record.state);
        v.put("correlation_id", record.created.path("correlation_id").asText());
        v.put("short_description", record.created.path("short_description").asText());
        return v;
    }
}
