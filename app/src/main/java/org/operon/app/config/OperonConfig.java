package org.operon.app.config;

import org.operon.actions.ActionSinks;
import org.operon.actions.ChatOptions;
import org.operon.actions.DeliveryOptions;
import org.operon.actions.Rate;
import org.operon.actions.TargetPolicy;
import org.operon.actions.PagerDutyOptions;
import org.operon.actions.EmailOptions;
import org.operon.actions.OpsgenieOptions;
import org.operon.actions.WebhookOptions;
import org.operon.actions.TargetSettings;
import org.operon.actions.exec.AwxOptions;
import org.operon.actions.exec.ExecCommandFile;
import org.operon.actions.exec.ExecOptions;
import org.operon.actions.publish.PublishOptions;
import org.operon.actions.mute.MaintenanceWindow;
import org.operon.actions.mute.MaintenanceWindowFile;
import org.operon.engine.SessionFacts;
import org.operon.engine.ThrottlePolicy;
import org.operon.integration.webhook.Webhook;
import org.operon.integration.webhook.WebhookConfig;
import org.operon.integration.kafka.KafkaSourceOptions;
import org.operon.model.AlertLimits;
import org.operon.model.IncidentPolicy;
import org.operon.model.InhibitRule;
import org.operon.state.incident.IncidentStore;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every configuration option of Operon, typed and documented in one place, and the values in force.
 *
 * <p>A value comes from the first of: a JVM system property ({@code -Doperon.http.port=9090}), an
 * environment variable ({@code OPERON_HTTP_PORT=9090}), the file given by {@code operon.config} /
 * {@code OPERON_CONFIG} (default {@code ./application.properties} when it exists), the defaults in
 * the jar's {@code application.properties}. A value that does not parse stops start-up with a
 * {@link ConfigException} naming the key, where the value came from and what is expected.
 */
public final class OperonConfig {

    public static final Setting<String> HTTP_HOST = new Setting<>("operon.http.host", "127.0.0.1",
            "Address the HTTP server binds to. Any address other than a loopback one requires operon.api.token.",
            OperonConfig::nonEmpty, false);
    public static final Setting<Integer> HTTP_PORT = new Setting<>("operon.http.port", "8080",
            "TCP port of the HTTP API.", v -> intIn(v, 1, 65535), false);
    public static final Setting<String> API_TOKEN = new Setting<>("operon.api.token", "",
            "Bearer token required on every /api request except GET /api/v1/health. Empty: no authentication "
                    + "(allowed only on a loopback address).", v -> v, true);
    public static final Setting<Path> DATA_DIR = new Setting<>("operon.data-dir", "./data",
            "Directory for the event journal and the Infinispan file stores; created if missing.",
            v -> Path.of(nonEmpty(v)), false);
    public static final Setting<Integer> INTAKE_MAX_BODY = new Setting<>("operon.intake.max-body-bytes", "1048576",
            "Largest request body accepted by POST /api/v1/events, in bytes; larger bodies get 413.",
            v -> intIn(v, 1024, 64 * 1024 * 1024), false);
    public static final Setting<Integer> ENGINE_QUEUE = new Setting<>("operon.engine.queue-capacity", "100000",
            "Accepted events that may wait for the engine; when full, intake answers 503 with Retry-After.",
            v -> intIn(v, 1, 10_000_000), false);
    public static final Setting<Integer> ENGINE_BATCH = new Setting<>("operon.engine.batch-size", "1000",
            "Events the engine inserts before it fires the rules.", v -> intIn(v, 1, 100_000), false);
    public static final Setting<Duration> ENGINE_TICK = new Setting<>("operon.engine.tick-interval", "200ms",
            "How often an idle engine moves the session clock forward (precision of absence rules).",
            OperonConfig::positiveDuration, false);
    public static final Setting<Duration> ENGINE_RESTORE_HORIZON = new Setting<>("operon.engine.restore-horizon",
            "15m", "Journal history replayed (decisions muted) on start to rebuild windows; at least the longest "
                    + "rule window.", OperonConfig::duration, false);
    public static final Setting<Path> RULES_DIR = new Setting<>("operon.rules.dir", "",
            "Directory of your own rule files (.drl, .drl.xlsx, .drl.xls, .drl.csv), run beside the packaged "
                    + "rules and reloaded when they change or on POST /api/v1/rules/reload (see docs/rules-directory.md). "
                    + "Invalid files stop start-up. Empty: the packaged rules only.",
            v -> v.isBlank() ? null : Path.of(v), false);
    public static final Setting<Long> JOURNAL_SEGMENT_BYTES = new Setting<>("operon.journal.segment-bytes",
            "67108864", "Size at which the event journal rolls to a new segment file.",
            v -> longIn(v, 1024, Long.MAX_VALUE), false);
    public static final Setting<Duration> JOURNAL_RETENTION = new Setting<>("operon.journal.retention", "7d",
            "How long processed journal segments are kept (for replay) before they are deleted.",
            OperonConfig::duration, false);
    public static final Setting<Duration> STATE_RETENTION = new Setting<>("operon.state.retention", "30d",
            "How long audit entries and dead letters are kept.", OperonConfig::positiveDuration, false);
    public static final Setting<String> WEBHOOK_URL = new Setting<>("operon.actions.webhook.url", "",
            "URL the webhook target POSTs decisions to (http or https). Empty: no webhook target.",
            OperonConfig::optionalHttpUrl, true);
    public static final Setting<Duration> WEBHOOK_TIMEOUT = new Setting<>("operon.actions.webhook.timeout", "5s",
            "Connect and response timeout of one attempt of an HTTP, publish (kafka, amqp, mqtt), ticket or awx "
                    + "action.", OperonConfig::positiveDuration, false);
    public static final Setting<Integer> WEBHOOK_ATTEMPTS = new Setting<>("operon.actions.webhook.max-attempts", "3",
            "Attempts per webhook, chat and pagerduty action (5xx, 429, timeouts and connection errors are retried; "
                    + "other 4xx is not).",
            v -> intIn(v, 1, 20), false);
    public static final Setting<Duration> WEBHOOK_BACKOFF = new Setting<>("operon.actions.webhook.backoff", "500ms",
            "Delay before the first webhook retry; doubled for each further attempt.",
            OperonConfig::duration, false);
    public static final Setting<Path> ACTIONS_FILE_DIR = new Setting<>("operon.actions.file.dir", "",
            "Directory of the file target (one JSON line per action, a file per day). Empty: <data-dir>/actions.",
            v -> v.isBlank() ? null : Path.of(v), false);
    public static final Setting<List<String>> ACTIONS_DEFAULT_TARGETS = new Setting<>("operon.actions.targets.default",
            "", "Targets for decision types without their own operon.actions.targets.<type>: a comma-separated "
                    + "list of log, file, webhook, chat, pagerduty. Empty: log and file, plus webhook when a webhook "
                    + "URL is set.",
            OperonConfig::list, false);
    // ---- delivery per target (docs/actions.md "Guarantees"); operon.actions.<target>.<setting> overrides ----
    public static final Setting<Integer> ACTIONS_MAX_CONCURRENT = new Setting<>("operon.actions.max-concurrent", "1",
            "Workers per target: actions of one target performed at once. 1 keeps each target's actions in "
                    + "decision order. Per target: operon.actions.<target>.max-concurrent.",
            v -> intIn(v, 1, 64), false);
    public static final Setting<Integer> ACTIONS_MAX_CONCURRENT_PER_SUBJECT = new Setting<>(
            "operon.actions.max-concurrent-per-subject", "0",
            "At most this many actions of one target for one decision subject at once; 0: no limit. Per target: "
                    + "operon.actions.<target>.max-concurrent-per-subject.",
            v -> intIn(v, 0, 64), false);
    public static final Setting<Rate> ACTIONS_RATE = new Setting<>("operon.actions.rate", "",
            "Rate limit per target, <count>/<s|m|h> (e.g. 10/s, 100/m), starts spaced evenly. Empty: none. "
                    + "Per target: operon.actions.<target>.rate.",
            v -> v.isBlank() ? null : Rate.parse(v), false);
    public static final Setting<Integer> ACTIONS_CIRCUIT_FAILURES = new Setting<>("operon.actions.circuit.failures",
            "5", "Consecutive failed actions (after all attempts) that open a target's circuit; 0: never opens. "
                    + "Per target: operon.actions.<target>.circuit.failures.",
            v -> intIn(v, 0, 10_000), false);
    public static final Setting<Duration> ACTIONS_CIRCUIT_OPEN_FOR = new Setting<>("operon.actions.circuit.open-for",
            "1m", "How long an open circuit holds its target's actions back before one trial action is let through. "
                    + "Per target: operon.actions.<target>.circuit.open-for.",
            OperonConfig::positiveDuration, false);
    // ---- HTTP intake speed (docs/performance.md) ----
    public static final Setting<Integer> HTTP_WORKER_THREADS = new Setting<>("operon.http.worker-threads", "128",
            "Threads that run HTTP requests (the Vert.x worker pool). An intake request holds one while it waits for "
                    + "its journal group to be durable, so this bounds how many requests can share one fsync.",
            v -> intIn(v, 1, 4096), false);
    public static final Setting<String> JOURNAL_DURABILITY = new Setting<>("operon.journal.durability", "disk",
            "disk: events are accepted (202) once written and forced to disk (fsync), so they survive a power loss. "
                    + "os (opt-in): once written to the operating system, which keeps them through a crash of Operon "
                    + "but not of the machine; faster where fsync is slow.",
            v -> oneOf(v, "disk", "os"), false);
    // ---- the chat and pagerduty targets (docs/actions.md) ----
    public static final Setting<String> CHAT_URL = new Setting<>("operon.actions.chat.url", "",
            "Slack (or Mattermost) incoming-webhook URL the chat target POSTs messages to; its path is the token. "
                    + "Empty: no chat target.", OperonConfig::optionalHttpUrl, true);
    public static final Setting<String> CHAT_TEMPLATE = new Setting<>("operon.actions.chat.template", "",
            "Message text of the chat target with {{name}} placeholders (see docs/actions.md); checked at start. "
                    + "Empty: the default per decision family.", v -> v, false);
    public static final Setting<String> PAGERDUTY_URL = new Setting<>("operon.actions.pagerduty.url",
            "https://events.pagerduty.com/v2/enqueue", "PagerDuty Events API v2 endpoint of the pagerduty target.",
            OperonConfig::optionalHttpUrl, false);
    public static final Setting<String> PAGERDUTY_ROUTING_KEY = new Setting<>("operon.actions.pagerduty.routing-key",
            "", "Routing (integration) key of the pagerduty target. Empty: no pagerduty target.", v -> v, true);
    // ---- end of the chat and pagerduty targets ----
    // ---- webhook templates, the email and opsgenie targets (docs/actions.md) ----
    public static final Setting<String> WEBHOOK_METHOD = new Setting<>("operon.actions.webhook.method", "POST",
            "HTTP method of the webhook target: POST or PUT.", v -> v, false);
    public static final Setting<String> WEBHOOK_BODY_TEMPLATE = new Setting<>("operon.actions.webhook.body-template", "",
            "JSON body template of the webhook target (see \"Templates\" in docs/actions.md); checked at start, it must "
                    + "render valid JSON. Empty: the decision as JSON.", v -> v, false);
    public static final Setting<String> WEBHOOK_HEADERS = new Setting<>("operon.actions.webhook.headers", "",
            "Extra headers of the webhook target, comma-separated Name=value templates (e.g. X-Team={{params.team}}). "
                    + "Values may hold credentials: never logged.", v -> v, true);
    public static final Setting<String> EMAIL_HOST = new Setting<>("operon.actions.email.host", "",
            "SMTP server of the email target. Empty: no email target.", v -> v, false);
    public static final Setting<Integer> EMAIL_PORT = new Setting<>("operon.actions.email.port", "25",
            "SMTP port of the email target.", v -> intIn(v, 1, 65535), false);
    public static final Setting<String> EMAIL_USERNAME = new Setting<>("operon.actions.email.username", "",
            "SMTP login of the email target. Empty: no authentication.", v -> v, false);
    public static final Setting<String> EMAIL_PASSWORD = new Setting<>("operon.actions.email.password", "",
            "SMTP password of the email target; never logged.", v -> v, true);
    public static final Setting<String> EMAIL_FROM = new Setting<>("operon.actions.email.from", "",
            "Sender address of the email target (e.g. Operon <operon@example.org>).", v -> v, false);
    public static final Setting<List<String>> EMAIL_TO = new Setting<>("operon.actions.email.to", "",
            "Recipient addresses of the email target, comma-separated.", OperonConfig::list, false);
    public static final Setting<String> EMAIL_SUBJECT_TEMPLATE = new Setting<>("operon.actions.email.subject-template",
            "", "Subject template of the email target; checked at start. Empty: the default.", v -> v, false);
    public static final Setting<String> EMAIL_TEXT_TEMPLATE = new Setting<>("operon.actions.email.text-template", "",
            "Text-part template of the email target; checked at start. Empty: the default.", v -> v, false);
    public static final Setting<String> EMAIL_HTML_TEMPLATE = new Setting<>("operon.actions.email.html-template", "",
            "HTML-part template of the email target (values HTML-escaped); checked at start. Empty: the default.",
            v -> v, false);
    public static final Setting<Boolean> EMAIL_STARTTLS = new Setting<>("operon.actions.email.starttls", "false",
            "Whether the email target requires STARTTLS (true or false).", OperonConfig::trueOrFalse, false);
    public static final Setting<String> OPSGENIE_URL = new Setting<>("operon.actions.opsgenie.url",
            "https://api.opsgenie.com", "Opsgenie API base URL of the opsgenie target (EU: https://api.eu.opsgenie.com).",
            OperonConfig::optionalHttpUrl, false);
    public static final Setting<String> OPSGENIE_API_KEY = new Setting<>("operon.actions.opsgenie.api-key", "",
            "API integration key of the opsgenie target. Empty: no opsgenie target.", v -> v, true);
    public static final Setting<String> OPSGENIE_MESSAGE_TEMPLATE = new Setting<>(
            "operon.actions.opsgenie.message-template", "",
            "Alert message template of the opsgenie target (cut to 130 characters). Empty: the default.", v -> v, false);
    public static final Setting<String> OPSGENIE_DESCRIPTION_TEMPLATE = new Setting<>(
            "operon.actions.opsgenie.description-template", "",
            "Alert description template of the opsgenie target. Empty: the default.", v -> v, false);

