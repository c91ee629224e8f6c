package org.operon.tests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.operon.tests.support.CloudEvents;
import org.operon.tests.support.OperonProcess;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Bad input gets a clear 4xx with a JSON body naming the problem, and is kept as a dead letter. */
class BadInputIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;
    static OperonProcess operon;

    @BeforeAll
    static void start() throws Exception {
        operon = OperonProcess.start(tmp.resolve("data"), Map.of("OPERON_INTAKE_MAX_BODY_BYTES", "4096"));
    }

    @AfterAll
    static void stop() throws Exception {
        operon.close();
    }

    @Test
    void malformedJsonIsA400NamingTheProblemAndIsDeadLettered() throws Exception {
        HttpResponse<String> r = operon.post("/api/v1/events", "application/cloudevents+json", "{\"specversion\": \"1.0\", \"id\": ");
        assertThat(r.statusCode()).isEqualTo(400);
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.get("error").asText()).isEqualTo("malformed_json");
        assertThat(body.get("detail").asText()).contains("line 1");
        assertThat(deadLetterErrors()).contains("malformed_json");
    }

    @Test
    void emptyBodyIsA400() throws Exception {
        HttpResponse<String> r = operon.post("/api/v1/events", "application/cloudevents+json", "");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(r.body()).get("error").asText()).isEqualTo("empty_body");
    }

    @Test
    void missingAttributeIsA400NamingIt() throws Exception {
        HttpResponse<String> r = operon.post("/api/v1/events", "application/cloudevents+json",
                "{\"specversion\":\"1.0\",\"id\":\"x1\",\"type\":\"t\"}");
        assertThat(r.statusCode()).isEqualTo(400);
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.get("error").asText()).isEqualTo("missing_attribute");
        assertThat(body.get("detail").asText()).contains("source");
    }

    @Test
    void bodyOverTheLimitIsA413AndIsDeadLettered() throws Exception {
        String big = CloudEvents.critical("big", "h").replace("\"team\":\"web\"", "\"team\":\"" + "x".repeat(8000) + "\"");
        HttpResponse<String> r = operon.post("/api/v1/events", "application/cloudevents+json", big);
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(JSON.readTree(r.body()).get("error").asText()).isEqualTo("body_too_large");
        assertThat(deadLetterErrors()).contains("body_too_large");
    }

    @Test
    void wrongContentTypeIsA415NamingTheAcceptedTypes() throws Exception {
        HttpResponse<String> r = operon.post("/api/v1/events", "text/plain", CloudEvents.critical("t1", "h"));
        assertThat(r.statusCode()).isEqualTo(415);
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.get("error").asText()).isEqualTo("unsupported_media_type");
        assertThat(body.get("detail").asText()).contains("application/cloudevents+json");
    }

    @Test
    void aBatchWithOneBadElementAcceptsTheRestAndReportsTheBadOneByIndex() throws Exception {
        String batch = "[" + CloudEvents.critical("b-0", "h") + ",{\"specversion\":\"1.0\",\"id\":\"b-1\"},"
                + CloudEvents.critical("b-2", "h") + "]";
        HttpResponse<String> r = operon.post("/api/v1/events", "application/cloudevents-batch+json", batch);
        assertThat(r.statusCode()).isEqualTo(202);
        JsonNode body = JSON.readTree(r.body());
        assertThat(WalkingSkeletonIT.texts(body.get("accepted"))).containsExactly("b-0", "b-2");
        assertThat(body.get("rejected")).hasSize(1);
        assertThat(body.get("rejected").get(0).get("index").asInt()).isEqualTo(1);
        assertThat(body.get("rejected").get(0).get("error").asText()).isEqualTo("missing_attribute");

        JsonNode letters = operon.getJson("/api/v1/deadletters?limit=100").get("deadletters");
        List<JsonNode> forBatch = new ArrayList<>();
        letters.forEach(l -> {
            if (l.get("payload").asText().contains("\"b-1\"")) forBatch.add(l);
        });
        assertThat(forBatch).hasSize(1);
        assertThat(forBatch.get(0).get("index").asInt()).isEqualTo(1);
    }

    private static List<String> deadLetterErrors() throws Exception {
        List<String> errors = new ArrayList<>();
        operon.getJson("/api/v1/deadletters?limit=100").get("deadletters").forEach(l -> errors.add(l.get("error").asText()));
        return errors;
    }
}
