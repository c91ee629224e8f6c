package org.operon.integration.source.messaging;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.apache.camel.component.amqp.AMQPComponent;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5Component;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5Configuration;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5Endpoint;
import org.apache.camel.model.OnExceptionDefinition;
import org.apache.camel.model.RouteConfigurationDefinition;
import org.apache.qpid.jms.JmsConnectionFactory;
import org.operon.engine.EngineOverloadedException;
import org.operon.integration.http.ApiException;
import org.operon.integration.source.SourceIntake;
import org.operon.integration.webhook.WebhookMapping;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The AMQP 1.0 and MQTT sources: one route per queue ({@code amqp:<queue>}) and per topic filter
 * ({@code mqtt:<topic>}) that submits each message to {@link SourceIntake}, with their error handling
 * declared once as the route configuration {@value #ERROR_HANDLING}.
 *
 * <p>The routes call {@link SourceIntake#submit} themselves rather than {@value SourceIntake#ENDPOINT}: a
 * failure inside that route is marked exhausted by its own error handler, which would stop this
 * configuration's retries.
 *
 * <p>Acknowledgement follows acceptance. A message is acknowledged only after {@link SourceIntake}
 * returned, that is once its valid events are durable in the journal and its bad parts are
 * dead-lettered (a bad payload is acknowledged, so it is not redelivered forever):
 * <ul>
 * <li>AMQP: JMS {@code CLIENT_ACKNOWLEDGE}; the listener acknowledges when the route completed and recovers
 *     the session when it failed, so the broker (or Qpid JMS locally) delivers the message again.</li>
 * <li>MQTT: QoS 1, a persistent session ({@code cleanStart=false} and a session expiry) and Paho's manual
 *     acknowledgement: the PUBACK is sent when the route completed, never when it failed. MQTT resends an
 *     unacknowledged message only on the next connection of the session (after a reconnect or restart).</li>
 * </ul>
 *
 * <p>When Operon cannot accept a message now ({@link EngineOverloadedException}, or a 503 {@link ApiException}:
 * queue full, journal unconfirmed, starting or stopping), the route retries it in place by {@link IntakeRetry}
 * for as long as Operon runs, holding the message unacknowledged (the consumer takes nothing else meanwhile:
 * back-pressure). When Operon stops during the retries the message stays unacknowledged and the broker delivers
 * it again after the restart. Any other failure is retried twice, then left unacknowledged.
 */
public final class BrokerSourceRoutes extends RouteConfigurationBuilder {
    /** The id of the route configuration every broker source route uses. */
    public static final String ERROR_HANDLING = "operon-broker-sources";
    /** The Camel component name under which the AMQP source's connection is registered. */
    static final String AMQP_COMPONENT = "operon-amqp";
    /** MQTT 5 receive maximum of the source's connections (see {@link #mqttRoutes}). */
    static final int RECEIVE_MAXIMUM = 8;

    /** The prefixes of CloudEvent attributes in AMQP application properties (the binding's, and its JMS-safe form). */
    static final List<String> AMQP_CE_PREFIXES = List.of("cloudEvents:", "cloudEvents_");

    private static final Logger LOG = LoggerFactory.getLogger(BrokerSourceRoutes.class);

    private final SourceIntake intake;
    private final Optional<AmqpSourceOptions> amqp;
    private final Optional<MqttSourceOptions> mqtt;
    private final IntakeRetry retry;

    private final WebhookMapping amqpMapping;
    private final WebhookMapping mqttMapping;

    /** Either source may be absent; with both absent there are no routes. Only CloudEvents are accepted. */
    public BrokerSourceRoutes(SourceIntake intake, Optional<AmqpSourceOptions> amqp, Optional<MqttSourceOptions> mqtt,
                              IntakeRetry retry) {
        this(intake, amqp, mqtt, retry, null, null);
    }

    /**
     * With mappings (a named webhook's, null for none) that turn AMQP or MQTT payloads that are not CloudEvents
     * into events.
     */
    public BrokerSourceRoutes(SourceIntake intake, Optional<AmqpSourceOptions> amqp, Optional<MqttSourceOptions> mqtt,
                              IntakeRetry retry, WebhookMapping amqpMapping, WebhookMapping mqttMapping) {
        this.intake = intake;
        this.amqp = amqp;
        this.mqtt = mqtt;
        this.retry = retry;
        this.amqpMapping = amqpMapping;
        this.mqttMapping = mqttMapping;
    }

    /** The route id of the AMQP source of {@code queue}. */
    public static String amqpRouteId(String queue) {
        return "operon-source-amqp-" + queue;
    }

    /** The route id of the MQTT source of {@code topic}. */
    public static String mqttRouteId(String topic) {
        return "operon-source-mqtt-" + topic;
    }

    /** The ids of all routes this builder adds, so that the app can stop them before the engine. */
    public List<String> routeIds() {
        List<String> ids = new ArrayList<>();
        amqp.ifPresent(a -> a.queues().forEach(q -> ids.add(amqpRouteId(q))));
        mqtt.ifPresent(m -> m.topics().forEach(t -> ids.add(mqttRouteId(t))));
        return ids;
    }

    @Override
    public void configuration() {
        RouteConfigurationDefinition sources = routeConfiguration(ERROR_HANDLING);
        // Overload and 503: retry while running; do not retry while stopping, so that shutdown does not
        // wait and the message is left to the broker. Never handled: a failed exchange is never acknowledged.
        OnExceptionDefinition notNow = sources.onException(EngineOverloadedException.class, ApiException.class)
                .maximumRedeliveries(-1)
                .redeliveryDelay(retry.initialDelay().toMillis())
                .useExponentialBackOff()
                .backOffMultiplier(2)
                .maximumRedeliveryDelay(retry.maxDelay().toMillis())
                .onRedelivery(BrokerSourceRoutes::logRetry)
                .logRetryAttempted(false)
                .logExhausted(false)
                .logExhaustedMessageHistory(false)
                .logStackTrace(false)
                .onExceptionOccurred(BrokerSourceRoutes::logNotAccepted);
        notNow.getRedeliveryPolicyType().allowRedeliveryWhileStopping(false);
        OnExceptionDefinition other = sources.onException(Exception.class)
                .maximumRedeliveries(2)
                .redeliveryDelay(retry.initialDelay().toMillis())
                .logExhaustedMessageHistory(false)
                .logExhaustedMessageBody(false);
        other.getRedeliveryPolicyType().allowRedeliveryWhileStopping(false);
    }

    @Override
    public void configure() {
        amqp.ifPresent(this::amqpRoutes);
        mqtt.ifPresent(this::mqttRoutes);
    }

    private void amqpRoutes(AmqpSourceOptions options) {
        JmsConnectionFactory connections = new JmsConnectionFactory(options.url());
        // The AMQP CloudEvents binding names application properties "cloudEvents:<attribute>", which are not
        // JMS identifiers: without this Qpid JMS hides them from the consumer.
        connections.setValidatePropertyNames(false);
        if (!options.username().isEmpty()) {
            connections.setUsername(options.username());
        }
        if (!options.password().isEmpty()) {
            connections.setPassword(options.password());
        }
        AMQPComponent component = new AMQPComponent(connections);
        getContext().addComponent(AMQP_COMPONENT, component);
        for (String queue : options.queues()) {
            // One consumer per queue keeps the queue's order; CLIENT_ACKNOWLEDGE: acknowledged after the route.
            from(AMQP_COMPONENT + ":queue:" + queue
                    + "?acknowledgementModeName=CLIENT_ACKNOWLEDGE&concurrentConsumers=1&maxConcurrentConsumers=1"
                    + "&disableReplyTo=true&asyncConsumer=false&synchronous=true")
                    .routeId(amqpRouteId(queue))
                    .routeConfigurationId(ERROR_HANDLING)
                    .setHeader(SourceIntake.SOURCE_HEADER, constant(AmqpSourceOptions.sourceName(queue)))
                    .process(this::submitAmqp);
        }
        LOG.info("AMQP source: consuming {} from {} with acknowledgement after acceptance", options.queues(),
                withoutQuery(options.url()));
    }

    private void mqttRoutes(MqttSourceOptions options) {
        PahoMqtt5Component component = getContext().getComponent("paho-mqtt5", PahoMqtt5Component.class);
        for (String topic : options.topics()) {
            PahoMqtt5Configuration config = new PahoMqtt5Configuration();
            config.setBrokerUrl(options.url());
            config.setClientId(options.clientIdFor(topic));
            config.setQos(1);
            config.setCleanStart(false);
            config.setSessionExpiryInterval(options.sessionExpirySeconds());
            config.setManualAcksEnabled(true);
            config.setAutomaticReconnect(true);
            // At most this many unacknowledged messages in flight: fewer than Paho's inbound queue (10), so
            // that a route retrying one message never blocks the network thread and its keep-alive.
            config.setReceiveMaximum(RECEIVE_MAXIMUM);
            if (!options.username().isEmpty()) {
                config.setUserName(options.username());
            }
            if (!options.password().isEmpty()) {
                config.setPassword(options.password());
            }
            // Built directly so that the topic needs no URI escaping (# and + in filters) and the password
            // never appears in an endpoint URI.
            PahoMqtt5Endpoint endpoint = new SessionResumingMqttEndpoint("paho-mqtt5:" + options.clientIdFor(topic), topic,
                    component, config);
            from(endpoint)
                    .routeId(mqttRouteId(topic))
                    .routeConfigurationId(ERROR_HANDLING)
                    .setHeader(SourceIntake.SOURCE_HEADER, constant(MqttSourceOptions.sourceName(topic)))
                    .process(this::submitMqtt);
        }
        LOG.info("MQTT source: subscribing to {} at {} with QoS 1, persistent session {} (expiry {}), "
                + "acknowledgement after acceptance", options.topics(), withoutQuery(options.url()),
                options.clientId(), options.sessionExpiry());
    }

    /**
     * Submits the body under the source named by the header: a binary-mode CloudEvent when the message has
     * the application properties {@code cloudEvents:specversion} or {@code cloudEvents_specversion} (AMQP
     * protocol binding), else structured CloudEvents or mapped JSON. Mapped events' default ids are the AMQP
     * message id (JMS {@code JMSMessageID}, kept by the broker across redeliveries) and the element index, or the
     * body's hash when the sender set no message id. Throws what {@link SourceIntake} throws.
     */
    private void submitAmqp(Exchange exchange) throws Exception {
        Message in = exchange.getIn();
        String source = in.getHeader(SourceIntake.SOURCE_HEADER, String.class);
        Map<String, String> binary = amqpBinaryAttributes(in.getHeaders());
        exchange.getMessage().setBody(binary.isEmpty()
                ? intake.submit(source, in.getBody(byte[].class), amqpMapping, in.getHeader("JMSMessageID", String.class))
                : intake.submitBinary(source, binary, amqpContentType(in), in.getBody(byte[].class)));
    }

    /**
     * Submits the body (structured CloudEvents, or JSON the mapping turns into events) under the source named by
     * the header. MQTT has no message id that survives a redelivery (the packet identifier is per connection and
     * reused), so mapped events' default ids stay the body's hash and the element index.
     */
    private void submitMqtt(Exchange exchange) throws Exception {
        String source = exchange.getIn().getHeader(SourceIntake.SOURCE_HEADER, String.class);
        exchange.getMessage().setBody(intake.submit(source, exchange.getIn().getBody(byte[].class), mqttMapping));
    }

    /**
     * The CloudEvent attributes of an AMQP message's application properties {@code cloudEvents:<name>} or
     * {@code cloudEvents_<name>}, keyed by name in lower case; empty unless one of them is {@code specversion}.
     */
    static Map<String, String> amqpBinaryAttributes(Map<String, Object> properties) {
        Map<String, String> attributes = new LinkedHashMap<>();
        properties.forEach((key, value) -> {
            for (String prefix : AMQP_CE_PREFIXES) {
                if (key.length() > prefix.length() && key.startsWith(prefix) && value != null) {
                    attributes.put(key.substring(prefix.length()).toLowerCase(Locale.ROOT), String.valueOf(value));
                }
            }
        });
        return attributes.containsKey("specversion") ? attributes : Map.of();
    }

    /** The AMQP content-type of the message as Qpid JMS exposes it, or null (the data is then read as JSON). */
    private static String amqpContentType(Message in) {
        String type = in.getHeader("JMS_AMQP_CONTENT_TYPE", String.class);
        return type != null ? type : in.getHeader("content-type", String.class);
    }

    private static void logRetry(Exchange exchange) {
        int attempt = exchange.getIn().getHeader(Exchange.REDELIVERY_COUNTER, 0, Integer.class);
        if (attempt == 1 || attempt % 50 == 0) {
            LOG.warn("{}: Operon cannot accept the message now ({}); it stays unacknowledged and is retried "
                    + "(attempt {})", exchange.getIn().getHeader(SourceIntake.SOURCE_HEADER),
                    reason(exchange), attempt + 1);
        }
    }

    private static void logNotAccepted(Exchange exchange) {
        LOG.debug("{}: not accepted now: {}", exchange.getIn().getHeader(SourceIntake.SOURCE_HEADER),
                reason(exchange));
    }

    private static String reason(Exchange exchange) {
        Exception e = exchange.getException() != null ? exchange.getException()
                : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        if (e instanceof ApiException api) {
            return api.error() + ": " + api.detail();
        }
        return e == null ? "unknown" : e.getMessage();
    }

    /** The URL without its query, which may carry transport options that are nobody's business in a log. */
    static String withoutQuery(String url) {
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q);
    }
}