    static boolean trueOrFalse(String v) {
        return switch (v.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("expected true or false");
        };
    }

    /** The webhook's method, body template and headers; the templates are checked here, at load. */
    private WebhookOptions webhookOptionsOf() {
        try {
            return WebhookOptions.fromConfig(get(WEBHOOK_METHOD), get(WEBHOOK_BODY_TEMPLATE), get(WEBHOOK_HEADERS));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("Invalid configuration: " + e.getMessage() + " (" + originsOf(WEBHOOK_METHOD,
                    WEBHOOK_BODY_TEMPLATE, WEBHOOK_HEADERS) + "). See \"Templates\" in docs/actions.md.");
        }
    }

    /** The email target's options when its host is set. */
    private EmailOptions emailOptionsOf() {
        if (get(EMAIL_HOST).isBlank()) {
            return null;
        }
        try {
            return new EmailOptions(get(EMAIL_HOST), get(EMAIL_PORT), get(EMAIL_USERNAME), get(EMAIL_PASSWORD),
                    get(EMAIL_FROM), get(EMAIL_TO), get(EMAIL_SUBJECT_TEMPLATE), get(EMAIL_TEXT_TEMPLATE),
                    get(EMAIL_HTML_TEMPLATE), get(EMAIL_STARTTLS));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("Invalid configuration: " + e.getMessage() + " (" + originsOf(EMAIL_HOST,
                    EMAIL_FROM, EMAIL_TO) + "). See \"email\" in docs/actions.md.");
        }
    }

    /** The opsgenie target's options when its API key is set. */
    private OpsgenieOptions opsgenieOptionsOf() {
        if (get(OPSGENIE_API_KEY).isBlank()) {
            return null;
        }
        try {
            return new OpsgenieOptions(get(OPSGENIE_URL), get(OPSGENIE_API_KEY), get(OPSGENIE_MESSAGE_TEMPLATE),
                    get(OPSGENIE_DESCRIPTION_TEMPLATE));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("Invalid configuration: " + e.getMessage() + " (" + originsOf(OPSGENIE_URL,
                    OPSGENIE_API_KEY) + "). See \"opsgenie\" in docs/actions.md.");
        }
    }

    public WebhookOptions webhookOptions() {
        return webhookOptions;
    }

    public Optional<EmailOptions> emailOptions() {
        return Optional.ofNullable(emailOptions);
    }

    public Optional<OpsgenieOptions> opsgenieOptions() {
        return Optional.ofNullable(opsgenieOptions);
    }
    // ---- end of webhook templates, the email and opsgenie targets ----
    // ---- the publish, exec, ansible and awx targets (docs/actions.md) ----
    public static final Setting<String> PUBLISH_KAFKA_BOOTSTRAP_SERVERS = new Setting<>(
            PublishOptions.KAFKA_BOOTSTRAP_SERVERS, "", "Kafka brokers (host:port, comma-separated; plaintext) the kafka "
                    + "target publishes decisions to. Empty: no kafka target.", v -> v, false);
    public static final Setting<String> PUBLISH_KAFKA_TOPIC = new Setting<>(PublishOptions.KAFKA_TOPIC,
            "operon-decisions", "Topic of the kafka target.", v -> v, false);
    public static final Setting<String> PUBLISH_AMQP_URL = new Setting<>(PublishOptions.AMQP_URL, "",
            "AMQP 1.0 broker (Qpid JMS URI, e.g. amqp://broker:5672) the amqp target sends decisions to. Empty: no "
                    + "amqp target.", v -> v, false);
    public static final Setting<String> PUBLISH_AMQP_QUEUE = new Setting<>(PublishOptions.AMQP_QUEUE,
            "operon.decisions", "Queue of the amqp target.", v -> v, false);
    public static final Setting<String> PUBLISH_AMQP_USERNAME = new Setting<>(PublishOptions.AMQP_USERNAME, "",
            "User of the amqp target. Empty: none.", v -> v, false);
    public static final Setting<String> PUBLISH_AMQP_PASSWORD = new Setting<>(PublishOptions.AMQP_PASSWORD, "",
            "Password of the amqp target. Empty: none.", v -> v, true);
    public static final Setting<String> PUBLISH_MQTT_URL = new Setting<>(PublishOptions.MQTT_URL, "",
            "MQTT broker (e.g. tcp://broker:1883 or ssl://broker:8883) the mqtt target publishes decisions to. Empty: "
                    + "no mqtt target.", v -> v, false);
    public static final Setting<String> PUBLISH_MQTT_TOPIC = new Setting<>(PublishOptions.MQTT_TOPIC,
            "operon/decisions", "Topic of the mqtt target (QoS 1, not retained).", v -> v, false);
    public static final Setting<String> PUBLISH_MQTT_CLIENT_ID = new Setting<>(PublishOptions.MQTT_CLIENT_ID,
            "operon-publisher", "MQTT client id of the mqtt target; no other client may use it.", v -> v, false);
    public static final Setting<String> PUBLISH_MQTT_USERNAME = new Setting<>(PublishOptions.MQTT_USERNAME, "",
            "User of the mqtt target. Empty: none.", v -> v, false);
    public static final Setting<String> PUBLISH_MQTT_PASSWORD = new Setting<>(PublishOptions.MQTT_PASSWORD, "",
            "Password of the mqtt target. Empty: none.", v -> v, true);
    public static final Setting<Integer> PUBLISH_MAX_HOPS = new Setting<>(PublishOptions.MAX_HOPS, "3",
            "Highest operonhops an event published by the kafka, amqp, mqtt and operon targets may carry; a decision "
                    + "whose event would go past it fails (stops rules that react to their own events).",
            v -> intIn(v, 1, 100), false);
    public static final Setting<Path> EXEC_FILE = new Setting<>(ExecOptions.FILE, "",
            "YAML allow-list of the commands (exec target) and playbooks (ansible target) decisions may run; "
                    + "checked at start. Empty: no exec or ansible target.",
            v -> v.isBlank() ? null : Path.of(v), false);
    public static final Setting<String> AWX_URL = new Setting<>(AwxOptions.URL, "",
            "AWX / Automation Controller base URL the awx target launches job templates at. Empty: no awx target.",
            OperonConfig::optionalHttpUrl, false);
    public static final Setting<String> AWX_TOKEN = new Setting<>(AwxOptions.TOKEN, "",
            "Bearer token of the awx target.", v -> v, true);
    public static final Setting<List<String>> AWX_JOB_TEMPLATES = new Setting<>(AwxOptions.JOB_TEMPLATES, "",
            "Job template ids (comma-separated) that decisions may launch through the awx target.",
            OperonConfig::idList, false);
    // ---- end of the publish, exec, ansible and awx targets ----
    public static final Setting<Path> MAINTENANCE_FILE = new Setting<>("operon.maintenance.file", "",
            "JSON file of recurring maintenance windows that mute matching decisions like silences (see "
                    + "docs/maintenance-windows.md); read and checked at start. Empty: no maintenance windows.",
            v -> v.isBlank() ? null : Path.of(v), false);
    public static final Setting<List<String>> INCIDENTS_GROUP_BY = new Setting<>("operon.incidents.group-by",
            "service", "Alert labels whose values form an incident's correlation key (comma-separated); firing alerts "
                    + "with the same values join one incident. A missing label counts as \"-\".",
            OperonConfig::labelNames, false);
    public static final Setting<Duration> INCIDENTS_GROUPING_WINDOW = new Setting<>("operon.incidents.grouping-window",
            "24h", "How long after an incident opened new alerts of its key still join it; later ones open a new "
                    + "incident.", OperonConfig::positiveDuration, false);
    public static final Setting<Duration> INCIDENTS_REOPEN_WINDOW = new Setting<>("operon.incidents.reopen-window",
            "30m", "How long after an incident resolved a new firing alert of its key reopens it instead of opening "
                    + "a new one. 0: never reopen.", OperonConfig::duration, false);
    public static final Setting<Duration> INCIDENTS_GROUP_WAIT = new Setting<>("operon.incidents.group-wait", "30s",
            "How long an incident's first notification waits for more alerts to join (Alertmanager's group_wait).",
            OperonConfig::duration, false);
    public static final Setting<Duration> INCIDENTS_GROUP_INTERVAL = new Setting<>("operon.incidents.group-interval",
            "5m", "Least time between two notifications of an incident whose alerts changed (group_interval).",
            OperonConfig::positiveDuration, false);
    public static final Setting<Duration> INCIDENTS_REPEAT_INTERVAL = new Setting<>(
            "operon.incidents.repeat-interval", "4h", "After how long an unchanged, unresolved incident is notified "
                    + "again (repeat_interval).", OperonConfig::positiveDuration, false);
    public static final Setting<Integer> FLAPPING_CHANGES = new Setting<>("operon.flapping.changes", "4",
            "State changes of one alert within operon.flapping.window that mark it flapping; it stops flapping "
                    + "after a quiet window.", v -> intIn(v, 2, 1000), false);
    public static final Setting<Duration> FLAPPING_WINDOW = new Setting<>("operon.flapping.window", "10m",
            "The window of operon.flapping.changes.", OperonConfig::positiveDuration, false);
    public static final Setting<Integer> STORM_THRESHOLD = new Setting<>("operon.storm.threshold", "20",
            "More than this many alerts of one service starting to fire within operon.storm.window is an alert "
                    + "storm; it ends after a quiet window.", v -> intIn(v, 1, 1_000_000), false);
    public static final Setting<Duration> STORM_WINDOW = new Setting<>("operon.storm.window", "2m",
            "The window of operon.storm.threshold.", OperonConfig::positiveDuration, false);
    public static final Setting<Duration> ALERTMANAGER_RESOLVE_TIMEOUT = new Setting<>(
            "operon.alertmanager.resolve-timeout", "4h10m", "How long a firing alert reported by Alertmanager's "
                    + "webhook (POST /api/v1/alertmanager) stays firing without another notification; keep it longer "
                    + "than the route's repeat_interval plus group_interval (see docs/alerts.md). Must be positive.",
            OperonConfig::positiveDuration, false);
    public static final Setting<Path> INHIBIT_FILE = new Setting<>("operon.inhibit.file", "",
            "YAML file of inhibition rules in Alertmanager's format (inhibit_rules, see Inhibition rules below): "
                    + "while a source alert fires, matching target alerts are muted. Checked at start, re-read when "
                    + "it changes. Empty: no inhibition.", OperonConfig::optionalPath, false);
    public static final Setting<Path> THROTTLE_FILE = new Setting<>("operon.throttle.file", "",
            "YAML file of throttles that limit how often decisions of a type act (see Throttles below); read at "
                    + "start. Empty: no throttles.", OperonConfig::optionalPath, false);
    public static final Setting<Path> REFERENCE_DIR = new Setting<>("operon.reference.dir", "",
            "Directory of reference data: services.yaml or services.csv (owning team, tier, dependencies) and "
                    + "teams.yaml or teams.csv (on-call contacts); see docs/reference-data.md. Checked at start, "
                    + "re-read when it changes. Empty: no reference data.", OperonConfig::optionalPath, false);
    public static final Setting<Duration> SHUTDOWN_TIMEOUT = new Setting<>("operon.shutdown.timeout", "30s",
            "How long a clean shutdown waits for accepted events and actions to finish.",
            OperonConfig::positiveDuration, false);

