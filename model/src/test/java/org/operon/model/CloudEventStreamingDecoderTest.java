package org.operon.model;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link CloudEventJson#fromJson(JsonParser)} against {@link CloudEventJson#fromJson(JsonNode)}. */
class CloudEventStreamingDecoderTest {
    private final ObjectMapper mapper = new ObjectMapper();
    private final CloudEventJson plain = new CloudEventJson(mapper);
    private final CloudEventJson intake = plain.rejectingReservedTypes();

    private static final String BASE = "\"specversion\":\"1.0\",\"id\":\"e1\",\"source\":\"/s\",\"type\":\"t\"";

    private static List<String> inputs() throws Exception {
        List<String> in = new ArrayList<>();
        in.add("{" + BASE + "}");
        in.add("{\"specversion\":\"1.0\",\"id\":\"a-1\",\"source\":\"/api/v2/alerts\",\"type\":\"operon.alert\","
                + "\"data\":{\"labels\":{\"a\":\"b\"}}}");
        in.add("{" + BASE + ",\"subject\":\"host-1\",\"time\":\"2026-01-31T12:00:00Z\",\"severity\":\"critical\","
                + "\"region\":\"eu\",\"n1\":7,\"big\":12345678901234,\"huge\":123456789012345678901234567890,"
                + "\"f\":1.50,\"b\":true,\"data\":{\"labels\":{\"x\":\"1\",\"n\":2,\"t\":false},\"severity\":\"info\","
                + "\"nested\":[1,2.5,\"s\",null,{\"k\":[]}],\"deep\":{\"a\":{\"b\":{}}}}}");
        in.add("{" + BASE + ",\"time\":\"2026-01-31T12:00:00.123456+02:00\"}");
        in.add("{" + BASE + ",\"subject\":\"\\u00e9t\\u00e9 \\ud83d\\ude80 \\n\\t\\\"q\\\"\",\"data\":\"\\u2603 text\"}");
        in.add("{" + BASE + ",\"data\":null}");
        in.add("{" + BASE + ",\"data\":42}");
        in.add("{" + BASE + ",\"data\":[1,{\"labels\":3}]}");
        in.add("{" + BASE + ",\"data\":{\"labels\":null,\"severity\":\"warning\"}}");
        in.add("{" + BASE + ",\"data\":{\"severity\":\"WARNING\"}}");
        in.add("{" + BASE + ",\"severity\":\"warning\",\"data\":{\"severity\":7}}");
        in.add("{" + BASE + ",\"data_base64\":\"aGVsbG8=\"}");
        // a repeated severity: the last value wins, whatever kinds the values are
        in.add("{" + BASE + ",\"severity\":\"info\",\"severity\":\"critical\"}");
        in.add("{" + BASE + ",\"severity\":3,\"x\":\"y\",\"severity\":\"critical\"}");
        in.add("{" + BASE + ",\"severity\":\"critical\",\"severity\":3}");
        in.add("{" + BASE + ",\"severity\":\"critical\",\"severity\":{}}");
        in.add("{" + BASE + ",\"severity\":\"loud\",\"severity\":\"warning\"}");
        in.add("{" + BASE + ",\"severity\":\"warning\",\"Bad\":\"x\",\"severity\":\"loud\"}");
        in.add("{" + BASE + ",\"subject\":null,\"time\":null}");
        in.add("{\"type\":\"t\",\"source\":\"/s\",\"id\":\"e1\",\"specversion\":\"1.0\",\"zz\":\"1\",\"aa\":\"2\"}");
        in.add("{" + BASE + ",\"id\":\"dup-last-wins\",\"ext\":\"one\",\"other\":\"o\",\"ext\":\"two\"}");
        in.add("{" + BASE + ",\"a2345678901234567890\":\"20 chars\",\"data\":{}}");
        // data shapes: bound straight to maps and lists, equal to the tree's convertValue
        in.add("{" + BASE + ",\"data\":{\"o\":{\"p\":{\"q\":{\"r\":[[[]],[{}],{\"s\":[null,true,false]}]}}}}}");
        in.add("{" + BASE + ",\"data\":[]}");
        in.add("{" + BASE + ",\"data\":{}}");
        in.add("{" + BASE + ",\"data\":[[1,[2,[3,[4]]]],{\"a\":[{\"b\":null}]}]}");
        in.add("{" + BASE + ",\"data\":{\"i\":0,\"neg\":-1,\"imax\":2147483647,\"imin\":-2147483648,"
                + "\"l1\":2147483648,\"l2\":-2147483649,\"lmax\":9223372036854775807,\"lmin\":-9223372036854775808,"
                + "\"b1\":9223372036854775808,\"b2\":-9223372036854775809,\"b3\":123456789012345678901234567890123456789}}");
        in.add("{" + BASE + ",\"data\":{\"d\":1.0,\"z\":-0.0,\"e\":1e3,\"E\":1E-7,\"p\":2.5e+10,\"pi\":3.141592653589793238462643383279,"
                + "\"tiny\":4.9e-324,\"under\":1e-400,\"over\":1e400,\"nover\":-1.7976931348623157e309,"
                + "\"long\":0.1000000000000000055511151231257827021181583404541015625,\"int0\":10.0}}");
        in.add("{" + BASE + ",\"data\":12345678901234567890}");
        in.add("{" + BASE + ",\"data\":-2.5e-3}");
        in.add("{" + BASE + ",\"data\":true}");
        in.add("{" + BASE + ",\"data\":false}");
        in.add("{" + BASE + ",\"data\":\"\"}");
        in.add("{" + BASE + ",\"data\":{\"n\":null,\"a\":[null,null],\"o\":{\"x\":null}}}");
        in.add("{" + BASE + ",\"data\":{\"\u00e9\":\"\u4e2d\u6587\",\"emoji \ud83d\ude80\":\"\ud83d\ude00\",\"esc\":\"\\\\ \\/ \\b\\f\\n\\r\\t \\u0000\","
                + "\"raw\":\"café ☃\"}}");
        in.add("{" + BASE + ",\"data\":{\"k\":1,\"j\":2,\"k\":3}}");
        in.add("{" + BASE + ",\"data\":{\"k\":{\"a\":1},\"k\":[2]}}");
        in.add("{" + BASE + ",\"data\":{\"labels\":{\"a\":\"1\",\"a\":\"2\",\"b\":\"3\"}}}");
        in.add("{" + BASE + ",\"data\":{\"labels\":{\"x\":\"1\"},\"labels\":{\"y\":\"2\"}}}");
        in.add("{" + BASE + ",\"data\":{\"severity\":\"info\",\"severity\":\"critical\"}}");
        in.add("{" + BASE + ",\"data\":{\"labels\":{}},\"data\":{\"severity\":\"warning\"}}");
        in.add("{" + BASE + ",\"data\":\"first\",\"data\":{\"labels\":{\"a\":\"b\"}}}");
        in.add("{" + BASE + ",\"data\":{\"labels\":{\"i\":7,\"l\":9223372036854775807,\"b\":99999999999999999999,"
                + "\"d\":1.50,\"e\":1e300,\"inf\":1e400,\"z\":-0.0,\"t\":true,\"f\":false,\"u\":\"\u00fc\"}}}");
        in.add("{" + BASE + ",\"data\":{\"labels\":{\"a\":[]}}}");
        in.add("{" + BASE + ",\"data\":{\"labels\":{\"a\":\"b\",\"c\":{}}}}");
        in.add("{" + BASE + ",\"data\":{\"labels\":7}}");
        in.add("{" + BASE + ",\"data\":{\"labels\":2.5}}");
        in.add("{" + BASE + ",\"data\":{\"labels\":true}}");
        in.add("{" + BASE + ",\"data\":{\"labels\":{}}}");
        in.add("{" + BASE + ",\"data\":{\"severity\":[\"critical\"]}}");
        in.add("{" + BASE + ",\"data\":{\"severity\":{}}}");
        in.add("{" + BASE + ",\"data\":{\"severity\":1}}");
        in.add("{" + BASE + ",\"data\":{\"severity\":true}}");
        in.add("{" + BASE + ",\"data\":{\"severity\":\"critical\"},\"severity\":\"info\"}");
        in.add("{" + BASE + ",\"data\":[{\"severity\":\"critical\",\"labels\":{\"a\":\"b\"}}]}");
        in.add("{" + BASE + ",\"data\":{\"labels\":{\"a\":\"b\"}},\"BAD\":1}");
        in.add("{" + BASE + ",\"data\":{\"labels\":{\"a\":[]}},\"ext\":{}}");
        // rejected
        in.add("[]");
        in.add("\"text\"");
        in.add("17");
        in.add("null");
        in.add("{}");
        in.add("{\"id\":\"e1\",\"source\":\"/s\",\"type\":\"t\"}");
        in.add("{\"specversion\":\"0.3\",\"id\":\"e1\",\"source\":\"/s\",\"type\":\"t\"}");
        in.add("{\"specversion\":1.0,\"id\":\"e1\",\"source\":\"/s\",\"type\":\"t\"}");
        in.add("{\"specversion\":\"1.0\",\"id\":7,\"source\":\"/s\",\"type\":\"t\"}");
        in.add("{\"specversion\":\"1.0\",\"id\":\"\",\"source\":\"/s\",\"type\":\"t\"}");
        in.add("{\"specversion\":\"1.0\",\"id\":null,\"source\":\"/s\",\"type\":\"t\"}");
        in.add("{\"specversion\":\"1.0\",\"id\":\"e\",\"source\":{\"a\":1},\"type\":\"t\"}");
        in.add("{\"specversion\":\"1.0\",\"id\":\"e\",\"source\":\"/s\",\"type\":[\"t\"]}");
        in.add("{\"specversion\":\"1.0\",\"id\":\"e\",\"source\":\"/s\"}");
        in.add("{" + BASE + ",\"subject\":5}");
        in.add("{" + BASE + ",\"time\":\"yesterday\"}");
        in.add("{" + BASE + ",\"time\":\"2026-01-31T12:00:00\"}");
        in.add("{" + BASE + ",\"time\":true}");
        in.add("{" + BASE + ",\"data\":{},\"data_base64\":\"eA==\"}");
        in.add("{" + BASE + ",\"data\":null,\"data_base64\":\"eA==\"}");
        in.add("{" + BASE + ",\"data_base64\":12}");
        in.add("{" + BASE + ",\"Region\":\"eu\"}");
        in.add("{" + BASE + ",\"re-gion\":\"eu\"}");
        in.add("{" + BASE + ",\"\":\"eu\"}");
        in.add("{" + BASE + ",\"a23456789012345678901\":\"21 chars\"}");
        in.add("{" + BASE + ",\"r\u00e9gion\":\"eu\"}");
        in.add("{" + BASE + ",\"ext\":{\"a\":1}}");
        in.add("{" + BASE + ",\"ext\":[1]}");
        in.add("{" + BASE + ",\"ext\":null}");
        in.add("{" + BASE + ",\"ext\":null,\"BAD\":1}");
        in.add("{" + BASE + ",\"severity\":\"fatal\"}");
        in.add("{" + BASE + ",\"severity\":1.50}");
        in.add("{" + BASE + ",\"severity\":true}");
        in.add("{" + BASE + ",\"data\":{\"labels\":[\"a\"]}}");
        in.add("{" + BASE + ",\"data\":{\"labels\":\"a=b\"}}");
        in.add("{" + BASE + ",\"data\":{\"labels\":{\"a\":{\"b\":1}}}}");
        in.add("{" + BASE + ",\"data\":{\"labels\":{\"a\":null}}}");
        in.add("{" + BASE + ",\"data\":{\"severity\":\"loud\"}}");
        in.add("{" + BASE + ",\"data\":{\"severity\":null}}");
        in.add("{\"specversion\":\"1.0\",\"id\":\"\",\"source\":\"/s\",\"type\":\"t\",\"BAD\":1,\"time\":\"x\"}");
        in.add("{" + BASE + ",\"time\":\"x\",\"data\":{},\"data_base64\":\"\"}");
        // events as the journal writes them (CloudEventJson.toJson), including alert reports
        CloudEventJson json = new CloudEventJson();
        Map<String, Object> ext = new LinkedHashMap<>();
        ext.put("region", "eu");
        ext.put("count", 3);
        ext.put("ratio", 0.25);
        ext.put("flag", false);
        Event rich = Event.builder().id("r1").source("/k").type("deploy").subject("svc \u4e2d")
                .time(Instant.parse("2026-11-27T20:00:00.123Z")).severity(Severity.WARNING)
                .labels(Map.of("env", "prod", "team", "ops")).data(Map.of("labels", Map.of("env", "prod"), "v", 1))
                .build();
        Event.Builder withExt = Event.builder().id("x1").source("/x").type("x").labels(Map.of("a", "b"));
        ext.forEach(withExt::extension);
        AlertReport alert = AlertReport.of(Map.of("alertname", "DiskFull", "severity", "critical", "instance", "h:9100"),
                Map.of("summary", "disk \"full\"\n"), Instant.parse("2026-11-27T19:59:00Z"), null, "http://prom/g");
        for (Event e : List.of(rich, withExt.build(), alert.toEvent("a1", "/api/v2/alerts", Instant.parse("2026-11-27T20:00:00Z")),
                Event.builder().id("m").source("/m").type("m").build())) {
            in.add(json.mapper().writeValueAsString(json.toJson(e)));
        }
        return in;
    }

