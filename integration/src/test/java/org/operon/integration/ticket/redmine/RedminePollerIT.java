package org.operon.integration.ticket.redmine;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.operon.engine.EngineOverloadedException;
import org.operon.integration.http.IntakeOptions;
import org.operon.integration.source.SourceIntake;
import org.operon.integration.testing.InMemoryDeadLetters;
import org.operon.integration.testing.RecordingAcceptor;
import org.operon.integration.testing.RecordingAcceptor.Behaviour;
import org.operon.model.Event;
import org.operon.model.TicketChange;
import org.operon.state.OperonState;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Polling a Redmine-compatible server (FakeRedmine, serving the captured Redmine 5.0.4 JSON) with the poll
 * position in a real Infinispan state store: statuses mapped by id and is_closed, Operon's own changes
 * ignored, paging, and neither misses nor repeats across polls, restarts and an overloaded engine.
 */
class RedminePollerIT {
    private static final String KEY = "redmine-api-key-0123456789";
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T19:00:00Z"), ZoneOffset.UTC);
    private static final String INC = "inc-0123456789ab";
    private static final String MARKED = "CPU above 95% on web-01.\r\n\r\noperon-incident: " + INC + "\r\n";
    private static final int OPERON_USER = 9;

    @TempDir
    Path dataDir;
    private final RecordingAcceptor acceptor = new RecordingAcceptor();
    private SourceIntake intake;
    private FakeRedmine redmine;
    private OperonState state;

    @BeforeEach
    void start() throws IOException {
        intake = new SourceIntake(acceptor, new InMemoryDeadLetters(), CLOCK, IntakeOptions.of(65536, 1024));
        redmine = new FakeRedmine(KEY);
        state = OperonState.open(dataDir, CLOCK);
    }

    @AfterEach
    void stop() {
        redmine.close();
        state.close();
    }

    private RedmineOptions options(int pageSize, Set<Integer> resolveIds) {
        return new RedmineOptions(redmine.baseUrl(), KEY, Duration.ofSeconds(30), null, Set.of(2), resolveIds,
                OPERON_USER, pageSize);
    }

    private RedminePoller poller(int pageSize, Set<Integer> resolveIds) {
        return new RedminePoller(options(pageSize, resolveIds), intake, state.durableCache("ticket-positions"), CLOCK);
    }

    private RedminePoller poller() {
        return poller(100, Set.of());
    }

