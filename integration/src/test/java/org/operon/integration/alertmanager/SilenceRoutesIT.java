package org.operon.integration.alertmanager;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.operon.integration.http.ApiTokenCheck;
import org.operon.integration.http.IntakeOptions;
import org.operon.integration.testing.HttpTestServer;
import org.operon.state.OperonState;
import org.operon.state.silence.SilenceStore;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.operon.integration.testing.HttpTestServer.json;
import org.operon.testkit.MovableClock;

/**
 * The Alertmanager silences API over real HTTP (Camel platform-http on a random port) on a real
 * Infinispan store. Each test uses its own alert names, since the server and store are shared.
 */
class SilenceRoutesIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T0 = Instant.parse("2026-11-27T20:00:00Z");
    private static final MovableClock clock = new MovableClock(T0);

    @TempDir
    static Path dataDir;
    private static OperonState state;
    private static HttpTestServer server;

    @BeforeAll
    static void start() throws Exception {
        state = OperonState.open(dataDir, clock);
        SilenceStore store = SilenceStore.open(state, clock);
        server = HttpTestServer.start(IntakeOptions.defaults(),
                new SilenceRoutes(store, clock, ApiTokenCheck.disabled()));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (state != null) {
            state.close();
        }
    }

    private static String time(Instant instant) {
        return instant.toString();
    }

    /** A PostableSilence with one matcher alertname=<alertname>. */
    private static String postable(String id, String alertname, Instant startsAt, Instant endsAt, String comment) {
        return """
                {%s"matchers":[{"name":"alertname","value":"%s","isRegex":false,"isEqual":true}],
                 "startsAt":"%s","endsAt":"%s","createdBy":"ops@example.org","comment":"%s"}"""
                .formatted(id == null ? "" : "\"id\":\"" + id + "\",", alertname, time(startsAt), time(endsAt),
                        comment);
    }

    private static HttpResponse<String> post(String body) {
        return server.post("/api/v2/silences", "application/json", body);
    }

    private static HttpResponse<String> delete(String id) {
        return server.send(server.request("/api/v2/silence/" + id).DELETE().build());
    }

    private static String create(String alertname, Instant startsAt, Instant endsAt) {
        HttpResponse<String> response = post(postable(null, alertname, startsAt, endsAt, "test"));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json(response).get("silenceID").asText();
    }

    private static JsonNode listFiltered(String... filters) {
        StringBuilder query = new StringBuilder();
        for (String f : filters) {
            query.append(query.length() == 0 ? "?" : "&").append("filter=")
                    .append(URLEncoder.encode(f, StandardCharsets.UTF_8));
        }
        HttpResponse<String> response = server.get("/api/v2/silences" + query);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json(response);
    }

    /** The JSON string body of an error answer. */
    private static String errorText(HttpResponse<String> response) {
        JsonNode body = json(response);
        assertThat(body.isTextual()).as("error body is a JSON string: %s", response.body()).isTrue();
        return body.textValue();
    }

    @Test
    void aCreatedSilenceIsReadBackAsAGettableSilence() throws Exception {
        Instant now = clock.instant();
        HttpResponse<String> created = post("""
                {"matchers":[{"name":"alertname","value":"ShapeCheck","isRegex":false,"isEqual":true},
                             {"name":"instance","value":"web-.*","isRegex":true,"isEqual":false}],
                 "startsAt":"%s","endsAt":"2026-11-27T22:00:00.000+01:00",
                 "createdBy":"ops@example.org","comment":"disk swap"}""".formatted(time(now)));

        assertThat(created.statusCode()).isEqualTo(200);
        assertThat(created.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode answer = json(created);
        assertThat(answer.fieldNames()).toIterable().containsExactly("silenceID");
        String id = answer.get("silenceID").asText();
        assertThat(UUID.fromString(id).toString()).isEqualTo(id);

        HttpResponse<String> got = server.get("/api/v2/silence/" + id);

        assertThat(got.statusCode()).isEqualTo(200);
        assertThat(got.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode expected = JSON.readTree("""
                {"id":"%s","status":{"state":"active"},"updatedAt":"2026-11-27T20:00:00.000Z",
                 "matchers":[{"name":"alertname","value":"ShapeCheck","isRegex":false,"isEqual":true},
                             {"name":"instance","value":"web-.*","isRegex":true,"isEqual":false}],
                 "startsAt":"2026-11-27T20:00:00.000Z","endsAt":"2026-11-27T21:00:00.000Z",
                 "createdBy":"ops@example.org","comment":"disk swap"}""".formatted(id));
        assertThat(JSON.readTree(got.body())).isEqualTo(expected);
        assertThat(json(got).fieldNames()).toIterable().containsExactly("id", "status", "updatedAt", "matchers",
                "startsAt", "endsAt", "createdBy", "comment");
    }

    @Test
    void listingReturnsAnArrayFilteredByMatchersInAmtoolSyntax() {
        Instant now = clock.instant();
        String a = create("ListA", now, now.plus(Duration.ofHours(1)));
        String b = create("ListB", now, now.plus(Duration.ofHours(2)));
        String pending = create("ListA", now.plus(Duration.ofHours(1)), now.plus(Duration.ofHours(2)));

        JsonNode all = listFiltered();
        JsonNode onlyA = listFiltered("alertname=\"ListA\"");
        JsonNode unquoted = listFiltered("alertname=ListB");
        JsonNode none = listFiltered("alertname=\"ListA\"", "instance=\"x\"");

        assertThat(all.isArray()).isTrue();
        assertThat(all).extracting(s -> s.get("id").asText()).contains(a, b, pending);
        assertThat(onlyA).extracting(s -> s.get("id").asText()).containsExactly(a, pending);
        assertThat(onlyA).extracting(s -> s.get("status").get("state").asText()).containsExactly("active", "pending");
        assertThat(unquoted).extracting(s -> s.get("id").asText()).containsExactly(b);
        assertThat(none).isEmpty();
    }

    @Test
    void filtersWithSpacesQuotesAndAmpersandsSurviveTheQueryString() {
        Instant now = clock.instant();
        HttpResponse<String> created = post("""
                {"matchers":[{"name":"summary","value":"a & b = \\"c\\" d+e","isRegex":false}],
                 "endsAt":"%s","createdBy":"ops","comment":""}""".formatted(time(now.plus(Duration.ofHours(1)))));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        String id = json(created).get("silenceID").asText();

        JsonNode found = listFiltered("summary=\"a & b = \\\"c\\\" d+e\"");

        assertThat(found).extracting(s -> s.get("id").asText()).containsExactly(id);
        assertThat(found.get(0).get("matchers").get(0).get("isEqual").asBoolean()).isTrue();
        assertThat(found.get(0).get("startsAt").asText()).isEqualTo(Rfc3339.format(now));
    }

    @Test
    void aBadFilterIsA400NamingIt() {
        HttpResponse<String> response = server.get("/api/v2/silences?filter="
                + URLEncoder.encode("alertname", StandardCharsets.UTF_8));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(errorText(response)).startsWith("filter: 'alertname' is not a matcher");
    }

    @Test
    void postingWithTheIdOfAnActiveSilenceUpdatesItInPlaceWhenOnlyTimesAndCommentChange() {
        Instant now = clock.instant();
        String id = create("UpdateInPlace", now, now.plus(Duration.ofHours(1)));

        HttpResponse<String> updated = post(postable(id, "UpdateInPlace", now, now.plus(Duration.ofHours(4)),
                "longer"));

        assertThat(updated.statusCode()).isEqualTo(200);
        assertThat(json(updated).get("silenceID").asText()).isEqualTo(id);
        JsonNode silence = json(server.get("/api/v2/silence/" + id));
        assertThat(silence.get("endsAt").asText()).isEqualTo(Rfc3339.format(now.plus(Duration.ofHours(4))));
        assertThat(silence.get("comment").asText()).isEqualTo("longer");
        assertThat(listFiltered("alertname=UpdateInPlace")).hasSize(1);
    }

    @Test
    void postingWithTheIdAndOtherMatchersExpiresTheOldSilenceAndAnswersANewId() {
        Instant now = clock.instant();
        String id = create("ReplaceOld", now, now.plus(Duration.ofHours(1)));

        HttpResponse<String> replaced = post(postable(id, "ReplaceNew", now, now.plus(Duration.ofHours(1)), "other"));

        assertThat(replaced.statusCode()).isEqualTo(200);
        String newId = json(replaced).get("silenceID").asText();
        assertThat(newId).isNotEqualTo(id);
        assertThat(json(server.get("/api/v2/silence/" + id)).get("status").get("state").asText()).isEqualTo("expired");
        assertThat(json(server.get("/api/v2/silence/" + newId)).get("status").get("state").asText()).isEqualTo("active");
    }

    @Test
    void postingWithAnUnknownIdIsA404() {
        Instant now = clock.instant();
        String unknown = UUID.randomUUID().toString();

        HttpResponse<String> response = post(postable(unknown, "Unknown", now, now.plus(Duration.ofHours(1)), "x"));

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(errorText(response)).isEqualTo("silence not found: " + unknown);
    }

    @Test
    void deleteExpiresTheSilenceAndIsIdempotent() {
        Instant now = clock.instant();
        String id = create("Expire", now, now.plus(Duration.ofHours(1)));
        clock.advance(Duration.ofSeconds(30));

        HttpResponse<String> deleted = delete(id);
        HttpResponse<String> again = delete(id);

        assertThat(deleted.statusCode()).isEqualTo(200);
        assertThat(deleted.body()).isEmpty();
        assertThat(again.statusCode()).isEqualTo(200);
        JsonNode silence = json(server.get("/api/v2/silence/" + id));
        assertThat(silence.get("status").get("state").asText()).isEqualTo("expired");
        assertThat(silence.get("endsAt").asText()).isEqualTo(Rfc3339.format(now.plusSeconds(30)));
        assertThat(listFiltered("alertname=Expire")).extracting(s -> s.get("status").get("state").asText())
                .containsExactly("expired");
    }

    @Test
    void unknownIdsAre404ForGetAndDelete() {
        String unknown = UUID.randomUUID().toString();

        assertThat(server.get("/api/v2/silence/" + unknown).statusCode()).isEqualTo(404);
        assertThat(delete(unknown).statusCode()).isEqualTo(404);
        assertThat(errorText(delete(unknown))).isEqualTo("silence not found: " + unknown);
        assertThat(server.get("/api/v2/silence/not-a-uuid").statusCode()).isEqualTo(404);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            malformed JSON           | {"matchers":                                  | the body is not valid JSON
            not an object            | []                                            | body: must be a PostableSilence JSON object
            no matchers              | {"endsAt":"%END%","createdBy":"a","comment":""} | matchers: is required
            empty matchers           | {"matchers":[],"endsAt":"%END%","createdBy":"a","comment":""} | matchers: at least one matcher is required
            matcher not an object    | {"matchers":["a=b"],"endsAt":"%END%","createdBy":"a","comment":""} | matchers[0]: must be an object
            isRegex missing          | {"matchers":[{"name":"a","value":"b"}],"endsAt":"%END%","createdBy":"a","comment":""} | matchers[0].isRegex: is required
            isRegex not boolean      | {"matchers":[{"name":"a","value":"b","isRegex":"no"}],"endsAt":"%END%","createdBy":"a","comment":""} | matchers[0].isRegex: must be true or false
            empty label name         | {"matchers":[{"name":"","value":"b","isRegex":false}],"endsAt":"%END%","createdBy":"a","comment":""} | matchers[0].name: a matcher needs a non-empty label name
            bad regex                | {"matchers":[{"name":"a","value":"b","isRegex":false},{"name":"i","value":"web[","isRegex":true}],"endsAt":"%END%","createdBy":"a","comment":""} | matchers[1].value: invalid regular expression "web["
            all match empty          | {"matchers":[{"name":"a","value":"","isRegex":false},{"name":"b","value":".*","isRegex":true}],"endsAt":"%END%","createdBy":"a","comment":""} | matchers: at least one matcher must not match the empty string
            no endsAt                | {"matchers":[{"name":"a","value":"b","isRegex":false}],"createdBy":"a","comment":""} | endsAt: is required
            endsAt not a time        | {"matchers":[{"name":"a","value":"b","isRegex":false}],"endsAt":"tomorrow","createdBy":"a","comment":""} | endsAt: must be an RFC 3339 time
            endsAt before startsAt   | {"matchers":[{"name":"a","value":"b","isRegex":false}],"startsAt":"%END%","endsAt":"%NOW%","createdBy":"a","comment":""} | endsAt: start time must be before end time
            endsAt in the past       | {"matchers":[{"name":"a","value":"b","isRegex":false}],"startsAt":"2020-01-01T00:00:00Z","endsAt":"2020-01-02T00:00:00Z","createdBy":"a","comment":""} | endsAt: end time must be in the future
            no createdBy             | {"matchers":[{"name":"a","value":"b","isRegex":false}],"endsAt":"%END%","comment":""} | createdBy: is required
            comment not a string     | {"matchers":[{"name":"a","value":"b","isRegex":false}],"endsAt":"%END%","createdBy":"a","comment":7} | comment: must be a string
            """)
    void badInputIsA400WithAMessageNamingTheField(String what, String body, String message) {
        Instant now = clock.instant();
        String filled = body.replace("%END%", time(now.plus(Duration.ofHours(1)))).replace("%NOW%", time(now));

        HttpResponse<String> response = post(filled);

        assertThat(response.statusCode()).as(what).isEqualTo(400);
        assertThat(errorText(response)).as(what).startsWith(message);
    }

    @Test
    void anEmptyBodyIsA400() {
        HttpResponse<String> response = server.send(server.request("/api/v2/silences")
                .POST(HttpRequest.BodyPublishers.noBody()).build());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(errorText(response)).contains("PostableSilence");
    }

    @Test
    void withATokenConfiguredEveryRouteNeedsIt() throws Exception {
        SilenceStore store = SilenceStore.open(state, clock);
        try (HttpTestServer guarded = HttpTestServer.start(IntakeOptions.defaults(),
                new SilenceRoutes(store, clock, ApiTokenCheck.of("s3cret")))) {
            HttpResponse<String> without = guarded.get("/api/v2/silences");
            HttpResponse<String> with = guarded.send(guarded.request("/api/v2/silences")
                    .header("Authorization", "Bearer s3cret").GET().build());
            HttpResponse<String> deleteWithout = guarded.send(guarded.request("/api/v2/silence/" + UUID.randomUUID())
                    .DELETE().build());

            assertThat(without.statusCode()).isEqualTo(401);
            assertThat(errorText(without)).contains("Authorization: Bearer");
            assertThat(with.statusCode()).isEqualTo(200);
            assertThat(deleteWithout.statusCode()).isEqualTo(401);
        }
    }

    @Test
    void theStateShownIsComputedWhenAsked() {
        Instant now = clock.instant();
        String id = create("StateLater", now.plus(Duration.ofMinutes(10)), now.plus(Duration.ofMinutes(20)));

        String before = json(server.get("/api/v2/silence/" + id)).get("status").get("state").asText();
        clock.advance(Duration.ofMinutes(10));
        String during = json(server.get("/api/v2/silence/" + id)).get("status").get("state").asText();
        clock.advance(Duration.ofMinutes(10));
        String after = json(server.get("/api/v2/silence/" + id)).get("status").get("state").asText();

        assertThat(List.of(before, during, after)).containsExactly("pending", "active", "expired");
    }
}