    // ---- Sources (issue 5): named webhooks and syslog ----
    public static final Setting<Path> WEBHOOKS_FILE = new Setting<>("operon.webhooks.file", "",
            "YAML file of named JSON webhooks (POST /api/v1/webhooks/<name>): each with its own bearer token or "
                    + "HMAC-SHA256 secret and a mapping from the payload to event fields (see docs/sources/webhooks.md). "
                    + "Checked at start. Empty: no webhooks.", OperonConfig::optionalPath, false);
    public static final Setting<String> SYSLOG_HOST = new Setting<>("operon.syslog.host", "127.0.0.1",
            "Address the syslog listeners bind to. Any address other than a loopback one requires operon.api.token "
                    + "(syslog itself has no authentication).", OperonConfig::nonEmpty, false);
    public static final Setting<Integer> SYSLOG_UDP_PORT = new Setting<>("operon.syslog.udp-port", "",
            "UDP port of the syslog listener (RFC 5424 and RFC 3164; see docs/sources/syslog.md). 0: any free port. "
                    + "Empty: no UDP listener.", v -> v.isBlank() ? null : intIn(v, 0, 65535), false);
    public static final Setting<Integer> SYSLOG_TCP_PORT = new Setting<>("operon.syslog.tcp-port", "",
            "TCP port of the syslog listener (line-framed or octet-counted messages). 0: any free port. Empty: no "
                    + "TCP listener.", v -> v.isBlank() ? null : intIn(v, 0, 65535), false);
    // ---- AMQP 1.0 and MQTT sources (docs/sources/amqp-mqtt.md) ----
    public static final Setting<String> AMQP_URL = new Setting<>("operon.amqp.url", "",
            "AMQP 1.0 broker the AMQP source consumes from: amqp://host:5672, amqps://host:5671 or "
                    + "failover:(amqp://a:5672,amqp://b:5672) (Qpid JMS URI). Credentials go in operon.amqp.username "
                    + "and operon.amqp.password, never in the URL. Empty: no AMQP source.",
            OperonConfig::optionalAmqpUrl, true);
    public static final Setting<List<String>> AMQP_QUEUES = new Setting<>("operon.amqp.queues", "",
            "Queues the AMQP source consumes (comma-separated), each as the source amqp:<queue>; required when "
                    + "operon.amqp.url is set.", OperonConfig::list, false);
    public static final Setting<String> AMQP_USERNAME = new Setting<>("operon.amqp.username", "",
            "User the AMQP source connects as. Empty: none.", v -> v, false);
    public static final Setting<String> AMQP_PASSWORD = new Setting<>("operon.amqp.password", "",
            "Password of operon.amqp.username; never logged. Empty: none.", v -> v, true);
    public static final Setting<String> MQTT_URL = new Setting<>("operon.mqtt.url", "",
            "MQTT broker the MQTT source subscribes at (MQTT 5): tcp://host:1883, ssl://host:8883, ws://… or wss://…. "
                    + "Credentials go in operon.mqtt.username and operon.mqtt.password. Empty: no MQTT source.",
            OperonConfig::optionalMqttUrl, true);
    public static final Setting<List<String>> MQTT_TOPICS = new Setting<>("operon.mqtt.topics", "",
            "Topic filters the MQTT source subscribes to with QoS 1 (comma-separated, + and # allowed), each as the "
                    + "source mqtt:<topic>; required when operon.mqtt.url is set.", OperonConfig::list, false);
    public static final Setting<String> MQTT_CLIENT_ID = new Setting<>("operon.mqtt.client-id", "operon",
            "MQTT client id; it names the broker's persistent session, so keep it stable and unique to this Operon. "
                    + "With several topics each connection uses <client-id>-<topic>.", OperonConfig::nonEmpty, false);
    public static final Setting<String> MQTT_USERNAME = new Setting<>("operon.mqtt.username", "",
            "User the MQTT source connects as. Empty: none.", v -> v, false);
    public static final Setting<String> MQTT_PASSWORD = new Setting<>("operon.mqtt.password", "",
            "Password of operon.mqtt.username; never logged. Empty: none.", v -> v, true);
    public static final Setting<Duration> MQTT_SESSION_EXPIRY = new Setting<>("operon.mqtt.session-expiry", "7d",
            "How long the broker keeps the MQTT session (subscriptions, unacknowledged messages) while Operon is "
                    + "disconnected; messages published during a longer absence are lost.",
            OperonConfig::positiveDuration, false);
    // ---- end of AMQP 1.0 and MQTT sources ----
    // ---- mapped JSON on the broker sources (docs/sources.md, "Mapped JSON and binary mode") ----
    public static final Setting<String> KAFKA_MAPPING = new Setting<>("operon.kafka.mapping", "",
            "Name of a webhook in operon.webhooks.file whose event mapping turns Kafka record values that are not "
                    + "CloudEvents into events. Empty: only CloudEvents are accepted.", v -> v.trim(), false);
    public static final Setting<String> AMQP_MAPPING = new Setting<>("operon.amqp.mapping", "",
            "Name of a webhook in operon.webhooks.file whose event mapping turns AMQP messages that are not "
                    + "CloudEvents into events. Empty: only CloudEvents are accepted.", v -> v.trim(), false);
    public static final Setting<String> MQTT_MAPPING = new Setting<>("operon.mqtt.mapping", "",
            "Name of a webhook in operon.webhooks.file whose event mapping turns MQTT messages that are not "
                    + "CloudEvents into events. Empty: only CloudEvents are accepted.", v -> v.trim(), false);
    // ---- end of mapped JSON on the broker sources ----
    // ---- Kafka source (docs/sources/kafka.md) ----
    public static final Setting<String> KAFKA_BOOTSTRAP_SERVERS = new Setting<>("operon.kafka.bootstrap-servers", "",
            "Kafka brokers (host:port, comma-separated) to consume CloudEvents from (see docs/sources.md, Kafka). "
                    + "Empty: no Kafka source.", v -> v, false);
    public static final Setting<List<String>> KAFKA_TOPICS = new Setting<>("operon.kafka.topics", "",
            "Topics the Kafka source consumes (comma-separated); required with operon.kafka.bootstrap-servers.",
            OperonConfig::list, false);
    public static final Setting<String> KAFKA_GROUP_ID = new Setting<>("operon.kafka.group-id", "operon",
            "Consumer group of the Kafka source; its committed offsets say where consumption continues after a restart.",
            OperonConfig::nonEmpty, false);
    public static final Setting<String> KAFKA_AUTO_OFFSET_RESET = new Setting<>("operon.kafka.auto-offset-reset",
            "earliest", "Where a consumer group without committed offsets starts: earliest (everything in the topic) "
                    + "or latest (only new records).", v -> oneOf(v, "earliest", "latest"), false);
    public static final Setting<String> KAFKA_SECURITY_PROTOCOL = new Setting<>("operon.kafka.security-protocol",
            "PLAINTEXT", "Kafka security.protocol: PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL.",
            v -> oneOf(v, "PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"), false);
    public static final Setting<String> KAFKA_SASL_MECHANISM = new Setting<>("operon.kafka.sasl-mechanism", "",
            "Kafka sasl.mechanism, e.g. PLAIN, SCRAM-SHA-256, SCRAM-SHA-512. Empty: the client's default (GSSAPI).",
            v -> v, false);
    public static final Setting<String> KAFKA_SASL_JAAS_CONFIG = new Setting<>("operon.kafka.sasl-jaas-config", "",
            "Kafka sasl.jaas.config (login module with user and password); never logged.", v -> v, true);
    public static final Setting<String> KAFKA_SSL_TRUSTSTORE_LOCATION = new Setting<>(
            "operon.kafka.ssl-truststore-location", "", "Kafka ssl.truststore.location: the CA certificates that "
                    + "verify the brokers. Empty: the JVM's default trust store.", v -> v, false);
    public static final Setting<String> KAFKA_SSL_TRUSTSTORE_PASSWORD = new Setting<>(
            "operon.kafka.ssl-truststore-password", "", "Kafka ssl.truststore.password; never logged.", v -> v, true);
    public static final Setting<String> KAFKA_SSL_KEYSTORE_LOCATION = new Setting<>(
            "operon.kafka.ssl-keystore-location", "", "Kafka ssl.keystore.location: Operon's client certificate "
                    + "for mutual TLS. Empty: no client certificate.", v -> v, false);
    public static final Setting<String> KAFKA_SSL_KEYSTORE_PASSWORD = new Setting<>(
            "operon.kafka.ssl-keystore-password", "", "Kafka ssl.keystore.password; never logged.", v -> v, true);
    public static final Setting<Duration> KAFKA_RETRY_BACKOFF = new Setting<>("operon.kafka.retry-backoff", "1s",
            "Delay before retrying a record the engine could not accept now (doubled per attempt, at most 30s); "
                    + "after 5 retries the consumer seeks back and polls the record again. Its offset is not "
                    + "committed meanwhile.", OperonConfig::positiveDuration, false);
    public static final Setting<Integer> KAFKA_MAX_POLL_RECORDS = new Setting<>("operon.kafka.max-poll-records", "500",
            "Records the Kafka source takes per poll (Kafka max.poll.records): their offsets are one commit, and their "
                    + "events go to the journal in appends of about 4,096, each while the rest is decoded. Larger polls cost "
                    + "fewer disk syncs and commits per record.",
            v -> intIn(v, 1, 100_000), false);

