package org.operon.actions.exec;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.operon.actions.Action;
import org.operon.actions.ActionDispatcher;
import org.operon.actions.ActionOptions;
import org.operon.actions.ActionRoutes;
import org.operon.actions.InMemoryAuditLog;
import org.operon.actions.OutcomeUnknownException;
import org.operon.model.Decision;
import org.operon.state.AuditEntry;

/**
 * The {@code awx} target against a fake AWX that checks each request against the documented launch API
 * (POST /api/v2/job_templates/{id}/launch/, Bearer token, JSON body whose extra_vars is an object) and answers
 * 201 {"job": …} as AWX does, or a scripted status.
 */
class AwxSinkIT {
    private static final Instant T0 = Instant.parse("2024-03-05T10:15:30Z");
    private static final String TOKEN = "AWX-SECRET-TOKEN-7f3a";
    private static final ObjectMapper JSON = new ObjectMapper();

    record Launch(String path, List<String> problems, JsonNode body) {
    }

    @TempDir
    Path dir;
    private HttpServer awx;
    private final List<Launch> launches = Collections.synchronizedList(new ArrayList<>());
    private final Deque<Integer> statuses = new ArrayDeque<>();
    /** A scripted "status": take the launch and hold the answer until {@link #released}. */
    private static final int HOLD = -1;
    private final java.util.concurrent.CountDownLatch released = new java.util.concurrent.CountDownLatch(1);
    private CamelContext camel;
    private ActionOptions options;

