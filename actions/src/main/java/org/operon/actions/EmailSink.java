package org.operon.actions;

import java.util.Date;
import java.util.Map;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Producer;
import org.apache.camel.component.mail.MailEndpoint;
import org.apache.camel.model.RouteDefinition;
import org.operon.actions.template.Format;
import org.operon.actions.template.Template;

/**
 * Target {@code email}: one mail per action through camel-mail's SMTP producer, to
 * {@link EmailOptions#to()} from {@link EmailOptions#from()}: {@code multipart/alternative} with a
 * {@code text/plain} and a {@code text/html} part (UTF-8), each rendered from its template (values
 * escaped for HTML in the HTML part; line breaks removed in the subject).
 *
 * <p>The {@code Message-ID} is {@code <action id@operon>}, derived from the action id, so a mail sent again
 * after a crash between sending and auditing carries the same id and a receiving system can drop it;
 * mails about one incident also carry {@code References: <incident id@operon>}, so mail clients thread
 * them. The {@code Date} is the decision's time.
 *
 * <p>The sink reports {@code messageId} and {@code recipients} (a count) as the action's result.
 *
 * <p>The SMTP endpoint URI names host and port only; the login is set on the endpoint's configuration
 * when the first mail is sent, so the password is in no URI, route dump or log. Connection failures and
 * timeouts (I/O errors) are retried by {@link ActionRoutes}; an SMTP rejection (a bad recipient, failed
 * authentication) fails the action at once.
 */
public final class EmailSink implements ActionSink {
    public static final String NAME = "email";
    static final String SUBJECT = "[{{type}}] {{#incident}}{{correlationKey}}: {{firingCount}} firing ({{alertnames}})"
            + "{{/incident}}{{^incident}}{{subject}} (rule {{rule}}){{/incident}}";
    static final String TEXT = """
            {{type}} for {{subject}} (rule {{rule}}) at {{time}}
            {{#incident}}

            Incident {{id}} ({{correlationKey}}) is {{status}}: {{firingCount}} firing, {{resolvedCount}} resolved.
            {{#alerts}}
            - {{alertname}}: {{status}}
            {{/alerts}}
            {{/incident}}
            {{^incident}}

            Params: {{params}}
            {{/incident}}

            Decision {{id}}, action {{actionId}}
            """;
    static final String HTML = """
            <!DOCTYPE html>
            <html><body>
            <p><b>{{type}}</b> for {{subject}} (rule {{rule}}) at {{time}}</p>
            {{#incident}}
            <p>Incident {{id}} ({{correlationKey}}) is <b>{{status}}</b>: {{firingCount}} firing, {{resolvedCount}} resolved.</p>
            <ul>
            {{#alerts}}
            <li>{{alertname}}: {{status}}</li>
            {{/alerts}}
            </ul>
            {{/incident}}
            {{^incident}}
            <p>Params: <code>{{params}}</code></p>
            {{/incident}}
            <p style="color:#888">Decision {{id}}, action {{actionId}}</p>
            </body></html>
            """;

    private final EmailOptions email;
    private final String endpointUri;
    private final long connectMillis;
    private final long responseMillis;
    private final Template subject;
    private final Template text;
    private final Template html;
    private final Session session = Session.getInstance(new Properties());
    private volatile Producer producer;

    public EmailSink(ActionOptions options) {
        this.email = options.emailOptions().orElseThrow(() -> new IllegalArgumentException(
                "target 'email' needs " + EmailOptions.HOST));
        this.connectMillis = options.connectTimeout().toMillis();
        this.responseMillis = options.responseTimeout().toMillis();
        this.endpointUri = "smtp://" + email.host() + ":" + email.port() + "?connectionTimeout=" + connectMillis;
        this.subject = DecisionModel.parse(orDefault(email.subjectTemplate(), SUBJECT), EmailOptions.SUBJECT_TEMPLATE,
                Format.HEADER);
        this.text = DecisionModel.parse(orDefault(email.textTemplate(), TEXT), EmailOptions.TEXT_TEMPLATE, Format.TEXT);
        this.html = DecisionModel.parse(orDefault(email.htmlTemplate(), HTML), EmailOptions.HTML_TEMPLATE, Format.HTML);
    }

