package org.operon.actions;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import org.operon.actions.ticket.TicketOptions;

/**
 * Everything the action side can be configured with, validated when built. Each option has a key
 * constant; a validation error names the key so the app's start-up message can point at the fix.
 *
 * @param webhookUrl          where the {@code webhook} target POSTs, http or https; null when no
 *                            webhook is configured. It may hold a token in its query or user info, so
 *                            it is never logged: {@link #toString()} and every log line show only
 *                            scheme://host:port/path ({@link #WEBHOOK_URL})
 * @param connectTimeout      how long the webhook may take to accept a connection ({@link #WEBHOOK_TIMEOUT})
 * @param responseTimeout     how long the webhook may take to answer once connected ({@link #WEBHOOK_TIMEOUT})
 * @param maxAttempts         attempts per action, the first included, before it is recorded as failed;
 *                            only retryable failures (HTTP 5xx and 429, connection errors, timeouts, other I/O
 *                            errors of any target) use more than one ({@link #MAX_ATTEMPTS})
 * @param backoffInitialDelay the wait before the first retry; each further retry waits twice as long
 *                            ({@link #BACKOFF_INITIAL_DELAY})
 * @param fileDirectory       where the {@code file} target appends {@code actions-YYYY-MM-DD.jsonl}
 *                            ({@link #FILE_DIR})
 * @param targetsByType       the targets for each listed decision type, in order; an empty list means
 *                            that type causes no action ({@link #TARGETS_PREFIX}{@code <type>})
 * @param defaultTargets      the targets of types not listed in {@code targetsByType}; null means
 *                            {@code log} and {@code file}, plus {@code webhook} when a webhook URL is
 *                            set ({@link #DEFAULT_TARGETS})
 * @param queueCapacity       how many actions each target may hold waiting before
 *                            {@link ActionDispatcher#dispatch} blocks ({@link #QUEUE_CAPACITY})
 * @param chat                the {@code chat} target's settings; null when it is not configured, and
 *                            then naming it is an error ({@link ChatOptions#URL})
 * @param pagerDuty           the {@code pagerduty} target's settings; null when it is not configured,
 *                            and then naming it is an error ({@link PagerDutyOptions#ROUTING_KEY})
 * @param webhook             the {@code webhook} target's method, body template and headers; null means
 *                            {@link WebhookOptions#defaults()}
 * @param email               the {@code email} target's settings; null when it is not configured, and
 *                            then naming it is an error ({@link EmailOptions#HOST})
 * @param opsgenie            the {@code opsgenie} target's settings; null when it is not configured, and
 *                            then naming it is an error ({@link OpsgenieOptions#API_KEY})
 * @param targetSettings      the settings of targets that bring their own options class (publish, exec,
 *                            ansible, awx), by that class; a target whose settings are missing cannot be
 *                            named (see {@link TargetSettings})
 * @param tickets             the settings of the {@code redmine}, {@code jira} and {@code servicenow} targets;
 *                            null means none, and naming an unconfigured one is an error
 */
