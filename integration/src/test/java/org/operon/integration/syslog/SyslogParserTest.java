package org.operon.integration.syslog;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.operon.model.Event;
import org.operon.model.Severity;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SyslogParserTest {

    @Test
    void anRfc5424MessageWithStructuredData() throws Exception {
        SyslogMessage m = SyslogParser.parse("<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 "
                + "[exampleSDID@32473 iut=\"3\" eventSource=\"Application\" eventID=\"1011\"][examplePriority@32473 "
                + "class=\"high\" note=\"a \\\"quoted\\\" \\] bracket\"] \uFEFFAn application event log entry...");

        assertThat(m.format()).isEqualTo("rfc5424");
        assertThat(m.facility()).isEqualTo(20);
        assertThat(m.facilityName()).isEqualTo("local4");
        assertThat(m.severity()).isEqualTo(5);
        assertThat(m.time()).isEqualTo(Instant.parse("2003-10-11T22:14:15.003Z"));
        assertThat(m.hostname()).isEqualTo("mymachine.example.com");
        assertThat(m.appName()).isEqualTo("evntslog");
        assertThat(m.procId()).isNull();
        assertThat(m.msgId()).isEqualTo("ID47");
        assertThat(m.structuredData()).containsOnlyKeys("exampleSDID@32473", "examplePriority@32473");
        assertThat(m.structuredData().get("exampleSDID@32473")).containsEntry("eventID", List.of("1011"));
        assertThat(m.structuredData().get("examplePriority@32473").get("note"))
                .containsExactly("a \"quoted\" ] bracket");
        assertThat(m.message()).as("the BOM is dropped").isEqualTo("An application event log entry...");
    }

    @Test
    void anRfc5424MessageWithNilFieldsAndNoMessage() throws Exception {
        SyslogMessage m = SyslogParser.parse("<34>1 - - - - - -");

        assertThat(m.time()).isNull();
        assertThat(m.hostname()).isNull();
        assertThat(m.structuredData()).isEmpty();
        assertThat(m.message()).isEmpty();
        assertThat(m.severityName()).isEqualTo("crit");
    }

    @Test
    void anRfc3164MessageWithTagAndPid() throws Exception {
        SyslogMessage m = SyslogParser.parse("<38>Oct  9 22:33:20 web-1 sshd[4721]: Accepted publickey for ops");

        assertThat(m.format()).isEqualTo("rfc3164");
        assertThat(m.facilityName()).isEqualTo("auth");
        assertThat(m.severity()).isEqualTo(6);
        assertThat(m.timestamp()).isEqualTo("Oct  9 22:33:20");
        assertThat(m.time()).as("no year, no zone").isNull();
        assertThat(m.hostname()).isEqualTo("web-1");
        assertThat(m.appName()).isEqualTo("sshd");
        assertThat(m.procId()).isEqualTo("4721");
        assertThat(m.message()).isEqualTo("Accepted publickey for ops");
    }

    @Test
    void anRfc3164MessageWithAnRfc3339TimestampAsRsyslogWritesIt() throws Exception {
        SyslogMessage m = SyslogParser.parse("<11>2026-11-26T18:20:00.123+01:00 db-1 postgres: FATAL: too many connections");

        assertThat(m.time()).isEqualTo(Instant.parse("2026-11-26T17:20:00.123Z"));
        assertThat(m.hostname()).isEqualTo("db-1");
        assertThat(m.appName()).isEqualTo("postgres");
        assertThat(m.message()).isEqualTo("FATAL: too many connections");
    }

    @Test
    void anRfc3164MessageWithoutTimestampIsAllMessage() throws Exception {
        SyslogMessage m = SyslogParser.parse("<13>something happened here");

        assertThat(m.hostname()).isNull();
        assertThat(m.appName()).isNull();
        assertThat(m.message()).isEqualTo("something happened here");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "hello world|starts with a priority",
            "<192>Oct  9 22:33:20 h x: y|out of range",
            "<34>1 2026-13-45T00:00:00Z h a p m -|not an RFC 3339 timestamp",
            "<34>1 - h a p m|MSGID is missing",
            "<34>1 - h a p m [x a=\"1\"|expected ' ' or ']'",
            "<34>1 - h a p m [x a=\"1]|not closed",
            "<34>1 - h a p m sd|must be '-' or start with '['",
            "<34>1 - h  a p m -|two spaces"})
    void malformedMessagesAreRefusedWithTheReason(String line, String reason) {
        assertThatThrownBy(() -> SyslogParser.parse(line))
                .isInstanceOf(SyslogParser.SyslogFormatException.class)
                .hasMessageContaining(reason)
                .satisfies(e -> assertThat(((SyslogParser.SyslogFormatException) e).error()).isEqualTo("invalid_syslog"));
    }

    @Test
    void severitiesZeroToThreeAreCriticalFourWarningTheRestInfo() {
        assertThat(List.of(0, 1, 2, 3, 4, 5, 6, 7)).extracting(SyslogEvents::severity).containsExactly(
                Severity.CRITICAL, Severity.CRITICAL, Severity.CRITICAL, Severity.CRITICAL, Severity.WARNING,
                Severity.INFO, Severity.INFO, Severity.INFO);
    }

    @Test
    void theEventCarriesHostAppFacilityAndTheMessage() throws Exception {
        Event e = SyslogEvents.toEvent(SyslogParser.parse("<165>1 2003-10-11T22:14:15.003Z host1 app1 12 - "
                + "[origin ip=\"10.0.0.1\"] hello"), "syslog:udp", "127.0.0.1");

        assertThat(e.getType()).isEqualTo("syslog");
        assertThat(e.getSource()).isEqualTo("syslog:udp");
        assertThat(e.getSubject()).isEqualTo("host1");
        assertThat(e.getSeverity()).isEqualTo(Severity.INFO);
        assertThat(e.getTime()).isEqualTo(Instant.parse("2003-10-11T22:14:15.003Z"));
        assertThat(e.getLabels()).containsExactly(Map.entry("facility", "local4"), Map.entry("app", "app1"));
        Map<?, ?> data = (Map<?, ?>) e.getData();
        assertThat(data.get("message")).isEqualTo("hello");
        assertThat(data.get("structuredData")).isEqualTo(Map.of("origin", Map.of("ip", "10.0.0.1")));
        assertThat(data.get("procId")).isEqualTo("12");

        Event noHost = SyslogEvents.toEvent(SyslogParser.parse("<13>no header"), "syslog:tcp", "10.1.2.3");
        assertThat(noHost.getSubject()).as("without hostname: the sender's address").isEqualTo("10.1.2.3");
        assertThat(noHost.getLabels()).doesNotContainKey("app");
    }
}
