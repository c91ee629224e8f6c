package org.operon.integration.http;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.operon.integration.testing.HttpTestServer;
import org.operon.integration.testing.InMemoryDeadLetters;
import org.operon.integration.testing.RecordingAcceptor;
import org.operon.integration.testing.RecordingAcceptor.Behaviour;
import org.operon.model.Event;
import org.operon.model.Severity;
import org.operon.state.DeadLetter;

import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.operon.integration.testing.HttpTestServer.json;

/** The event intake over real HTTP: Camel Main, platform-http on Vert.x, java.net.http client. */
class EventIntakeIT {
    private static final Instant NOW = Instant.parse("2026-01-31T12:00:00Z");
    /** Small limits keep the tests fast: 4 KiB bodies, 1 KiB kept, server refuses over 8 KiB. */
    private static final IntakeOptions OPTIONS = IntakeOptions.of(4096, 1024);
    private static final String EVENTS = "/api/v1/events";

    private static final RecordingAcceptor acceptor = new RecordingAcceptor();
    private static final InMemoryDeadLetters deadLetters = new InMemoryDeadLetters();
    private static HttpTestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = HttpTestServer.start(OPTIONS,
                new EventIntakeRoutes(acceptor, deadLetters, Clock.fixed(NOW, ZoneOffset.UTC), OPTIONS));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void reset() {
        acceptor.reset();
        deadLetters.clear();
    }

    static String event(String id) {
        return """
                {"specversion":"1.0","id":"%s","source":"/prometheus","type":"alert","subject":"db-1",
                 "severity":"critical","data":{"labels":{"team":"ops"}}}""".formatted(id);
    }

