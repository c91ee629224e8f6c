package org.operon.actions;

import java.io.IOException;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.camel.model.RouteConfigurationDefinition;
import org.apache.camel.model.RouteDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Camel side of actions: one route per target in use, {@code direct:operon-action-<target>}, and
 * the error handling shared by all of them, declared once as the route configuration
 * {@value #ERROR_HANDLING}. The app adds this builder to its CamelContext
 * ({@code context.addRoutes(new ActionRoutes(options))}); the configuration applies only to these
 * routes.
 *
 * <p>Retries: a failure worth retrying (an HTTP 5xx or 429 answer, or an {@link IOException} anywhere in the
 * cause chain: refused connections, connect and response timeouts, a failed file write) is retried up
 * to {@link ActionOptions#maxAttempts()} attempts in all, waiting
 * {@link ActionOptions#backoffInitialDelay()} before the first retry and twice as long before each
 * further one, at most {@value #MAX_BACKOFF_MILLIS} ms. Each wait has jitter: Camel's collision
 * avoidance moves it by a random amount of up to {@value #JITTER} of itself either way (±20 %), so
 * targets failing together are not retried in lock-step. Any other failure (an HTTP 3xx or other 4xx answer, params that cannot be rendered,
 * an {@link OutcomeUnknownException}: an attempt that may have had its effect on a target that cannot drop a
 * repeat) fails the action at once. Camel's own
 * failure logging is off for these routes because its messages may carry the webhook URL with its
 * query; {@link ActionDispatcher} logs each outcome with a redacted reason instead.
 *
 * <p>Circuit breaking: the first step of every route asks the target's breaker in {@link TargetCircuits};
 * an action refused by an open circuit fails at once with {@code circuit open for <target>}, without an
 * attempt. Each admitted action's outcome (after all its attempts) is reported to the breaker.
 */
public final class ActionRoutes extends RouteConfigurationBuilder {
    /** The id of the route configuration that every sink route uses. */
    public static final String ERROR_HANDLING = "operon-action-sinks";

    /** Exchange property holding the {@link Action} while its sink's steps replace the body. */
    static final String ACTION = "operonAction";

    private static final Logger LOG = LoggerFactory.getLogger(ActionRoutes.class);

    /** The longest wait between two attempts, whatever the backoff doubling reaches. */
    static final long MAX_BACKOFF_MILLIS = 60_000;
    /** The jitter of each wait: a random share of up to this much, added or taken off. */
    static final double JITTER = 0.2;

    private final ActionOptions options;
    private final TargetCircuits circuits;

    /** Routes without circuit breakers: no circuit ever opens. */
    public ActionRoutes(ActionOptions options) {
        this(options, new TargetCircuits(DeliveryOptions.standard()
                .withDefaults(TargetPolicy.defaults().withCircuit(0, TargetPolicy.defaults().circuitOpenFor())),
                java.time.Clock.systemUTC()));
    }

    /** Routes whose targets are guarded by {@code circuits} (the same instance the dispatcher reports). */
    public ActionRoutes(ActionOptions options, TargetCircuits circuits) {
        this.options = options;
        this.circuits = circuits;
    }

    /** The endpoint an action for {@code target} is sent to. */
    public static String endpointFor(String target) {
        return "direct:operon-action-" + target;
    }

    /** Whether a failed attempt is worth another: I/O errors, HTTP 5xx and 429 (Too Many Requests) answers. */
    static boolean isRetryable(Exception failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof OutcomeUnknownException) {
                return false; // it may have had its effect: only an operator performs it again
            }
            if (t instanceof HttpOperationFailedException http) {
                return http.getStatusCode() >= 500 || http.getStatusCode() == 429;
            }
            if (t instanceof IOException) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void configuration() {
        RouteConfigurationDefinition sinks = routeConfiguration(ERROR_HANDLING);
        sinks.errorHandler(defaultErrorHandler()
                .maximumRedeliveries(0)
                .logExhausted(false)
                .logExhaustedMessageHistory(false)
                .logRetryAttempted(false)
                .logStackTrace(false)
                .logHandled(false));
        sinks.onException(Exception.class)
                .onWhen(exchange -> isRetryable(exchange.getException()))
                .maximumRedeliveries(options.maxAttempts() - 1)
                .redeliveryDelay(options.backoffInitialDelay().toMillis())
                .useExponentialBackOff()
                .backOffMultiplier(2)
                .maximumRedeliveryDelay(MAX_BACKOFF_MILLIS)
                .useCollisionAvoidance()
                .collisionAvoidanceFactor(JITTER)
                .onRedelivery(ActionRoutes::logRetry)
                .logExhausted(false)
                .logExhaustedMessageHistory(false)
                .logRetryAttempted(false)
                .logStackTrace(false)
                .logHandled(false);
    }

    @Override
    public void configure() {
        bindToRegistry(WebhookSink.CLIENT_CONFIGURER, WebhookSink.NO_CLIENT_RETRIES);
        for (String target : options.targetsInUse()) {
            RouteDefinition route = from(endpointFor(target))
                    .routeId("operon-action-" + target)
                    .routeConfigurationId(ERROR_HANDLING)
                    .process(exchange -> {
                        Action action = exchange.getIn().getBody(Action.class);
                        exchange.setProperty(ACTION, action);
                        circuits.admit(action, exchange);
                    });
            ActionSinks.create(target, options).perform(route);
        }
    }

    private static void logRetry(Exchange exchange) {
        Action action = exchange.getProperty(ACTION, Action.class);
        Exception failure = exchange.getException() != null ? exchange.getException()
                : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        int attempt = exchange.getIn().getHeader(Exchange.REDELIVERY_COUNTER, 0, Integer.class) + 1;
        LOG.info("action {} to {}: attempt {} after {}", action == null ? "?" : action.id(),
                action == null ? "?" : action.target(), attempt, FailureReason.describe(failure));
    }
}