    private List<String> acceptedIds() {
        return acceptor.accepted().stream().map(Event::getId).toList();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> data(Event e) {
        return (Map<String, Object>) e.getData();
    }

    @Test
    void mapsStatusesAndMarkersAndIgnoresOperonsOwnChangesAndEarlierOnes() throws Exception {
        redmine.issue(100, 2, "2026-11-26T18:59:59Z", MARKED, 7, "Alice");          // before the first poll
        redmine.issue(105, 3, "2026-11-26T19:17:03Z", MARKED, 7, "Alice");          // Resolved: not closed
        redmine.issue(106, 2, "2026-11-26T19:17:04Z", MARKED, 7, "Alice");          // In Progress
        redmine.issue(107, 5, "2026-11-26T19:17:05Z", MARKED, OPERON_USER, "Operon"); // Closed, by Operon
        redmine.issue(108, 5, "2026-11-26T19:17:06Z", "no marker", 7, "Alice");     // Closed, no incident

        assertThat(poller().poll()).isEqualTo(3);

        assertThat(acceptedIds()).containsExactly("redmine-105-" + Instant.parse("2026-11-26T19:17:03Z").getEpochSecond() + "-3",
                "redmine-106-" + Instant.parse("2026-11-26T19:17:04Z").getEpochSecond() + "-2",
                "redmine-108-" + Instant.parse("2026-11-26T19:17:06Z").getEpochSecond() + "-5");
        List<Event> events = acceptor.accepted();
        assertThat(events).allSatisfy(e -> {
            assertThat(e.getType()).isEqualTo(TicketChange.TYPE);
            assertThat(e.getSource()).isEqualTo("operon/tickets/redmine");
        });
        assertThat(data(events.get(0))).containsEntry("ticket", "105").containsEntry("status", "Resolved")
                .containsEntry("closed", false).containsEntry("effect", "none").containsEntry("incident", INC);
        assertThat(data(events.get(1))).containsEntry("ticket", "106").containsEntry("status", "In Progress")
                .containsEntry("effect", "acknowledge").containsEntry("incident", INC).containsEntry("by", "Alice")
                .containsEntry("updatedAt", "2026-11-26T19:17:04Z");
        assertThat(data(events.get(2))).containsEntry("ticket", "108").containsEntry("closed", true)
                .containsEntry("effect", "resolve").containsEntry("incident", null);
        assertThat(events.get(1).getSubject()).isEqualTo("redmine:106");

        assertThat(redmine.refused).isEmpty();
        URI list = redmine.requests.stream().filter(u -> u.getPath().equals("/issues.json")).findFirst().orElseThrow();
        assertThat(list.getRawQuery()).isEqualTo(
                "status_id=*&updated_on=%3E%3D2026-11-26T19%3A00%3A00Z&sort=updated_on&limit=100&offset=0");
        // Journals are read only for changes that would command an incident (106, 107), not for 105 or 108.
        assertThat(redmine.requests).extracting(URI::getPath).filteredOn(p -> p.startsWith("/issues/"))
                .containsExactlyInAnyOrder("/issues/106.json", "/issues/107.json");
    }

    @Test
    void aConfiguredResolveStatusResolvesThoughRedmineDoesNotCallItClosed() throws Exception {
        redmine.issue(105, 3, "2026-11-26T19:17:03Z", MARKED, 7, "Alice");
        redmine.issue(106, 5, "2026-11-26T19:17:04Z", MARKED, 7, "Alice");

        poller(100, Set.of(3)).poll();

        assertThat(acceptor.accepted()).extracting(e -> (Object) data(e).get("effect")).containsExactly("resolve", "none");
    }

    @Test
    void laterPollsAndARestartNeitherMissNorRepeat() throws Exception {
        redmine.issue(105, 2, "2026-11-26T19:17:03Z", MARKED, 7, "Alice");
        assertThat(poller().poll()).isEqualTo(1);
        assertThat(poller().poll()).as("nothing changed").isZero();

        // Another issue changed in the same second as the last one taken, and 105 changed again later.
        redmine.issue(104, 1, "2026-11-26T19:17:03Z", "x", 7, "Alice");
        redmine.issue(105, 5, "2026-11-26T19:18:00Z", MARKED, 7, "Alice");
        assertThat(poller().poll()).isEqualTo(2);

        state.close();
        state = OperonState.open(dataDir, CLOCK);
        assertThat(poller().poll()).as("after a restart nothing is repeated").isZero();
        redmine.issue(106, 2, "2026-11-26T19:18:00Z", MARKED, 7, "Bob");
        assertThat(poller().poll()).as("after a restart nothing is missed").isEqualTo(1);

        assertThat(acceptor.accepted()).extracting(e -> data(e).get("ticket") + "/" + data(e).get("effect"))
                .containsExactly("105/acknowledge", "104/none", "105/resolve", "106/acknowledge");
    }

    @Test
    void aPersonsStatusChangeInTheSecondOfOperonsOwnCommentIsTaken() throws Exception {
        redmine.issue(105, 2, "2026-11-26T19:17:03Z", MARKED, 7, "Alice");
        assertThat(poller().poll()).isEqualTo(1);
        // Operon comments (status unchanged) and, within the same second, Alice resolves.
        redmine.issue(105, 2, "2026-11-26T19:17:04Z", MARKED, OPERON_USER, "Operon");
        assertThat(poller().poll()).as("Operon's own comment").isZero();
        redmine.issue(105, 5, "2026-11-26T19:17:04Z", MARKED, 7, "Alice");
        assertThat(poller().poll()).isEqualTo(1);
        assertThat(poller().poll()).as("taken once").isZero();

        assertThat(acceptor.accepted()).extracting(e -> data(e).get("effect") + " by " + data(e).get("by"))
                .containsExactly("acknowledge by Alice", "resolve by Alice");
        assertThat(acceptedIds()).doesNotHaveDuplicates();
    }

    @Test
    void aPositionStoredWithBareIdsStillSkipsThoseIssues() throws Exception {
        redmine.issue(105, 2, "2026-11-26T19:17:03Z", MARKED, 7, "Alice");
        state.durableCache("ticket-positions").put("redmine", "{\"updatedOn\":\"2026-11-26T19:17:03Z\",\"ids\":[105]}");
        assertThat(poller().poll()).isZero();
        redmine.issue(106, 2, "2026-11-26T19:17:03Z", MARKED, 7, "Alice");
        assertThat(poller().poll()).isEqualTo(1);
    }

    @Test
    void pagesThroughManyChangesIncludingMoreThanAPageInOneSecond() throws Exception {
        redmine.issue(1, 1, "2026-11-26T19:10:00Z", "x", 7, "Alice");
        for (int id = 2; id <= 6; id++) {
            redmine.issue(id, 1, "2026-11-26T19:11:00Z", "x", 7, "Alice");
        }
        redmine.issue(7, 1, "2026-11-26T19:12:00Z", "x", 7, "Alice");

        assertThat(poller(2, Set.of()).poll()).isEqualTo(7);
        assertThat(poller(2, Set.of()).poll()).isZero();

        assertThat(acceptor.accepted()).extracting(e -> (Object) data(e).get("ticket"))
                .containsExactly("1", "2", "3", "4", "5", "6", "7");
        assertThat(redmine.refused).isEmpty();
    }

    @Test
    void anOverloadedEngineKeepsThePositionAndTheNextPollDeliversOnce() throws Exception {
        redmine.issue(105, 2, "2026-11-26T19:17:03Z", MARKED, 7, "Alice");
        acceptor.behave(Behaviour.OVERLOADED);
        assertThatThrownBy(() -> poller().poll()).isInstanceOf(EngineOverloadedException.class);
        assertThat(acceptor.accepted()).isEmpty();

        acceptor.behave(Behaviour.JOURNAL);
        assertThat(poller().poll()).isEqualTo(1);
        assertThat(poller().poll()).isZero();
        assertThat(acceptor.accepted()).hasSize(1);
    }

    @Test
    void aWrongKeyFailsThePollWithoutShowingTheKey() {
        RedmineOptions wrong = new RedmineOptions(redmine.baseUrl(), "some-other-secret-key", Duration.ofSeconds(30),
                null, Set.of(2), Set.of(), null, 100);
        assertThat(wrong.toString()).doesNotContain("some-other-secret-key");
        assertThatThrownBy(() -> new RedminePoller(wrong, intake, state.durableCache("ticket-positions"), CLOCK).poll())
                .isInstanceOf(IOException.class).hasMessageContaining("401")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("some-other-secret-key"));
        assertThat(acceptor.accepted()).isEmpty();
    }
}
