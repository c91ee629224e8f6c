package org.operon.actions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;

import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;

import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.operon.model.Decision;
import org.operon.state.AuditEntry;

/** Decisions through the real {@code email} route (camel-mail) to GreenMail, a real SMTP server in-process. */
class EmailSinkIT {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final Instant T0 = Instant.parse("2024-03-05T10:15:30Z");
    private static final String PASSWORD = "SMTP-PASSW0RD-SECRET";

    @RegisterExtension
    static final GreenMailExtension SMTP = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("operon", PASSWORD))
            .withPerMethodLifecycle(true);

    @TempDir
    Path dir;

    private final InMemoryAuditLog audit = new InMemoryAuditLog();
    private CamelContext camel;
    private ActionDispatcher dispatcher;

    @AfterEach
    void stopAll() {
        if (dispatcher != null) {
            dispatcher.stop(Duration.ofSeconds(5));
        }
        if (camel != null) {
            camel.stop();
        }
    }

    private void start(EmailOptions email) throws Exception {
        ActionOptions options = ActionOptions.defaults()
                .withFileDirectory(dir)
                .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(2))
                .withRetries(3, Duration.ofMillis(20))
                .withEmail(email)
                .withDefaultTargets(List.of("email"));
        camel = new DefaultCamelContext();
        camel.addRoutes(new ActionRoutes(options));
        camel.start();
        dispatcher = new ActionDispatcher(camel, audit, options);
        dispatcher.start();
    }

    private static EmailOptions options(int port, String username, String password, String subject, String text,
                                        String html) {
        return new EmailOptions("127.0.0.1", port, username, password, "Operon <operon@example.org>",
                List.of("oncall@example.org", "lead@example.org"), subject, text, html, false);
    }

    private static Decision incidentOpened(Instant at, String alertname) {
        Map<String, Object> snapshot = new LinkedHashMap<>();
        snapshot.put("id", "inc-3f1c0a9b27d4");
        snapshot.put("correlationKey", "checkout");
        snapshot.put("status", "open");
        snapshot.put("alerts", List.of(Map.of("alertname", alertname, "status", "firing"),
                Map.of("alertname", "ErrorRate", "status", "resolved")));
        snapshot.put("firingCount", 1);
        snapshot.put("resolvedCount", 1);
        return Decision.of("incident-opened", "checkout", "incidents", List.of("e1"))
                .withParam("incident", snapshot)
                .stamped(at.toEpochMilli());
    }

    private AuditEntry awaitEntry(Decision decision) {
        return await().atMost(WAIT).until(() -> audit.find(Action.idFor(decision.getId(), "email")).orElse(null),
                e -> e != null);
    }

    private static String part(MimeMessage message, int index) throws Exception {
        MimeMultipart multipart = (MimeMultipart) message.getContent();
        // SMTP carries lines ended by CRLF
        return ((String) multipart.getBodyPart(index).getContent()).replace("\r\n", "\n");
    }

    @Test
    void theDefaultMailHasATextAndAnEscapedHtmlPartForEveryRecipientAndAMessageIdFromTheAction() throws Exception {
        start(options(SMTP.getSmtp().getPort(), null, null, null, null, null));
        Decision opened = incidentOpened(T0, "<script>alert('x')</script>");

        dispatcher.dispatch(opened);

        assertThat(awaitEntry(opened).status()).isEqualTo(AuditEntry.SENT);
        MimeMessage[] received = SMTP.getReceivedMessages();
        assertThat(received).hasSize(2); // one delivery per recipient
        assertThat(Arrays.stream(received).flatMap(m -> {
            try {
                return Arrays.stream(m.getRecipients(Message.RecipientType.TO));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).map(Address::toString).distinct()).containsExactlyInAnyOrder("oncall@example.org", "lead@example.org");
        MimeMessage mail = received[0];
        assertThat(mail.getFrom()[0].toString()).isEqualTo("Operon <operon@example.org>");
        assertThat(mail.getMessageID()).isEqualTo("<" + Action.idFor(opened.getId(), "email") + "@operon>");
        assertThat(mail.getHeader("References", null)).isEqualTo("<inc-3f1c0a9b27d4@operon>");
        assertThat(mail.getSentDate().toInstant()).isEqualTo(T0);
        assertThat(mail.getSubject()).isEqualTo("[incident-opened] checkout: 1 firing (<script>alert('x')</script>)");
        assertThat(mail.getContentType()).startsWith("multipart/alternative");
        MimeMultipart parts = (MimeMultipart) mail.getContent();
        assertThat(parts.getCount()).isEqualTo(2);
        assertThat(parts.getBodyPart(0).getContentType()).startsWith("text/plain");
        assertThat(parts.getBodyPart(1).getContentType()).startsWith("text/html");
        assertThat(part(mail, 0)).contains("Incident inc-3f1c0a9b27d4 (checkout) is open: 1 firing, 1 resolved.")
                .contains("- <script>alert('x')</script>: firing").contains("- ErrorRate: resolved");
        assertThat(part(mail, 1)).contains("<li>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;: firing</li>")
                .doesNotContain("<script>").contains("<b>open</b>");
    }

    @Test
    void customTemplatesAndALoginAndThePasswordIsNeverLogged() throws Exception {
        PrintStream originalErr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        Decision notify = Decision.of("notify", "db-1", "disk-full", List.of("e1"))
                .withParam("note", "line one\nBcc: victim@example.org")
                .withParam("mounts", List.of("/", "/var"))
                .stamped(T0.toEpochMilli());
        AuditEntry entry;
        try {
            start(options(SMTP.getSmtp().getPort(), "operon", PASSWORD, "{{subject}}: {{params.note}}",
                    "Mounts:{{#params.mounts}} {{.}}{{/params.mounts}}", "<p>{{params.note}}</p>"));
            dispatcher.dispatch(notify);
            entry = awaitEntry(notify);
            dispatcher.stop(WAIT);
            camel.stop();
        } finally {
            System.setErr(originalErr);
        }
        assertThat(entry.status()).isEqualTo(AuditEntry.SENT);
        MimeMessage mail = SMTP.getReceivedMessages()[0];
        assertThat(mail.getSubject()).isEqualTo("db-1: line one Bcc: victim@example.org");
        assertThat(mail.getHeader("Bcc")).isNull();
        assertThat(mail.getHeader("References")).isNull();
        assertThat(part(mail, 0)).isEqualTo("Mounts: / /var");
        assertThat(part(mail, 1)).isEqualTo("<p>line one\nBcc: victim@example.org</p>");
        String logs = captured.toString(StandardCharsets.UTF_8);
        assertThat(logs).contains("action dispatcher started").contains("password=****");
        assertThat(logs).doesNotContain(PASSWORD).doesNotContain("PASSW0RD");
        assertThat(audit.all()).allSatisfy(e -> assertThat(e.toString()).doesNotContain("PASSW0RD"));
    }

    @Test
    void aRejectedLoginFailsAtOnceAndAnUnreachableServerIsRetried() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        start(options(SMTP.getSmtp().getPort(), "operon", "wrong-password", null, null, null));
        Decision rejected = incidentOpened(T0, "HighLatency");
        dispatcher.dispatch(rejected);
        AuditEntry rejectedEntry = awaitEntry(rejected);
        assertThat(rejectedEntry.status()).isEqualTo(AuditEntry.FAILED);
        assertThat(rejectedEntry.reason()).doesNotContain("after").doesNotContain("wrong-password");
        assertThat(SMTP.getReceivedMessages()).isEmpty();
        stopAll();

        start(options(closedPort, null, null, null, null, null));
        Decision unreachable = incidentOpened(T0.plusSeconds(1), "HighLatency");
        dispatcher.dispatch(unreachable);
        AuditEntry unreachableEntry = awaitEntry(unreachable);
        assertThat(unreachableEntry.status()).isEqualTo(AuditEntry.FAILED);
        assertThat(unreachableEntry.reason()).endsWith("after 3 attempts");
    }
}