    @Test
    void streamingDecoderGivesEqualEventsOrEqualErrors() throws Exception {
        int accepted = 0;
        int rejected = 0;
        for (CloudEventJson cej : List.of(plain, intake)) {
            for (String text : inputs()) {
                Object tree = decodeTree(cej, text);
                Object stream = decodeStream(cej, text);
                assertThat(stream).as(text).isEqualTo(tree);
                if (tree instanceof String) {
                    rejected++;
                } else {
                    accepted++;
                }
            }
        }
        assertThat(accepted).isGreaterThan(30);
        assertThat(rejected).isGreaterThan(60);
    }

    /** {@link CloudEventJson#toJsonBytes} writes the bytes the tree encoder writes, for every event decoded above. */
    @Test
    void streamingEncoderWritesTheTreeEncodersBytes() throws Exception {
        int compared = 0;
        List<Event> all = new java.util.ArrayList<>();
        List<byte[]> trees = new java.util.ArrayList<>();
        for (String text : inputs()) {
            Event e;
            try {
                e = plain.fromJson(mapper.readTree(text));
            } catch (InvalidEventException | com.fasterxml.jackson.core.JsonProcessingException rejected) {
                continue;
            }
            for (Event event : List.of(e, e.stamped(7, 1_000L))) {
                byte[] tree = mapper.writeValueAsBytes(plain.toJson(event));
                assertThat(new String(plain.toJsonBytes(event), java.nio.charset.StandardCharsets.UTF_8)).as(text)
                        .isEqualTo(new String(tree, java.nio.charset.StandardCharsets.UTF_8));
                assertThat(plain.fromJson(mapper.readTree(plain.toJsonBytes(event)))).as(text).isEqualTo(
                        plain.fromJson(mapper.readTree(tree)));
                all.add(event);
                trees.add(tree);
                compared++;
            }
        }
        byte[][] together = plain.toJsonBytes(all);
        assertThat(together.length).as("one generator for the whole list writes each event's bytes").isEqualTo(all.size());
        for (int i = 0; i < together.length; i++) {
            assertThat(new String(together[i], java.nio.charset.StandardCharsets.UTF_8)).as(all.get(i).getId())
                    .isEqualTo(new String(trees.get(i), java.nio.charset.StandardCharsets.UTF_8));
        }
        Event built = Event.builder().id("b-1").source("/s").type("t").subject("h").severity(Severity.WARNING)
                .labels(Map.of("team", "web")).build();
        assertThat(plain.toJsonBytes(built)).isEqualTo(mapper.writeValueAsBytes(plain.toJson(built)));
        Event withData = Event.builder().id("b-2").source("/s").type("t")
                .data(new LinkedHashMap<>(Map.of("n", 1L, "d", 1.5d, "l", List.of(true, "x"))))
                .build();
        assertThat(plain.toJsonBytes(withData)).isEqualTo(mapper.writeValueAsBytes(plain.toJson(withData)));
        // The one difference: a BigDecimal that code put in data keeps its scale (the tree wrote 1.5).
        Event decimal = Event.builder().id("b-3").source("/s").type("t")
                .data(Map.of("d", new java.math.BigDecimal("1.50"))).build();
        assertThat(new String(plain.toJsonBytes(decimal), java.nio.charset.StandardCharsets.UTF_8)).endsWith("\"data\":{\"d\":1.50}}");
        assertThat(compared).isGreaterThan(30);
    }