    @BeforeEach
    void start() throws Exception {
        awx = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        awx.createContext("/", exchange -> {
            List<String> problems = new ArrayList<>();
            String path = exchange.getRequestURI().getPath();
            if (!"POST".equals(exchange.getRequestMethod())) problems.add("method");
            if (!path.matches("/api/v2/job_templates/\\d+/launch/")) problems.add("path");
            if (!("Bearer " + TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"))) problems.add("auth");
            String type = exchange.getRequestHeaders().getFirst("Content-Type");
            if (type == null || !type.startsWith("application/json")) problems.add("content type");
            JsonNode body = null;
            try {
                body = JSON.readTree(exchange.getRequestBody().readAllBytes());
                if (!body.path("extra_vars").isObject()) problems.add("extra_vars");
            } catch (Exception e) {
                problems.add("json");
            }
            launches.add(new Launch(path, problems, body));
            Integer scripted;
            synchronized (statuses) {
                scripted = statuses.poll();
            }
            if (scripted != null && scripted == HOLD) {
                try {
                    released.await(); // the launch is taken, its answer never comes in time
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                exchange.close();
                return;
            }
            int status = !problems.isEmpty() ? 400 : scripted != null ? scripted : 201;
            byte[] answer = (status == 201 ? "{\"job\": 77, \"id\": 77, \"status\": \"pending\", \"type\": \"job\"}"
                    : "{\"detail\": \"no\"}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        awx.start();
        options = ActionOptions.defaults().withFileDirectory(dir).withRetries(3, Duration.ofMillis(10))
                .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(2))
                .withTargetSettings(new AwxOptions("http://127.0.0.1:" + awx.getAddress().getPort() + "/", TOKEN,
                        Set.of(42)))
                .withDefaultTargets(List.of(AwxSink.NAME));
        camel = new DefaultCamelContext();
        camel.addRoutes(new ActionRoutes(options));
        camel.start();
    }

    @AfterEach
    void stop() {
        released.countDown();
        camel.stop();
        awx.stop(0);
    }

    private static Decision launch(Object template, Instant at) {
        return Decision.of("remediate", "web-1", "restart-rule", List.of("e1")).withParam("jobTemplate", template)
                .withParam("service", "nginx").stamped(at.toEpochMilli());
    }

    private Exchange perform(Decision decision) {
        Action action = Action.of(decision, AwxSink.NAME);
        return camel.createProducerTemplate().send(ActionRoutes.endpointFor(AwxSink.NAME),
                e -> e.getIn().setBody(action));
    }

    @Test
    void launchesTheTemplateWithTheParamsAsExtraVarsAndKeepsTheJobId() {
        Decision decision = launch(42, T0);

        Exchange done = perform(decision);

        assertThat(done.getException()).isNull();
        assertThat(launches).hasSize(1);
        Launch sent = launches.get(0);
        assertThat(sent.problems()).isEmpty();
        assertThat(sent.path()).isEqualTo("/api/v2/job_templates/42/launch/");
        JsonNode vars = sent.body().path("extra_vars");
        assertThat(vars.path("service").asText()).isEqualTo("nginx");
        assertThat(vars.has("jobTemplate")).isFalse();
        assertThat(vars.path("operon").path("decisionId").asText()).isEqualTo(decision.getId());
        assertThat(done.getProperty("operonActionResult", Map.class)).containsEntry("jobId", 77L)
                .containsEntry("httpStatus", 201).containsEntry("jobTemplate", 42);
    }

    @Test
    void aTemplateNotListedIsNeverLaunched() {
        Exchange done = perform(launch("43", T0));
        Exchange none = perform(Decision.of("remediate", "web-1", "r", List.of("e1")).stamped(T0.toEpochMilli()));

        assertThat(done.getException()).hasMessage("job template 43 is not in operon.actions.awx.job-templates");
        assertThat(none.getException()).hasMessageContaining("no 'jobTemplate' param");
        assertThat(launches).isEmpty();
    }

    @Test
    void a5xxIsRetriedA4xxIsNotAndTheTokenIsNeverLoggedOrAudited() throws Exception {
        PrintStream originalErr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        InMemoryAuditLog audit = new InMemoryAuditLog();
        ActionDispatcher dispatcher = new ActionDispatcher(camel, audit, options);
        Decision retried = launch(42, T0);
        Decision rejected = launch(42, T0.plusSeconds(1));
        try {
            dispatcher.start();
            statuses.addAll(List.of(503, 201, 403));
            dispatcher.dispatch(retried);
            assertThat(dispatcher.awaitIdle(Duration.ofSeconds(10))).isTrue();
            dispatcher.dispatch(rejected);
            assertThat(dispatcher.awaitIdle(Duration.ofSeconds(10))).isTrue();
        } finally {
            dispatcher.stop(Duration.ofSeconds(5));
            System.setErr(originalErr);
        }
        assertThat(audit.find(Action.idFor(retried.getId(), AwxSink.NAME)).orElseThrow().status())
                .isEqualTo(AuditEntry.SENT);
        AuditEntry failed = audit.find(Action.idFor(rejected.getId(), AwxSink.NAME)).orElseThrow();
        assertThat(failed.status()).isEqualTo(AuditEntry.FAILED);
        assertThat(failed.reason()).isEqualTo("HTTP 403 Forbidden");
        assertThat(launches).hasSize(3).allSatisfy(l -> assertThat(l.problems()).isEmpty());
        String logs = captured.toString(StandardCharsets.UTF_8);
        assertThat(logs).contains("launched as job 77").doesNotContain(TOKEN);
        assertThat(audit.all()).allSatisfy(e -> assertThat(e.toString()).doesNotContain(TOKEN));
    }

    @Test
    void aLaunchWhoseAnswerDoesNotComeIsNotLaunchedAgainButFailsWithItsOutcomeUnknown() {
        statuses.add(HOLD);

        Exchange done = perform(launch(42, T0));

        assertThat(launches).as("one launch request, no retry").hasSize(1);
        assertThat(done.getIn().getHeader(Exchange.REDELIVERY_COUNTER, 0, Integer.class)).isZero();
        assertThat(done.getException()).isInstanceOf(OutcomeUnknownException.class)
                .hasMessage("outcome unknown: the launch of AWX job template 42 may have reached AWX (no answer within "
                        + "the timeout); check AWX's jobs, then retry the action if none was started");
    }

    @Test
    void aConnectionThatBreaksBeforeTheAnswerIsNotRetriedEither() throws Exception {
        try (java.net.ServerSocket dropping = new java.net.ServerSocket(0, 1,
                java.net.InetAddress.getLoopbackAddress())) {
            Thread server = new Thread(() -> {
                try (java.net.Socket s = dropping.accept()) {
                    readRequest(s.getInputStream()); // the whole launch request arrives, then the connection drops
                } catch (java.io.IOException ignored) {
                    // the test's assertions tell
                }
            });
            server.start();
            restartWith(new AwxOptions("http://127.0.0.1:" + dropping.getLocalPort() + "/", TOKEN, Set.of(42)));

            Exchange done = perform(launch(42, T0));

            server.join(10_000);
            assertThat(done.getIn().getHeader(Exchange.REDELIVERY_COUNTER, 0, Integer.class)).isZero();
            assertThat(done.getException()).isInstanceOf(OutcomeUnknownException.class)
                    .hasMessageStartingWith("outcome unknown: the launch of AWX job template 42 may have reached AWX (");
        }
    }

    @Test
    void aRefusedConnectionMeansNothingWasLaunchedAndIsRetried() throws Exception {
        int closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        restartWith(new AwxOptions("http://127.0.0.1:" + closedPort + "/", TOKEN, Set.of(42)));

        Exchange done = perform(launch(42, T0));

        assertThat(done.getIn().getHeader(Exchange.REDELIVERY_COUNTER, 0, Integer.class)).as("3 attempts")
                .isEqualTo(2);
        assertThat(done.getException()).isInstanceOf(java.net.ConnectException.class);
    }

    private void restartWith(AwxOptions awxOptions) throws Exception {
        camel.stop();
        options = options.withTargetSettings(awxOptions);
        camel = new DefaultCamelContext();
        camel.addRoutes(new ActionRoutes(options));
        camel.start();
    }

    /** Reads one HTTP request: the head, then as many bytes as its Content-Length says. */
    private static void readRequest(java.io.InputStream in) throws java.io.IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                return;
            }
            head.append((char) b);
        }
        java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?i)content-length:\\s*(\\d+)")
                .matcher(head);
        if (length.find()) {
            in.readNBytes(Integer.parseInt(length.group(1)));
        }
    }
}
