package org.operon.tests.support;

/** CloudEvents JSON for tests. */
public final class CloudEvents {
    private CloudEvents() {
    }

    public static String event(String id, String type, String subject, String severity) {
        return """
                {"specversion":"1.0","id":"%s","source":"/test/monitor","type":"%s","subject":"%s","severity":"%s",
                 "time":"2026-11-27T10:00:00Z","data":{"labels":{"team":"web"}}}"""
                .formatted(id, type, subject, severity);
    }

    public static String critical(String id, String subject) {
        return event(id, "host.cpu.high", subject, "critical");
    }
}
