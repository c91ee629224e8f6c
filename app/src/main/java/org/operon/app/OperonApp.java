package org.operon.app;

import org.apache.camel.CamelContext;
import org.apache.camel.main.SimpleMainShutdownStrategy;
import org.apache.camel.main.Main;
import org.operon.actions.ActionDispatcher;
import org.operon.actions.ActionOptions;
import org.operon.actions.ActionRoutes;
import org.operon.actions.approval.ApprovalDesk;
import org.operon.actions.approval.ApprovalPolicy;
import org.operon.integration.action.ActionOutcomeIntake;
import org.operon.integration.action.ApprovalRoutes;
import org.operon.state.approval.ApprovalStore;
import org.operon.actions.TargetCircuits;
import org.operon.app.config.OperonConfig;
import org.operon.engine.Engine;
import org.operon.engine.EngineOptions;
import org.operon.engine.RuleReloader;
import org.operon.engine.RulesDirectory;
import org.operon.engine.RulesDirectoryWatcher;
import org.operon.engine.RulesInvalidException;
import org.operon.engine.SessionOpener;
import org.operon.actions.mute.CompositeMuter;
import org.operon.actions.mute.MaintenanceMuter;
import org.operon.actions.mute.MutedByParamMuter;
import org.operon.actions.mute.Muter;
import org.operon.actions.mute.SilenceMuter;
import org.operon.integration.alertmanager.AlertReader;
import org.operon.integration.alertmanager.AlertRoutes;
import org.operon.integration.alertmanager.AlertmanagerWebhookRoutes;
import org.operon.integration.alertmanager.SilenceRoutes;
import org.operon.state.incident.IncidentStore;
import org.operon.state.silence.SilenceStore;
import org.operon.integration.incident.IncidentRoutes;
import org.operon.integration.http.IntakeCounters;
import org.operon.integration.source.RoutesDirectory;
import org.operon.integration.source.SourceIntake;
import org.operon.integration.source.SourceIntakeRoute;
import org.operon.integration.source.SourceCountersRoutes;
import org.operon.integration.syslog.SyslogServer;
import org.operon.integration.ticket.TicketWebhookRoutes;
import org.operon.integration.ticket.redmine.RedmineOptions;
import org.operon.integration.ticket.redmine.RedminePoller;
import org.operon.integration.ticket.redmine.RedminePollingRoute;
import org.operon.integration.webhook.WebhookRoutes;
import org.operon.integration.source.messaging.AmqpSourceOptions;
import org.operon.integration.source.messaging.BrokerSourceRoutes;
import org.operon.integration.source.messaging.IntakeRetry;
import org.operon.integration.source.messaging.MqttSourceOptions;
import org.operon.integration.kafka.KafkaSourceOptions;
import org.operon.integration.kafka.KafkaSourceRoutes;
import org.operon.integration.api.EngineControlRoutes;
import org.operon.integration.api.ActionDeliveryRoutes;
import org.operon.integration.api.ExplainRoutes;
import org.operon.integration.api.ReadApiRoutes;
import org.operon.integration.api.RulesRoutes;
import org.operon.integration.http.ApiTokenCheck;
import org.operon.integration.http.EventIntakeRoutes;
import org.operon.integration.http.IntakeOptions;
import org.operon.state.Checkpoint;
import org.operon.state.FileEventJournal;
import org.operon.state.JournalOptions;
import org.operon.state.OperonState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Operon assembled: state, journal, Camel (intake, read API, action routes), the action dispatcher
 * and the engine, started in dependency order and stopped in reverse.
 *
 * <p>Start order: Infinispan state (the incident store's active incidents start every session), the
 * rules (the packaged ones plus {@code operon.rules.dir}; invalid user rules refuse the start), the event
 * journal, Camel with all routes (intake answers 503
 * until the engine accepts), the dispatcher, then the engine, which restores its session from the
 * checkpoint and the journal (its decisions need the action routes) and starts accepting, then the
 * Kafka source (when configured) and the rules directory's watcher.
 * Stop order: HTTP intake and the Kafka source stop taking events, the engine processes what it accepted and writes its
 * checkpoint, the dispatcher finishes its actions, Camel stops, the journal and Infinispan close.
 */
public final class OperonApp implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OperonApp.class);
    /** How often the rules directory is read for changes (a change is loaded one to two scans later). */
    private static final Duration RULES_SCAN_INTERVAL = Duration.ofSeconds(1);
    /** How often pending approvals are checked for expiry (an approval expires at most this late). */
    private static final Duration APPROVAL_EXPIRY_SCAN = Duration.ofSeconds(1);

    private final OperonConfig config;
    private final MonotonicClock clock = MonotonicClock.system();

    private OperonState state;
    private IncidentStore incidents;
    private FileEventJournal journal;
    private Main camel;
    private ActionDispatcher dispatcher;
    private Engine engine;
    private RulesDirectoryWatcher rulesWatcher;
    private SyslogServer syslog;
    private ScheduledExecutorService pruner;
    private ActionOutcomeIntake outcomeIntake;
    private List<String> brokerSourceRouteIds = List.of();
    private volatile boolean stopped;

    public OperonApp(OperonConfig config) {
        this.config = config;
    }

    /** Starts everything; when this returns, Operon accepts events. */
    public synchronized void start() throws Exception {
        Path dataDir = config.dataDir();
        LOG.info("Starting Operon: data directory {}, HTTP {}:{}", dataDir, config.get(OperonConfig.HTTP_HOST),
                config.get(OperonConfig.HTTP_PORT));
        config.describe().forEach((k, v) -> LOG.debug("  {} = {}", k, v));
        config.maintenanceWindows().forEach(w -> LOG.info("Maintenance window {}: {} when {}", w.name(),
                w.schedule(), w.matchers()));
        config.inhibitRules().forEach(r -> LOG.info("Inhibit rule {}", r));
        config.throttles().forEach(t -> LOG.info("Throttle {}", t));
        Clock wallClock = new MonotonicJavaClock(clock);
        // The state first: every session starts with the active incidents of the store, so that they
        // continue across restarts and reloads. Then the rules: invalid files refuse the start.
        state = OperonState.open(dataDir, wallClock,
                OperonState.Options.defaults().withRetention(config.get(OperonConfig.STATE_RETENTION)));
        incidents = IncidentStore.open(state);
        Path rulesDir = config.get(OperonConfig.RULES_DIR);
        RuleReloader rules = new RuleReloader(rulesDir == null ? null : new RulesDirectory(rulesDir),
                config.sessionFacts(incidents, wallClock), clock);
        SessionOpener initialRules;
        try {
            initialRules = rules.loadAtStart();
        } catch (RulesInvalidException e) {
            LOG.error("Refusing to start: the rules directory {} (operon.rules.dir), the inhibit rules or the reference "
                    + "data hold errors; fix them or move the files out:\n{}", rulesDir, e.describe());
            throw e;
        }

        SilenceStore silences = SilenceStore.open(state, wallClock);
        journal = FileEventJournal.open(dataDir.resolve("journal"), clock,
                JournalOptions.defaults().withSegmentBytes(config.get(OperonConfig.JOURNAL_SEGMENT_BYTES))
                        .withForceEachGroup("disk".equals(config.get(OperonConfig.JOURNAL_DURABILITY))));
        if (!journal.options().forceEachGroup()) {
            LOG.warn("operon.journal.durability=os: events are accepted once written to the operating system, not "
                    + "forced to disk; a crash of the machine (not of Operon) may lose the last seconds of them");
        }

        ActionOptions actionOptions = actionOptions(dataDir);
        EngineOptions engineOptions = new EngineOptions(config.get(OperonConfig.ENGINE_QUEUE),
                config.get(OperonConfig.ENGINE_BATCH), config.get(OperonConfig.ENGINE_TICK),
                config.get(OperonConfig.ENGINE_RESTORE_HORIZON), Duration.ofSeconds(1), 1)
                .withThrottles(config.throttles());
        IntakeOptions intakeOptions = IntakeOptions.of(config.get(OperonConfig.INTAKE_MAX_BODY),
                IntakeOptions.defaults().deadLetterPayloadBytes());
        ApiTokenCheck tokenCheck = config.get(OperonConfig.API_TOKEN).isBlank()
                ? ApiTokenCheck.disabled() : ApiTokenCheck.of(config.get(OperonConfig.API_TOKEN));

        camel = new Main();
        // Operon installs its own shutdown hook (see Operon.main), which stops in dependency order.
        camel.setShutdownStrategy(new SimpleMainShutdownStrategy());
        camel.addInitialProperty("camel.main.name", "operon");
        camel.addInitialProperty("camel.server.enabled", "true");
        camel.addInitialProperty("camel.server.host", config.get(OperonConfig.HTTP_HOST));
        camel.addInitialProperty("camel.server.port", Integer.toString(config.get(OperonConfig.HTTP_PORT)));
        camel.addInitialProperty("camel.server.maxBodySize", Long.toString(intakeOptions.serverMaxBodySize()));
        camel.addInitialProperty("camel.server.useGlobalSslContextParameters", "false");
        // platform-http runs each request on a Vert.x worker thread, and an intake request holds its thread
        // until its journal group is durable: the pool bounds how many requests share one fsync (Vert.x: 20).
        camel.bind("operonVertxOptions", new io.vertx.core.VertxOptions()
                .setWorkerPoolSize(config.get(OperonConfig.HTTP_WORKER_THREADS)));

        // The engine exists before Camel starts so the routes can reference it; it starts last. Its
        // decisions go to the dispatcher, which is created once Camel runs and before the engine starts.
        // Incident snapshots are kept before the decision's actions run, so the API shows what was notified.
        engine = new Engine(initialRules, journal, state.checkpoints(), d -> {
            incidents.applyDecision(d);
            dispatcher.dispatch(d);
        }, clock, engineOptions, () -> dispatcher.isIdle() && incidents.isSettled());
        rules.attach(engine);

        // One set of intake counters for GET /api/v1/sources: the HTTP API's intake and every source.
        IntakeCounters intakeCounters = new IntakeCounters();
        camel.configure().addRoutesBuilder(new EventIntakeRoutes(engine, state.deadLetters(), wallClock, intakeOptions,
                tokenCheck).countingInto(intakeCounters));
        camel.configure().addRoutesBuilder(new ReadApiRoutes(state.auditLog(), state.deadLetters(),
                state.failedActions(), engine, tokenCheck));
        // Failed actions' retry and the targets' circuits; the dispatcher exists once Camel runs.
        camel.configure().addRoutesBuilder(new ActionDeliveryRoutes(new DispatcherDelivery(() -> dispatcher),
                tokenCheck));
        camel.configure().addRoutesBuilder(new ExplainRoutes(state.auditLog(), state.lineage(), tokenCheck));
        camel.configure().addRoutesBuilder(new EngineControlRoutes(engine, tokenCheck));
        camel.configure().addRoutesBuilder(new RulesRoutes(rules, tokenCheck));
        camel.configure().addRoutesBuilder(new SilenceRoutes(silences, wallClock, tokenCheck));
        camel.configure().addRoutesBuilder(new AlertRoutes(engine, state.deadLetters(), wallClock, intakeOptions,
                tokenCheck, AlertReader.of(engine), silences::activeFor).countingInto(intakeCounters));
        camel.configure().addRoutesBuilder(new AlertmanagerWebhookRoutes(engine, state.deadLetters(), wallClock,
                intakeOptions, tokenCheck, config.get(OperonConfig.ALERTMANAGER_RESOLVE_TIMEOUT))
                .countingInto(intakeCounters));
        camel.configure().addRoutesBuilder(new IncidentRoutes(incidents, engine, wallClock, intakeOptions, tokenCheck));
        // Outcomes of actions go back into the session as operon.action.result events, through the journal
        // (docs/actions.md, "Results as facts"); actions of some decision types wait for approval ("Approvals").
        outcomeIntake = new ActionOutcomeIntake(engine, state.deadLetters(), wallClock, intakeOptions.acceptTimeout(),
                ActionOutcomeIntake.DEFAULT_CAPACITY, intakeOptions.deadLetterPayloadBytes()).start();
        ApprovalDesk approvals = new ApprovalDesk(ApprovalPolicy.of(config.approvalTimeouts()),
                ApprovalStore.open(state), state.auditLog(), wallClock, outcomeIntake::submit);
        camel.configure().addRoutesBuilder(new ApprovalRoutes(approvals::pending, approvals::decide, tokenCheck));
        // Every other source (brokers, named webhooks, syslog, the routes directory) enters through here.
        SourceIntake sources = new SourceIntake(engine, state.deadLetters(), wallClock, intakeOptions,
                intakeCounters);
        camel.configure().addRoutesBuilder(new SourceIntakeRoute(sources));
        camel.configure().addRoutesBuilder(new SourceCountersRoutes(sources, tokenCheck));
        camel.configure().addRoutesBuilder(new WebhookRoutes(config.webhooks(), sources, intakeOptions));
        syslog = new SyslogServer(sources, SyslogServer.Options.of(config.get(OperonConfig.SYSLOG_HOST),
                config.get(OperonConfig.SYSLOG_UDP_PORT), config.get(OperonConfig.SYSLOG_TCP_PORT)));
        // AMQP 1.0 and MQTT sources, when their broker URL is set (docs/sources/amqp-mqtt.md).
        BrokerSourceRoutes brokerSources = brokerSources(config, sources);
        if (!brokerSources.routeIds().isEmpty()) {
            camel.configure().addRoutesBuilder(brokerSources);
            brokerSourceRouteIds = brokerSources.routeIds();
        }
        // The Kafka source (operon.kafka.*) starts once the engine accepts and stops before it (see stop()).
        java.util.Optional<KafkaSourceOptions> kafka = config.kafkaSource();
        kafka.ifPresent(k -> camel.configure().addRoutesBuilder(new KafkaSourceRoutes(sources, k)));
        // Jira and ServiceNow push ticket changes (operon.jira.*, operon.servicenow.*).
        camel.configure().addRoutesBuilder(new TicketWebhookRoutes(config.jiraWebhookAuth(),
                config.serviceNowWebhookAuth(), sources, intakeOptions));
        // The Redmine source (operon.redmine.*): polls once the engine accepts, its position in Infinispan.
        java.util.Optional<RedmineOptions> redmine = config.redmineSource();
        redmine.ifPresent(r -> camel.configure().addRoutesBuilder(new RedminePollingRoute(
                new RedminePoller(r, sources, state.durableCache(RedminePoller.POSITIONS_CACHE), wallClock), r)));
        // The ticket targets keep their incident → ticket links in Infinispan (state.ticket.TicketLinkStore).
        camel.bind(org.operon.actions.ticket.TicketSink.LINKS, org.operon.state.ticket.TicketLinkStore.open(state));
        TargetCircuits circuits = new TargetCircuits(config.deliveryOptions(), wallClock);
        camel.configure().addRoutesBuilder(new ActionRoutes(actionOptions, circuits));
        camel.start();
        CamelContext context = camel.getCamelContext();
        // Maintenance windows first: they do no I/O and cannot fail, so a failing silence store does not
        // disable them (see CompositeMuter).
        // The rules' own reason (inhibition, throttles) first: it is the most specific.
        Muter muter = CompositeMuter.of(new MutedByParamMuter(), new MaintenanceMuter(config.maintenanceWindows()),
                new SilenceMuter(silences));
        dispatcher = new ActionDispatcher(context, state.auditLog(), actionOptions, muter, state.lineage(),
                outcomeIntake::submit, approvals,
                new ActionDispatcher.Delivery(config.deliveryOptions(), circuits, state.failedActions(), wallClock));
        approvals.connect(dispatcher::dispatchApproved);
        dispatcher.start();
        if (!approvals.policy().isEmpty()) {
            LOG.info("Actions needing approval: {}", approvals.policy());
        }
        int redriven = approvals.redriveApproved();
        if (redriven > 0) {
            LOG.info("{} approved action(s) not yet performed before the last stop are performed now", redriven);
        }

        engine.start();
        syslog.start();
        if (kafka.isPresent()) {
            context.getRouteController().startRoute(KafkaSourceRoutes.ROUTE_ID);
            LOG.info("Kafka source: consuming {} from {} as group {}", kafka.get().topics(),
                    kafka.get().bootstrapServers(), kafka.get().groupId());
        }
        // The operator's route files (operon.routes.dir) once the engine accepts: invalid ones refuse the start.
        Path routesDir = config.get(OperonConfig.ROUTES_DIR);
        if (routesDir != null) {
            try {
                List<Path> loaded = new RoutesDirectory(routesDir).load(context);
                LOG.info("Routes directory {}: loaded {}", routesDir, loaded);
            } catch (RoutesDirectory.RoutesInvalidException e) {
                LOG.error("Refusing to start: {}; fix them or move the files out", e.getMessage());
                throw e;
            }
        }
        if (redmine.isPresent()) {
            context.getRouteController().startRoute(RedminePollingRoute.ROUTE_ID);
            LOG.info("Redmine source: polling {} every {}", redmine.get().baseUrl(), redmine.get().period());
        }
        if (rules.hasWatchedSources()) {
            rulesWatcher = new RulesDirectoryWatcher(rules, RULES_SCAN_INTERVAL);
            rulesWatcher.start();
        }
        pruner = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "operon-journal-pruner");
            t.setDaemon(true);
            return t;
        });
        pruner.scheduleWithFixedDelay(this::pruneJournal, 1, 10, TimeUnit.MINUTES);
        pruner.scheduleWithFixedDelay(silences::collectGarbage, 1, 60, TimeUnit.MINUTES);
        pruner.scheduleWithFixedDelay(() -> collectIncidentGarbage(incidents, wallClock), 1, 60, TimeUnit.MINUTES);
        if (!approvals.policy().isEmpty() || !approvals.pending().isEmpty()) {
            pruner.scheduleWithFixedDelay(() -> expireApprovals(approvals), APPROVAL_EXPIRY_SCAN.toMillis(),
                    APPROVAL_EXPIRY_SCAN.toMillis(), TimeUnit.MILLISECONDS);
        }
        LOG.info("Operon started: accepting events on http://{}:{}/api/v1/events", config.get(OperonConfig.HTTP_HOST),
                config.get(OperonConfig.HTTP_PORT));
    }

    private ActionOptions actionOptions(Path dataDir) {
        return actionOptions(config, dataDir);
    }

    /** The action options of a configuration: targets per type, webhook, chat, pagerduty, retries, file directory. */
    static ActionOptions actionOptions(OperonConfig config, Path dataDir) {
        Path fileDir = config.get(OperonConfig.ACTIONS_FILE_DIR);
        ActionOptions options = ActionOptions.defaults()
                .withWebhookUrl(config.get(OperonConfig.WEBHOOK_URL).isBlank() ? null : config.get(OperonConfig.WEBHOOK_URL))
                .withTimeouts(config.get(OperonConfig.WEBHOOK_TIMEOUT), config.get(OperonConfig.WEBHOOK_TIMEOUT))
                .withRetries(config.get(OperonConfig.WEBHOOK_ATTEMPTS), config.get(OperonConfig.WEBHOOK_BACKOFF))
                .withFileDirectory(fileDir == null ? dataDir.resolve("actions") : fileDir.toAbsolutePath())
                .withChat(config.chatOptions().orElse(null))
                .withPagerDuty(config.pagerDutyOptions().orElse(null))
                .withWebhook(config.webhookOptions())
                .withEmail(config.emailOptions().orElse(null))
                .withOpsgenie(config.opsgenieOptions().orElse(null));
        for (var settings : config.actionTargetSettings()) {
            options = options.withTargetSettings(settings);
        }
        options = options.withTickets(config.ticketTargets());
        List<String> defaults = config.get(OperonConfig.ACTIONS_DEFAULT_TARGETS);
        if (!defaults.isEmpty()) {
            options = options.withDefaultTargets(defaults);
        }
        for (var e : config.targetsByType().entrySet()) {
            options = options.withTargets(e.getKey(), e.getValue());
        }
        return options;
    }

    /** The AMQP and MQTT source routes of the configuration; without a broker URL they have no routes. */
    static BrokerSourceRoutes brokerSources(OperonConfig config, SourceIntake intake) {
        Optional<AmqpSourceOptions> amqp = config.get(OperonConfig.AMQP_URL).isBlank() ? Optional.empty()
                : Optional.of(new AmqpSourceOptions(config.get(OperonConfig.AMQP_URL), config.get(OperonConfig.AMQP_QUEUES),
                config.get(OperonConfig.AMQP_USERNAME), config.get(OperonConfig.AMQP_PASSWORD)));
        Optional<MqttSourceOptions> mqtt = config.get(OperonConfig.MQTT_URL).isBlank() ? Optional.empty()
                : Optional.of(new MqttSourceOptions(config.get(OperonConfig.MQTT_URL), config.get(OperonConfig.MQTT_TOPICS),
                config.get(OperonConfig.MQTT_CLIENT_ID), config.get(OperonConfig.MQTT_USERNAME),
                config.get(OperonConfig.MQTT_PASSWORD), config.get(OperonConfig.MQTT_SESSION_EXPIRY)));
        return new BrokerSourceRoutes(intake, amqp, mqtt, IntakeRetry.defaults(),
                config.sourceMapping(OperonConfig.AMQP_MAPPING), config.sourceMapping(OperonConfig.MQTT_MAPPING));
    }

    /**
     * Deletes journal segments that are processed (below the engine's checkpoint), older than the
     * journal retention, and older than what a restart replays (the restore horizon).
     */
    private void pruneJournal() {
        try {
            Checkpoint cp = state.checkpoints().load(Engine.CHECKPOINT_NAME);
            long olderThan = Math.min(clock.getAsLong() - config.get(OperonConfig.JOURNAL_RETENTION).toMillis(),
                    cp.clockTime() - config.get(OperonConfig.ENGINE_RESTORE_HORIZON).toMillis());
            int deleted = journal.prune(cp.seq(), olderThan);
            if (deleted > 0) {
                LOG.info("Deleted {} journal segments older than the retention", deleted);
            }
        } catch (RuntimeException e) {
            LOG.warn("Journal pruning failed; will try again: {}", e.toString());
        }
    }

    private static void expireApprovals(ApprovalDesk approvals) {
        try {
            int expired = approvals.expireDue();
            if (expired > 0) {
                LOG.info("{} action(s) not approved in time expired as rejected", expired);
            }
        } catch (RuntimeException e) {
            LOG.warn("Expiring approvals failed; will try again: {}", e.toString());
        }
    }

    private static void collectIncidentGarbage(IncidentStore incidents, Clock wallClock) {
        try {
            int deleted = incidents.collectGarbage(wallClock.instant());
            if (deleted > 0) {
                LOG.info("Deleted {} resolved incidents older than the state retention", deleted);
            }
        } catch (RuntimeException e) {
            LOG.warn("Incident garbage collection failed; will try again: {}", e.toString());
        }
    }

    /**
     * Stops or starts again the Kafka source ({@code operon.kafka.*}) of the running app, nothing else: on a
     * stop, records in progress finish and are committed, and the consumer leaves its group; on a start, it
     * joins again and continues from the group's committed offsets. For tools running Operon in process (the
     * bench times the consumption of a topic produced while the source was stopped).
     *
     * @return false (and nothing done) when no Kafka source is configured or the app is not running
     */
    public synchronized boolean runKafkaSource(boolean run) throws Exception {
        if (stopped || camel == null || camel.getCamelContext() == null
                || camel.getCamelContext().getRoute(KafkaSourceRoutes.ROUTE_ID) == null) {
            return false;
        }
        if (run) {
            camel.getCamelContext().getRouteController().startRoute(KafkaSourceRoutes.ROUTE_ID);
        } else {
            camel.getCamelContext().getRouteController().stopRoute(KafkaSourceRoutes.ROUTE_ID);
        }
        return true;
    }

    /** The port the HTTP server listens on. */
    public int httpPort() {
        return config.get(OperonConfig.HTTP_PORT);
    }

    /**
     * Stops in dependency order (see the class comment); safe to call more than once and from a
     * shutdown hook.
     */
    public synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        Duration timeout = config.get(OperonConfig.SHUTDOWN_TIMEOUT);
        LOG.info("Stopping Operon");
        if (pruner != null) {
            pruner.shutdownNow();
        }
        try {
            if (camel != null && camel.getCamelContext() != null) {
                camel.getCamelContext().getRouteController().stopRoute(EventIntakeRoutes.ROUTE_ID);
                // Broker sources next: a message not yet accepted stays unacknowledged and is delivered again.
                for (String id : brokerSourceRouteIds) {
                    camel.getCamelContext().getRouteController().stopRoute(id);
                }
                // Records in progress finish and are committed; the others are consumed again on the next start.
                if (camel.getCamelContext().getRoute(KafkaSourceRoutes.ROUTE_ID) != null) {
                    camel.getCamelContext().getRouteController().stopRoute(KafkaSourceRoutes.ROUTE_ID);
                }
                if (camel.getCamelContext().getRoute(RedminePollingRoute.ROUTE_ID) != null) {
                    camel.getCamelContext().getRouteController().stopRoute(RedminePollingRoute.ROUTE_ID);
                }
            }
        } catch (Exception e) {
            LOG.warn("Could not stop the intake route first: {}", e.toString());
        }
        if (syslog != null) {
            syslog.close();
        }
        if (rulesWatcher != null) {
            rulesWatcher.close();
        }
        if (engine != null) {
            engine.stop(timeout);
        }
        if (dispatcher != null) {
            dispatcher.stop(timeout);
        }
        if (outcomeIntake != null) {
            // The engine has stopped: results of actions finished since then are kept as dead letters.
            outcomeIntake.close(Duration.ofSeconds(1));
        }
        if (camel != null) {
            try {
                camel.stop();
            } catch (Exception e) {
                LOG.warn("Camel did not stop cleanly: {}", e.toString());
            }
        }
        if (journal != null) {
            journal.close();
        }
        if (incidents != null) {
            // Writes the incident snapshots still in memory only before the state closes.
            incidents.close();
        }
        if (state != null) {
            state.close();
        }
        LOG.info("Operon stopped");
    }

    @Override
    public void close() {
        stop();
    }

    /** A java.time.Clock view of the monotonic clock, for components that take a Clock. */
    private static final class MonotonicJavaClock extends Clock {
        private final MonotonicClock millis;

        MonotonicJavaClock(MonotonicClock millis) {
            this.millis = millis;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            throw new UnsupportedOperationException("Operon's clock is UTC");
        }

        @Override
        public long millis() {
            return millis.getAsLong();
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis());
        }
    }
}