    /**
     * Events decoded from a stream carry the shared instances of their repeated texts, which the encoder writes
     * from bytes quoted once: still the tree encoder's bytes, escapes included, whether the text came from the
     * cache or not; and a mapper with escapes of its own gets its own escaping.
     */
    @Test
    void sharedTextsAreWrittenAsTheTreeEncoderWritesThem() throws Exception {
        List<String> texts = List.of("/s", "host-1", "caf\u00e9 \u2603", "\ud83d\ude80 rocket", "quote \\\"q\\\"",
                "ctl \\n\\t\\u0001 \\u2028", "</script>", "x".repeat(SharedStrings.MAX_LENGTH + 1),
                "lone \\ud800", "\\udc00 lone", "back\\\\slash", "del \u007f");
        int compared = 0;
        for (String source : texts) {
            for (String subject : texts) {
                String text = "{\"specversion\":\"1.0\",\"id\":\"i-" + compared + "\",\"source\":\"" + source
                        + "\",\"type\":\"" + subject + "\",\"subject\":\"" + subject + "\",\"severity\":\"warning\"}";
                for (int round = 0; round < 2; round++) { // the second decode finds the texts in the cache
                    Event event = plain.fromJson(mapper.getFactory().createParser(text));
                    String tree = new String(mapper.writeValueAsBytes(plain.toJson(event)), java.nio.charset.StandardCharsets.UTF_8);
                    assertThat(new String(plain.toJsonBytes(event), java.nio.charset.StandardCharsets.UTF_8))
                            .as(text).isEqualTo(tree);
                    assertThat(new String(plain.toJsonBytes(List.of(event, event.stamped(1, 2L)))[1],
                            java.nio.charset.StandardCharsets.UTF_8)).as(text).isEqualTo(tree);
                }
                compared++;
            }
        }
        Event shared = plain.fromJson(mapper.getFactory().createParser(
                "{\"specversion\":\"1.0\",\"id\":\"a\",\"source\":\"/s\",\"type\":\"t\",\"subject\":\"caf\u00e9\"}"));
        ObjectMapper ascii = new ObjectMapper();
        ascii.getFactory().configure(com.fasterxml.jackson.core.json.JsonWriteFeature.ESCAPE_NON_ASCII.mappedFeature(), true);
        assertThat(new String(new CloudEventJson(ascii).toJsonBytes(shared), java.nio.charset.StandardCharsets.UTF_8))
                .contains("\"subject\":\"caf\\u00E9\"");
        // A mapper that escapes more than JSON needs writes the cached texts and the names its own way too.
        ObjectMapper slashes = new ObjectMapper();
        slashes.getFactory().configure(com.fasterxml.jackson.core.json.JsonWriteFeature.ESCAPE_FORWARD_SLASHES.mappedFeature(), true);
        assertThat(new String(new CloudEventJson(slashes).toJsonBytes(shared), java.nio.charset.StandardCharsets.UTF_8))
                .contains("\"source\":\"\\/s\"");
    }

