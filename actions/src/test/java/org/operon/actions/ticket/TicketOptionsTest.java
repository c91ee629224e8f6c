package org.operon.actions.ticket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.operon.actions.ActionOptions;
import org.operon.actions.ActionSinks;

class TicketOptionsTest {

    @Test
    void theTicketTargetsAreRegisteredButCanBeNamedOnlyWhenConfigured() {
        assertThat(ActionSinks.names()).contains("redmine", "jira", "servicenow");
        assertThatThrownBy(() -> ActionOptions.defaults().withTargets("incident-opened", List.of("log", "redmine")))
                .hasMessage("operon.actions.targets.incident-opened names target 'redmine' but "
                        + "operon.actions.redmine.url is not set");
        assertThatThrownBy(() -> ActionOptions.defaults().withDefaultTargets(List.of("servicenow")))
                .hasMessageContaining("operon.actions.servicenow.url is not set");
        ActionOptions configured = ActionOptions.defaults()
                .withTickets(new TicketOptions(null, new JiraTicketOptions("https://x.atlassian.net", "", "pat-123456",
                        "OPS", null, null), null))
                .withTargets("incident-opened", List.of("jira"));
        assertThat(configured.targetsFor("incident-opened")).containsExactly("jira");
        assertThatThrownBy(() -> configured.withTargets("incident-resolved", List.of("redmine")))
                .hasMessageContaining("operon.actions.redmine.url");
    }

    @Test
    void missingSettingsAreNamedByTheirKey() {
        assertThatThrownBy(() -> new RedmineTicketOptions("https://redmine.example", "", "ops", null, null, 3))
                .hasMessage("operon.actions.redmine.api-key must be set for target 'redmine'");
        assertThatThrownBy(() -> new RedmineTicketOptions("https://redmine.example", "k", " ", null, null, 3))
                .hasMessage("operon.actions.redmine.project must be set for target 'redmine'");
        assertThatThrownBy(() -> new RedmineTicketOptions("https://redmine.example", "k", "ops", 0, null, 3))
                .hasMessageStartingWith("operon.actions.redmine.tracker-id must be a positive id");
        assertThatThrownBy(() -> new RedmineTicketOptions("ftp://redmine.example", "k", "ops", null, null, 3))
                .hasMessageStartingWith("operon.actions.redmine.url must be an http or https URL");
        assertThatThrownBy(() -> new JiraTicketOptions("https://x.atlassian.net", "a@b", "t", "", null, null))
                .hasMessage("operon.actions.jira.project must be set for target 'jira'");
        assertThatThrownBy(() -> new ServiceNowTicketOptions("https://x.service-now.com", "u", null, null, null))
                .hasMessage("operon.actions.servicenow.password must be set for target 'servicenow'");
    }

    @Test
    void secretsAreMaskedAndJiraAuthenticatesByEmailOrPersonalToken() {
        RedmineTicketOptions redmine = new RedmineTicketOptions("https://redmine.example/sub", "KEY-SECRET", "ops",
                null, null, 3);
        JiraTicketOptions cloud = new JiraTicketOptions("https://x.atlassian.net", "me@x.org", "TOKEN-SECRET", "OPS",
                null, null);
        JiraTicketOptions dataCenter = new JiraTicketOptions("https://jira.x.org", " ", "PAT-SECRET", "OPS", "Bug",
                "Resolve Issue");
        ServiceNowTicketOptions serviceNow = new ServiceNowTicketOptions("https://x.service-now.com", "u",
                "PASS-SECRET", null, null);
        String all = new TicketOptions(redmine, cloud, serviceNow) + " " + dataCenter;
        assertThat(all).doesNotContain("SECRET").contains("apiKey=****", "apiToken=****", "password=****",
                "url=https://redmine.example/sub");
        assertThat(cloud.authorization()).isEqualTo("Basic " + Base64.getEncoder()
                .encodeToString("me@x.org:TOKEN-SECRET".getBytes(StandardCharsets.UTF_8)));
        assertThat(dataCenter.authorization()).isEqualTo("Bearer PAT-SECRET");
        assertThat(cloud.issueType()).isEqualTo("Task");
        assertThat(cloud.resolveTransition()).isEqualTo("Done");
        assertThat(dataCenter.resolveTransition()).isEqualTo("Resolve Issue");
        assertThat(serviceNow.closeCode()).isEqualTo("Solution provided");
        assertThat(redmine.projectId()).isEqualTo("ops");
        assertThat(new RedmineTicketOptions("https://r.example", "k", "12", null, null, 3).projectId()).isEqualTo(12);
    }
}