public record ActionOptions(String webhookUrl, Duration connectTimeout, Duration responseTimeout, int maxAttempts,
                            Duration backoffInitialDelay, Path fileDirectory, Map<String, List<String>> targetsByType,
                            List<String> defaultTargets, int queueCapacity, ChatOptions chat,
                            PagerDutyOptions pagerDuty, WebhookOptions webhook, EmailOptions email,
                            OpsgenieOptions opsgenie, Map<Class<?>, TargetSettings> targetSettings,
                            TicketOptions tickets) {

    public static final String WEBHOOK_URL = "operon.actions.webhook.url";
    /** One key for both webhook timeouts, as the app configures them. */
    public static final String WEBHOOK_TIMEOUT = "operon.actions.webhook.timeout";
    public static final String MAX_ATTEMPTS = "operon.actions.webhook.max-attempts";
    public static final String BACKOFF_INITIAL_DELAY = "operon.actions.webhook.backoff";
    public static final String FILE_DIR = "operon.actions.file.dir";
    /** Followed by a decision type, e.g. {@code operon.actions.targets.notify}. */
    public static final String TARGETS_PREFIX = "operon.actions.targets.";
    public static final String DEFAULT_TARGETS = "operon.actions.targets.default";
    public static final String QUEUE_CAPACITY = "operon.actions.queue-capacity";

    public ActionOptions {
        webhook = webhook == null ? WebhookOptions.defaults() : webhook;
        targetSettings = Map.copyOf(Objects.requireNonNullElse(targetSettings, Map.of()));
        webhookUrl = webhookUrl == null || webhookUrl.isBlank() ? null : webhookUrl.strip();
        if (webhookUrl != null) {
            parseWebhookUrl(webhookUrl);
        }
        requirePositive(connectTimeout, WEBHOOK_TIMEOUT + " (connect)");
        requirePositive(responseTimeout, WEBHOOK_TIMEOUT + " (response)");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException(MAX_ATTEMPTS + " must be at least 1, was " + maxAttempts);
        }
        if (backoffInitialDelay == null || backoffInitialDelay.isNegative()) {
            throw new IllegalArgumentException(BACKOFF_INITIAL_DELAY + " must be zero or positive, was "
                    + backoffInitialDelay);
        }
        if (fileDirectory == null) {
            throw new IllegalArgumentException(FILE_DIR + " must be set");
        }
        if (queueCapacity < 1) {
            throw new IllegalArgumentException(QUEUE_CAPACITY + " must be at least 1, was " + queueCapacity);
        }
        Map<String, List<String>> byType = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> e : Objects.requireNonNullElse(targetsByType,
                Map.<String, List<String>>of()).entrySet()) {
            if (e.getKey() == null || e.getKey().isBlank()) {
                throw new IllegalArgumentException(TARGETS_PREFIX + "<type> needs a decision type, got '"
                        + e.getKey() + "'");
            }
            String key = TARGETS_PREFIX + e.getKey();
            byType.put(e.getKey(), checkTargets(e.getValue(), key, webhookUrl, chat, pagerDuty, email, opsgenie, targetSettings));
        }
        targetsByType = Map.copyOf(byType);
        defaultTargets = defaultTargets == null ? null
                : checkTargets(defaultTargets, DEFAULT_TARGETS, webhookUrl, chat, pagerDuty, email, opsgenie, targetSettings);
        tickets = tickets == null ? TicketOptions.NONE : tickets;
        checkTicketTargets(targetsByType, defaultTargets, tickets);
    }

    /** Options without the chat and pagerduty targets. */
    public ActionOptions(String webhookUrl, Duration connectTimeout, Duration responseTimeout, int maxAttempts,
                         Duration backoffInitialDelay, Path fileDirectory, Map<String, List<String>> targetsByType,
                         List<String> defaultTargets, int queueCapacity) {
        this(webhookUrl, connectTimeout, responseTimeout, maxAttempts, backoffInitialDelay, fileDirectory,
                targetsByType, defaultTargets, queueCapacity, null, null, null, null, null, Map.of(), null);
    }

    /** Options without the targets that bring their own settings class. */
    public ActionOptions(String webhookUrl, Duration connectTimeout, Duration responseTimeout, int maxAttempts,
                         Duration backoffInitialDelay, Path fileDirectory, Map<String, List<String>> targetsByType,
                         List<String> defaultTargets, int queueCapacity, ChatOptions chat, PagerDutyOptions pagerDuty) {
        this(webhookUrl, connectTimeout, responseTimeout, maxAttempts, backoffInitialDelay, fileDirectory,
                targetsByType, defaultTargets, queueCapacity, chat, pagerDuty, null, null, null, Map.of(), null);
    }

    /**
     * The defaults: no webhook, connect timeout 5 s, response timeout 10 s, 3 attempts, first retry
     * after 500 ms, files under {@code data/actions}, every type to the default targets, 1,024 waiting
     * actions per target.
     */
    public static ActionOptions defaults() {
        return new ActionOptions(null, Duration.ofSeconds(5), Duration.ofSeconds(10), 3, Duration.ofMillis(500),
                Path.of("data", "actions"), Map.of(), null, 1024);
    }

    /** The targets a decision of this type goes to, in order; empty when the type is muted. */
    public List<String> targetsFor(String decisionType) {
        List<String> listed = targetsByType.get(decisionType);
        return listed != null ? listed : effectiveDefaultTargets();
    }

    /** Every target some decision type can reach: these get a route and a worker. */
    public Set<String> targetsInUse() {
        Set<String> all = new LinkedHashSet<>(effectiveDefaultTargets());
        targetsByType.values().forEach(all::addAll);
        return Set.copyOf(all);
    }

    /** The parsed webhook URL, when one is set. */
    public Optional<URI> webhookUri() {
        return Optional.ofNullable(webhookUrl).map(ActionOptions::parseWebhookUrl);
    }

    /** The webhook URL as it may be logged: scheme://host:port/path, without user info or query. */
    public Optional<String> webhookForLogs() {
        return webhookUri().map(ActionOptions::redacted);
    }

    public ActionOptions withWebhookUrl(String url) {
        return new ActionOptions(url, connectTimeout, responseTimeout, maxAttempts, backoffInitialDelay,
                fileDirectory, targetsByType, defaultTargets, queueCapacity, chat, pagerDuty, webhook, email, opsgenie, targetSettings, tickets);
    }

    public ActionOptions withTimeouts(Duration connect, Duration response) {
        return new ActionOptions(webhookUrl, connect, response, maxAttempts, backoffInitialDelay, fileDirectory,
                targetsByType, defaultTargets, queueCapacity, chat, pagerDuty, webhook, email, opsgenie, targetSettings, tickets);
    }

    public ActionOptions withRetries(int attempts, Duration initialDelay) {
        return new ActionOptions(webhookUrl, connectTimeout, responseTimeout, attempts, initialDelay, fileDirectory,
                targetsByType, defaultTargets, queueCapacity, chat, pagerDuty, webhook, email, opsgenie, targetSettings, tickets);
    }

    public ActionOptions withFileDirectory(Path dir) {
        return new ActionOptions(webhookUrl, connectTimeout, responseTimeout, maxAttempts, backoffInitialDelay, dir,
                targetsByType, defaultTargets, queueCapacity, chat, pagerDuty, webhook, email, opsgenie, targetSettings, tickets);
    }

    /** A copy in which decisions of {@code decisionType} go to exactly {@code targets}. */
    public ActionOptions withTargets(String decisionType, List<String> targets) {
        Map<String, List<String>> byType = new LinkedHashMap<>(targetsByType);
        byType.put(decisionType, targets);
        return new ActionOptions(webhookUrl, connectTimeout, responseTimeout, maxAttempts, backoffInitialDelay,
                fileDirectory, byType, defaultTargets, queueCapacity, chat, pagerDuty, webhook, email, opsgenie, targetSettings, tickets);
    }

    public ActionOptions withDefaultTargets(List<String> targets) {
        return new ActionOptions(webhookUrl, connectTimeout, responseTimeout, maxAttempts, backoffInitialDelay,
                fileDirectory, targetsByType, targets, queueCapacity, chat, pagerDuty, webhook, email, opsgenie, targetSettings, tickets);
    }

    public ActionOptions withQueueCapacity(int capacity) {
        return new ActionOptions(webhookUrl, connectTimeout, responseTimeout, maxAttempts, backoffInitialDelay,
                fileDirectory, targetsByType, defaultTargets, capacity, chat, pagerDuty, webhook, email, opsgenie, targetSettings, tickets);
    }

    /** A copy with the {@code chat} target configured; null removes it. */
    public ActionOptions withChat(ChatOptions chatOptions) {
        return new ActionOptions(webhookUrl, connectTimeout, responseTimeout, maxAttempts, backoffInitialDelay,
                fileDirectory, targetsByType, defaultTargets, queueCapacity, chatOptions, pagerDuty, webhook, email, opsgenie, targetSettings, tickets);
    }

    /** A copy with the {@code pagerduty} target configured; null removes it. */
    public ActionOptions withPagerDuty(PagerDutyOptions pagerDutyOptions) {
        return new ActionOptions(webhookUrl, connectTimeout, responseTimeout, maxAttempts, backoffInitialDelay,
                fileDirectory, targetsByType, defaultTargets, queueCapacity, chat, pagerDutyOptions, webhook, email, opsgenie, targetSettings, tickets);
    }

    /** A copy with the webhook's method, body template and headers; null restores the defaults. */
    public ActionOptions withWebhook(WebhookOptions webhookOptions) {
        return new ActionOptions(webhookUrl, connectTimeout, responseTimeout, maxAttempts, backoffInitialDelay,
                fileDirectory, targetsByType, defaultTargets, queueCapacity, chat, pagerDuty, webhookOptions, email,
                opsgenie, targetSettings, tickets);
    }

    /** A copy with the {@code email} target configured; null removes it. */
    public ActionOptions withEmail(EmailOptions emailOptions) {
        return new ActionOptions(webhookUrl, connectTimeout, responseTimeout, maxAttempts, backoffInitialDelay,
                fileDirectory, targetsByType, defaultTargets, queueCapacity, chat, pagerDuty, webhook, emailOptions,
                opsgenie, targetSettings, tickets);
    }

    /** A copy with the {@code opsgenie} target configured; null removes it. */
    public ActionOptions withOpsgenie(OpsgenieOptions opsgenieOptions) {
        return new ActionOptions(webhookUrl, connectTimeout, responseTimeout, maxAttempts, backoffInitialDelay,
                fileDirectory, targetsByType, defaultTargets, queueCapacity, chat, pagerDuty, webhook, email,
                opsgenieOptions, targetSettings, tickets);
    }

    /**
     * A copy with {@code settings} for the targets it {@link TargetSettings#enables enables}, replacing
     * settings of the same class.
     */
    public ActionOptions withTargetSettings(TargetSettings settings) {
        Map<Class<?>, TargetSettings> all = new LinkedHashMap<>(targetSettings);
        all.put(settings.getClass(), settings);
        return new ActionOptions(webhookUrl, connectTimeout, responseTimeout, maxAttempts, backoffInitialDelay,
                fileDirectory, targetsByType, defaultTargets, queueCapacity, chat, pagerDuty, webhook, email,
                opsgenie, all, tickets);
    }

    /** A copy with the ticket targets ({@code redmine}, {@code jira}, {@code servicenow}) configured; null removes them. */
    public ActionOptions withTickets(TicketOptions ticketOptions) {
        return new ActionOptions(webhookUrl, connectTimeout, responseTimeout, maxAttempts, backoffInitialDelay,
                fileDirectory, targetsByType, defaultTargets, queueCapacity, chat, pagerDuty, webhook, email,
                opsgenie, targetSettings, ticketOptions);
    }

    /** The ticket targets' settings; {@link TicketOptions#NONE} when none is configured. */
    public TicketOptions ticketOptions() {
        return tickets;
    }

    /** The settings of class {@code type}, when configured. */
    public <T extends TargetSettings> Optional<T> targetSettings(Class<T> type) {
        return Optional.ofNullable(targetSettings.get(type)).map(type::cast);
    }

    /** The webhook's method, body template and headers (the defaults when none were set). */
    public WebhookOptions webhookOptions() {
        return webhook;
    }

    public Optional<EmailOptions> emailOptions() {
        return Optional.ofNullable(email);
    }

    public Optional<OpsgenieOptions> opsgenieOptions() {
        return Optional.ofNullable(opsgenie);
    }

    public Optional<ChatOptions> chatOptions() {
        return Optional.ofNullable(chat);
    }

    public Optional<PagerDutyOptions> pagerDutyOptions() {
        return Optional.ofNullable(pagerDuty);
    }

    /** Shows the webhook only as scheme://host:port/path, so options can be logged safely. */
    @Override
    public String toString() {
        return "ActionOptions[webhookUrl=" + webhookForLogs().orElse(null) + ", connectTimeout=" + connectTimeout
                + ", responseTimeout=" + responseTimeout + ", maxAttempts=" + maxAttempts + ", backoffInitialDelay="
                + backoffInitialDelay + ", fileDirectory=" + fileDirectory + ", targetsByType=" + targetsByType
                + ", defaultTargets=" + effectiveDefaultTargets() + ", queueCapacity=" + queueCapacity
                + ", chat=" + chat + ", pagerDuty=" + pagerDuty + ", webhook=" + webhook + ", email=" + email
                + ", opsgenie=" + opsgenie + ", targetSettings=" + targetSettings.values()
                + ", tickets=" + tickets + "]";
    }

    private List<String> effectiveDefaultTargets() {
        if (defaultTargets != null) {
            return defaultTargets;
        }
        return webhookUrl == null ? List.of(LogSink.NAME, FileSink.NAME)
                : List.of(LogSink.NAME, FileSink.NAME, WebhookSink.NAME);
    }

    private static List<String> checkTargets(List<String> targets, String key, String webhookUrl, ChatOptions chat,
                                             PagerDutyOptions pagerDuty, EmailOptions email, OpsgenieOptions opsgenie,
                                             Map<Class<?>, TargetSettings> settings) {
        if (targets == null) {
            throw new IllegalArgumentException(key + " must list targets (an empty list mutes the type)");
        }
        List<String> checked = new ArrayList<>();
        for (String target : targets) {
            String name = target == null ? "" : target.strip();
            if (!ActionSinks.names().contains(name)) {
                throw new IllegalArgumentException(key + " names unknown target '" + name + "'; known targets: "
                        + ActionSinks.names());
            }
            if (name.equals(WebhookSink.NAME) && webhookUrl == null) {
                throw new IllegalArgumentException(key + " names target 'webhook' but " + WEBHOOK_URL + " is not set");
            }
            if (name.equals(ChatSink.NAME) && chat == null) {
                throw new IllegalArgumentException(key + " names target 'chat' but " + ChatOptions.URL + " is not set");
            }
            if (name.equals(PagerDutySink.NAME) && pagerDuty == null) {
                throw new IllegalArgumentException(key + " names target 'pagerduty' but "
                        + PagerDutyOptions.ROUTING_KEY + " is not set");
            }
            if (name.equals(EmailSink.NAME) && email == null) {
                throw new IllegalArgumentException(key + " names target 'email' but " + EmailOptions.HOST + " is not set");
            }
            if (name.equals(OpsgenieSink.NAME) && opsgenie == null) {
                throw new IllegalArgumentException(key + " names target 'opsgenie' but " + OpsgenieOptions.API_KEY
                        + " is not set");
            }
            String missing = TargetSettings.missingSetting(name);
            if (missing != null && settings.values().stream().noneMatch(s -> s.enables(name))) {
                throw new IllegalArgumentException(key + " names target '" + name + "' but " + missing + " is not set");
            }
            if (!checked.contains(name)) {
                checked.add(name);
            }
        }
        return List.copyOf(checked);
    }

    /** A ticket target may be named only when configured; the message names the key to set. */
    private static void checkTicketTargets(Map<String, List<String>> byType, List<String> defaults,
                                           TicketOptions tickets) {
        for (Map.Entry<String, List<String>> e : byType.entrySet()) {
            checkTicketTargets(e.getValue(), TARGETS_PREFIX + e.getKey(), tickets);
        }
        if (defaults != null) {
            checkTicketTargets(defaults, DEFAULT_TARGETS, tickets);
        }
    }

    private static void checkTicketTargets(List<String> targets, String key, TicketOptions tickets) {
        for (String name : targets) {
            if (!tickets.allows(name)) {
                throw new IllegalArgumentException(key + " names target '" + name + "' but "
                        + TicketOptions.keyOf(name) + " is not set");
            }
        }
    }

    private static void requirePositive(Duration d, String key) {
        if (d == null || d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(key + " must be a positive duration, was " + d);
        }
    }

    /** Parses and checks the URL; the message names the key and the problem but never echoes the URL. */
    private static URI parseWebhookUrl(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(WEBHOOK_URL + " is not a valid URL: " + e.getReason()
                    + (e.getIndex() >= 0 ? " at index " + e.getIndex() : ""));
        }
        String scheme = uri.getScheme();
        if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))) {
            throw new IllegalArgumentException(WEBHOOK_URL + " must be an http or https URL, got scheme '"
                    + scheme + "'");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException(WEBHOOK_URL + " must name a host (e.g. http://hooks.example:8080/path)");
        }
        return uri;
    }

    static String redacted(URI uri) {
        String port = uri.getPort() < 0 ? "" : ":" + uri.getPort();
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        return uri.getScheme() + "://" + uri.getHost() + port + path;
    }
}
