package org.operon.actions.publish;

import java.io.IOException;
import java.util.Map;
import java.util.function.Function;

import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.kafka.common.errors.RetriableException;
import org.eclipse.paho.mqttv5.common.MqttException;

/**
 * Sends one message to a transport endpoint from inside a sink's route step and reports the outcome in the
 * sink contract: a failure worth another attempt (an I/O error anywhere in the cause chain, a Kafka
 * {@link RetriableException} such as a timeout, a Qpid JMS timeout (a send or the connection not answered in
 * time), an MQTT client error such as "not connected" or a timeout, Operon's intake
 * not accepting now) is thrown as an
 * {@link IOException}, which the shared error handling retries; any other failure is thrown as it is and fails
 * the action. The endpoint is created on first use, from the exchange's CamelContext.
 */
final class Publisher {
    /** Intake failures (engine and integration classes, not on this module's class path) that mean "later". */
    private static final java.util.Set<String> NOT_NOW = java.util.Set.of("EngineOverloadedException", "ApiException");

    private final Function<CamelContext, Endpoint> endpointFactory;
    private volatile Endpoint endpoint;
    private volatile ProducerTemplate template;

    Publisher(Function<CamelContext, Endpoint> endpointFactory) {
        this.endpointFactory = endpointFactory;
    }

    /**
     * Sends {@code body} with exactly {@code headers}; returns the reply body (the intake's outcome for
     * {@code direct:} endpoints).
     */
    Object send(Exchange exchange, Object body, Map<String, Object> headers) throws Exception {
        ProducerTemplate producer = producer(exchange.getContext());
        Exchange result = producer.send(endpoint, out -> {
            out.getIn().setBody(body);
            headers.forEach(out.getIn()::setHeader);
        });
        Exception failure = result.getException();
        if (failure != null) {
            if (isWorthRetrying(failure)) {
                throw new IOException(failure.getMessage(), failure);
            }
            throw failure;
        }
        return result.getMessage().getBody();
    }

    private synchronized ProducerTemplate producer(CamelContext context) {
        if (template == null) {
            endpoint = endpointFactory.apply(context);
            template = context.createProducerTemplate();
        }
        return template;
    }

    static boolean isWorthRetrying(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof IOException || t instanceof RetriableException
                    || t instanceof org.apache.qpid.jms.JmsOperationTimedOutException
                    || NOT_NOW.contains(t.getClass().getSimpleName())) {
                return true;
            }
            // Paho's own codes (32000 and up: timeout, not connected, connection lost) are worth another
            // attempt; the broker's MQTT 5 reason codes (below 256: not authorized, bad topic, …) are not.
            if (t instanceof MqttException mqtt && mqtt.getReasonCode() >= 32000) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }
}
