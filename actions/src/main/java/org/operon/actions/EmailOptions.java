package org.operon.actions;

import java.util.ArrayList;
import java.util.List;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;

import org.operon.actions.template.Format;

/**
 * The {@code email} target: one multipart (text and HTML) mail per action over SMTP.
 *
 * @param host            the SMTP server ({@link #HOST}); setting it configures the target
 * @param port            its port, 1–65535 ({@link #PORT})
 * @param username        the SMTP login, or null for none ({@link #USERNAME})
 * @param password        its password; a secret: never logged, {@link #toString()} masks it ({@link #PASSWORD})
 * @param from            the sender address ({@link #FROM})
 * @param to              the recipient addresses, at least one ({@link #TO})
 * @param subjectTemplate the subject, a header template; null means the default ({@link #SUBJECT_TEMPLATE})
 * @param textTemplate    the text part, a plain-text template; null means the default ({@link #TEXT_TEMPLATE})
 * @param htmlTemplate    the HTML part, an HTML template (every value escaped, raw output refused);
 *                        null means the default ({@link #HTML_TEMPLATE})
 * @param starttls        whether to require STARTTLS before authenticating and sending ({@link #STARTTLS})
 */
public record EmailOptions(String host, int port, String username, String password, String from, List<String> to,
                           String subjectTemplate, String textTemplate, String htmlTemplate, boolean starttls) {
    public static final String HOST = "operon.actions.email.host";
    public static final String PORT = "operon.actions.email.port";
    public static final String USERNAME = "operon.actions.email.username";
    public static final String PASSWORD = "operon.actions.email.password";
    public static final String FROM = "operon.actions.email.from";
    public static final String TO = "operon.actions.email.to";
    public static final String SUBJECT_TEMPLATE = "operon.actions.email.subject-template";
    public static final String TEXT_TEMPLATE = "operon.actions.email.text-template";
    public static final String HTML_TEMPLATE = "operon.actions.email.html-template";
    public static final String STARTTLS = "operon.actions.email.starttls";

    /** @throws IllegalArgumentException naming the key when a setting is missing or invalid */
    public EmailOptions {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException(HOST + " must be set for target 'email'");
        }
        host = host.strip();
        if (!host.matches("[A-Za-z0-9.:\\[\\]-]+")) {
            throw new IllegalArgumentException(HOST + " must be a host name or address, was '" + host + "'");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(PORT + " must be between 1 and 65535, was " + port);
        }
        username = username == null || username.isBlank() ? null : username.strip();
        password = password == null || password.isEmpty() ? null : password;
        if ((username == null) != (password == null)) {
            throw new IllegalArgumentException(USERNAME + " and " + PASSWORD + " must be set together");
        }
        from = address(from, FROM).toString();
        List<String> recipients = new ArrayList<>();
        for (String r : to == null ? List.<String>of() : to) {
            if (r != null && !r.isBlank()) {
                recipients.add(address(r, TO).toString());
            }
        }
        if (recipients.isEmpty()) {
            throw new IllegalArgumentException(TO + " must list at least one recipient for target 'email'");
        }
        to = List.copyOf(recipients);
        subjectTemplate = blankToNull(subjectTemplate);
        textTemplate = blankToNull(textTemplate);
        htmlTemplate = blankToNull(htmlTemplate);
        if (subjectTemplate != null) {
            DecisionModel.parse(subjectTemplate, SUBJECT_TEMPLATE, Format.HEADER);
        }
        if (textTemplate != null) {
            DecisionModel.parse(textTemplate, TEXT_TEMPLATE, Format.TEXT);
        }
        if (htmlTemplate != null) {
            DecisionModel.parse(htmlTemplate, HTML_TEMPLATE, Format.HTML);
        }
    }

    /** Without login, STARTTLS or custom templates. */
    public EmailOptions(String host, int port, String from, List<String> to) {
        this(host, port, null, null, from, to, null, null, null, false);
    }

    private static InternetAddress address(String text, String key) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException(key + " must be set for target 'email'");
        }
        try {
            InternetAddress address = new InternetAddress(text.strip(), true);
            address.validate();
            return address;
        } catch (AddressException e) {
            throw new IllegalArgumentException(key + " has an invalid address '" + text.strip() + "': " + e.getMessage());
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    @Override
    public String toString() {
        return "EmailOptions[host=" + host + ", port=" + port + ", username=" + username + ", password="
                + (password == null ? null : "****") + ", from=" + from + ", to=" + to + ", starttls=" + starttls
                + ", templates=" + (subjectTemplate == null && textTemplate == null && htmlTemplate == null
                ? "default" : "custom") + "]";
    }
}
