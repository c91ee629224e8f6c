package org.operon.integration.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.Test;
import org.operon.model.Event;
import org.operon.model.Severity;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The webhooks file: what it accepts, what it refuses and how, and what its mappings make of payloads. */
class WebhookConfigTest {
    static final String TOKEN = "grafana-token-0123456789";
    static final Map<String, String> ENV = Map.of(
            "OPERON_WEBHOOK_GRAFANA_TOKEN", TOKEN,
            "OPERON_WEBHOOK_NAGIOS_TOKEN", "nagios-token-0123456789",
            "OPERON_WEBHOOK_ZABBIX_SECRET", "zabbix-secret-0123456789");

    static JsonNode yaml(String text) {
        try {
            return new YAMLMapper().readTree(text);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static String resource(String name) {
        try (InputStream in = WebhookConfigTest.class.getResourceAsStream("/webhooks/" + name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** The documented example file. */
    static List<Webhook> examples() {
        return WebhookConfig.parse(yaml(resource("webhooks.yaml")), ENV::get);
    }

    private static List<Webhook> parse(String yaml) {
        return WebhookConfig.parse(yaml(yaml), ENV::get);
    }

    private static Webhook one(String event) {
        return parse("""
                webhooks:
                  - name: t
                    auth: {bearer_token: "0123456789abcdef"}
                """ + event).get(0);
    }

    private static WebhookMapping.Result map(Webhook webhook, String json) {
        try {
            return webhook.mapping().map(webhook.name(), json.getBytes(StandardCharsets.UTF_8),
                    new com.fasterxml.jackson.databind.ObjectMapper().readTree(json));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void theDocumentedExamplesAreValid() {
        assertThat(examples()).extracting(Webhook::name).containsExactly("grafana", "nagios", "zabbix");
        assertThat(examples()).extracting(w -> w.auth().toString())
                .containsExactly("bearer token", "bearer token", "HMAC-SHA256 signature in X-Hub-Signature-256");
    }

    @Test
    void anEmptyFileHasNoWebhooks() {
        assertThat(WebhookConfig.parse(yaml(""), ENV::get)).isEmpty();
        assertThat(parse("webhooks: []")).isEmpty();
    }

    @Test
    void mistakesAreRefusedNamingTheWebhookAndTheKey() {
        String auth = "    auth: {bearer_token: \"0123456789abcdef\"}\n";
        assertThatThrownBy(() -> parse("hooks: []")).hasMessageContaining("only a list \"webhooks\"");
        assertThatThrownBy(() -> parse("webhooks:\n  - name: a\n    event: {type: t}\n"))
                .hasMessageContaining("webhook 1 (a): \"auth\" is missing");
        assertThatThrownBy(() -> parse("webhooks:\n  - name: a\n    auth: {}\n    event: {type: t}\n"))
                .hasMessageContaining("exactly one of bearer_token and hmac_sha256_secret");
        assertThatThrownBy(() -> parse("webhooks:\n  - name: a\n" + auth))
                .hasMessageContaining("\"event\" is missing");
        assertThatThrownBy(() -> parse("webhooks:\n  - name: a\n" + auth + "    event: {subject: $.x}\n"))
                .hasMessageContaining("in \"event\": \"type\" is missing");
        assertThatThrownBy(() -> parse("webhooks:\n  - name: a\n" + auth + "    event: {type: t, sevrity: x}\n"))
                .hasMessageContaining("unknown key \"sevrity\"");
        assertThatThrownBy(() -> parse("webhooks:\n  - name: a\n" + auth + "    event: {type: \"$..x\"}\n"))
                .hasMessageContaining("\"type\"").hasMessageContaining("recursive descent");
        assertThatThrownBy(() -> parse("webhooks:\n  - name: a\n" + auth + "    events: \"$.a[?(@.b)]\"\n"
                + "    event: {type: t}\n")).hasMessageContaining("\"events\"").hasMessageContaining("filters");
        assertThatThrownBy(() -> parse("webhooks:\n  - name: a\n" + auth + "    event: {type: t, severity_map: {x: bad}}\n"))
                .hasMessageContaining("severity_map.x").hasMessageContaining("critical, warning, info");
        assertThatThrownBy(() -> parse("webhooks:\n  - name: a\n" + auth + "    event: {type: t}\n  - name: a\n"
                + auth + "    event: {type: t}\n")).hasMessageContaining("webhook 2 (a): the name is used twice");
        assertThatThrownBy(() -> parse("webhooks:\n  - name: Bad/Name\n" + auth + "    event: {type: t}\n"))
                .hasMessageContaining("lower-case letters");
    }

    @Test
    void secretsMustBeLongAndNeverAppearInMessages() {
        assertThatThrownBy(() -> parse("webhooks:\n  - name: a\n    auth: {bearer_token: short-secret}\n"
                + "    event: {type: t}\n"))
                .hasMessageContaining("at least 16 characters").hasMessageNotContaining("short-secret");
        assertThatThrownBy(() -> parse("webhooks:\n  - name: a\n    auth: {hmac_sha256_secret_env: NOT_SET}\n"
                + "    event: {type: t}\n")).hasMessageContaining("NOT_SET, which is not set");
        assertThatThrownBy(() -> parse("webhooks:\n  - name: a\n    auth: {bearer_token: \"0123456789abcdef\","
                + " header: X-Sig}\n    event: {type: t}\n"))
                .hasMessageContaining("\"header\" belongs to hmac_sha256_secret").hasMessageNotContaining("0123456789abcdef");
    }

    @Test
    void theMappingReadsEveryFieldAndTheSeverityMapIgnoresCase() {
        Webhook w = one("""
                    event:
                      id: $.key
                      source: $.origin
                      type: $.kind
                      subject: /host
                      severity: $.state
                      severity_map: {Disaster: critical}
                      time: $.at
                      labels: {team: $.team, fixed: ops, missing: $.nope, empty: $.blank}
                      data: $.payload
                """);
        Event e = map(w, """
                {"key":"k1","origin":"zbx","kind":"problem","host":"h1","state":"DISASTER",
                 "at":"2026-11-26T18:20:00+01:00","team":"db","blank":"","payload":{"v":[1,2]}}""").events().get(0);

        assertThat(e.getId()).isEqualTo("k1");
        assertThat(e.getSource()).isEqualTo("zbx");
        assertThat(e.getType()).isEqualTo("problem");
        assertThat(e.getSubject()).isEqualTo("h1");
        assertThat(e.getSeverity()).isEqualTo(Severity.CRITICAL);
        assertThat(e.getTime()).isEqualTo(Instant.parse("2026-11-26T17:20:00Z"));
        assertThat(e.getLabels()).containsExactly(Map.entry("team", "db"), Map.entry("fixed", "ops"));
        assertThat(e.getData()).isEqualTo(Map.of("v", List.of(1, 2)));
    }

    @Test
    void defaultsAreTheBodyHashTheWebhookSourceInfoAndTheWholeElement() {
        Webhook w = one("    events: $.items[*]\n    event: {type: t}\n");
        String body = "{\"items\":[{\"a\":1},{\"a\":2}]}";
        List<Event> first = map(w, body).events();
        List<Event> retry = map(w, body).events();
        List<Event> other = map(w, "{\"items\":[{\"a\":1},{\"a\":3}]}").events();

        assertThat(first).extracting(Event::getId).allMatch(id -> id.matches("[0-9a-f]{32}-[01]"));
        assertThat(retry).extracting(Event::getId).as("a retry deduplicates")
                .containsExactlyElementsOf(first.stream().map(Event::getId).toList());
        assertThat(other.get(0).getId()).as("another body makes other ids").isNotEqualTo(first.get(0).getId());
        assertThat(first.get(0).getSource()).isEqualTo("webhook:t");
        assertThat(first.get(0).getSubject()).as("no subject: the source").isEqualTo("webhook:t");
        assertThat(first.get(0).getSeverity()).isEqualTo(Severity.INFO);
        assertThat(first.get(1).getData()).isEqualTo(Map.of("a", 2));
    }

    @Test
    void epochSecondsAreTimesToo() {
        Webhook w = one("    event: {type: t, time: $.t}\n");
        assertThat(map(w, "{\"t\":1795717200}").events().get(0).getTime()).isEqualTo(Instant.ofEpochSecond(1795717200));
        assertThat(map(w, "{\"t\":\"1795717200\"}").events().get(0).getTime()).isEqualTo(Instant.ofEpochSecond(1795717200));
        assertThat(map(w, "{\"t\":1795717200.5}").events().get(0).getTime())
                .isEqualTo(Instant.ofEpochMilli(1795717200500L));
    }

    @Test
    void elementsThatCannotBecomeEventsAreRejectedOneByOne() {
        Webhook w = one("""
                    events: $.items[*]
                    event: {type: $.type, severity: $.sev, time: $.t}
                """);
        WebhookMapping.Result result = map(w, """
                {"items":[{"type":"ok"},{"sev":"x"},{"type":"operon.alert"},{"type":"ok","sev":"bad"},
                          {"type":"ok","t":"yesterday"},{"type":"ok","sev":"WARNING"}]}""");

        assertThat(result.events()).extracting(Event::getSeverity).containsExactly(Severity.INFO, Severity.WARNING);
        assertThat(result.rejected()).extracting(r -> r.index() + " " + r.error()).containsExactly(
                "1 missing_attribute", "2 reserved_type", "3 invalid_value", "4 invalid_value");
        assertThat(result.rejected().get(2).detail()).contains("severity 'bad'", "no default");
        assertThat(result.rejected().get(3).detail()).contains("time 'yesterday'");
    }

    @Test
    void aSeverityDefaultCatchesUnmappedValues() {
        Webhook w = one("    event: {type: t, severity: $.s, severity_default: warning}\n");
        assertThat(map(w, "{\"s\":\"odd\"}").events().get(0).getSeverity()).isEqualTo(Severity.WARNING);
        assertThat(map(w, "{}").events().get(0).getSeverity()).isEqualTo(Severity.WARNING);
    }

    @Test
    void aSplitSelectingNothingRejectsThePayload() {
        Webhook w = one("    events: $.alerts[*]\n    event: {type: t}\n");
        WebhookMapping.Result result = map(w, "{\"alerts\":[]}");
        assertThat(result.events()).isEmpty();
        assertThat(result.rejected()).singleElement().satisfies(r -> {
            assertThat(r.index()).isNull();
            assertThat(r.error()).isEqualTo("no_events");
        });
    }
}
