package org.operon.integration.ticket.redmine;

import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.operon.integration.http.IntakeOptions;
import org.operon.integration.source.SourceIntake;
import org.operon.integration.testing.InMemoryDeadLetters;
import org.operon.integration.testing.RecordingAcceptor;
import org.operon.integration.testing.RecordingAcceptor.Behaviour;
import org.operon.model.Event;
import org.operon.state.OperonState;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The timer route: polls by itself once started, and a failed poll (engine overloaded) is retried at the next tick. */
class RedminePollingRouteIT {
    private static final String KEY = "redmine-api-key-0123456789";
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T19:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dataDir;

    @Test
    void pollsOnItsTimerAndRetriesAFailedPoll() throws Exception {
        RecordingAcceptor acceptor = new RecordingAcceptor();
        acceptor.behave(Behaviour.OVERLOADED);
        SourceIntake intake = new SourceIntake(acceptor, new InMemoryDeadLetters(), CLOCK, IntakeOptions.of(65536, 1024));
        try (FakeRedmine redmine = new FakeRedmine(KEY); OperonState state = OperonState.open(dataDir, CLOCK);
             CamelContext camel = new DefaultCamelContext()) {
            redmine.issue(105, 2, "2026-11-26T19:17:03Z", "operon-incident: inc-0123456789ab", 7, "Alice");
            RedmineOptions options = new RedmineOptions(redmine.baseUrl(), KEY, Duration.ofMillis(200), null,
                    Set.of(2), Set.of(), null, 100);
            camel.addRoutes(new RedminePollingRoute(new RedminePoller(options, intake,
                    state.durableCache(RedminePoller.POSITIONS_CACHE), CLOCK), options));
            camel.start();
            assertThat(redmine.requests).as("the route waits to be started").isEmpty();

            camel.getRouteController().startRoute(RedminePollingRoute.ROUTE_ID);
            await().atMost(Duration.ofSeconds(10)).until(() -> redmine.requests.stream()
                    .filter(u -> u.getPath().equals("/issues.json")).count() >= 2);
            assertThat(acceptor.accepted()).isEmpty();

            acceptor.behave(Behaviour.JOURNAL);
            await().atMost(Duration.ofSeconds(10)).until(() -> !acceptor.accepted().isEmpty());
            long listed = redmine.requests.stream().filter(u -> u.getPath().equals("/issues.json")).count();
            await().atMost(Duration.ofSeconds(10)).until(() -> redmine.requests.stream()
                    .filter(u -> u.getPath().equals("/issues.json")).count() >= listed + 2);
            assertThat(acceptor.accepted()).extracting(Event::getSubject).containsExactly("redmine:105");
            assertThat(redmine.refused).isEmpty();
        }
    }
}
