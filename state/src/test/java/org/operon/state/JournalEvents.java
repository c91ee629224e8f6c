package org.operon.state;

import org.operon.model.CloudEventJson;
import org.operon.model.Event;
import org.operon.model.InvalidEventException;

/** Builds test events the way intake does: by parsing CloudEvents JSON, so that they round-trip exactly. */
final class JournalEvents {
    private static final CloudEventJson JSON = new CloudEventJson();

    private JournalEvents() {
    }

    /** A critical event with labels, nested data, an extension and a sender time with nanoseconds. */
    static Event rich(String id) {
        return parse("""
                {"specversion":"1.0","id":"%s","source":"/hosts/web-1","type":"cpu.high","subject":"web-1",
                 "time":"2026-11-27T19:59:58.123456789Z","severity":"critical","region":"eu-west",
                 "data":{"labels":{"team":"ops","rack":"r7"},"value":97.5,"cores":[1,2,3],"note":"line1\\nline2 \\"q\\" é"}}
                """.formatted(id));
    }

    /** A small info event. */
    static Event plain(String id) {
        return parse("""
                {"specversion":"1.0","id":"%s","source":"/test","type":"ping"}
                """.formatted(id));
    }

    private static Event parse(String json) {
        try {
            return JSON.fromJson(JSON.parseTree(json));
        } catch (InvalidEventException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