    /**
     * The Kafka source's options, or empty when {@code operon.kafka.bootstrap-servers} is not set.
     *
     * @throws ConfigException when brokers are set without topics
     */
    public java.util.Optional<KafkaSourceOptions> kafkaSource() {
        String servers = get(KAFKA_BOOTSTRAP_SERVERS);
        if (servers.isBlank()) {
            return java.util.Optional.empty();
        }
        if (get(KAFKA_TOPICS).isEmpty()) {
            throw new ConfigException("Invalid configuration: operon.kafka.bootstrap-servers is set (from "
                    + origins.get(KAFKA_BOOTSTRAP_SERVERS.key()) + ") but operon.kafka.topics is empty; name the "
                    + "topics to consume (comma-separated), or unset operon.kafka.bootstrap-servers.");
        }
        KafkaSourceOptions.Security security = new KafkaSourceOptions.Security(get(KAFKA_SECURITY_PROTOCOL),
                get(KAFKA_SASL_MECHANISM), get(KAFKA_SASL_JAAS_CONFIG), get(KAFKA_SSL_TRUSTSTORE_LOCATION),
                get(KAFKA_SSL_TRUSTSTORE_PASSWORD), get(KAFKA_SSL_KEYSTORE_LOCATION), get(KAFKA_SSL_KEYSTORE_PASSWORD));
        try {
            return java.util.Optional.of(KafkaSourceOptions.of(servers, get(KAFKA_TOPICS), get(KAFKA_GROUP_ID))
                    .withAutoOffsetReset(get(KAFKA_AUTO_OFFSET_RESET)).withSecurity(security)
                    .withRetries(get(KAFKA_RETRY_BACKOFF), KafkaSourceOptions.DEFAULT_RETRIES)
                    .withMapping(sourceMapping(KAFKA_MAPPING)).withMaxPollRecords(get(KAFKA_MAX_POLL_RECORDS)));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("Invalid configuration: operon.kafka.*: " + e.getMessage());
        }
    }

    static String oneOf(String v, String... allowed) {
        if (!List.of(allowed).contains(v)) {
            throw new IllegalArgumentException("must be one of " + String.join(", ", allowed));
        }
        return v;
    }
    // ---- end of the Kafka source ----
    // ---- Routes directory and schedules (docs/sources/routes.md, docs/sources/schedules.md) ----
    public static final Setting<Path> ROUTES_DIR = new Setting<>("operon.routes.dir", "",
            "Directory of Camel YAML DSL route files (*.yaml, *.camel.yaml) loaded at start; they send CloudEvents to "
                    + "direct:operon-intake and run with Operon's rights (see docs/sources/routes.md). Invalid files stop "
                    + "start-up. Empty: no routes.", OperonConfig::optionalPath, false);
    public static final Setting<Path> SCHEDULES_FILE = new Setting<>("operon.schedules.file", "",
            "YAML file of named cron schedules (name, cron, duration, zone) that rules match as Schedule facts, "
                    + "e.g. business hours (see docs/sources/schedules.md). Checked at start, re-read when it changes. "
                    + "Empty: no schedules.", OperonConfig::optionalPath, false);
    // ---- end of routes directory and schedules ----
    // ---- Ticket sources (docs/sources/tickets.md) ----
    public static final Setting<URI> REDMINE_URL = new Setting<>("operon.redmine.url", "",
            "Redmine server whose issues the Redmine source polls, e.g. https://redmine.example.com (its REST API "
                    + "enabled). Issue changes become operon.ticket.change events; an issue whose description has a "
                    + "line 'operon-incident: inc-…' acknowledges or resolves that incident. Empty: no Redmine source.",
            OperonConfig::optionalRedmineUrl, false);
    public static final Setting<String> REDMINE_API_KEY = new Setting<>("operon.redmine.api-key", "",
            "API key the Redmine source sends as X-Redmine-API-Key (a user allowed to view the issues); never "
                    + "logged; required when operon.redmine.url is set.", v -> v, true);
    public static final Setting<Duration> REDMINE_POLL_INTERVAL = new Setting<>("operon.redmine.poll-interval", "30s",
            "Time between two polls of Redmine for changed issues.", OperonConfig::positiveDuration, false);
    public static final Setting<String> REDMINE_PROJECT = new Setting<>("operon.redmine.project", "",
            "Only issues of this Redmine project (id or identifier). Empty: all projects the key can see.",
            v -> v.isBlank() ? null : v.trim(), false);
    public static final Setting<List<String>> REDMINE_ACKNOWLEDGE_STATUS_IDS = new Setting<>(
            "operon.redmine.acknowledge-status-ids", "2",
            "Redmine status ids (comma-separated) in which an issue acknowledges its incident (2: In Progress on "
                    + "a default install).", OperonConfig::idList, false);
    public static final Setting<List<String>> REDMINE_RESOLVE_STATUS_IDS = new Setting<>(
            "operon.redmine.resolve-status-ids", "",
            "Redmine status ids (comma-separated) in which an issue resolves its incident. Empty: every status "
                    + "Redmine flags is_closed (Closed, Rejected on a default install; its 'Resolved', 3, is not "
                    + "closed: add 3 here to count it).", OperonConfig::idList, false);
    public static final Setting<Integer> REDMINE_OWN_USER_ID = new Setting<>("operon.redmine.own-user-id", "",
            "Redmine user id of Operon's own ticket actions: a change whose last journal entry is by this user is "
                    + "ignored. Empty: none ignored.", v -> v.isBlank() ? null : intIn(v, 1, Integer.MAX_VALUE), false);

    /**
     * The Redmine source's options, or empty when {@code operon.redmine.url} is not set.
     *
     * @throws ConfigException when the URL is set without an API key
     */
    public java.util.Optional<org.operon.integration.ticket.redmine.RedmineOptions> redmineSource() {
        URI url = get(REDMINE_URL);
        if (url == null) {
            return java.util.Optional.empty();
        }
        if (get(REDMINE_API_KEY).isBlank()) {
            throw new ConfigException("Invalid configuration: operon.redmine.url is set (from "
                    + origins.get(REDMINE_URL.key()) + ") but operon.redmine.api-key is empty; set the API key of a "
                    + "Redmine user that can view the issues (My account, API access key), or unset operon.redmine.url.");
        }
        return java.util.Optional.of(new org.operon.integration.ticket.redmine.RedmineOptions(url,
                get(REDMINE_API_KEY), get(REDMINE_POLL_INTERVAL), get(REDMINE_PROJECT),
                ids(get(REDMINE_ACKNOWLEDGE_STATUS_IDS)), ids(get(REDMINE_RESOLVE_STATUS_IDS)),
                get(REDMINE_OWN_USER_ID), 100));
    }

    public static final Setting<String> JIRA_WEBHOOK_SECRET = new Setting<>("operon.jira.webhook-secret", "",
            "Secret of the Jira webhook (POST /api/v1/tickets/jira): Jira signs each request with it (header "
                    + "X-Hub-Signature: sha256=…). At least 16 characters; never logged. Set this or "
                    + "operon.jira.webhook-token; neither: no Jira route.", v -> v, true);
    public static final Setting<String> JIRA_WEBHOOK_TOKEN = new Setting<>("operon.jira.webhook-token", "",
            "Bearer token the Jira sender presents (Authorization: Bearer …), for senders that cannot sign (Jira "
                    + "automation 'Send web request'). At least 16 characters; never logged.", v -> v, true);
    public static final Setting<String> SERVICENOW_WEBHOOK_TOKEN = new Setting<>("operon.servicenow.webhook-token", "",
            "Bearer token ServiceNow's outbound REST message presents to POST /api/v1/tickets/servicenow. At least "
                    + "16 characters; never logged. Empty: no ServiceNow route.", v -> v, true);

    /** The Jira webhook's credential, or null when neither secret nor token is set. */
    public org.operon.integration.webhook.WebhookAuth jiraWebhookAuth() {
        String secret = get(JIRA_WEBHOOK_SECRET);
        String token = get(JIRA_WEBHOOK_TOKEN);
        if (!secret.isEmpty() && !token.isEmpty()) {
            throw new ConfigException("Invalid configuration: both operon.jira.webhook-secret and "
                    + "operon.jira.webhook-token are set; set one of them.");
        }
        try {
            return !secret.isEmpty() ? org.operon.integration.webhook.WebhookAuth.hmacSha256(secret, "X-Hub-Signature")
                    : !token.isEmpty() ? org.operon.integration.webhook.WebhookAuth.bearer(token) : null;
        } catch (IllegalArgumentException e) {
            throw new ConfigException("Invalid configuration: operon.jira.webhook-"
                    + (secret.isEmpty() ? "token" : "secret") + ": must have at least "
                    + org.operon.integration.webhook.WebhookAuth.MIN_SECRET_LENGTH + " characters (e.g. openssl rand -hex 32)");
        }
    }

