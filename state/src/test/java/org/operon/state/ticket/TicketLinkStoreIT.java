package org.operon.state.ticket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.operon.state.OperonState;

/** The incident → ticket links on a real Infinispan with its file store, across close and reopen. */
class TicketLinkStoreIT {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-27T20:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dataDir;

    @Test
    void aLinkSurvivesARestartAndIsKeptPerSystem() {
        try (OperonState state = OperonState.open(dataDir, CLOCK)) {
            TicketLinkStore links = TicketLinkStore.open(state);
            assertThat(links.find("redmine", "inc-3f1c0a9b27d4")).isEmpty();
            links.save(new TicketLink("redmine", "inc-3f1c0a9b27d4", "105", null, false, "a1"));
            links.save(new TicketLink("servicenow", "inc-3f1c0a9b27d4", "9d385017c611228701d22104cc95c371",
                    "INC0010023", false, "a2"));
        }
        try (OperonState state = OperonState.open(dataDir, CLOCK)) {
            TicketLinkStore links = TicketLinkStore.open(state);
            assertThat(links.find("redmine", "inc-3f1c0a9b27d4")).contains(
                    new TicketLink("redmine", "inc-3f1c0a9b27d4", "105", "105", false, "a1"));
            assertThat(links.find("servicenow", "inc-3f1c0a9b27d4")).get()
                    .extracting(TicketLink::ticketKey).isEqualTo("INC0010023");
            assertThat(links.find("jira", "inc-3f1c0a9b27d4")).isEmpty();
            assertThat(links.find("redmine", "inc-000000000000")).isEmpty();
        }
    }

    @Test
    void aResolvedLinkExpiresAfterTheRetentionAnOpenOneDoesNot() {
        try (OperonState state = OperonState.open(dataDir, CLOCK,
                OperonState.Options.defaults().withRetention(Duration.ofMillis(500)))) {
            TicketLinkStore links = TicketLinkStore.open(state);
            TicketLink open = new TicketLink("jira", "inc-0000000000aa", "OPS-1", "OPS-1", false, "a1");
            links.save(open);
            links.save(new TicketLink("jira", "inc-0000000000bb", "OPS-2", "OPS-2", true, "a2"));
            assertThat(links.find("jira", "inc-0000000000bb")).isPresent();

            await().atMost(Duration.ofSeconds(10)).until(() -> links.find("jira", "inc-0000000000bb").isEmpty());
            assertThat(links.find("jira", "inc-0000000000aa")).contains(open);
        }
    }
}