    /** The answer comes in one piece with its length (not chunked) and holds the whole body. */
    private static void assertWholeAnswer(HttpResponse<String> response) {
        assertThat(response.headers().firstValue("Transfer-Encoding")).isEmpty();
        assertThat(response.headers().firstValueAsLong("Content-Length"))
                .hasValue(response.body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
        assertThat(response.body()).startsWith("{").endsWith("}");
    }

    @Test
    void oneStructuredEventIsAcceptedWithItsId() {
        HttpResponse<String> response = server.post(EVENTS, "application/cloudevents+json", event("e1"));

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertWholeAnswer(response);
        assertThat(json(response).get("accepted")).hasSize(1);
        assertThat(json(response).get("accepted").get(0).asText()).isEqualTo("e1");
        Event accepted = acceptor.accepted().get(0);
        assertThat(accepted.getSubject()).isEqualTo("db-1");
        assertThat(accepted.getSeverity()).isEqualTo(Severity.CRITICAL);
        assertThat(accepted.getLabels()).containsEntry("team", "ops");
        assertThat(deadLetters.count()).isZero();
    }

    @Test
    void theAnswerWaitsUntilTheEventsAreDurable() throws Exception {
        acceptor.behave(Behaviour.HOLD);
        CompletableFuture<HttpResponse<String>> response = server.client().sendAsync(
                server.request(EVENTS).header("Content-Type", "application/cloudevents+json")
                        .POST(HttpRequest.BodyPublishers.ofString(event("held"))).build(),
                HttpResponse.BodyHandlers.ofString());

        await().until(() -> !acceptor.held().isEmpty());
        assertThat(response).isNotDone();
        assertThat(acceptor.accepted()).isEmpty();

        acceptor.held().get(0).complete(null);
        assertThat(response.get().statusCode()).isEqualTo(202);
        assertThat(acceptor.accepted()).extracting(Event::getId).containsExactly("held");
    }

    @Test
    void applicationJsonTakesOneEventOrAnArray() {
        HttpResponse<String> one = server.post(EVENTS, "application/json; charset=utf-8", event("j1"));
        HttpResponse<String> many = server.post(EVENTS, "application/json", "[" + event("j2") + "," + event("j3") + "]");

        assertThat(one.statusCode()).isEqualTo(202);
        assertThat(json(one).get("accepted").toString()).isEqualTo("[\"j1\"]");
        assertThat(many.statusCode()).isEqualTo(202);
        assertThat(json(many).get("accepted").toString()).isEqualTo("[\"j2\",\"j3\"]");
    }

    @Test
    void aBatchIsAcceptedInOrder() {
        HttpResponse<String> response = server.post(EVENTS, "application/cloudevents-batch+json",
                "[" + event("b1") + "," + event("b2") + "," + event("b3") + "]");

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(json(response).get("accepted").toString()).isEqualTo("[\"b1\",\"b2\",\"b3\"]");
        assertThat(json(response).has("rejected")).isFalse();
        assertThat(acceptor.accepted()).extracting(Event::getSeq).containsExactly(1L, 2L, 3L);
    }

    @Test
    void binaryModeTakesAttributesFromHeadersAndDataFromTheBody() {
        HttpResponse<String> response = server.send(server.request(EVENTS)
                .header("Content-Type", "application/json")
                .header("ce-specversion", "1.0")
                .header("ce-id", "bin-1")
                .header("ce-source", "/zabbix")
                .header("ce-type", "alert")
                .header("ce-subject", "web%20server")
                .header("ce-time", "2026-01-31T11:59:00Z")
                .header("ce-severity", "warning")
                .header("ce-region", "eu1")
                .POST(HttpRequest.BodyPublishers.ofString("{\"labels\":{\"team\":\"web\"}}")).build());

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(json(response).get("accepted").get(0).asText()).isEqualTo("bin-1");
        Event e = acceptor.accepted().get(0);
        assertThat(e.getSource()).isEqualTo("/zabbix");
        assertThat(e.getSubject()).isEqualTo("web server");
        assertThat(e.getTime()).isEqualTo(Instant.parse("2026-01-31T11:59:00Z"));
        assertThat(e.getSeverity()).isEqualTo(Severity.WARNING);
        assertThat(e.getLabels()).containsEntry("team", "web");
        assertThat(e.getExtensions()).containsEntry("region", "eu1");
        assertThat(response.headers().map().keySet()).noneMatch(h -> h.toLowerCase().startsWith("ce-"));
    }

    @Test
    void binaryModeWithoutSourceIsAMissingAttribute() {
        HttpResponse<String> response = server.send(server.request(EVENTS)
                .header("ce-specversion", "1.0").header("ce-id", "bin-2").header("ce-type", "alert")
                .POST(HttpRequest.BodyPublishers.noBody()).build());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).get("error").asText()).isEqualTo("missing_attribute");
        assertThat(json(response).get("detail").asText()).contains("source");
        assertThat(deadLetters.all().get(0).payload()).contains("ce-id: bin-2");
    }

    @Test
    void malformedJsonIsA400WithLineAndColumnAndADeadLetter() {
        String body = "{\"specversion\":\"1.0\",\n \"id\": oops}";
        HttpResponse<String> response = server.post(EVENTS, "application/cloudevents+json", body);

        assertThat(response.statusCode()).isEqualTo(400);
        assertWholeAnswer(response);
        JsonNode error = json(response);
        assertThat(error.get("error").asText()).isEqualTo("malformed_json");
        assertThat(error.get("detail").asText()).contains("line 2, column");
        DeadLetter letter = deadLetters.all().get(0);
        assertThat(letter.error()).isEqualTo("malformed_json");
        assertThat(letter.channel()).isEqualTo("http:/api/v1/events");
        assertThat(letter.time()).isEqualTo(NOW.toString());
        assertThat(letter.payload()).isEqualTo(body);
        assertThat(letter.index()).isNull();
        assertThat(letter.truncated()).isFalse();
        assertThat(acceptor.accepted()).isEmpty();
    }

    @Test
    void trailingContentAfterTheEventIsMalformed() {
        HttpResponse<String> response = server.post(EVENTS, "application/cloudevents+json", event("t1") + " {}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).get("error").asText()).isEqualTo("malformed_json");
    }

    @Test
    void anEmptyBodyIsA400() {
        HttpResponse<String> response = server.post(EVENTS, "application/cloudevents+json", "");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).get("error").asText()).isEqualTo("empty_body");
        assertThat(deadLetters.all()).extracting(DeadLetter::error).containsExactly("empty_body");
    }

    @Test
    void aMissingAttributeIsNamed() {
        HttpResponse<String> response = server.post(EVENTS, "application/cloudevents+json",
                "{\"specversion\":\"1.0\",\"id\":\"m1\",\"type\":\"alert\"}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).get("error").asText()).isEqualTo("missing_attribute");
        assertThat(json(response).get("detail").asText()).contains("'source'");
        assertThat(deadLetters.all()).extracting(DeadLetter::error).containsExactly("missing_attribute");
    }

    @Test
    void aWrongTypeIsNamed() {
        HttpResponse<String> response = server.post(EVENTS, "application/cloudevents+json",
                "{\"specversion\":\"1.0\",\"id\":42,\"source\":\"/s\",\"type\":\"alert\"}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).get("error").asText()).isEqualTo("wrong_type");
        assertThat(json(response).get("detail").asText()).contains("'id'").contains("number");
        assertThat(deadLetters.count()).isEqualTo(1);
    }

    @Test
    void aBodyOverTheLimitIsA413AndItsPrefixIsDeadLettered() {
        String body = "[" + ("\"x\",".repeat(1500)) + "\"x\"]";
        assertThat(body.length()).isBetween(4097, 8192); // over the intake's limit, within the server's
        HttpResponse<String> response = server.post(EVENTS, "application/cloudevents-batch+json", body);

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(json(response).get("error").asText()).isEqualTo("body_too_large");
        assertThat(json(response).get("detail").asText()).contains(body.length() + " bytes").contains("limit is 4096 bytes");
        DeadLetter letter = deadLetters.all().get(0);
        assertThat(letter.error()).isEqualTo("body_too_large");
        assertThat(letter.payloadBytes()).isEqualTo(body.length());
        assertThat(letter.truncated()).isTrue();
        assertThat(letter.payload()).isEqualTo(body.substring(0, 1024));
    }

    @Test
    void aBodyOverTheServerLimitIsA413WithJsonAndADeadLetterWithoutPayload() {
        byte[] body = new byte[20_000];
        HttpResponse<String> response = server.send(server.request(EVENTS)
                .header("Content-Type", "application/cloudevents+json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(json(response).get("error").asText()).isEqualTo("body_too_large");
        assertThat(json(response).get("detail").asText()).contains("20000 bytes").contains("limit is 4096 bytes");
        await().until(() -> deadLetters.count() == 1);
        DeadLetter letter = deadLetters.all().get(0);
        assertThat(letter.payloadBytes()).isEqualTo(20_000);
        assertThat(letter.payload()).isEmpty();
        assertThat(letter.truncated()).isTrue();
    }

    @Test
    void aChunkedBodyOverTheServerLimitIsA413WithJson() {
        HttpResponse<String> response = server.send(server.request(EVENTS)
                .header("Content-Type", "application/cloudevents+json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(new byte[20_000])))
                .build());

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(json(response).get("error").asText()).isEqualTo("body_too_large");
        await().until(() -> deadLetters.count() == 1);
        assertThat(deadLetters.all().get(0).payloadBytes()).isGreaterThan(OPTIONS.serverMaxBodySize());
    }

    @Test
    void anUnsupportedContentTypeIsA415NamingTheAcceptedTypes() {
        HttpResponse<String> response = server.post(EVENTS, "text/plain", "hello");

        assertThat(response.statusCode()).isEqualTo(415);
        assertThat(json(response).get("error").asText()).isEqualTo("unsupported_media_type");
        assertThat(json(response).get("detail").asText()).contains("text/plain")
                .contains("application/cloudevents+json").contains("application/cloudevents-batch+json")
                .contains("application/json").contains("ce-specversion");
        assertThat(deadLetters.all().get(0).payload()).isEqualTo("hello");
    }

    @Test
    void aBatchWithOneBadElementAcceptsTheOthersAndDeadLettersThatOne() {
        String bad = "{\"specversion\":\"1.0\",\"id\":\"x2\",\"type\":\"alert\"}";
        HttpResponse<String> response = server.post(EVENTS, "application/cloudevents-batch+json",
                "[" + event("x1") + "," + bad + "," + event("x3") + "]");

        assertThat(response.statusCode()).isEqualTo(202);
        JsonNode body = json(response);
        assertThat(body.get("accepted").toString()).isEqualTo("[\"x1\",\"x3\"]");
        assertThat(body.get("rejected")).hasSize(1);
        assertThat(body.get("rejected").get(0).get("index").asInt()).isEqualTo(1);
        assertThat(body.get("rejected").get(0).get("error").asText()).isEqualTo("missing_attribute");
        assertThat(body.get("rejected").get(0).get("detail").asText()).contains("source");
        assertThat(deadLetters.all()).hasSize(1);
        DeadLetter letter = deadLetters.all().get(0);
        assertThat(letter.index()).isEqualTo(1);
        assertThat(letter.payload()).isEqualTo(bad);
        assertThat(acceptor.accepted()).extracting(Event::getId).containsExactly("x1", "x3");
    }

    @Test
    void aBatchWithNoGoodElementIsA400WithEveryRejection() {
        HttpResponse<String> response = server.post(EVENTS, "application/cloudevents-batch+json",
                "[{\"specversion\":\"1.0\"}, 7]");

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode body = json(response);
        assertThat(body.get("error").asText()).isEqualTo("no_valid_events");
        assertThat(body.get("accepted")).isEmpty();
        assertThat(body.get("rejected")).extracting(r -> r.get("index").asInt()).containsExactly(0, 1);
        assertThat(deadLetters.all()).extracting(DeadLetter::index).containsExactly(0, 1);
        assertThat(acceptor.accepted()).isEmpty();
    }

    @Test
    void anEmptyBatchIsA400() {
        HttpResponse<String> response = server.post(EVENTS, "application/cloudevents-batch+json", "[]");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).get("error").asText()).isEqualTo("empty_batch");
        assertThat(deadLetters.count()).isEqualTo(1);
    }

    @Test
    void aFullEngineQueueIsA503WithRetryAfterAndNoDeadLetter() {
        acceptor.behave(Behaviour.OVERLOADED);
        HttpResponse<String> response = server.post(EVENTS, "application/cloudevents+json", event("o1"));

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).hasValue("2");
        assertThat(json(response).get("error").asText()).isEqualTo("overloaded");
        assertThat(deadLetters.count()).isZero();
    }

    @Test
    void anEngineThatIsNotRunningIsA503WithoutDeadLetter() {
        acceptor.accepting(false);
        HttpResponse<String> response = server.post(EVENTS, "application/cloudevents+json", event("n1"));

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).isPresent();
        assertThat(json(response).get("error").asText()).isEqualTo("not_accepting");
        assertThat(deadLetters.count()).isZero();
    }

    @Test
    void aFailedJournalWriteIsA503AndADeadLetter() {
        acceptor.behave(Behaviour.JOURNAL_FAILS);
        HttpResponse<String> response = server.post(EVENTS, "application/cloudevents+json", event("f1"));

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(json(response).get("error").asText()).isEqualTo("journal_unavailable");
        assertThat(deadLetters.all()).extracting(DeadLetter::error).containsExactly("journal_unavailable");
        assertThat(deadLetters.all().get(0).payload()).isEqualTo(event("f1"));
    }

    @Test
    void anUnexpectedFailureIsA500JsonAndADeadLetter() {
        acceptor.behave(Behaviour.THROWS);
        HttpResponse<String> response = server.post(EVENTS, "application/cloudevents+json", event("u1"));

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(json(response).get("error").asText()).isEqualTo("internal_error");
        assertThat(deadLetters.all()).extracting(DeadLetter::error).containsExactly("internal_error");
    }

    @Test
    void otherMethodsAreNotAllowed() {
        HttpResponse<String> response = server.get(EVENTS);

        assertThat(response.statusCode()).isEqualTo(405);
    }
}
