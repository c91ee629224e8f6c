package org.operon.toolkit.replay;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.operon.model.CloudEventJson;
import org.operon.model.Event;
import org.operon.model.Severity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Recorded events for the tests, written in the formats a replay reads. */
final class Recordings {
    static final Instant T0 = Instant.parse("2026-01-05T10:00:00Z");
    private static final CloudEventJson JSON = new CloudEventJson();
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Recordings() {
    }

    static Instant at(Duration offset) {
        return T0.plus(offset);
    }

    static Event event(String id, String type, String subject, Severity severity, Duration offset) {
        return Event.builder().id(id).source("/monitoring").type(type).subject(subject).severity(severity)
                .time(at(offset)).build();
    }

    static Event critical(String id, String subject, Duration offset) {
        return event(id, "host.cpu.high", subject, Severity.CRITICAL, offset);
    }

    /** The events as journal records: seq from 1, arrival = the event's time. */
    static List<String> journalLines(List<Event> events) {
        List<String> lines = new ArrayList<>();
        long seq = 0;
        for (Event e : events) {
            lines.add("{\"seq\":" + (++seq) + ",\"arrivalTime\":\"" + e.getTime() + "\",\"event\":"
                    + JSON.toJson(e) + "}");
        }
        return lines;
    }

    /** The events as plain CloudEvents, one per line. */
    static List<String> cloudEventLines(List<Event> events) {
        return events.stream().map(e -> JSON.toJson(e).toString()).toList();
    }

    /** An Alertmanager webhook notification of one alert. */
    static String webhook(String status, Map<String, String> labels, Instant startsAt, Instant endsAt) {
        Map<String, Object> alert = new java.util.LinkedHashMap<>();
        alert.put("status", status);
        alert.put("labels", labels);
        alert.put("annotations", Map.of());
        alert.put("startsAt", startsAt.toString());
        alert.put("endsAt", endsAt == null ? "0001-01-01T00:00:00Z" : endsAt.toString());
        Map<String, Object> payload = new java.util.LinkedHashMap<>();
        payload.put("version", "4");
        payload.put("status", status);
        payload.put("receiver", "operon");
        payload.put("alerts", List.of(alert));
        try {
            return MAPPER.writeValueAsString(payload);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path write(Path file, List<String> lines) {
        try {
            Files.write(file, lines);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
