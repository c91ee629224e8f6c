package org.operon.actions.ticket;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.operon.actions.HttpTarget;

/**
 * The {@code servicenow} target: records of the {@code incident} table through ServiceNow's Table API.
 *
 * @param url             the instance URL, e.g. {@code https://example.service-now.com} ({@link #URL})
 * @param username        the integration user (basic auth) ({@link #USERNAME})
 * @param password        its password; a secret, never logged ({@link #PASSWORD})
 * @param assignmentGroup the {@code assignment_group} of new incidents (name or sys_id), or empty
 *                        ({@link #ASSIGNMENT_GROUP})
 * @param closeCode       the {@code close_code} set when resolving ({@link #CLOSE_CODE}; default
 *                        {@code Solution provided})
 */
public record ServiceNowTicketOptions(String url, String username, String password, String assignmentGroup,
                                      String closeCode) {
    public static final String URL = "operon.actions.servicenow.url";
    public static final String USERNAME = "operon.actions.servicenow.username";
    public static final String PASSWORD = "operon.actions.servicenow.password";
    public static final String ASSIGNMENT_GROUP = "operon.actions.servicenow.assignment-group";
    public static final String CLOSE_CODE = "operon.actions.servicenow.close-code";

    /** @throws IllegalArgumentException naming the key of the first missing or invalid value */
    public ServiceNowTicketOptions {
        url = TicketOptions.required(url, URL, ServiceNowSink.NAME);
        HttpTarget.parse(url, URL);
        username = TicketOptions.required(username, USERNAME, ServiceNowSink.NAME);
        password = TicketOptions.required(password, PASSWORD, ServiceNowSink.NAME);
        assignmentGroup = assignmentGroup == null ? "" : assignmentGroup.strip();
        closeCode = closeCode == null || closeCode.isBlank() ? "Solution provided" : closeCode.strip();
    }

    URI uri() {
        return HttpTarget.parse(url, URL);
    }

    String authorization() {
        return "Basic " + Base64.getEncoder().encodeToString((username + ":" + password)
                .getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "ServiceNowTicketOptions[url=" + HttpTarget.hostOnly(uri()) + uri().getRawPath() + ", username="
                + username + ", password=****, assignmentGroup=" + assignmentGroup + ", closeCode=" + closeCode + "]";
    }
}
