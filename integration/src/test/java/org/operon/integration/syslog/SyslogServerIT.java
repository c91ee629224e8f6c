package org.operon.integration.syslog;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.operon.integration.http.IntakeOptions;
import org.operon.integration.source.SourceIntake;
import org.operon.integration.testing.InMemoryDeadLetters;
import org.operon.integration.testing.RecordingAcceptor;
import org.operon.integration.testing.RecordingAcceptor.Behaviour;
import org.operon.model.Event;
import org.operon.model.Severity;
import org.operon.state.DeadLetter;

import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The syslog listeners over real UDP and TCP sockets on 127.0.0.1. */
class SyslogServerIT {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final RecordingAcceptor acceptor = new RecordingAcceptor();
    private final InMemoryDeadLetters deadLetters = new InMemoryDeadLetters();
    private SourceIntake intake;
    private SyslogServer server;

    @BeforeEach
    void start() throws IOException {
        intake = new SourceIntake(acceptor, deadLetters, Clock.fixed(Instant.parse("2026-11-26T18:30:00Z"),
                ZoneOffset.UTC), IntakeOptions.defaults());
        server = new SyslogServer(intake, new SyslogServer.Options("127.0.0.1", 0, 0, 1024, 4,
                Duration.ofMillis(50)));
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private void sendUdp(String message) throws IOException {
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.send(new DatagramPacket(bytes, bytes.length, InetAddress.getLoopbackAddress(), server.udpPort()));
        }
    }

    private Socket connectTcp() throws IOException {
        return new Socket(InetAddress.getLoopbackAddress(), server.tcpPort());
    }

    private static void write(Socket socket, String text) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    @Test
    void aUdpDatagramBecomesAnEvent() throws IOException {
        sendUdp("<11>1 2026-11-26T18:20:00Z db-1 postgres 811 - [meta seq=\"7\"] FATAL: too many connections\n");

        await().atMost(WAIT).until(() -> acceptor.accepted().size() == 1);
        Event e = acceptor.accepted().get(0);
        assertThat(e.getSource()).isEqualTo("syslog:udp");
        assertThat(e.getType()).isEqualTo("syslog");
        assertThat(e.getSubject()).isEqualTo("db-1");
        assertThat(e.getSeverity()).isEqualTo(Severity.CRITICAL);
        assertThat(e.getLabels()).containsEntry("app", "postgres").containsEntry("facility", "user");
        assertThat(((Map<?, ?>) e.getData()).get("message")).isEqualTo("FATAL: too many connections");
        assertThat(((Map<?, ?>) e.getData()).get("structuredData")).isEqualTo(Map.of("meta", Map.of("seq", "7")));
        assertThat(intake.counters().get("syslog:udp")).containsEntry("accepted", 1L).containsEntry("rejected", 0L);
    }

    @Test
    void anUnparseableDatagramIsDeadLetteredOnTheUdpChannel() throws IOException {
        sendUdp("this is not syslog");
        sendUdp("<12>Oct  9 22:33:20 web-1 app: still fine");

        await().atMost(WAIT).until(() -> acceptor.accepted().size() == 1 && deadLetters.count() == 1);
        DeadLetter letter = deadLetters.all().get(0);
        assertThat(letter.channel()).isEqualTo("syslog:udp");
        assertThat(letter.error()).isEqualTo("invalid_syslog");
        assertThat(letter.payload()).isEqualTo("this is not syslog");
        assertThat(acceptor.accepted().get(0).getSeverity()).isEqualTo(Severity.WARNING);
    }