    /** ServiceNow's credential, or null when no token is set. */
    public org.operon.integration.webhook.WebhookAuth serviceNowWebhookAuth() {
        String token = get(SERVICENOW_WEBHOOK_TOKEN);
        try {
            return token.isEmpty() ? null : org.operon.integration.webhook.WebhookAuth.bearer(token);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("Invalid configuration: operon.servicenow.webhook-token: must have at least "
                    + org.operon.integration.webhook.WebhookAuth.MIN_SECRET_LENGTH + " characters (e.g. openssl rand -hex 32)");
        }
    }

    /** An http(s) URL without credentials, or null for empty. */
    static URI optionalRedmineUrl(String v) {
        if (v.isBlank()) {
            return null;
        }
        URI uri;
        try {
            uri = URI.create(v.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("must be an http:// or https:// URL, not '" + v + "'");
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null
                || uri.getUserInfo() != null) {
            throw new IllegalArgumentException("must be an http:// or https:// URL without credentials, e.g. "
                    + "https://redmine.example.com");
        }
        return uri;
    }

    /** Comma-separated positive whole numbers (ids), kept as text; empty: none. */
    static List<String> idList(String v) {
        List<String> out = list(v);
        out.forEach(item -> intIn(item, 1, Integer.MAX_VALUE));
        return out;
    }

    private static java.util.Set<Integer> ids(List<String> ids) {
        return ids.stream().map(Integer::valueOf).collect(java.util.stream.Collectors.toUnmodifiableSet());
    }
    // ---- end of the ticket sources ----

    // ---- the ticket targets: redmine, jira, servicenow (docs/actions.md) ----
    public static final Setting<String> ACTIONS_REDMINE_URL = new Setting<>("operon.actions.redmine.url", "",
            "Redmine base URL of the redmine target: one issue per incident (see docs/actions.md). Empty: no redmine "
                    + "target.", OperonConfig::optionalHttpUrl, false);
    public static final Setting<String> ACTIONS_REDMINE_API_KEY = new Setting<>("operon.actions.redmine.api-key", "",
            "API key of the redmine target (X-Redmine-API-Key); its user authors Operon's changes: give that user's "
                    + "id as operon.redmine.own-user-id.", v -> v, true);
    public static final Setting<String> ACTIONS_REDMINE_PROJECT = new Setting<>("operon.actions.redmine.project", "",
            "Project (id or identifier) the redmine target creates issues in; required with its URL.", v -> v, false);
    public static final Setting<Integer> ACTIONS_REDMINE_TRACKER_ID = new Setting<>("operon.actions.redmine.tracker-id",
            "", "Tracker id of new issues. Empty: the project's default.",
            v -> v.isBlank() ? null : intIn(v, 1, Integer.MAX_VALUE), false);
    public static final Setting<Integer> ACTIONS_REDMINE_PRIORITY_ID = new Setting<>("operon.actions.redmine.priority-id",
            "", "Priority id of new issues. Empty: Redmine's default priority.",
            v -> v.isBlank() ? null : intIn(v, 1, Integer.MAX_VALUE), false);
    public static final Setting<Integer> ACTIONS_REDMINE_RESOLVED_STATUS_ID = new Setting<>(
            "operon.actions.redmine.resolved-status-id", "3",
            "Status id the redmine target sets when its incident resolves (3: Resolved on a default install).",
            v -> intIn(v, 1, Integer.MAX_VALUE), false);
    public static final Setting<String> ACTIONS_JIRA_URL = new Setting<>("operon.actions.jira.url", "",
            "Jira base URL of the jira target: one issue per incident through REST API v2 (see docs/actions.md). "
                    + "Empty: no jira target.", OperonConfig::optionalHttpUrl, false);
    public static final Setting<String> ACTIONS_JIRA_EMAIL = new Setting<>("operon.actions.jira.email", "",
            "Account email of the jira target (Jira Cloud: basic auth email:api-token). Empty: the token is a personal "
                    + "access token sent as Bearer (Data Center).", v -> v, false);
    public static final Setting<String> ACTIONS_JIRA_API_TOKEN = new Setting<>("operon.actions.jira.api-token", "",
            "API token (or personal access token) of the jira target; required with its URL.", v -> v, true);
    public static final Setting<String> ACTIONS_JIRA_PROJECT = new Setting<>("operon.actions.jira.project", "",
            "Project key the jira target creates issues in, e.g. OPS; required with its URL.", v -> v, false);
    public static final Setting<String> ACTIONS_JIRA_ISSUE_TYPE = new Setting<>("operon.actions.jira.issue-type",
            "Task", "Issue type name of new Jira issues.", v -> v, false);
    public static final Setting<String> ACTIONS_JIRA_RESOLVE_TRANSITION = new Setting<>(
            "operon.actions.jira.resolve-transition", "Done",
            "Name of the workflow transition the jira target performs when its incident resolves.", v -> v, false);
    public static final Setting<String> ACTIONS_SERVICENOW_URL = new Setting<>("operon.actions.servicenow.url", "",
            "ServiceNow instance URL of the servicenow target: one incident record per incident through the Table "
                    + "API (see docs/actions.md). Empty: no servicenow target.", OperonConfig::optionalHttpUrl, false);
    public static final Setting<String> ACTIONS_SERVICENOW_USERNAME = new Setting<>("operon.actions.servicenow.username",
            "", "User of the servicenow target (basic auth); required with its URL.", v -> v, false);
    public static final Setting<String> ACTIONS_SERVICENOW_PASSWORD = new Setting<>("operon.actions.servicenow.password",
            "", "Password of the servicenow target; required with its URL.", v -> v, true);
    public static final Setting<String> ACTIONS_SERVICENOW_ASSIGNMENT_GROUP = new Setting<>(
            "operon.actions.servicenow.assignment-group", "",
            "assignment_group (name or sys_id) of new ServiceNow incidents. Empty: none set.", v -> v, false);
    public static final Setting<String> ACTIONS_SERVICENOW_CLOSE_CODE = new Setting<>(
            "operon.actions.servicenow.close-code", "Solution provided",
            "close_code the servicenow target sets when its incident resolves (state 6, Resolved).", v -> v, false);

    /**
     * The ticket targets' options: each present when its URL is set, its other settings then checked.
     *
     * @throws ConfigException naming the key of a missing or invalid setting
     */
    public org.operon.actions.ticket.TicketOptions ticketTargets() {
        try {
            org.operon.actions.ticket.RedmineTicketOptions redmine = get(ACTIONS_REDMINE_URL).isBlank() ? null
                    : new org.operon.actions.ticket.RedmineTicketOptions(get(ACTIONS_REDMINE_URL),
                    get(ACTIONS_REDMINE_API_KEY), get(ACTIONS_REDMINE_PROJECT), get(ACTIONS_REDMINE_TRACKER_ID),
                    get(ACTIONS_REDMINE_PRIORITY_ID), get(ACTIONS_REDMINE_RESOLVED_STATUS_ID));
            org.operon.actions.ticket.JiraTicketOptions jira = get(ACTIONS_JIRA_URL).isBlank() ? null
                    : new org.operon.actions.ticket.JiraTicketOptions(get(ACTIONS_JIRA_URL), get(ACTIONS_JIRA_EMAIL),
                    get(ACTIONS_JIRA_API_TOKEN), get(ACTIONS_JIRA_PROJECT), get(ACTIONS_JIRA_ISSUE_TYPE),
                    get(ACTIONS_JIRA_RESOLVE_TRANSITION));
            org.operon.actions.ticket.ServiceNowTicketOptions serviceNow = get(ACTIONS_SERVICENOW_URL).isBlank() ? null
                    : new org.operon.actions.ticket.ServiceNowTicketOptions(get(ACTIONS_SERVICENOW_URL),
                    get(ACTIONS_SERVICENOW_USERNAME), get(ACTIONS_SERVICENOW_PASSWORD),
                    get(ACTIONS_SERVICENOW_ASSIGNMENT_GROUP), get(ACTIONS_SERVICENOW_CLOSE_CODE));
            return new org.operon.actions.ticket.TicketOptions(redmine, jira, serviceNow);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("Invalid configuration: " + e.getMessage() + ". See \"Tickets\" in docs/actions.md.");
        }
    }
    // ---- end of the ticket targets ----

    /** All options, in documentation order. */
    public static final List<Setting<?>> ALL = List.of(HTTP_HOST, HTTP_PORT, API_TOKEN, DATA_DIR, INTAKE_MAX_BODY,
            ENGINE_QUEUE, ENGINE_BATCH, ENGINE_TICK, ENGINE_RESTORE_HORIZON, RULES_DIR, JOURNAL_SEGMENT_BYTES,
            JOURNAL_RETENTION, STATE_RETENTION, WEBHOOK_URL, WEBHOOK_TIMEOUT, WEBHOOK_ATTEMPTS, WEBHOOK_BACKOFF,
            ACTIONS_FILE_DIR, ACTIONS_DEFAULT_TARGETS, CHAT_URL, CHAT_TEMPLATE, PAGERDUTY_URL, PAGERDUTY_ROUTING_KEY,
            MAINTENANCE_FILE, INCIDENTS_GROUP_BY, INCIDENTS_GROUPING_WINDOW,
            INCIDENTS_REOPEN_WINDOW, INCIDENTS_GROUP_WAIT, INCIDENTS_GROUP_INTERVAL, INCIDENTS_REPEAT_INTERVAL,
            FLAPPING_CHANGES, FLAPPING_WINDOW, STORM_THRESHOLD, STORM_WINDOW, ALERTMANAGER_RESOLVE_TIMEOUT,
            INHIBIT_FILE, THROTTLE_FILE,
            REFERENCE_DIR, SHUTDOWN_TIMEOUT,
            WEBHOOKS_FILE, SYSLOG_HOST, SYSLOG_UDP_PORT, SYSLOG_TCP_PORT,
            AMQP_URL, AMQP_QUEUES, AMQP_USERNAME, AMQP_PASSWORD, MQTT_URL, MQTT_TOPICS, MQTT_CLIENT_ID, MQTT_USERNAME,
            MQTT_PASSWORD, MQTT_SESSION_EXPIRY,
            // the Kafka source
            KAFKA_BOOTSTRAP_SERVERS, KAFKA_TOPICS, KAFKA_GROUP_ID, KAFKA_AUTO_OFFSET_RESET, KAFKA_SECURITY_PROTOCOL,
            KAFKA_SASL_MECHANISM, KAFKA_SASL_JAAS_CONFIG, KAFKA_SSL_TRUSTSTORE_LOCATION, KAFKA_SSL_TRUSTSTORE_PASSWORD,
            KAFKA_SSL_KEYSTORE_LOCATION, KAFKA_SSL_KEYSTORE_PASSWORD, KAFKA_RETRY_BACKOFF, KAFKA_MAX_POLL_RECORDS,
            // mapped JSON on the broker sources
            KAFKA_MAPPING, AMQP_MAPPING, MQTT_MAPPING,
            // routes directory and schedules
            ROUTES_DIR, SCHEDULES_FILE,
            // the ticket sources
            REDMINE_URL, REDMINE_API_KEY, REDMINE_POLL_INTERVAL, REDMINE_PROJECT, REDMINE_ACKNOWLEDGE_STATUS_IDS,
            REDMINE_RESOLVE_STATUS_IDS, REDMINE_OWN_USER_ID, JIRA_WEBHOOK_SECRET, JIRA_WEBHOOK_TOKEN,
            SERVICENOW_WEBHOOK_TOKEN,
            // webhook templates, the email and opsgenie targets
            WEBHOOK_METHOD, WEBHOOK_BODY_TEMPLATE, WEBHOOK_HEADERS, EMAIL_HOST, EMAIL_PORT, EMAIL_USERNAME,
            EMAIL_PASSWORD, EMAIL_FROM, EMAIL_TO, EMAIL_SUBJECT_TEMPLATE, EMAIL_TEXT_TEMPLATE, EMAIL_HTML_TEMPLATE,
            EMAIL_STARTTLS, OPSGENIE_URL, OPSGENIE_API_KEY, OPSGENIE_MESSAGE_TEMPLATE, OPSGENIE_DESCRIPTION_TEMPLATE,
            // the publish, exec, ansible and awx targets
            PUBLISH_KAFKA_BOOTSTRAP_SERVERS, PUBLISH_KAFKA_TOPIC, PUBLISH_AMQP_URL, PUBLISH_AMQP_QUEUE,
            PUBLISH_AMQP_USERNAME, PUBLISH_AMQP_PASSWORD, PUBLISH_MQTT_URL, PUBLISH_MQTT_TOPIC, PUBLISH_MQTT_CLIENT_ID,
            PUBLISH_MQTT_USERNAME, PUBLISH_MQTT_PASSWORD, PUBLISH_MAX_HOPS, EXEC_FILE, AWX_URL, AWX_TOKEN,
            AWX_JOB_TEMPLATES,
            // the ticket targets
            ACTIONS_REDMINE_URL, ACTIONS_REDMINE_API_KEY, ACTIONS_REDMINE_PROJECT, ACTIONS_REDMINE_TRACKER_ID,
            ACTIONS_REDMINE_PRIORITY_ID, ACTIONS_REDMINE_RESOLVED_STATUS_ID, ACTIONS_JIRA_URL, ACTIONS_JIRA_EMAIL,
            ACTIONS_JIRA_API_TOKEN, ACTIONS_JIRA_PROJECT, ACTIONS_JIRA_ISSUE_TYPE, ACTIONS_JIRA_RESOLVE_TRANSITION,
            ACTIONS_SERVICENOW_URL, ACTIONS_SERVICENOW_USERNAME, ACTIONS_SERVICENOW_PASSWORD,
            ACTIONS_SERVICENOW_ASSIGNMENT_GROUP, ACTIONS_SERVICENOW_CLOSE_CODE,
            // delivery per target
            ACTIONS_MAX_CONCURRENT, ACTIONS_MAX_CONCURRENT_PER_SUBJECT, ACTIONS_RATE, ACTIONS_CIRCUIT_FAILURES,
            ACTIONS_CIRCUIT_OPEN_FOR,
            // HTTP intake speed
            HTTP_WORKER_THREADS, JOURNAL_DURABILITY);

    /** Per-type targets: {@code operon.actions.targets.<decision type>=log,webhook}. */
    public static final String TARGETS_PREFIX = "operon.actions.targets.";

    private final Map<String, Object> values = new LinkedHashMap<>();
    private final Map<String, String> origins = new LinkedHashMap<>();
    private final Map<String, List<String>> targetsByType = new TreeMap<>();
    /** Per-type approval timeouts: {@code operon.actions.approval.<decision type>=30m}. */
    public static final String APPROVAL_PREFIX = "operon.actions.approval.";
    private final Map<String, Duration> approvalTimeouts = new TreeMap<>();
    private List<MaintenanceWindow> maintenanceWindows = List.of();
    private IncidentPolicy incidentPolicy;
    private AlertLimits alertLimits;
    private List<InhibitRule> inhibitRules = List.of();
    private List<ThrottlePolicy> throttles = List.of();
    private List<Webhook> webhooks = List.of();
    private ChatOptions chatOptions;
    private PagerDutyOptions pagerDutyOptions;
    private WebhookOptions webhookOptions;
    private EmailOptions emailOptions;
    private OpsgenieOptions opsgenieOptions;
    private List<TargetSettings> actionTargetSettings = List.of();
    private DeliveryOptions deliveryOptions;

    private OperonConfig() {
    }

    /** Loads from the process: system properties, environment, optional file, jar defaults. */
    public static OperonConfig load() {
        return load(System.getenv(), System.getProperties());
    }

    /**
     * Loads from the given sources (see the class comment for the order).
     *
     * @throws ConfigException naming the first key whose value is wrong
     */
    public static OperonConfig load(Map<String, String> env, Properties system) {
        Properties defaults = new Properties();
        try (InputStream in = OperonConfig.class.getResourceAsStream("/application.properties")) {
            if (in != null) {
                defaults.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new ConfigException("cannot read the built-in application.properties: " + e.getMessage());
        }
        Properties file = new Properties();
        String fileName = system.getProperty("operon.config", env.getOrDefault("OPERON_CONFIG", ""));
        Path filePath = fileName.isBlank() ? Path.of("application.properties") : Path.of(fileName);
        if (Files.isRegularFile(filePath)) {
            try (Reader r = Files.newBufferedReader(filePath, StandardCharsets.UTF_8)) {
                file.load(r);
            } catch (IOException e) {
                throw new ConfigException("cannot read configuration file " + filePath + ": " + e.getMessage());
            }
        } else if (!fileName.isBlank()) {
            throw new ConfigException("configuration file " + filePath + " (operon.config) does not exist");
        }

        OperonConfig config = new OperonConfig();
        for (Setting<?> s : ALL) {
            config.resolve(s, env, system, file, defaults);
        }
        // Per-type action targets may come from any source.
        Map<String, String> typed = new TreeMap<>();
        for (Properties p : List.of(defaults, file)) {
            p.stringPropertyNames().stream().filter(k -> k.startsWith(TARGETS_PREFIX))
                    .forEach(k -> typed.put(k, p.getProperty(k)));
        }
        env.forEach((k, v) -> {
            if (k.startsWith("OPERON_ACTIONS_TARGETS_") && !k.equals("OPERON_ACTIONS_TARGETS_DEFAULT")) {
                typed.put(TARGETS_PREFIX + k.substring("OPERON_ACTIONS_TARGETS_".length()).toLowerCase().replace('_', '-'), v);
            }
        });
        system.stringPropertyNames().stream().filter(k -> k.startsWith(TARGETS_PREFIX))
                .forEach(k -> typed.put(k, system.getProperty(k)));
        typed.remove(ACTIONS_DEFAULT_TARGETS.key());
        typed.forEach((k, v) -> config.targetsByType.put(k.substring(TARGETS_PREFIX.length()), list(v)));
        config.readApprovals(env, system, file, defaults);
        config.checkExposure();
        config.checkBrokerSources();
        config.maintenanceWindows = readMaintenanceWindows(config.get(MAINTENANCE_FILE));
        config.incidentPolicy = config.incidentPolicyOf();
        config.alertLimits = config.alertLimitsOf();
        config.chatOptions = config.chatOptionsOf();
        config.pagerDutyOptions = config.pagerDutyOptionsOf();
        config.webhookOptions = config.webhookOptionsOf();
        config.emailOptions = config.emailOptionsOf();
        config.opsgenieOptions = config.opsgenieOptionsOf();
        config.actionTargetSettings = config.actionTargetSettingsOf();
        config.deliveryOptions = config.deliveryOptionsOf(env, system, file, defaults);
        Path inhibitFile = config.get(INHIBIT_FILE);
        config.inhibitRules = inhibitFile == null ? List.of() : checked(INHIBIT_FILE,
                () -> InhibitRuleFile.read(inhibitFile), "See \"Inhibition rules\" in docs/configuration.md.");
        Path throttleFile = config.get(THROTTLE_FILE);
        config.throttles = throttleFile == null ? List.of() : checked(THROTTLE_FILE,
                () -> ThrottleFile.read(throttleFile), "See \"Throttles\" in docs/configuration.md.");
        Path webhooksFile = config.get(WEBHOOKS_FILE);
        config.webhooks = webhooksFile == null ? List.of() : checked(WEBHOOKS_FILE,
                () -> readWebhooks(webhooksFile, env), "See docs/sources/webhooks.md.");
        config.kafkaSource(); // checks that brokers come with topics and that the mapping exists
        config.sourceMapping(AMQP_MAPPING);
        config.sourceMapping(MQTT_MAPPING);
        config.redmineSource(); // checks that a Redmine URL comes with an API key
        config.jiraWebhookAuth(); // checks the ticket webhooks' credentials
        config.serviceNowWebhookAuth();
        config.ticketTargets(); // checks that a ticket target's URL comes with its credentials and project
        Path referenceDir = config.get(REFERENCE_DIR);
        if (referenceDir != null) {
            checked(REFERENCE_DIR, () -> ReferenceData.load(referenceDir), "See docs/reference-data.md.");
        }
        return config;
    }

    private <T> void resolve(Setting<T> s, Map<String, String> env, Properties system, Properties file,
                             Properties defaults) {
        String origin;
        String raw;
        if (system.getProperty(s.key()) != null) {
            raw = system.getProperty(s.key());
            origin = "system property " + s.key();
        } else if (env.get(s.envName()) != null) {
            raw = env.get(s.envName());
            origin = "environment variable " + s.envName();
        } else if (file.getProperty(s.key()) != null) {
            raw = file.getProperty(s.key());
            origin = "configuration file";
        } else {
            raw = defaults.getProperty(s.key(), s.defaultValue());
            origin = "default";
        }
        origins.put(s.key(), origin);
        try {
            values.put(s.key(), s.parser().apply(raw.trim()));
        } catch (RuntimeException e) {
            String shown = s.secret() ? "(secret, not shown)" : "'" + raw + "'";
            throw new ConfigException("Invalid configuration: " + s.key() + " = " + shown + " (from " + origin
                    + "): " + e.getMessage() + ". " + s.description());
        }
    }

    /** The value of {@code supplier}, or a {@link ConfigException} naming {@code setting} for a bad file. */
    private static <T> T checked(Setting<?> setting, java.util.function.Supplier<T> supplier, String hint) {
        try {
            return supplier.get();
        } catch (ConfigFileException e) {
            throw new ConfigException("Invalid configuration: " + setting.key() + ": " + e.getMessage() + ". " + hint);
        }
    }

    private IncidentPolicy incidentPolicyOf() {
        try {
            return new IncidentPolicy(get(INCIDENTS_GROUP_BY), get(INCIDENTS_GROUPING_WINDOW),
                    get(INCIDENTS_REOPEN_WINDOW), get(INCIDENTS_GROUP_WAIT), get(INCIDENTS_GROUP_INTERVAL),
                    get(INCIDENTS_REPEAT_INTERVAL));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("Invalid configuration: operon.incidents.* (" + originsOf(INCIDENTS_GROUP_BY,
                    INCIDENTS_GROUPING_WINDOW, INCIDENTS_REOPEN_WINDOW, INCIDENTS_GROUP_WAIT, INCIDENTS_GROUP_INTERVAL,
                    INCIDENTS_REPEAT_INTERVAL) + "): " + e.getMessage());
        }
    }

    /** The chat target's options when its URL is set; the template is checked here, at load. */
    private ChatOptions chatOptionsOf() {
        if (get(CHAT_URL).isBlank()) {
            return null;
        }
        try {
            return new ChatOptions(get(CHAT_URL), get(CHAT_TEMPLATE));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("Invalid configuration: " + e.getMessage() + " (" + originsOf(CHAT_URL,
                    CHAT_TEMPLATE) + "). See \"Templates\" in docs/actions.md.");
        }
    }

    /** The settings of the publish, exec, ansible and awx targets; each checked here, at load. */
    private List<TargetSettings> actionTargetSettingsOf() {
        List<TargetSettings> out = new java.util.ArrayList<>();
        PublishOptions publish;
        try {
            publish = PublishOptions.defaults().withMaxHops(get(PUBLISH_MAX_HOPS));
            if (!get(PUBLISH_KAFKA_BOOTSTRAP_SERVERS).isBlank()) {
                publish = publish.withKafka(new PublishOptions.Kafka(get(PUBLISH_KAFKA_BOOTSTRAP_SERVERS),
                        get(PUBLISH_KAFKA_TOPIC)));
            }
            if (!get(PUBLISH_AMQP_URL).isBlank()) {
                publish = publish.withAmqp(new PublishOptions.Amqp(get(PUBLISH_AMQP_URL), get(PUBLISH_AMQP_QUEUE),
                        get(PUBLISH_AMQP_USERNAME), get(PUBLISH_AMQP_PASSWORD)));
            }
            if (!get(PUBLISH_MQTT_URL).isBlank()) {
                publish = publish.withMqtt(new PublishOptions.Mqtt(get(PUBLISH_MQTT_URL), get(PUBLISH_MQTT_TOPIC),
                        get(PUBLISH_MQTT_CLIENT_ID), get(PUBLISH_MQTT_USERNAME), get(PUBLISH_MQTT_PASSWORD)));
            }
        } catch (IllegalArgumentException e) {
            throw new ConfigException("Invalid configuration: " + e.getMessage() + ". See \"publish\" in docs/actions.md.");
        }
        out.add(publish);
        Path execFile = get(EXEC_FILE);
        if (execFile != null) {
            try {
                out.add(ExecCommandFile.read(execFile));
            } catch (IllegalArgumentException e) {
                throw new ConfigException("Invalid configuration: " + EXEC_FILE.key() + " (" + originsOf(EXEC_FILE)
                        + "): " + e.getMessage() + ". See \"exec\" in docs/actions.md.");
            }
        }
        if (!get(AWX_URL).isBlank()) {
            try {
                out.add(new AwxOptions(get(AWX_URL), get(AWX_TOKEN), new java.util.HashSet<>(ids(get(AWX_JOB_TEMPLATES)))));
            } catch (IllegalArgumentException e) {
                throw new ConfigException("Invalid configuration: " + e.getMessage() + " (" + originsOf(AWX_URL, AWX_TOKEN,
                        AWX_JOB_TEMPLATES) + ")");
            }
        }
        return List.copyOf(out);
    }

    /** The pagerduty target's options when its routing key is set. */
    private PagerDutyOptions pagerDutyOptionsOf() {
        if (get(PAGERDUTY_ROUTING_KEY).isBlank()) {
            return null;
        }
        try {
            return new PagerDutyOptions(get(PAGERDUTY_URL), get(PAGERDUTY_ROUTING_KEY));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("Invalid configuration: " + e.getMessage() + " (" + originsOf(PAGERDUTY_URL,
                    PAGERDUTY_ROUTING_KEY) + ")");
        }
    }

    private AlertLimits alertLimitsOf() {
        try {
            return new AlertLimits(get(FLAPPING_CHANGES), get(FLAPPING_WINDOW), get(STORM_THRESHOLD),
                    get(STORM_WINDOW));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("Invalid configuration: operon.flapping.*, operon.storm.* (" + originsOf(
                    FLAPPING_CHANGES, FLAPPING_WINDOW, STORM_THRESHOLD, STORM_WINDOW) + "): " + e.getMessage());
        }
    }

    private String originsOf(Setting<?>... settings) {
        List<String> out = new ArrayList<>();
        for (Setting<?> s : settings) {
            out.add(s.key() + " from " + origins.get(s.key()));
        }
        return String.join(", ", out);
    }

    /** The webhooks of the file; secrets named by {@code *_env} keys come from {@code env}. */
    private static List<Webhook> readWebhooks(Path file, Map<String, String> env) {
        try {
            return WebhookConfig.parse(YamlFile.read(file), env::get);
        } catch (IllegalArgumentException e) {
            throw new ConfigFileException(file, 0, e.getMessage());
        }
    }

    /** Refuses to listen beyond loopback without an API token. */
    private void checkExposure() {
        String syslogHost = get(SYSLOG_HOST);
        if ((get(SYSLOG_UDP_PORT) != null || get(SYSLOG_TCP_PORT) != null) && !isLoopback(syslogHost)
                && get(API_TOKEN).isBlank()) {
            throw new ConfigException("Refusing to start: operon.syslog.host = '" + syslogHost + "' is not a loopback "
                    + "address and operon.api.token is not set. Set OPERON_API_TOKEN (at least 16 characters) to "
                    + "listen for syslog on other addresses, or bind to 127.0.0.1.");
        }
        String host = get(HTTP_HOST);
        if (!isLoopback(host) && get(API_TOKEN).isBlank()) {
            throw new ConfigException("Refusing to start: operon.http.host = '" + host + "' is not a loopback address "
                    + "and operon.api.token is not set. Set OPERON_API_TOKEN (at least 16 characters) to listen on "
                    + "other addresses, or bind to 127.0.0.1.");
        }
        String token = get(API_TOKEN);
        if (!token.isBlank() && token.length() < 16) {
            throw new ConfigException("Invalid configuration: operon.api.token is shorter than 16 characters; "
                    + "use a long random token (e.g. openssl rand -hex 32).");
        }
    }

    /** A broker URL needs something to consume: queues for AMQP, topics for MQTT. */
    private void checkBrokerSources() {
        if (!get(AMQP_URL).isBlank() && get(AMQP_QUEUES).isEmpty()) {
            throw new ConfigException("Invalid configuration: operon.amqp.url is set but operon.amqp.queues is empty; "
                    + "name the queues to consume (comma-separated), or unset operon.amqp.url.");
        }
        if (!get(MQTT_URL).isBlank() && get(MQTT_TOPICS).isEmpty()) {
            throw new ConfigException("Invalid configuration: operon.mqtt.url is set but operon.mqtt.topics is empty; "
                    + "name the topic filters to subscribe to (comma-separated), or unset operon.mqtt.url.");
        }
    }

    /** An AMQP URI for Qpid JMS, or empty; refuses credentials in it (they would be logged with the URL). */
    static String optionalAmqpUrl(String v) {
        return optionalBrokerUrl(v, List.of("amqp", "amqps", "amqpws", "amqpwss", "failover"),
                "amqp://host:5672, amqps://host:5671 or failover:(amqp://a:5672,amqp://b:5672)");
    }

    /** An MQTT broker URI for Paho, or empty; refuses credentials in it. */
    static String optionalMqttUrl(String v) {
        return optionalBrokerUrl(v, List.of("tcp", "ssl", "ws", "wss"), "tcp://host:1883 or ssl://host:8883");
    }

    private static String optionalBrokerUrl(String v, List<String> schemes, String example) {
        if (v.isBlank()) {
            return "";
        }
        int colon = v.indexOf(':');
        String scheme = colon < 0 ? "" : v.substring(0, colon).toLowerCase(java.util.Locale.ROOT);
        if (!schemes.contains(scheme)) {
            throw new IllegalArgumentException("must be a broker URI such as " + example);
        }
        String authority = v.contains("?") ? v.substring(0, v.indexOf('?')) : v;
        if (authority.contains("@") || v.toLowerCase(java.util.Locale.ROOT).contains("password")) {
            throw new IllegalArgumentException("must not contain credentials; set the username and password keys");
        }
        return v;
    }

    /** The windows of the maintenance file, or none without one; a bad file stops start-up. */
    private static List<MaintenanceWindow> readMaintenanceWindows(Path file) {
        if (file == null) {
            return List.of();
        }
        try {
            return MaintenanceWindowFile.read(file);
        } catch (MaintenanceWindowFile.InvalidMaintenanceWindowsException e) {
            throw new ConfigException("Invalid configuration: " + MAINTENANCE_FILE.key() + ": " + e.getMessage()
                    + ". See docs/maintenance-windows.md.");
        }
    }

    static boolean isLoopback(String host) {
        if (host.equalsIgnoreCase("localhost")) {
            return true;
        }
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    @SuppressWarnings("unchecked")
    public <T> T get(Setting<T> setting) {
        return (T) values.get(setting.key());
    }

    /**
     * Reads {@code operon.actions.approval.<type>=<timeout>} (environment {@code OPERON_ACTIONS_APPROVAL_<TYPE>},
     * {@code _} for {@code -}) from every source, in the usual order; an empty value means no approval.
     *
     * @throws ConfigException naming the key whose value is not a positive duration
     */
    private void readApprovals(Map<String, String> env, Properties system, Properties file, Properties defaults) {
        Map<String, String> typed = new TreeMap<>();
        for (Properties p : List.of(defaults, file)) {
            p.stringPropertyNames().stream().filter(k -> k.startsWith(APPROVAL_PREFIX))
                    .forEach(k -> typed.put(k, p.getProperty(k)));
        }
        env.forEach((k, v) -> {
            if (k.startsWith("OPERON_ACTIONS_APPROVAL_")) {
                typed.put(APPROVAL_PREFIX + k.substring("OPERON_ACTIONS_APPROVAL_".length()).toLowerCase()
                        .replace('_', '-'), v);
            }
        });
        system.stringPropertyNames().stream().filter(k -> k.startsWith(APPROVAL_PREFIX))
                .forEach(k -> typed.put(k, system.getProperty(k)));
        typed.forEach((k, v) -> {
            String type = k.substring(APPROVAL_PREFIX.length());
            if (v.isBlank()) {
                return;
            }
            if (type.isBlank()) {
                throw new ConfigException(k + ": name a decision type, e.g. " + APPROVAL_PREFIX + "remediate=30m");
            }
            try {
                approvalTimeouts.put(type, positiveDuration(v.trim()));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(k + "='" + v + "' " + e.getMessage()
                        + " (how long an action of decision type '" + type + "' waits for approval)");
            }
        });
    }

    /** Decision types whose actions need approval, with how long they wait ({@code operon.actions.approval.<type>}). */
    public Map<String, Duration> approvalTimeouts() {
        return approvalTimeouts;
    }

    /** Targets configured per decision type ({@code operon.actions.targets.<type>}). */
    public Map<String, List<String>> targetsByType() {
        return targetsByType;
    }

    /** The chat target's options ({@code operon.actions.chat.*}); empty when its URL is not set. */
    public Optional<ChatOptions> chatOptions() {
        return Optional.ofNullable(chatOptions);
    }

    /**
     * The settings of the publish ({@code operon.actions.publish.*}), exec and ansible ({@code operon.actions.exec.file})
     * and awx ({@code operon.actions.awx.*}) targets that are configured; publish's are always there (the
     * {@code operon} target needs no broker).
     */
    public List<TargetSettings> actionTargetSettings() {
        return actionTargetSettings;
    }

    /** The pagerduty target's options ({@code operon.actions.pagerduty.*}); empty without a routing key. */
    public Optional<PagerDutyOptions> pagerDutyOptions() {
        return Optional.ofNullable(pagerDutyOptions);
    }

    /**
     * The delivery policy of every target: {@code operon.actions.max-concurrent} and the other delivery
     * settings, overridden per target by {@code operon.actions.<target>.<setting>}.
     */
    public DeliveryOptions deliveryOptions() {
        return deliveryOptions;
    }

    private DeliveryOptions deliveryOptionsOf(Map<String, String> env, Properties system, Properties file,
                                              Properties defaults) {
        // Each value was checked by its setting's parser, so the policy is valid.
        TargetPolicy base = new TargetPolicy(get(ACTIONS_MAX_CONCURRENT), get(ACTIONS_MAX_CONCURRENT_PER_SUBJECT),
                get(ACTIONS_RATE), get(ACTIONS_CIRCUIT_FAILURES), get(ACTIONS_CIRCUIT_OPEN_FOR));
        DeliveryOptions out = new DeliveryOptions(base, Map.of());
        for (String target : new java.util.TreeSet<>(ActionSinks.names())) {
            TargetPolicy policy = base;
            boolean own = false;
            for (String setting : List.of(TargetPolicy.MAX_CONCURRENT, TargetPolicy.MAX_CONCURRENT_PER_SUBJECT,
                    TargetPolicy.RATE, TargetPolicy.CIRCUIT_FAILURES, TargetPolicy.CIRCUIT_OPEN_FOR)) {
                String key = "operon.actions." + target + "." + setting;
                String envName = key.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_');
                String raw = system.getProperty(key) != null ? system.getProperty(key)
                        : env.get(envName) != null ? env.get(envName)
                        : file.getProperty(key) != null ? file.getProperty(key) : defaults.getProperty(key);
                if (raw == null) {
                    continue;
                }
                own = true;
                String v = raw.trim();
                try {
                    policy = switch (setting) {
                        case TargetPolicy.MAX_CONCURRENT -> policy.withMaxConcurrent(intIn(v, 1, 64));
                        case TargetPolicy.MAX_CONCURRENT_PER_SUBJECT -> policy.withMaxConcurrentPerSubject(intIn(v, 0, 64));
                        case TargetPolicy.RATE -> policy.withRate(v.isBlank() ? null : Rate.parse(v));
                        case TargetPolicy.CIRCUIT_FAILURES -> policy.withCircuit(intIn(v, 0, 10_000),
                                policy.circuitOpenFor());
                        default -> policy.withCircuit(policy.circuitFailures(), positiveDuration(v));
                    };
                } catch (IllegalArgumentException e) {
                    throw new ConfigException("Invalid configuration: " + key + " = '" + raw + "': " + e.getMessage()
                            + ". See \"Guarantees\" in docs/actions.md.");
                }
            }
            if (own) {
                out = out.with(target, policy);
            }
        }
        return out;
    }

    /** The maintenance windows read from {@code operon.maintenance.file} at load, in file order. */
    public List<MaintenanceWindow> maintenanceWindows() {
        return maintenanceWindows;
    }

    /** How alerts become incidents and when they are notified ({@code operon.incidents.*}). */
    public IncidentPolicy incidentPolicy() {
        return incidentPolicy;
    }

    /** The limits of the flapping and storm rules ({@code operon.flapping.*}, {@code operon.storm.*}). */
    public AlertLimits alertLimits() {
        return alertLimits;
    }

    /**
     * The inhibition rules of {@code operon.inhibit.file} as read at load, in file order; none without a
     * file. {@link #sessionFacts()} reads the file anew for every session.
     */
    public List<InhibitRule> inhibitRules() {
        return inhibitRules;
    }

    /**
     * The mapping of the webhook that {@code key} (operon.kafka.mapping, operon.amqp.mapping,
     * operon.mqtt.mapping) names, or null when the key is empty.
     *
     * @throws ConfigException naming the key when no webhook of operon.webhooks.file has that name
     */
    public org.operon.integration.webhook.WebhookMapping sourceMapping(Setting<String> key) {
        String name = get(key);
        if (name.isEmpty()) {
            return null;
        }
        return webhooks.stream().filter(w -> w.name().equals(name)).findFirst()
                .map(Webhook::mapping)
                .orElseThrow(() -> new ConfigException("Invalid configuration: " + key.key() + "=" + name
                        + " names no webhook of operon.webhooks.file" + (get(WEBHOOKS_FILE) == null ? " (not set)" : "")
                        + "; add a webhook of that name with its \"event\" mapping (see docs/sources/webhooks.md)."));
    }

    /** The named webhooks of {@code operon.webhooks.file} as read at load, in file order; none without a file. */
    public List<Webhook> webhooks() {
        return webhooks;
    }

    /** The throttles of {@code operon.throttle.file} as read at load, in file order; none without a file. */
    public List<ThrottlePolicy> throttles() {
        return throttles;
    }

    /**
     * The facts every engine session starts with: {@link #incidentPolicy()}, {@link #alertLimits()}, and
     * the inhibition rules and reference data, read anew from their files on every
     * {@link SessionFacts#load()}; its {@link SessionFacts#fingerprint()} changes when those files change.
     */
    public SessionFacts sessionFacts() {
        return new ConfiguredSessionFacts(incidentPolicy, alertLimits, get(INHIBIT_FILE), get(REFERENCE_DIR), null,
                null).withSchedules(get(SCHEDULES_FILE));
    }

    /**
     * {@link #sessionFacts()} followed by one {@link org.operon.model.IncidentSnapshot} per active incident
     * of {@code incidents}, read anew on every {@link SessionFacts#load()} and stamped with
     * {@code wallClock}, so that incidents continue in every new session (restart, reload). The incidents
     * do not count in the {@link SessionFacts#fingerprint()}: their changes never trigger a reload.
     */
    public SessionFacts sessionFacts(IncidentStore incidents, Clock wallClock) {
        return new ConfiguredSessionFacts(incidentPolicy, alertLimits, get(INHIBIT_FILE), get(REFERENCE_DIR),
                Objects.requireNonNull(incidents, "incidents"), Objects.requireNonNull(wallClock, "wallClock"))
                .withSchedules(get(SCHEDULES_FILE));
    }

    /** The data directory, absolute. */
    public Path dataDir() {
        return get(DATA_DIR).toAbsolutePath().normalize();
    }

    /** Effective values, secrets masked; for the start-up log. */
    public Map<String, String> describe() {
        Map<String, String> out = new LinkedHashMap<>();
        for (Setting<?> s : ALL) {
            Object v = values.get(s.key());
            String text = v == null ? "" : v instanceof List<?> l ? String.join(",", (List<String>) l) : v.toString();
            out.put(s.key(), s.secret() && !text.isEmpty() ? "****" : text);
        }
        return out;
    }

    // ---- parsers: each throws IllegalArgumentException saying what is expected ----

    static String nonEmpty(String v) {
        if (v.isBlank()) {
            throw new IllegalArgumentException("must not be empty");
        }
        return v;
    }

    static int intIn(String v, int min, int max) {
        return (int) longIn(v, min, max);
    }

    static long longIn(String v, long min, long max) {
        long n;
        try {
            n = Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("must be a whole number between " + min + " and " + max);
        }
        if (n < min || n > max) {
            throw new IllegalArgumentException("must be between " + min + " and " + max);
        }
        return n;
    }

    private static final Pattern DURATION_PART = Pattern.compile("(\\d+)(ms|s|m|h|d)");
    private static final Pattern DURATION = Pattern.compile("(?:\\d+(?:ms|s|m|h|d))+");

    /**
     * Parses {@code 200ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 7d}, their sums written together
     * ({@code 4h10m}, {@code 1m30s}) or an ISO-8601 duration.
     */
    static Duration duration(String v) {
        if (DURATION.matcher(v).matches()) {
            Duration sum = Duration.ZERO;
            Matcher m = DURATION_PART.matcher(v);
            while (m.find()) {
                long n = Long.parseLong(m.group(1));
                sum = sum.plus(switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                });
            }
            return sum;
        }
        try {
            return Duration.parse(v);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("must be a duration such as 200ms, 30s, 5m, 2h or 7d");
        }
    }

    static Duration positiveDuration(String v) {
        Duration d = duration(v);
        if (d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException("must be a positive duration such as 200ms, 30s, 5m, 2h or 7d");
        }
        return d;
    }

    static Path optionalPath(String v) {
        return v.isBlank() ? null : Path.of(v);
    }

    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    /** A non-empty comma-separated list of label names such as {@code service,env}. */
    static List<String> labelNames(String v) {
        List<String> names = list(v);
        if (names.isEmpty()) {
            throw new IllegalArgumentException("must name at least one label, such as service or service,env");
        }
        for (String name : names) {
            if (!LABEL_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("'" + name + "' is not a label name (letters, digits and _, "
                        + "not starting with a digit)");
            }
        }
        if (names.stream().distinct().count() < names.size()) {
            throw new IllegalArgumentException("names a label twice");
        }
        return names;
    }

    static String optionalHttpUrl(String v) {
        if (v.isBlank()) {
            return "";
        }
        try {
            URI u = URI.create(v);
            if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
                throw new IllegalArgumentException("x");
            }
            return v;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("must be an absolute http:// or https:// URL");
        }
    }

    static List<String> list(String v) {
        if (v.isBlank()) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).forEach(out::add);
        return List.copyOf(out);
    }
}
