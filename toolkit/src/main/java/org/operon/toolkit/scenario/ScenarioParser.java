package org.operon.toolkit.scenario;

import org.operon.engine.ThrottlePolicy;
import org.operon.model.AlertReport;
import org.operon.model.Event;
import org.operon.model.IncidentCommand;
import org.operon.model.InvalidEventException;
import org.operon.model.InvalidMatcherException;
import org.operon.model.Matcher;
import org.operon.model.Severity;
import org.operon.toolkit.DurationText;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a scenario file (the format is documented in {@code docs/testing-rules.md}) into a
 * {@link Scenario}. Every problem is reported as a {@link ScenarioException} that names the file, line
 * and column. Inputs get their defaults here: events ids {@code e1, e2, ...} and source
 * {@value #SOURCE}; alerts ids {@code a1, ...}, turned into {@code operon.alert} events as
 * {@code POST /api/v2/alerts} turns them; silences ids {@code silence-1, ...}; commands ids
 * {@code c1, ...}.
 */
public final class ScenarioParser {
    /** The moment offset 0 stands for when a scenario gives no {@code start}: a Monday morning. */
    public static final Instant DEFAULT_START = Instant.parse("2026-01-05T10:00:00Z");
    /** The source of scenario events that name none. */
    public static final String SOURCE = "/scenario";
    static final String ALERTS_SOURCE = "/api/v2/alerts";

    private static final Set<String> TOP = Set.of("name", "description", "rules", "start", "steps", "expect",
            "expect_none", "until", "throttles", "targets");
    private static final Set<String> STEP_KINDS = Set.of("event", "events", "alerts", "silence", "acknowledge",
            "resolve");
    private static final Set<String> STEP = union(Set.of("at"), STEP_KINDS);
    private static final Set<String> EVENT = Set.of("id", "source", "type", "subject", "severity", "labels", "data",
            "time");
    private static final Set<String> ALERT = Set.of("labels", "annotations", "startsAt", "endsAt", "generatorURL",
            "resolved");
    private static final Set<String> SILENCE = Set.of("id", "matchers", "startsAt", "endsAt", "duration", "createdBy",
            "comment");
    private static final Set<String> COMMAND = Set.of("incident", "by", "comment");
    private static final Set<String> INCIDENT_REF = Set.of("id", "key");
    private static final Set<String> EXPECTATION = Set.of("type", "subject", "status", "target", "rule", "reason",
            "eventIds", "params", "at", "within", "count");
    private static final Set<String> THROTTLE = Set.of("type", "mode", "window", "key");

    private static final java.util.regex.Pattern INSTANT = java.util.regex.Pattern.compile("\\d{4}-\\d{2}-\\d{2}[Tt]");

    private final Path file;
    private long start;
    private int events;
    private int alerts;
    private int silences;
    private int commands;

    private ScenarioParser(Path file) {
        this.file = file;
    }

    /**
     * Reads and checks a scenario file.
     *
     * @throws ScenarioException naming file, line and column of the first problem
     */
    public static Scenario parse(Path file) throws ScenarioException {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new ScenarioException(file, 0, 0, "cannot be read: " + e.getMessage());
        }
        return parse(file, text);
    }

    /** Parses scenario text as if read from {@code file} (which locates {@code rules} and names errors). */
    public static Scenario parse(Path file, String text) throws ScenarioException {
        return new ScenarioParser(file).scenario(YamlNode.parse(file, text));
    }

    private Scenario scenario(YamlNode root) throws ScenarioException {
        Map<String, YamlNode> top = root.map("a scenario", TOP);
        String name = top.containsKey("name") ? top.get("name").text("name")
                : file.getFileName().toString().replaceFirst("\\.ya?ml$", "");
        Path rules = null;
        if (top.containsKey("rules")) {
            Path dir = file.toAbsolutePath().getParent().resolve(top.get("rules").text("rules")).normalize();
            if (!Files.isDirectory(dir)) {
                throw top.get("rules").error("rules: " + dir + " is not a directory");
            }
            rules = dir;
        }
        start = top.containsKey("start") ? instant(top.get("start"), "start") : DEFAULT_START.toEpochMilli();

        List<Scenario.Step> steps = new ArrayList<>();
        if (top.containsKey("steps")) {
            long previous = 0;
            for (YamlNode s : top.get("steps").list("steps")) {
                Scenario.Step step = step(s);
                if (step.at() < previous) {
                    throw s.error("steps must be in time order: this one at " + DurationText.offset(step.at())
                            + " comes after one at " + DurationText.offset(previous));
                }
                previous = step.at();
                steps.add(step);
            }
        }
        List<Scenario.Expectation> expect = expectations(top.get("expect"), "expect", true);
        List<Scenario.Expectation> expectNone = expectations(top.get("expect_none"), "expect_none", false);
        if (steps.isEmpty()) {
            throw root.error("a scenario needs steps: a list of inputs, each with an offset 'at'");
        }
        if (expect.isEmpty() && expectNone.isEmpty()) {
            throw root.error("a scenario needs 'expect' or 'expect_none': what the rules must (not) decide");
        }

        long lastStep = steps.get(steps.size() - 1).at();
        long until = lastStep;
        for (Scenario.Expectation e : expect) {
            until = Math.max(until, e.to() == null ? 0 : e.to());
        }
        for (Scenario.Expectation e : expectNone) {
            until = Math.max(until, e.to() == null ? 0 : e.to());
        }
        if (top.containsKey("until")) {
            YamlNode u = top.get("until");
            long given = offset(u, "until");
            if (given < until) {
                throw u.error("until (" + DurationText.offset(given) + ") is before the last step or the latest time "
                        + "an expectation names (" + DurationText.offset(until) + "): the clock would stop too early");
            }
            until = given;
        }
        List<ThrottlePolicy> throttles = throttles(top.get("throttles"));
        Map<String, List<String>> targets = new LinkedHashMap<>();
        List<String> defaultTargets = List.of("log");
        if (top.containsKey("targets")) {
            YamlNode t = top.get("targets");
            if (!t.isMap()) {
                throw t.error("targets must map decision types (or 'default') to lists of targets");
            }
            for (Map.Entry<String, YamlNode> e : t.entries("targets").entrySet()) {
                List<String> list = texts(e.getValue(), "targets." + e.getKey());
                if (e.getKey().equals("default")) {
                    defaultTargets = list;
                } else {
                    targets.put(e.getKey(), list);
                }
            }
        }
        return new Scenario(file, name, rules, start, List.copyOf(steps), expect, expectNone, until, throttles,
                Map.copyOf(targets), defaultTargets);
    }

    private Scenario.Step step(YamlNode node) throws ScenarioException {
        Map<String, YamlNode> s = node.map("a step", STEP);
        if (!s.containsKey("at")) {
            throw node.error("a step needs 'at': its offset from the start, such as 0s, 90s or 2m");
        }
        long at = offset(s.get("at"), "at");
        List<String> kinds = s.keySet().stream().filter(STEP_KINDS::contains).toList();
        if (kinds.size() != 1) {
            throw node.error("a step has exactly one of event, events, alerts, silence, acknowledge, resolve"
                    + (kinds.isEmpty() ? "" : "; this one has " + String.join(", ", kinds)));
        }
        String kind = kinds.get(0);
        YamlNode body = s.get(kind);
        long time = start + at;
        return switch (kind) {
            case "event" -> new Scenario.Send(at, node.location(), List.of(event(body, time)));
            case "events" -> {
                List<Event> list = new ArrayList<>();
                for (YamlNode e : body.list("events")) {
                    list.add(event(e, time));
                }
                yield new Scenario.Send(at, node.location(), List.copyOf(list));
            }
            case "alerts" -> {
                List<Event> list = new ArrayList<>();
                for (YamlNode a : body.list("alerts")) {
                    list.add(alert(a, time));
                }
                yield new Scenario.Send(at, node.location(), List.copyOf(list));
            }
            case "silence" -> silence(body, at, node.location());
            default -> command(body, kind, at, node.location());
        };
    }

    private Event event(YamlNode node, long time) throws ScenarioException {
        Map<String, YamlNode> e = node.map("an event", EVENT);
        if (!e.containsKey("type")) {
            throw node.error("an event needs a type");
        }
        Event.Builder b = Event.builder()
                .id(e.containsKey("id") ? e.get("id").text("id") : "e" + (++events))
                .source(e.containsKey("source") ? e.get("source").text("source") : SOURCE)
                .type(e.get("type").text("type"))
                .time(Instant.ofEpochMilli(e.containsKey("time") ? instant(e.get("time"), "time") : time));
        if (e.containsKey("subject")) {
            b.subject(e.get("subject").text("subject"));
        }
        if (e.containsKey("severity")) {
            YamlNode s = e.get("severity");
            try {
                b.severity(Severity.fromWireName(s.text("severity")));
            } catch (IllegalArgumentException ex) {
                throw s.error(ex.getMessage());
            }
        }
        if (e.containsKey("labels")) {
            b.labels(stringMap(e.get("labels"), "labels"));
        }
        if (e.containsKey("data")) {
            b.data(e.get("data").plain());
        }
        try {
            return b.build();
        } catch (IllegalArgumentException ex) {
            throw node.error(ex.getMessage());
        }
    }

    private Event alert(YamlNode node, long time) throws ScenarioException {
        Map<String, YamlNode> a = node.map("an alert", ALERT);
        Map<String, Object> data = new LinkedHashMap<>();
        if (!a.containsKey("labels")) {
            throw node.error("an alert needs labels");
        }
        data.put("labels", stringMap(a.get("labels"), "labels"));
        if (a.containsKey("annotations")) {
            data.put("annotations", stringMap(a.get("annotations"), "annotations"));
        }
        if (a.containsKey("startsAt")) {
            data.put("startsAt", Instant.ofEpochMilli(instant(a.get("startsAt"), "startsAt")).toString());
        }
        boolean resolved = a.containsKey("resolved") && Boolean.TRUE.equals(a.get("resolved").plain());
        if (a.containsKey("resolved") && !(a.get("resolved").plain() instanceof Boolean)) {
            throw a.get("resolved").error("resolved must be true or false");
        }
        if (resolved && a.containsKey("endsAt")) {
            throw a.get("endsAt").error("give endsAt or resolved: true, not both");
        }
        if (a.containsKey("endsAt")) {
            data.put("endsAt", Instant.ofEpochMilli(instant(a.get("endsAt"), "endsAt")).toString());
        } else if (resolved) {
            data.put("endsAt", Instant.ofEpochMilli(time).toString());
        }
        if (a.containsKey("generatorURL")) {
            data.put("generatorURL", a.get("generatorURL").text("generatorURL"));
        }
        try {
            return AlertReport.fromData(data).toEvent("a" + (++alerts), ALERTS_SOURCE, Instant.ofEpochMilli(time));
        } catch (InvalidEventException e) {
            throw node.error("not a valid alert: " + e.detail());
        }
    }

    private Scenario.Silence silence(YamlNode node, long at, String location) throws ScenarioException {
        Map<String, YamlNode> s = node.map("a silence", SILENCE);
        if (!s.containsKey("matchers")) {
            throw node.error("a silence needs matchers, such as ['alertname=\"HighCpu\"']");
        }
        List<Matcher> matchers = new ArrayList<>();
        for (YamlNode m : s.get("matchers").list("matchers")) {
            try {
                matchers.add(Matcher.parse(m.text("a matcher")));
            } catch (InvalidMatcherException e) {
                throw m.error(e.getMessage());
            }
        }
        if (matchers.isEmpty()) {
            throw s.get("matchers").error("a silence needs at least one matcher");
        }
        long startsAt = s.containsKey("startsAt") ? instant(s.get("startsAt"), "startsAt") : start + at;
        long endsAt;
        if (s.containsKey("endsAt") == s.containsKey("duration")) {
            throw node.error("a silence needs either endsAt or duration (such as 1h)");
        } else if (s.containsKey("duration")) {
            endsAt = startsAt + offset(s.get("duration"), "duration");
        } else {
            endsAt = instant(s.get("endsAt"), "endsAt");
        }
        if (endsAt <= startsAt) {
            throw node.error("the silence must end after it starts");
        }
        String id = s.containsKey("id") ? s.get("id").text("id") : "silence-" + (++silences);
        return new Scenario.Silence(at, location, id, List.copyOf(matchers), startsAt, endsAt,
                s.containsKey("createdBy") ? s.get("createdBy").text("createdBy") : "scenario",
                s.containsKey("comment") ? s.get("comment").text("comment") : null);
    }

    private Scenario.Command command(YamlNode node, String kind, long at, String location) throws ScenarioException {
        Map<String, YamlNode> c = node.map(kind, COMMAND);
        if (!c.containsKey("incident") || !c.containsKey("by")) {
            throw node.error(kind + " needs incident (an id, or {key: <correlation key>}) and by (who)");
        }
        if (kind.equals("resolve") && c.containsKey("comment")) {
            throw c.get("comment").error("resolve takes no comment");
        }
        YamlNode ref = c.get("incident");
        String id = null;
        String key = null;
        if (ref.isMap()) {
            Map<String, YamlNode> r = ref.map("incident", INCIDENT_REF);
            if (r.size() != 1) {
                throw ref.error("name the incident by id or by key, one of them");
            }
            id = r.containsKey("id") ? r.get("id").text("id") : null;
            key = r.containsKey("key") ? r.get("key").text("key") : null;
        } else {
            id = ref.text("incident");
        }
        commands++;
        return new Scenario.Command(at, location,
                kind.equals("acknowledge") ? IncidentCommand.TYPE_ACKNOWLEDGE : IncidentCommand.TYPE_RESOLVE, id, key,
                c.get("by").text("by"), c.containsKey("comment") ? c.get("comment").text("comment") : null);
    }

    private List<Scenario.Expectation> expectations(YamlNode node, String what, boolean counted)
            throws ScenarioException {
        if (node == null || node.isNull()) {
            return List.of();
        }
        List<Scenario.Expectation> out = new ArrayList<>();
        for (YamlNode e : node.list(what)) {
            out.add(expectation(e, what, counted));
        }
        return List.copyOf(out);
    }

    @SuppressWarnings("unchecked")
    private Scenario.Expectation expectation(YamlNode node, String what, boolean counted) throws ScenarioException {
        Map<String, YamlNode> e = node.map("an entry of " + what, EXPECTATION);
        String status = optionalText(e, "status");
        if (status != null && !status.equals("sent") && !status.equals("suppressed")) {
            throw e.get("status").error("status is sent or suppressed, not '" + status + "'");
        }
        Long from = null;
        Long to = null;
        if (e.containsKey("at") && e.containsKey("within")) {
            throw e.get("within").error("give at or within, not both");
        }
        if (e.containsKey("at")) {
            from = offset(e.get("at"), "at");
            to = from;
        }
        if (e.containsKey("within")) {
            List<YamlNode> bounds = e.get("within").list("within");
            if (bounds.size() != 2) {
                throw e.get("within").error("within is [earliest, latest], such as [0s, 2m]");
            }
            from = offset(bounds.get(0), "within");
            to = offset(bounds.get(1), "within");
            if (to < from) {
                throw e.get("within").error("within: the latest offset is before the earliest");
            }
        }
        int count = 1;
        if (e.containsKey("count")) {
            if (!counted) {
                throw e.get("count").error("expect_none takes no count");
            }
            if (!(e.get("count").plain() instanceof Number n) || n.intValue() < 1) {
                throw e.get("count").error("count must be a whole number, 1 or more");
            }
            count = ((Number) e.get("count").plain()).intValue();
        }
        List<String> eventIds = e.containsKey("eventIds") ? texts(e.get("eventIds"), "eventIds") : null;
        Map<String, Object> params = null;
        if (e.containsKey("params")) {
            if (!e.get("params").isMap()) {
                throw e.get("params").error("params must be a mapping of parameter names to values");
            }
            params = (Map<String, Object>) e.get("params").plain();
        }
        return new Scenario.Expectation(node.location(), describe(e), optionalText(e, "type"),
                optionalText(e, "subject"), status, optionalText(e, "target"), optionalText(e, "rule"),
                optionalText(e, "reason"), eventIds, params, from, to, count, e.containsKey("count"));
    }

    /** The expectation as written: {@code type=notify subject=web-1 at=90s}. */
    private static String describe(Map<String, YamlNode> e) {
        StringBuilder s = new StringBuilder();
        for (Map.Entry<String, YamlNode> entry : e.entrySet()) {
            if (!s.isEmpty()) {
                s.append(' ');
            }
            s.append(entry.getKey()).append('=').append(entry.getValue().plain());
        }
        return s.toString();
    }

    private List<ThrottlePolicy> throttles(YamlNode node) throws ScenarioException {
        if (node == null || node.isNull()) {
            return List.of();
        }
        List<ThrottlePolicy> out = new ArrayList<>();
        for (YamlNode t : node.list("throttles")) {
            Map<String, YamlNode> m = t.map("a throttle", THROTTLE);
            for (String required : List.of("type", "mode", "window")) {
                if (!m.containsKey(required)) {
                    throw t.error("a throttle needs type, mode (once_within or once_after) and window");
                }
            }
            try {
                out.add(new ThrottlePolicy(m.get("type").text("type"), ThrottlePolicy.Mode.parse(m.get("mode").text("mode")),
                        Duration.ofMillis(offset(m.get("window"), "window")),
                        m.containsKey("key") ? texts(m.get("key"), "key") : null));
            } catch (IllegalArgumentException e) {
                throw t.error(e.getMessage());
            }
        }
        return List.copyOf(out);
    }

    /** An offset such as 90s, 2m, 1h30m; a bare number is seconds. */
    private static long offset(YamlNode node, String what) throws ScenarioException {
        String text = node.text(what);
        try {
            return DurationText.parse(text).toMillis();
        } catch (IllegalArgumentException e) {
            throw node.error(what + ": " + e.getMessage());
        }
    }

    /** An RFC 3339 instant, or an offset from the start. */
    private long instant(YamlNode node, String what) throws ScenarioException {
        String text = node.text(what);
        if (INSTANT.matcher(text).lookingAt()) {
            try {
                return OffsetDateTime.parse(text).toInstant().toEpochMilli();
            } catch (DateTimeParseException e) {
                throw node.error(what + ": '" + text + "' is neither an instant such as 2026-01-05T10:00:00Z nor an "
                        + "offset such as 90s");
            }
        }
        if (what.equals("start")) {
            throw node.error("start must be an instant such as 2026-01-05T10:00:00Z");
        }
        return start + offset(node, what);
    }

    private static String optionalText(Map<String, YamlNode> m, String key) throws ScenarioException {
        return m.containsKey(key) ? m.get(key).text(key) : null;
    }

    private static List<String> texts(YamlNode node, String what) throws ScenarioException {
        List<String> out = new ArrayList<>();
        for (YamlNode item : node.list(what)) {
            out.add(item.text("an entry of " + what));
        }
        return List.copyOf(out);
    }

    private static Map<String, String> stringMap(YamlNode node, String what) throws ScenarioException {
        if (!node.isMap()) {
            throw node.error(what + " must be a mapping of names to values");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, YamlNode> e : node.entries(what).entrySet()) {
            out.put(e.getKey(), e.getValue().text(what + "." + e.getKey()));
        }
        return out;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        java.util.HashSet<String> u = new java.util.HashSet<>(a);
        u.addAll(b);
        return Set.copyOf(u);
    }
}
