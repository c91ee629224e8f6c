package org.operon.integration.http;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.operon.integration.testing.HttpTestServer;
import org.operon.integration.testing.InMemoryDeadLetters;
import org.operon.integration.testing.RecordingAcceptor;
import org.operon.model.Event;

import java.net.http.HttpResponse;
import java.time.Clock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.operon.integration.testing.HttpTestServer.json;

/** Types starting with "operon." are Operon's own: the event intake refuses them and dead-letters them. */
class ReservedTypeIT {
    private static final IntakeOptions OPTIONS = IntakeOptions.of(4096, 1024);
    private static final RecordingAcceptor acceptor = new RecordingAcceptor();
    private static final InMemoryDeadLetters deadLetters = new InMemoryDeadLetters();
    private static HttpTestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = HttpTestServer.start(OPTIONS, new EventIntakeRoutes(acceptor, deadLetters, Clock.systemUTC(), OPTIONS));
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

    private static String event(String id, String type) {
        return """
                {"specversion":"1.0","id":"%s","source":"/x","type":"%s","subject":"2bd0845d243bb57e",
                 "data":{"labels":{"alertname":"HighCpu"}}}""".formatted(id, type);
    }

    @Test
    void anOperonAlertPostedAsACloudEventIsA400AndADeadLetter() {
        HttpResponse<String> response = server.post("/api/v1/events", "application/cloudevents+json",
                event("e1", "operon.alert"));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).get("error").asText()).isEqualTo("reserved_type");
        assertThat(json(response).get("detail").asText()).contains("operon.alert");
        assertThat(acceptor.accepted()).isEmpty();
        assertThat(deadLetters.all()).singleElement().satisfies(l -> assertThat(l.error()).isEqualTo("reserved_type"));
    }

    @Test
    void inABatchOnlyTheReservedOneIsRefused() {
        HttpResponse<String> response = server.post("/api/v1/events", "application/cloudevents-batch+json",
                "[" + event("ok", "alert") + "," + event("bad", "operon.whatever") + "]");

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(json(response).get("rejected").get(0).get("index").asInt()).isEqualTo(1);
        assertThat(json(response).get("rejected").get(0).get("error").asText()).isEqualTo("reserved_type");
        assertThat(acceptor.accepted()).extracting(Event::getId).containsExactly("ok");
        assertThat(deadLetters.all()).singleElement().satisfies(l -> assertThat(l.index()).isEqualTo(1));
    }

    @Test
    void binaryModeIsRefusedToo() {
        HttpResponse<String> response = server.send(server.request("/api/v1/events")
                .header("Content-Type", "application/json")
                .header("ce-specversion", "1.0").header("ce-id", "b1").header("ce-source", "/x")
                .header("ce-type", "operon.alert")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}")).build());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).get("error").asText()).isEqualTo("reserved_type");
    }
}
