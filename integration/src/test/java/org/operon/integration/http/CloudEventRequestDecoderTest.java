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
