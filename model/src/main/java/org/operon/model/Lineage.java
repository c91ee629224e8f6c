package org.operon.model;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Why a decision was made: the rule that sent it (name, package and the file it was written in), the
 * facts that rule matched, each with what identifies it and the fields that matter, and the events
 * behind those facts. The engine attaches it to every decision a rule sends ({@link Decision#withLineage});
 * the action side keeps it per decision, and {@code GET /api/v1/actions/{id}/explain}, {@code operon explain}
 * and {@code operon replay --explain} show {@link #toMap()}.
 *
 * <p>How a matched fact is described ({@link #describe}):
 * <ul>
 *   <li>{@link Event}: key its id; fields {@code source, type, subject, severity, arrivalTime} (and
 *       {@value #HOPS_EXTENSION} when the event has it); it is one of
 *       the events too;</li>
 *   <li>{@link Alert}: key its fingerprint; fields {@code status, alertname, labels};</li>
 *   <li>{@link Explainable}: key {@link Explainable#explainKey()}, fields {@link Explainable#explain()}, and
 *       its {@link Explainable#explainEvents() events};</li>
 *   <li>anything else: key its {@code toString()}, cut to {@value #MAX_KEY_LENGTH} characters; no fields.</li>
 * </ul>
 * Events are listed once each (by source and id), in journal order.
 *
 * <p>Immutable; holds JSON values only, so {@link #toMap()} serializes as it is.
 */
public final class Lineage {
    static final int MAX_KEY_LENGTH = 200;
    /**
     * The CloudEvent extension that counts how many times an event went through Operon's rules: an event
     * Operon publishes carries one more than the highest count among the events behind its decision.
     */
    public static final String HOPS_EXTENSION = "operonhops";

    private final String rule;
    private final String rulePackage;
    private final String file;
    private final List<Map<String, Object>> facts;
    private final List<Map<String, Object>> events;

    private Lineage(String rule, String rulePackage, String file, List<Map<String, Object>> facts,
                    List<Map<String, Object>> events) {
        this.rule = Objects.requireNonNull(rule, "rule");
        this.rulePackage = rulePackage;
        this.file = file;
        this.facts = Collections.unmodifiableList(facts);
        this.events = Collections.unmodifiableList(events);
    }

    /**
     * The lineage of a decision sent by rule {@code rule} of {@code rulePackage}, written in {@code file}
     * (a resource path such as {@code org/operon/rules/critical-burst.drl} or a file of the rules directory;
     * null when unknown), after matching {@code matched} (in the order of the rule's patterns).
     */
    public static Lineage of(String rule, String rulePackage, String file, Collection<?> matched) {
        List<Map<String, Object>> facts = new ArrayList<>(matched.size());
        Map<String, Event> events = new LinkedHashMap<>();
        for (Object fact : matched) {
            if (fact == null) {
                continue;
            }
            facts.add(describe(fact));
            if (fact instanceof Event event) {
                events.putIfAbsent(event.getSource() + '\0' + event.getId(), event);
            } else if (fact instanceof Explainable explainable) {
                for (Event event : explainable.explainEvents()) {
                    events.putIfAbsent(event.getSource() + '\0' + event.getId(), event);
                }
            }
        }
        List<Map<String, Object>> eventMaps = events.values().stream()
                .sorted(Comparator.comparingLong(Event::getSeq).thenComparingLong(Event::getArrivalTime))
                .map(e -> Collections.unmodifiableMap(eventFields(e)))
                .toList();
        return new Lineage(rule, rulePackage, file, facts, new ArrayList<>(eventMaps));
    }

    /** One matched fact as {@code {kind, key, fields}} (see the class comment). */
    static Map<String, Object> describe(Object fact) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("kind", fact.getClass().getSimpleName());
        if (fact instanceof Event event) {
            out.put("key", event.getId());
            Map<String, Object> fields = eventFields(event);
            fields.remove("id");
            out.put("fields", fields);
        } else if (fact instanceof Alert alert) {
            out.put("key", alert.getFingerprint());
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("status", alert.getStatus().wireName());
            fields.put("alertname", alert.getAlertname());
            fields.put("labels", new LinkedHashMap<>(alert.getLabels()));
            out.put("fields", fields);
        } else if (fact instanceof Explainable explainable) {
            out.put("key", explainable.explainKey());
            out.put("fields", new LinkedHashMap<>(explainable.explain()));
        } else {
            String text = String.valueOf(fact);
            out.put("key", text.length() > MAX_KEY_LENGTH ? text.substring(0, MAX_KEY_LENGTH) + "…" : text);
            out.put("fields", Map.of());
        }
        return Collections.unmodifiableMap(out);
    }

    private static Map<String, Object> eventFields(Event event) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("id", event.getId());
        fields.put("source", event.getSource());
        fields.put("type", event.getType());
        fields.put("subject", event.getSubject());
        fields.put("severity", event.getSeverity().wireName());
        fields.put("arrivalTime", Instant.ofEpochMilli(event.getArrivalTime()).toString());
        // Events a rule posted back into Operon carry their hop count; publishing reads it to stop loops.
        Object hops = event.getExtensions().get(HOPS_EXTENSION);
        if (hops != null) {
            fields.put(HOPS_EXTENSION, hops);
        }
        return fields;
    }

    /** The name of the rule that sent the decision. */
    public String getRule() { return rule; }

    /** The package of that rule; null when unknown. */
    public String getRulePackage() { return rulePackage; }

    /** The file the rule was written in (resource path or rules-directory file); null when unknown. */
    public String getFile() { return file; }

    /** The facts the rule matched: {@code {kind, key, fields}} each, in the order of its patterns. */
    public List<Map<String, Object>> getFacts() { return facts; }

    /** The events behind the facts: {@code {id, source, type, subject, severity, arrivalTime}}, journal order. */
    public List<Map<String, Object>> getEvents() { return events; }

    /**
     * As JSON-friendly data, in this order:
     * {@code {"rule": {"name", "package", "file"}, "facts": [{kind, key, fields}], "events": [{id, ...}]}}.
     */
    public Map<String, Object> toMap() {
        Map<String, Object> ruleMap = new LinkedHashMap<>();
        ruleMap.put("name", rule);
        ruleMap.put("package", rulePackage);
        ruleMap.put("file", file);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("rule", ruleMap);
        out.put("facts", facts);
        out.put("events", events);
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Lineage l && rule.equals(l.rule) && Objects.equals(rulePackage, l.rulePackage)
                && Objects.equals(file, l.file) && facts.equals(l.facts) && events.equals(l.events);
    }

    @Override
    public int hashCode() {
        return Objects.hash(rule, rulePackage, file);
    }

    @Override
    public String toString() {
        return "Lineage{rule=" + rule + ", file=" + file + ", facts=" + facts.size() + ", events=" + events.size() + "}";
    }
}