    @Test
    void tcpCarriesLineFramedAndOctetCountedMessages() throws IOException {
        String counted = "<14>1 - web-2 nginx - - - counted with a\nnewline inside";
        try (Socket socket = connectTcp()) {
            write(socket, "<13>Oct  9 22:33:20 web-1 cron[12]: first\r\n");
            write(socket, counted.getBytes(StandardCharsets.UTF_8).length + " " + counted);
            write(socket, "garbage line\n<15>1 - web-3 app - - - last\n");
            await().atMost(WAIT).until(() -> acceptor.accepted().size() == 3);
        }

        assertThat(acceptor.accepted()).extracting(Event::getSubject).containsExactly("web-1", "web-2", "web-3");
        assertThat(acceptor.accepted()).extracting(Event::getSource).containsOnly("syslog:tcp");
        assertThat(((Map<?, ?>) acceptor.accepted().get(1).getData()).get("message"))
                .isEqualTo("counted with a\nnewline inside");
        assertThat(deadLetters.all()).singleElement().satisfies(l -> {
            assertThat(l.channel()).isEqualTo("syslog:tcp");
            assertThat(l.payload()).isEqualTo("garbage line");
        });
    }

    @Test
    void aMessageOverTheLimitIsDeadLetteredAndTheStreamGoesOn() throws IOException {
        try (Socket socket = connectTcp()) {
            write(socket, "<13>" + "x".repeat(2000) + "\n<13>Oct  9 22:33:20 web-1 app: after\n");
            await().atMost(WAIT).until(() -> acceptor.accepted().size() == 1 && deadLetters.count() == 1);
        }
        assertThat(deadLetters.all().get(0).error()).isEqualTo("message_too_large");
        assertThat(deadLetters.all().get(0).detail()).contains("2004 bytes", "1024");
        assertThat(((Map<?, ?>) acceptor.accepted().get(0).getData()).get("message")).isEqualTo("after");
    }

    @Test
    void theNextMessageIsReadOnlyOnceTheFirstIsDurable() throws IOException {
        acceptor.behave(Behaviour.HOLD);
        try (Socket socket = connectTcp()) {
            write(socket, "<13>1 - first app - - - one\n");
            await().atMost(WAIT).until(() -> acceptor.held().size() == 1);
            write(socket, "<13>1 - second app - - - two\n");

            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
                    .until(() -> acceptor.held().size() == 1 && acceptor.accepted().isEmpty());
            acceptor.held().get(0).complete(null);

            await().atMost(WAIT).until(() -> acceptor.held().size() == 2);
            acceptor.held().get(1).complete(null);
            await().atMost(WAIT).until(() -> acceptor.accepted().size() == 2);
        }
        assertThat(acceptor.accepted()).extracting(Event::getSubject).containsExactly("first", "second");
    }

    @Test
    void refusedMessagesAreResubmittedUntilAcceptedOnce() throws IOException {
        acceptor.behave(Behaviour.OVERLOADED);
        sendUdp("<11>1 - db-1 app - - - during overload");
        await().atMost(WAIT).until(() -> intake.counters().getOrDefault("syslog:udp", Map.of())
                .getOrDefault("received", 0L) >= 3);
        assertThat(acceptor.accepted()).isEmpty();

        acceptor.behave(Behaviour.NOT_RUNNING);
        await().atMost(WAIT).until(() -> intake.counters().get("syslog:udp").get("received") >= 5);
        acceptor.behave(Behaviour.JOURNAL);

        await().atMost(WAIT).until(() -> acceptor.accepted().size() == 1);
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2))
                .until(() -> acceptor.accepted().size() == 1);
        assertThat(deadLetters.count()).as("a refusal for now is no dead letter").isZero();
        assertThat(acceptor.accepted().get(0).getSubject()).isEqualTo("db-1");
    }

    @Test
    void stoppingClosesTheListeners() throws IOException {
        int tcpPort = server.tcpPort();
        server.close();

        assertThat(server.udpPort()).isEqualTo(-1);
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> new Socket(InetAddress.getLoopbackAddress(), tcpPort).close()).isInstanceOf(IOException.class);
    }

    @Test
    void withoutPortsNothingListens() throws IOException {
        try (SyslogServer none = new SyslogServer(intake, SyslogServer.Options.of("127.0.0.1", null, null))) {
            none.start();
            assertThat(none.udpPort()).isEqualTo(-1);
            assertThat(none.tcpPort()).isEqualTo(-1);
        }
    }
}