    /** The mail for one action, ready to send. */
    MimeMessage message(Action action) throws MessagingException {
        JsonNode model = DecisionModel.of(action);
        MimeMessage message = new FixedIdMessage(session, "<" + action.id() + "@operon>");
        message.setFrom(new InternetAddress(email.from()));
        message.setRecipients(Message.RecipientType.TO, InternetAddress.parse(String.join(",", email.to())));
        String line = subject.render(model).replaceAll("[\\r\\n]+", " ").strip();
        message.setSubject(line.isEmpty() ? String.valueOf(action.decision().getType()) : line, "UTF-8");
        message.setSentDate(new Date(action.decision().getTime()));
        message.setHeader("X-Operon-Action-Id", action.id());
        JsonNode incidentId = model.path("incident").path("id");
        if (incidentId.isTextual() && !incidentId.asText().isBlank()) {
            message.setHeader("References", "<" + Format.HEADER.escape(incidentId.asText()).replace(">", "") + "@operon>");
        }
        MimeBodyPart textPart = new MimeBodyPart();
        textPart.setText(text.render(model), "UTF-8", "plain");
        MimeBodyPart htmlPart = new MimeBodyPart();
        htmlPart.setText(html.render(model), "UTF-8", "html");
        MimeMultipart alternative = new MimeMultipart("alternative");
        alternative.addBodyPart(textPart);
        alternative.addBodyPart(htmlPart);
        message.setContent(alternative);
        message.saveChanges();
        return message;
    }

    /** True: the repeat carries the same {@code Message-ID}, by which mail stores and clients drop it. */
    @Override
    public boolean deduplicatesByKey() {
        return true;
    }

    @Override
    public void perform(RouteDefinition route) {
        route.process(exchange -> {
            Action action = exchange.getIn().getBody(Action.class);
            exchange.getIn().removeHeaders("*");
            exchange.getIn().setBody(message(action));
        }).process(exchange -> {
            producer(exchange.getContext()).process(exchange);
            Exception failure = exchange.getException();
            if (failure != null) {
                exchange.setException(null);
                throw failure;
            }
            MimeMessage sent = exchange.getIn().getBody(MimeMessage.class);
            exchange.setProperty("operonActionResult", Map.of("messageId", sent.getMessageID(),
                    "recipients", email.to().size()));
        });
    }

    /** The SMTP producer, created on first use with the login set on its endpoint, never in its URI. */
    private Producer producer(CamelContext context) throws Exception {
        Producer p = producer;
        if (p == null) {
            synchronized (this) {
                p = producer;
                if (p == null) {
                    MailEndpoint endpoint = context.getEndpoint(endpointUri, MailEndpoint.class);
                    Properties javaMail = new Properties();
                    javaMail.setProperty("mail.smtp.connectiontimeout", Long.toString(connectMillis));
                    javaMail.setProperty("mail.smtp.timeout", Long.toString(responseMillis));
                    javaMail.setProperty("mail.smtp.writetimeout", Long.toString(responseMillis));
                    if (email.starttls()) {
                        javaMail.setProperty("mail.smtp.starttls.enable", "true");
                        javaMail.setProperty("mail.smtp.starttls.required", "true");
                    }
                    if (email.username() != null) {
                        javaMail.setProperty("mail.smtp.auth", "true");
                        endpoint.getConfiguration().setUsername(email.username());
                        endpoint.getConfiguration().setPassword(email.password());
                    }
                    endpoint.getConfiguration().setAdditionalJavaMailProperties(javaMail);
                    p = endpoint.createProducer();
                    context.addService(p, true, true);
                    producer = p;
                }
            }
        }
        return p;
    }

    private static String orDefault(String template, String fallback) {
        return template == null ? fallback : template;
    }

    /** A message whose Message-ID is ours: JavaMail would otherwise replace it with a random one when sending. */
    static final class FixedIdMessage extends MimeMessage {
        private final String messageId;

        FixedIdMessage(Session session, String messageId) {
            super(session);
            this.messageId = messageId;
        }

        @Override
        protected void updateMessageID() throws MessagingException {
            setHeader("Message-ID", messageId);
        }
    }
}
