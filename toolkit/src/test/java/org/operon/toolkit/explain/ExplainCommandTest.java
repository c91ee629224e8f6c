package org.operon.toolkit.explain;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.operon.toolkit.ExitCode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code operon explain} against a real HTTP server that answers as Operon's explain API does. */
class ExplainCommandTest {
    private static final String TOKEN = "t0ken";
    private static final String ANSWER = """
            {"action":{"id":"a-log","decisionId":"d-1","type":"notify","subject":"db-1","target":"log",
                       "status":"suppressed","reason":"silenced by 3f1c","rule":"critical-burst",
                       "eventIds":["e1","e2","e3"],"time":"2026-01-05T10:01:30Z"},
             "otherActions":[{"id":"a-file","target":"file","status":"suppressed","reason":"silenced by 3f1c"}],
             "lineage":{"rule":{"name":"critical-burst","package":"org.operon.rules",
                                "file":"org/operon/rules/critical-burst.drl"},
                        "facts":[{"kind":"CriticalBurst","key":"db-1",
                                  "fields":{"subject":"db-1","notified":true,"threshold":3,"window":"5m"}}],
                        "events":[{"id":"e1","source":"/mon","type":"disk.full","subject":"db-1",
                                   "severity":"critical","arrivalTime":"2026-01-05T10:00:00Z"},
                                  {"id":"e2","source":"/mon","type":"disk.full","subject":"db-1",
                                   "severity":"critical","arrivalTime":"2026-01-05T10:01:00Z"},
                                  {"id":"e3","source":"/mon","type":"disk.full","subject":"db-1",
                                   "severity":"critical","arrivalTime":"2026-01-05T10:01:30Z"}]},
             "suppression":{"kind":"silence","silenceIds":["3f1c"],"reason":"silenced by 3f1c"}}
            """;

    private HttpServer server;
    private final List<String> requests = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/api/v1/actions/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            requests.add(exchange.getRequestMethod() + " " + path + " " + auth);
            int status;
            String body;
            if (!("Bearer " + TOKEN).equals(auth)) {
                status = 401;
                body = "{\"error\":\"unauthorized\",\"detail\":\"token\"}";
            } else if (path.equals("/api/v1/actions/a-log/explain")) {
                status = 200;
                body = ANSWER;
            } else {
                status = 404;
                body = "{\"error\":\"not_found\",\"detail\":\"no action 'nope' in the audit log\"}";
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    record Result(int exit, String out, String err) {
    }

    private static Result explain(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = new ExplainCommand(HttpClient.newHttpClient(), env).execute(args,
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void printsTheRuleItsFileTheFactsTheEventsAndTheSilence() {
        Result r = explain(Map.of(), "a-log", "--url", url(), "--token", TOKEN);

        assertThat(r.exit()).isEqualTo(ExitCode.OK);
        assertThat(r.out())
                .contains("Action a-log (log): suppressed - silenced by 3f1c")
                .contains("Rule: critical-burst  in org/operon/rules/critical-burst.drl")
                .contains("CriticalBurst db-1: subject=db-1, notified=true, threshold=3, window=5m")
                .contains("e1  2026-01-05T10:00:00Z  critical  disk.full  subject=db-1  source=/mon")
                .contains("e3  2026-01-05T10:01:30Z")
                .contains("Suppressed by: silence (silenceIds=[\"3f1c\"]) - silenced by 3f1c")
                .contains("a-file (file): suppressed");
        assertThat(requests).containsExactly("GET /api/v1/actions/a-log/explain Bearer " + TOKEN);
    }

    @Test
    void theTokenComesFromTheEnvironmentAndJsonIsPrintedAsAnswered() {
        Result r = explain(Map.of(ExplainCommand.TOKEN_ENV, TOKEN), "a-log", "--url", url() + "/", "--json");

        assertThat(r.exit()).isEqualTo(ExitCode.OK);
        assertThat(r.out()).contains("\"file\" : \"org/operon/rules/critical-burst.drl\"").doesNotContain("Facts matched");
    }

    @Test
    void anUnknownActionExitsOneAndARefusedTokenTwo() {
        Result unknown = explain(Map.of(), "nope", "--url", url(), "--token", TOKEN);
        assertThat(unknown.exit()).isEqualTo(ExitCode.FAILED);
        assertThat(unknown.err()).contains("no action 'nope' in the audit log");
        assertThat(unknown.out()).isEmpty();

        Result refused = explain(Map.of(), "a-log", "--url", url());
        assertThat(refused.exit()).isEqualTo(ExitCode.CANNOT_RUN);
        assertThat(refused.err()).contains("token was refused").contains(ExplainCommand.TOKEN_ENV);
        assertThat(refused.out()).isEmpty();
    }

    @Test
    void aBadIdOrUrlIsRefusedBeforeAnyRequestAndAnUnreachableServerIsNamed() throws IOException {
        assertThat(explain(Map.of(), "../../health", "--url", url()).exit()).isEqualTo(ExitCode.CANNOT_RUN);
        assertThat(explain(Map.of(), "a-log", "--url", "ftp://x").err()).contains("--url must be an http(s) URL");
        assertThat(explain(Map.of()).err()).contains("exactly one action id");
        assertThat(requests).isEmpty();

        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        Result r = explain(Map.of(), "a-log", "--url", "http://127.0.0.1:" + closedPort);
        assertThat(r.exit()).isEqualTo(ExitCode.CANNOT_RUN);
        assertThat(r.err()).contains("cannot reach http://127.0.0.1:" + closedPort);
    }
}
