package org.operon.actions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.operon.model.Decision;
import org.operon.state.AuditEntry;

/** Decisions through real Camel routes to a real HTTP server and real files, audited in memory. */
class ActionDispatcherIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Instant T0 = Instant.parse("2024-03-05T10:15:30Z");

    @TempDir
    Path dir;

    private WebhookReceiver receiver;
    private final InMemoryAuditLog audit = new InMemoryAuditLog();
    private CamelContext camel;
    private ActionDispatcher dispatcher;

    @BeforeEach
    void startReceiver() throws IOException {
        receiver = new WebhookReceiver();
    }

    @AfterEach
    void stopAll() {
        if (dispatcher != null) {
            dispatcher.stop(Duration.ofSeconds(5));
        }
        if (camel != null) {
            camel.stop();
        }
        receiver.close();
    }

    /** Fast retries for tests: 3 attempts, 20 ms then 40 ms apart. */
    private ActionOptions options(String webhookPathAndQuery) {
        return ActionOptions.defaults()
                .withWebhookUrl(receiver.url(webhookPathAndQuery))
                .withFileDirectory(dir)
                .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(2))
                .withRetries(3, Duration.ofMillis(20));
    }

    private void start(ActionOptions options) throws Exception {
        camel = new DefaultCamelContext();
        camel.addRoutes(new ActionRoutes(options));
        camel.start();
        dispatcher = new ActionDispatcher(camel, audit, options);
        dispatcher.start();
    }

    private static Decision notify(String subject, Instant at) {
        return Decision.of("notify", subject, "critical-burst", List.of("e1", "e2", "e3"))
                .withParam("count", 3)
                .stamped(at.toEpochMilli());
    }

    private AuditEntry entryFor(Decision decision, String target) {
        return audit.find(Action.idFor(decision.getId(), target)).orElse(null);
    }

    private AuditEntry awaitEntry(Decision decision, String target) {
        return await().atMost(WAIT).until(() -> entryFor(decision, target), e -> e != null);
    }

    @Test
    void eachTargetPerformsTheActionAndTheAuditLogHasOneSentEntryPerTarget() throws Exception {
        start(options("/hooks/ops?team=db&token=abc123"));
        Decision decision = notify("db-1", T0);

        dispatcher.dispatch(decision);

        await().atMost(WAIT).until(() -> audit.all().size() == 3);
        assertThat(audit.all()).extracting(AuditEntry::target).containsExactlyInAnyOrder("log", "file", "webhook");
        assertThat(audit.all()).allSatisfy(e -> {
            assertThat(e.status()).isEqualTo(AuditEntry.SENT);
            assertThat(e.reason()).isNull();
            assertThat(e.id()).isEqualTo(Action.idFor(decision.getId(), e.target()));
            assertThat(e.decisionId()).isEqualTo(decision.getId());
            assertThat(e.type()).isEqualTo("notify");
            assertThat(e.subject()).isEqualTo("db-1");
            assertThat(e.rule()).isEqualTo("critical-burst");
            assertThat(e.eventIds()).containsExactly("e1", "e2", "e3");
            assertThat(e.time()).isEqualTo("2024-03-05T10:15:30Z");
        });

        assertThat(receiver.requests).hasSize(1);
        WebhookReceiver.Request request = receiver.requests.get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/hooks/ops");
        assertThat(request.query()).isEqualTo("team=db&token=abc123");
        assertThat(request.header("Content-Type")).startsWith("application/json");
        assertThat(request.header("Idempotency-Key")).isEqualTo(Action.idFor(decision.getId(), "webhook"));
        JsonNode body = JSON.readTree(request.body());
        assertThat(body.get("id").asText()).isEqualTo(decision.getId());
        assertThat(body.get("type").asText()).isEqualTo("notify");
        assertThat(body.get("subject").asText()).isEqualTo("db-1");
        assertThat(body.get("rule").asText()).isEqualTo("critical-burst");
        assertThat(body.get("eventIds")).extracting(JsonNode::asText).containsExactly("e1", "e2", "e3");
        assertThat(body.get("time").asText()).isEqualTo("2024-03-05T10:15:30Z");
        assertThat(body.get("params").get("count").asInt()).isEqualTo(3);

        List<String> lines = Files.readAllLines(dir.resolve("actions-2024-03-05.jsonl"));
        assertThat(lines).hasSize(1);
        JsonNode line = JSON.readTree(lines.get(0));
        assertThat(line.get("id").asText()).isEqualTo(Action.idFor(decision.getId(), "file"));
        assertThat(line.get("decisionId").asText()).isEqualTo(decision.getId());
        assertThat(line.get("target").asText()).isEqualTo("file");
        assertThat(line.get("subject").asText()).isEqualTo("db-1");
    }

    @Test
    void aTargetThatDropsRepeatsGoesOnWhileTheRecordsOfItsEarlierActionsAreStillBeingWritten() throws Exception {
        start(options("/").withTargets("notify", List.of("file")));
        audit.holdAsyncWrites();
        Decision first = notify("a", T0);
        Decision second = notify("b", T0.plusSeconds(1));

        dispatcher.dispatch(first);
        dispatcher.dispatch(second);

        await().atMost(WAIT).until(() -> Files.exists(dir.resolve("actions-2024-03-05.jsonl"))
                && Files.readAllLines(dir.resolve("actions-2024-03-05.jsonl")).size() == 2);
        assertThat(audit.heldAsyncWrites()).as("both performed, neither recorded yet").isEqualTo(2);
        assertThat(dispatcher.isIdle()).as("not done until recorded").isFalse();
        int lookups = audit.findsStarted.get();
        dispatcher.dispatch(first);
        assertThat(audit.heldAsyncWrites()).isEqualTo(2);
        assertThat(audit.findsStarted.get()).as("a repeat refused while its id is held looks nothing up")
                .isEqualTo(lookups);

        audit.releaseAsyncWrites();
        assertThat(dispatcher.awaitIdle(WAIT)).isTrue();
        assertThat(audit.all()).hasSize(2).allSatisfy(e -> assertThat(e.status()).isEqualTo(AuditEntry.SENT));
        assertThat(Files.readAllLines(dir.resolve("actions-2024-03-05.jsonl")))
                .as("the repeat, queued while the first was still being recorded, was not performed again").hasSize(2);
    }

    @Test
    void theAuditLookupsOfQueuedActionsOfATargetThatDropsRepeatsRunTogether() throws Exception {
        start(options("/").withTargets("notify", List.of("file")));
        Decision done = notify("done-before", T0.plusSeconds(3));
        audit.record(new Action(Action.idFor(done.getId(), "file"), "file", done).audit(AuditEntry.SENT, null));
        audit.holdFinds();

        for (Decision d : List.of(notify("a", T0), notify("b", T0.plusSeconds(1)), notify("c", T0.plusSeconds(2)), done)) {
            dispatcher.dispatch(d);
        }

        assertThat(audit.heldFinds()).as("every queued action's lookup started, none finished").isEqualTo(4);
        assertThat(dir.resolve("actions-2024-03-05.jsonl")).as("nothing performed before its lookup").doesNotExist();
        audit.releaseFinds();
        assertThat(dispatcher.awaitIdle(WAIT)).isTrue();
        assertThat(Files.readAllLines(dir.resolve("actions-2024-03-05.jsonl")))
                .as("the action the audit log has as sent is not performed again").hasSize(3)
                .noneMatch(line -> line.contains("done-before"));
    }

    @Test
    void fileTargetAppendsOneJsonLinePerActionToTheFileOfTheDecisionsUtcDay() throws Exception {
        start(options("/").withTargets("notify", List.of("file")));
        Decision lateOnDay1 = notify("a", Instant.parse("2024-03-05T23:59:59.999Z"));
        Decision earlyOnDay1 = notify("b", Instant.parse("2024-03-05T00:00:00Z"));
        Decision day2 = notify("c", Instant.parse("2024-03-06T00:00:00Z"));

        dispatcher.dispatch(lateOnDay1);
        dispatcher.dispatch(earlyOnDay1);
        dispatcher.dispatch(day2);

        assertThat(dispatcher.awaitIdle(WAIT)).isTrue();
        List<String> day1Lines = Files.readAllLines(dir.resolve("actions-2024-03-05.jsonl"));
        assertThat(day1Lines).hasSize(2);
        assertThat(day1Lines).extracting(l -> JSON.readTree(l).get("subject").asText()).containsExactly("a", "b");
        assertThat(Files.readAllLines(dir.resolve("actions-2024-03-06.jsonl"))).hasSize(1);
        assertThat(audit.all()).hasSize(3).allSatisfy(e -> assertThat(e.status()).isEqualTo(AuditEntry.SENT));
        assertThat(receiver.requests).isEmpty();
    }

    @Test
    void serverErrorsAreRetriedWithBackoffUntilTheWebhookAccepts() throws Exception {
        receiver.answer(500, 503);
        start(options("/hook").withTargets("notify", List.of("webhook")));
        Decision decision = notify("web-1", T0);

        dispatcher.dispatch(decision);

        AuditEntry entry = awaitEntry(decision, "webhook");
        assertThat(entry.status()).isEqualTo(AuditEntry.SENT);
        assertThat(entry.reason()).isNull();
        assertThat(receiver.requests).hasSize(3)
                .extracting(r -> r.header("Idempotency-Key"))
                .containsOnly(Action.idFor(decision.getId(), "webhook"));
        assertThat(audit.writes).hasSize(1);
    }

    @Test
    void clientErrorFailsAtOnceWithTheStatusAsReason() throws Exception {
        receiver.answer(400);
        start(options("/hook").withTargets("notify", List.of("webhook")));
        Decision decision = notify("web-1", T0);

        dispatcher.dispatch(decision);

        AuditEntry entry = awaitEntry(decision, "webhook");
        assertThat(entry.status()).isEqualTo(AuditEntry.FAILED);
        assertThat(entry.reason()).isEqualTo("HTTP 400 Bad Request");
        assertThat(receiver.requests).hasSize(1);
    }

    /** 503 also checks that HttpClient's own retries are off: they would repeat a 503 by themselves. */
    @Test
    void serverErrorOnEveryAttemptFailsWithTheStatusAndAttemptCount() throws Exception {
        receiver.answer(503, 503, 503);
        start(options("/hook").withTargets("notify", List.of("webhook")));
        Decision decision = notify("web-1", T0);

        dispatcher.dispatch(decision);

        AuditEntry entry = awaitEntry(decision, "webhook");
        assertThat(entry.status()).isEqualTo(AuditEntry.FAILED);
        assertThat(entry.reason()).isEqualTo("HTTP 503 Service Unavailable after 3 attempts");
        assertThat(receiver.requests).hasSize(3);
    }

    @Test
    void theSameDecisionDispatchedTwiceReachesTheWebhookOnce() throws Exception {
        start(options("/hook"));
        Decision decision = notify("db-1", T0);

        dispatcher.dispatch(decision);
        assertThat(dispatcher.awaitIdle(WAIT)).isTrue();
        dispatcher.dispatch(decision);
        assertThat(dispatcher.awaitIdle(WAIT)).isTrue();

        assertThat(receiver.requests).hasSize(1);
        assertThat(Files.readAllLines(dir.resolve("actions-2024-03-05.jsonl"))).hasSize(1);
        assertThat(audit.writes).hasSize(3);
    }

    @Test
    void aPreviouslyFailedActionIsTriedAgainAndASuppressedOneIsNot() throws Exception {
        start(options("/hook").withTargets("notify", List.of("webhook")));
        Decision failedBefore = notify("failed-before", T0);
        Decision suppressedBefore = notify("suppressed-before", T0);
        audit.record(Action.of(failedBefore, "webhook").audit(AuditEntry.FAILED, "HTTP 503 after 3 attempts"));
        audit.record(Action.of(suppressedBefore, "webhook").audit(AuditEntry.SUPPRESSED, "silenced"));

        dispatcher.dispatch(failedBefore);
        dispatcher.dispatch(suppressedBefore);
        assertThat(dispatcher.awaitIdle(WAIT)).isTrue();

        assertThat(receiver.requests).hasSize(1);
        assertThat(JSON.readTree(receiver.requests.get(0).body()).get("subject").asText()).isEqualTo("failed-before");
        assertThat(entryFor(failedBefore, "webhook").status()).isEqualTo(AuditEntry.SENT);
        assertThat(entryFor(failedBefore, "webhook").reason()).isNull();
        assertThat(entryFor(suppressedBefore, "webhook").status()).isEqualTo(AuditEntry.SUPPRESSED);
    }

    @Test
    void unreachableWebhookFailsAfterAllAttemptsWithTheConnectionError() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        ActionOptions options = options("/").withWebhookUrl("http://127.0.0.1:" + closedPort + "/hook")
                .withTargets("notify", List.of("webhook"));
        start(options);
        Decision decision = notify("web-1", T0);

        dispatcher.dispatch(decision);

        AuditEntry entry = awaitEntry(decision, "webhook");
        assertThat(entry.status()).isEqualTo(AuditEntry.FAILED);
        assertThat(entry.reason()).containsIgnoringCase("refused").endsWith(" after 3 attempts");
    }

    @Test
    void webhookThatDoesNotAnswerInTimeFailsWithATimeout() throws Exception {
        receiver.holdResponses();
        start(options("/hook").withTimeouts(Duration.ofSeconds(2), Duration.ofMillis(300))
                .withRetries(2, Duration.ofMillis(20))
                .withTargets("notify", List.of("webhook")));
        Decision decision = notify("slow-1", T0);

        dispatcher.dispatch(decision);

        AuditEntry entry = awaitEntry(decision, "webhook");
        assertThat(entry.status()).isEqualTo(AuditEntry.FAILED);
        assertThat(entry.reason()).containsIgnoringCase("timed out").endsWith(" after 2 attempts");
        assertThat(receiver.requests).hasSize(2);
    }

    @Test
    void theWebhookUrlsTokenAndPasswordReachNeitherTheLogsNorTheAuditLog() throws Exception {
        PrintStream originalErr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            receiver.answer(500, 500, 500);
            String url = receiver.url("/hook?token=TOPSECRET-TOKEN").replace("http://", "http://ops:PASSWORD-XYZ@");
            start(options("/").withWebhookUrl(url).withTargets("notify", List.of("webhook", "log")));
            Decision decision = notify("web-1", T0);

            dispatcher.dispatch(decision);
            AuditEntry entry = awaitEntry(decision, "webhook");
            dispatcher.stop(WAIT);
            camel.stop();

            assertThat(entry.reason()).isEqualTo("HTTP 500 Internal Server Error after 3 attempts");
            assertThat(receiver.requests).hasSize(3).allSatisfy(r -> {
                assertThat(r.query()).isEqualTo("token=TOPSECRET-TOKEN");
                assertThat(r.header("Authorization")).isEqualTo("Basic " + Base64.getEncoder()
                        .encodeToString("ops:PASSWORD-XYZ".getBytes(StandardCharsets.UTF_8)));
            });
        } finally {
            System.setErr(originalErr);
        }
        String logs = captured.toString(StandardCharsets.UTF_8);
        // The capture works: the start-up line, the retries and the failure were logged.
        assertThat(logs).contains("action dispatcher started").contains("attempt 2").contains("attempt 3")
                .contains("failed: HTTP 500 Internal Server Error after 3 attempts")
                .contains(receiver.url("/hook"));
        assertThat(logs).doesNotContain("TOPSECRET").doesNotContain("PASSWORD-XYZ");
        assertThat(audit.all()).allSatisfy(e -> assertThat(String.valueOf(e.reason()))
                .doesNotContain("TOPSECRET").doesNotContain("PASSWORD-XYZ"));
    }

    @Test
    void aFullQueueBlocksDispatchUntilTheTargetCatchesUp() throws Exception {
        receiver.holdResponses();
        start(options("/hook").withQueueCapacity(1).withTargets("notify", List.of("webhook")));
        Decision first = notify("a", T0);
        Decision second = notify("b", T0);
        Decision third = notify("c", T0);

        CompletableFuture<Void> engineThread = CompletableFuture.runAsync(() -> {
            dispatcher.dispatch(first);
            dispatcher.dispatch(second);
            dispatcher.dispatch(third);
        });

        await().atMost(WAIT).until(() -> receiver.requests.size() == 1);
        await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> !engineThread.isDone());
        receiver.release();
        engineThread.get();
        assertThat(dispatcher.awaitIdle(WAIT)).isTrue();
        assertThat(audit.all()).hasSize(3).allSatisfy(e -> assertThat(e.status()).isEqualTo(AuditEntry.SENT));
    }

    @Test
    void stopPerformsWhatWasHandedOffThenRefusesNewDecisions() throws Exception {
        start(options("/hook"));
        for (int i = 0; i < 20; i++) {
            dispatcher.dispatch(notify("host-" + i, T0));
        }

        assertThat(dispatcher.stop(WAIT)).isTrue();

        assertThat(audit.all()).hasSize(60).allSatisfy(e -> assertThat(e.status()).isEqualTo(AuditEntry.SENT));
        assertThat(receiver.requests).hasSize(20);
        assertThatThrownBy(() -> dispatcher.dispatch(notify("late", T0)))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aMutedTypeCausesNoActionAndAnUnstampedDecisionIsRejected() throws Exception {
        start(options("/hook").withTargets("heartbeat-missed", List.of()));

        dispatcher.dispatch(Decision.of("heartbeat-missed", "web-1", "heartbeat", List.of("h1")).stamped(1));
        assertThat(dispatcher.awaitIdle(WAIT)).isTrue();

        assertThat(audit.all()).isEmpty();
        assertThat(receiver.requests).isEmpty();
        assertThatThrownBy(() -> dispatcher.dispatch(Decision.of("notify", "x", "r", List.of())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not stamped");
    }

    @Test
    void theSinksErrorHandlingLeavesTheAppsOtherRoutesAlone() throws Exception {
        start(options("/hook"));
        AtomicInteger attempts = new AtomicInteger();
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:intake").process(exchange -> {
                    attempts.incrementAndGet();
                    throw new IOException("disk unplugged");
                });
            }
        });

        Exchange result = camel.createProducerTemplate().send("direct:intake", exchange -> { });

        assertThat(result.getException()).isInstanceOf(IOException.class);
        assertThat(attempts).hasValue(1);
    }

    @Test
    void paramsOfJavaTimeTypesAreRenderedAsIsoStrings() throws Exception {
        start(options("/hook").withTargets("notify", List.of("webhook")));
        Decision decision = notify("db-1", T0).withParam("since", Instant.parse("2024-03-05T10:10:00Z"))
                .withParam("labels", Map.of("env", "prod"));

        dispatcher.dispatch(decision);

        assertThat(awaitEntry(decision, "webhook").status()).isEqualTo(AuditEntry.SENT);
        JsonNode params = JSON.readTree(receiver.requests.get(0).body()).get("params");
        assertThat(params.get("since").asText()).isEqualTo("2024-03-05T10:10:00Z");
        assertThat(params.get("labels").get("env").asText()).isEqualTo("prod");
    }
}
