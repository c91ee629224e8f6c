package org.operon.toolkit.replay;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.operon.model.Event;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reading in chunks parsed on worker threads gives what a line-by-line read gives, problems included. */
class EventSourcesTest {
    @TempDir
    Path dir;

    @Test
    void aSegmentThatCannotBeReadAfterManyChunksFailsTheStreamInsteadOfHangingIt() throws Exception {
        // The first segment is larger than the chunks read ahead (16 x 256 KiB at most), so the reader is waiting
        // for room in the queue when it reaches the second segment, which is gone by then.
        Path journal = Files.createDirectories(dir.resolve("journal"));
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < 30_000; i++) {
            events.add(Recordings.critical("e-" + i, "web-" + (i % 50), Duration.ofMillis(i)));
        }
        List<String> lines = Recordings.journalLines(events);
        Recordings.write(journal.resolve("journal-00000000000000000001.jsonl"), lines.subList(0, 25_000));
        Path second = Recordings.write(journal.resolve("journal-00000000000000025001.jsonl"), lines.subList(25_000, 30_000));
        assertTrue(Files.size(journal.resolve("journal-00000000000000000001.jsonl")) > 5 * 1024 * 1024);

        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            try (EventSources.EventStream stream = EventSources.stream(journal)) {
                var it = stream.iterator();
                Files.delete(second);
                int read = 0;
                EventSources.EventStream.Failure failure = null;
                try {
                    while (it.hasNext()) {
                        it.next();
                        read++;
                    }
                } catch (EventSources.EventStream.Failure f) {
                    failure = f;
                }
                assertEquals(25_000, read);
                assertTrue(failure != null && failure.getMessage().contains("cannot be read"), String.valueOf(failure));
            }
        });
    }

    private static List<Event> events(int n) {
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            events.add(Recordings.critical("ev-" + i, "host-" + (i % 7), Duration.ofMillis(i / 1_000 * 1_000L)));
        }
        return events;
    }

    @Test
    void aJournalOfManyChunksIsReadInOrderNumberedAndTheTornTailSkipped() throws Exception {
        Path journal = Files.createDirectory(dir.resolve("journal"));
        List<String> lines = Recordings.journalLines(events(2_500));
        Recordings.write(journal.resolve("journal-00000000000000000001.jsonl"), lines.subList(0, 1_200));
        Path last = Recordings.write(journal.resolve("journal-00000000000000001201.jsonl"), lines.subList(1_200, 2_500));
        Files.writeString(last, "{\"seq\":2501,\"arrivalTime\":\"2026-01-05T10:00:0", StandardOpenOption.APPEND);

        List<Event> read = EventSources.read(journal);
        assertEquals(2_500, read.size());
        for (int i = 0; i < read.size(); i++) {
            assertEquals("ev-" + i, read.get(i).getId());
            assertEquals(i + 1, read.get(i).getSeq());
        }
        assertEquals(Recordings.T0.plusSeconds(2).toEpochMilli(), read.get(2_499).getArrivalTime());

        List<Event> streamed = new ArrayList<>();
        try (EventSources.EventStream stream = EventSources.stream(journal)) {
            stream.forEach(streamed::add);
        }
        assertEquals(read, streamed);
    }

    @Test
    void crlfLinesAndALineLongerThanAChunkAreReadLikeAnyOther() throws Exception {
        List<String> lines = new ArrayList<>(Recordings.cloudEventLines(events(2_000)));
        String big = "{\"specversion\":\"1.0\",\"id\":\"big\",\"source\":\"/s\",\"type\":\"t\","
                + "\"time\":\"2026-01-05T10:00:01Z\",\"data\":{\"text\":\"" + "x".repeat(700_000) + "\"}}";
        lines.add(1_000, big);
        Path file = dir.resolve("crlf.jsonl");
        Files.writeString(file, String.join("\r\n", lines) + "\r\n", StandardCharsets.UTF_8);

        List<Event> read = EventSources.read(file);
        assertEquals(2_001, read.size());
        assertEquals("ev-999", read.get(999).getId());
        assertEquals("big", read.get(1_000).getId());
        assertEquals("ev-1000", read.get(1_001).getId());
        assertEquals("ev-1999", read.get(2_000).getId());

        // Invalid UTF-8 (an encoded surrogate) is read as the text decoding reads it, replaced, on any path.
        byte[] line = "{\"specversion\":\"1.0\",\"id\":\"s-X\",\"source\":\"/s\",\"type\":\"t\",\"time\":\"2026-01-05T10:00:01Z\"}"
                .getBytes(StandardCharsets.UTF_8);
        int x = new String(line, StandardCharsets.UTF_8).indexOf('X');
        byte[] invalid = new byte[line.length + 2];
        System.arraycopy(line, 0, invalid, 0, x);
        invalid[x] = (byte) 0xED;
        invalid[x + 1] = (byte) 0xA0;
        invalid[x + 2] = (byte) 0x80;
        System.arraycopy(line, x + 1, invalid, x + 3, line.length - x - 1);
        Path odd = dir.resolve("odd.jsonl");
        Files.write(odd, invalid);
        assertEquals("s-" + new String(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, StandardCharsets.UTF_8),
                EventSources.read(odd).get(0).getId());

        lines.set(1_500, "not json");
        Files.writeString(file, String.join("\r\n", lines), StandardCharsets.UTF_8);
        assertEquals(1_501, assertThrows(EventSourceException.class, () -> EventSources.read(file)).line());
    }

    @Test
    void theFirstBadLineIsNamedWhateverChunkItIsIn() throws Exception {
        List<String> lines = new ArrayList<>(Recordings.cloudEventLines(events(3_000)));
        lines.set(1_499, "{\"specversion\":\"1.0\",\"id\":\"x\"}");
        lines.set(2_700, "not json");
        Path file = Recordings.write(dir.resolve("events.jsonl"), lines);

        EventSourceException read = assertThrows(EventSourceException.class, () -> EventSources.read(file));
        assertEquals(1_500, read.line());

        try (EventSources.EventStream stream = EventSources.stream(file)) {
            EventSources.EventStream.Failure failure = assertThrows(EventSources.EventStream.Failure.class,
                    () -> stream.forEach(e -> { }));
            assertEquals(1_500, failure.getCause().line());
        }
    }

    @Test
    void aTornLastLineOfAPlainFileIsAnError() throws Exception {
        Path file = Recordings.write(dir.resolve("events.jsonl"), Recordings.journalLines(events(1_000)));
        Files.writeString(file, "{\"seq\":1001,\"arri", StandardOpenOption.APPEND);

        EventSourceException e = assertThrows(EventSourceException.class, () -> EventSources.read(file));
        assertEquals(1_001, e.line());
    }

    @Test
    void eventsOfOneLineAreNumberedOnAcrossChunks() throws Exception {
        List<String> lines = new ArrayList<>(Recordings.cloudEventLines(events(1_500)));
        lines.add(999, Recordings.webhook("firing", Map.of("alertname", "DiskFull", "instance", "db-1"),
                Recordings.T0, null));
        lines.add(1_001, "");
        Files.write(dir.resolve("mixed.jsonl"), lines, StandardCharsets.UTF_8);

        List<Event> read = EventSources.read(dir.resolve("mixed.jsonl"));
        assertEquals(1_501, read.size());
        assertEquals("ev-998", read.get(998).getId());
        assertEquals("operon.alert", read.get(999).getType());
        assertEquals("ev-999", read.get(1_000).getId());
        for (int i = 0; i < read.size(); i++) {
            assertEquals(i + 1, read.get(i).getSeq());
        }
    }

    @Test
    void cloudEventLinesDecodedByTheStreamingParserEqualTheTreeDecoding() throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        org.operon.model.CloudEventJson tree = new org.operon.model.CloudEventJson(mapper);
        String base = "\"specversion\":\"1.0\",\"id\":\"e1\",\"source\":\"/s\",\"type\":\"t\"";
        String time = ",\"time\":\"2026-01-05T10:00:00.250+01:00\"";
        List<String> accepted = List.of(
                "{" + base + time + "}",
                "{\"type\":\"t\",\"time\":\"2026-01-05T10:00:00Z\",\"id\":\"e2\",\"source\":\"/s\",\"specversion\":\"1.0\"}",
                "{" + base + time + ",\"severity\":\"critical\",\"region\":\"eu\",\"n\":3,\"data\":{\"labels\":{\"a\":\"b\",\"n\":1.5},"
                        + "\"v\":[1,12345678901234567890,2.5e-3,null,true,{\"k\":\"\u00e9\"}]}}",
                "{" + base + time + "} trailing text the tree parse ignores",
                "{" + base + time + "}{\"second\":1}",
                "{" + base + time + ",\"alerts\":\"x\"}",
                "  {" + base + time + "}");
        for (String line : accepted) {
            Path file = Files.writeString(dir.resolve("one.jsonl"), line + "\n");
            Event expected = tree.fromJson(mapper.readTree(line));
            expected = expected.stamped(1, expected.getTime().toEpochMilli());
            List<Event> read = EventSources.read(file);
            assertEquals(List.of(expected), read, line);
            assertEquals(expected.toString(), read.get(0).toString(), line);
            assertEquals(String.valueOf(expected.getData()), String.valueOf(read.get(0).getData()), line);
        }
        // The same lines among others in one file (one parser for a chunk's lines until a line is not exactly one
        // object of the common shape, then a parser per line): the same events, in order, numbered on.
        List<String> mixed = new ArrayList<>();
        List<Event> expectedMixed = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            for (String line : accepted) {
                for (String l : List.of("{" + base.replace("e1", "plain-" + mixed.size()) + time + "}", line, "")) {
                    mixed.add(l);
                    if (!l.isEmpty()) {
                        Event e = tree.fromJson(mapper.readTree(l));
                        expectedMixed.add(e.stamped(expectedMixed.size() + 1, e.getTime().toEpochMilli()));
                    }
                }
            }
        }
        Path mixedFile = Recordings.write(dir.resolve("mixed.jsonl"), mixed);
        assertEquals(expectedMixed, EventSources.read(mixedFile));
        Map<String, String> rejected = Map.of(
                "{" + base + "}", "CloudEvent e1 has no 'time'",
                "{" + base + time + ",\"severity\":\"loud\"}", "the CloudEvent is invalid",
                "{" + base + time + ",\"data\":{\"labels\":[1]}}", "data.labels must be an object of strings, not array",
                "{" + base + time + ",\"data\":{", "not valid JSON",
                "{\"specversion\":\"1.0\",\"alerts\":[]}", "required attribute 'id' is missing");
        for (Map.Entry<String, String> r : rejected.entrySet()) {
            Path file = Files.writeString(dir.resolve("bad.jsonl"), "\n" + r.getKey() + "\n");
            EventSourceException e = assertThrows(EventSourceException.class, () -> EventSources.read(file), r.getKey());
            assertEquals(2, e.line(), r.getKey());
            org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains(r.getValue()), e.getMessage());
        }
        // a journal record that also names a specversion stays a journal record (tree path)
        String record = "{\"arrivalTime\":\"2026-01-05T11:00:00Z\"," + base + time + ",\"event\":{" + base + time + "}}";
        Path file = Files.writeString(dir.resolve("record.jsonl"), record + "\n");
        assertEquals(java.time.Instant.parse("2026-01-05T11:00:00Z").toEpochMilli(),
                EventSources.read(file).get(0).getArrivalTime());
    }

    @Test
    void aMissingFileCannotBeRead() throws IOException {
        assertThrows(EventSourceException.class, () -> EventSources.read(dir.resolve("absent.jsonl")));
    }
}
