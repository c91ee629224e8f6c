package org.operon.integration.http;

import org.junit.jupiter.api.Test;
import org.operon.model.CloudEventJson;
import org.operon.model.Event;
import org.operon.model.InvalidEventException;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CloudEventRequestDecoderTest {
    private static final String EVENT = "{\"specversion\":\"1.0\",\"id\":\"%s\",\"source\":\"/s\",\"type\":\"alert\"}";
    private final CloudEventRequestDecoder decoder = new CloudEventRequestDecoder(new CloudEventJson());

    private static IntakeRequest request(String contentType, String body) {
        return new IntakeRequest(contentType, Map.of(), body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void structuredModeIsOneEvent() throws Exception {
        DecodedRequest decoded = decoder.decode(request("application/cloudevents+json; charset=UTF-8", EVENT.formatted("a")));

        assertThat(decoded.batch()).isFalse();
        assertThat(decoded.events()).extracting(Event::getId).containsExactly("a");
    }

    @Test
    void validBodiesDecodedFromTheBytesEqualTheTreeDecoding() throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        CloudEventJson tree = new CloudEventJson(mapper);
        String rich = "{\"specversion\":\"1.0\",\"id\":\"r\",\"source\":\"/s\",\"type\":\"alert\",\"subject\":\"db-1\","
                + "\"time\":\"2026-01-05T10:00:00.250+01:00\",\"severity\":\"critical\",\"region\":\"eu\","
                + "\"data\":{\"labels\":{\"a\":\"b\",\"n\":1.5},\"v\":[1,12345678901234567890,2.5e-3,null,true,{\"k\":\"\u00e9\"}]}}";
        String plain = EVENT.formatted("p");
        for (String contentType : new String[] {"application/cloudevents+json", "application/json"}) {
            for (String body : new String[] {rich, plain, "  " + rich + "\n"}) {
                Event expected = tree.fromJson(mapper.readTree(body));
                DecodedRequest decoded = decoder.decode(request(contentType, body));
                assertThat(decoded.batch()).isFalse();
                assertThat(decoded.events()).containsExactly(expected);
                assertThat(decoded.events().get(0)).hasToString(expected.toString());
                assertThat(String.valueOf(decoded.events().get(0).getData())).isEqualTo(String.valueOf(expected.getData()));
            }
        }
        for (String contentType : new String[] {"application/cloudevents-batch+json", "application/json"}) {
            DecodedRequest decoded = decoder.decode(request(contentType, "[" + rich + "," + plain + "]"));
            assertThat(decoded.batch()).isTrue();
            assertThat(decoded.events()).containsExactly(tree.fromJson(mapper.readTree(rich)),
                    tree.fromJson(mapper.readTree(plain)));
            DecodedRequest one = decoder.decode(request(contentType, "[" + plain + "]"));
            assertThat(one.batch()).as("an array of one is a batch").isTrue();
        }
        // Trailing content after a valid event is left to the tree path: an error with the intake's mapper.
        CloudEventRequestDecoder intake = new CloudEventRequestDecoder(new CloudEventJson(new com.fasterxml.jackson.databind.ObjectMapper()
                .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)).rejectingReservedTypes());
        assertThatThrownBy(() -> intake.decode(request("application/cloudevents+json", plain + "{}")))
                .isInstanceOfSatisfying(InvalidEventException.class, e -> assertThat(e.error()).isEqualTo("malformed_json"));
    }

    @Test
    void structuredModeRefusesAnArray() {
        assertThatThrownBy(() -> decoder.decode(request("application/cloudevents+json", "[" + EVENT.formatted("a") + "]")))
                .isInstanceOfSatisfying(InvalidEventException.class, e -> {
                    assertThat(e.error()).isEqualTo("wrong_type");
                    assertThat(e.detail()).contains("application/cloudevents-batch+json");
                });
    }

    @Test
    void batchModeRefusesAnObject() {
        assertThatThrownBy(() -> decoder.decode(request("application/cloudevents-batch+json", EVENT.formatted("a"))))
                .isInstanceOfSatisfying(InvalidEventException.class, e -> assertThat(e.error()).isEqualTo("wrong_type"));
    }

    @Test
    void batchElementsAreValidatedOneByOne() throws Exception {
        DecodedRequest decoded = decoder.decode(request("application/cloudevents-batch+json",
                "[" + EVENT.formatted("a") + ", {\"id\": 1}, \"text\", " + EVENT.formatted("d") + "]"));

        assertThat(decoded.batch()).isTrue();
        assertThat(decoded.events()).extracting(Event::getId).containsExactly("a", "d");
        assertThat(decoded.rejected()).extracting(DecodedRequest.Rejection::index).containsExactly(1, 2);
        assertThat(decoded.rejected().get(0).payload()).isEqualTo("{\"id\":1}");
        assertThat(decoded.rejected().get(1).error()).isEqualTo("wrong_type");
    }

    @Test
    void binaryModeNeedsOnlyTheCeHeaders() throws Exception {
        IntakeRequest request = new IntakeRequest("text/plain",
                Map.of("specversion", "1.0", "id", "b", "source", "/s", "type", "log"), "disk almost full".getBytes());

        Event event = decoder.decode(request).events().get(0);

        assertThat(event.getId()).isEqualTo("b");
        assertThat(event.getData()).isEqualTo("disk almost full");
    }

    @Test
    void structuredMediaTypesWinOverCeHeaders() throws Exception {
        IntakeRequest request = new IntakeRequest("application/cloudevents+json", Map.of("id", "from-header"),
                EVENT.formatted("from-body").getBytes());

        assertThat(decoder.decode(request).events()).extracting(Event::getId).containsExactly("from-body");
    }

    @Test
    void otherMediaTypesAreA415() {
        assertThatThrownBy(() -> decoder.decode(request("application/xml", "<event/>")))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(415);
                    assertThat(e.error()).isEqualTo("unsupported_media_type");
                });
        assertThatThrownBy(() -> decoder.decode(request(null, EVENT.formatted("a"))))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.detail()).contains("no Content-Type"));
    }

    @Test
    void emptyBodiesAndBatchesAreNamed() {
        assertThatThrownBy(() -> decoder.decode(request("application/json", "  \n")))
                .isInstanceOfSatisfying(InvalidEventException.class, e -> assertThat(e.error()).isEqualTo("empty_body"));
        assertThatThrownBy(() -> decoder.decode(request("application/json", "[ ]")))
                .isInstanceOfSatisfying(InvalidEventException.class, e -> assertThat(e.error()).isEqualTo("empty_batch"));
    }

    @Test
    void payloadForDeadLetterIncludesTheCeHeadersInBinaryMode() {
        IntakeRequest request = new IntakeRequest("text/plain", Map.of("type", "log", "id", "x"), "body".getBytes());

        assertThat(new String(request.payloadForDeadLetter(), StandardCharsets.UTF_8))
                .isEqualTo("ce-id: x\nce-type: log\n\nbody");
    }

    @Test
    void headerValuesArePercentDecoded() {
        assertThat(EventIntakeRoutes.percentDecode("caf%C3%A9%20bar")).isEqualTo("café bar");
        assertThat(EventIntakeRoutes.percentDecode("100%")).isEqualTo("100%");
        assertThat(EventIntakeRoutes.percentDecode("50%zz")).isEqualTo("50%zz");
    }
}