    @Test
    void deeplyNestedDataIsBoundLikeTheTree() throws Exception {
        String deep = "[".repeat(500) + "{\"a\":1.5}" + "]".repeat(500);
        String text = "{" + BASE + ",\"data\":{\"deep\":" + deep + "}}";
        assertThat(decodeStream(plain, text)).isEqualTo(decodeTree(plain, text));
        String tooDeep = "{" + BASE + ",\"data\":" + "[".repeat(1_500) + "]".repeat(1_500) + "}";
        assertThatThrownBy(() -> mapper.readTree(tooDeep)).isInstanceOf(java.io.IOException.class);
        assertThatThrownBy(() -> decodeStream(plain, tooDeep)).isInstanceOf(java.io.IOException.class);
    }

    @Test
    void aMapperWithOtherNumberFeaturesKeepsTheTreeBinding() throws Exception {
        ObjectMapper decimals = new ObjectMapper()
                .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_INTEGER_FOR_INTS);
        CloudEventJson cej = new CloudEventJson(decimals);
        String text = "{" + BASE + ",\"data\":{\"d\":1.50,\"i\":7,\"labels\":{\"d\":2.50}}}";
        Object tree;
        Object stream;
        try (JsonParser p = decimals.getFactory().createParser(text)) {
            stream = describe(cej.fromJson(p));
        }
        tree = describe(cej.fromJson(decimals.readTree(text)));
        assertThat(stream).isEqualTo(tree);
        assertThat(((Map<?, ?>) cej.fromJson(decimals.readTree(text)).getData()).get("d"))
                .isInstanceOf(java.math.BigDecimal.class);
        // and with the default mapper the same text binds doubles and ints
        Map<?, ?> data = (Map<?, ?>) plain.fromJson(mapper.getFactory().createParser(text)).getData();
        assertThat(data.get("d")).isEqualTo(1.5);
        assertThat(data.get("i")).isEqualTo(7);
    }

    @Test
    void rejectsMalformedJsonAsTheTreeParseDoes() {
        for (String text : List.of("{" + BASE + ",\"data\":{", "{" + BASE + ",}", "{\"id\" \"x\"}",
                "{" + BASE + ",\"data\":[1,]}", "{" + BASE + ",\"data\":{\"a\":}}", "{" + BASE + ",\"data\":{\"a\" 1}}",
                "{" + BASE + ",\"data\":[1 2]}", "{" + BASE + ",\"data\":{\"a\":[}}", "{" + BASE + ",\"data\":01}",
                "{" + BASE + ",\"data\":NaN}", "{" + BASE + ",\"data\":[", "{" + BASE + ",\"data\":{\"a\":1")) {
            assertThatThrownBy(() -> mapper.readTree(text)).as(text).isInstanceOf(java.io.IOException.class);
            assertThatThrownBy(() -> decodeStream(plain, text)).as(text).isInstanceOf(java.io.IOException.class);
        }
    }

    @Test
    void extensionNameCheckMatchesTheCloudEventsPattern() {
        for (String name : List.of("", "a", "z9", "A", "a_b", "a-b", "\u00e9", "12345678901234567890",
                "123456789012345678901", "abc ", "\u0660")) {
            assertThat(CloudEventJson.isExtensionName(name)).as(name).isEqualTo(name.matches("[a-z0-9]{1,20}"));
        }
    }

    private Object decodeTree(CloudEventJson cej, String text) throws Exception {
        try {
            return describe(cej.fromJson(mapper.readTree(text)));
        } catch (InvalidEventException e) {
            return e.error() + ": " + e.detail();
        }
    }

    private Object decodeStream(CloudEventJson cej, String text) throws Exception {
        try (JsonParser p = mapper.getFactory().createParser(text)) {
            return describe(cej.fromJson(p));
        } catch (InvalidEventException e) {
            return e.error() + ": " + e.detail();
        }
    }

    /** The value's classes all the way down, with map keys in order. */
    private static Object shape(Object v) {
        if (v instanceof Map<?, ?> m) {
            List<Object> out = new ArrayList<>();
            out.add(m.getClass());
            m.forEach((k, x) -> {
                out.add(k);
                out.add(shape(x));
            });
            return out;
        } else if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            out.add(l.getClass());
            l.forEach(x -> out.add(shape(x)));
            return out;
        }
        return v == null ? "null" : v.getClass().getName() + ":" + v;
    }

    /** The event with everything equals ignores: extension order and value classes. */
    private static List<Object> describe(Event e) {
        List<Object> d = new ArrayList<>();
        d.add(e);
        d.add(e.toString());
        d.add(new ArrayList<>(e.getExtensions().keySet()));
        d.add(new ArrayList<>(e.getLabels().keySet()));
        for (Object v : e.getExtensions().values()) {
            d.add(v == null ? null : v.getClass());
        }
        d.add(e.getData() == null ? null : e.getData().getClass());
        d.add(String.valueOf(e.getData()));
        d.add(shape(e.getData()));
        return d;
    }
}
