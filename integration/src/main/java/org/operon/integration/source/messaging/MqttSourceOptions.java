package org.operon.integration.source.messaging;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Where the MQTT source subscribes: a broker, its topic filters and the persistent session that keeps
 * unacknowledged messages while Operon is away.
 *
 * @param url           the broker URI for Paho, e.g. {@code tcp://broker:1883} or {@code ssl://broker:8883}
 * @param topics        the topic filters to subscribe to with QoS 1, at least one (wildcards allowed); each is
 *                      the source {@code mqtt:<topic>}
 * @param clientId      the MQTT client id, which names the broker-side session: it must stay the same across
 *                      restarts and must not be used by another client (see {@link #clientIdFor})
 * @param username      the user to connect as; empty for none
 * @param password      the password; empty for none; never printed
 * @param sessionExpiry how long the broker keeps the session (subscriptions and unacknowledged messages) after
 *                      the connection is gone; Operon down for longer loses what was published meanwhile
 */
public record MqttSourceOptions(String url, List<String> topics, String clientId, String username, String password,
                                Duration sessionExpiry) {

    /** The MQTT 5 limit of the session expiry interval (2^32 - 1 seconds means "never expires"). */
    static final long MAX_SESSION_EXPIRY_SECONDS = 0xFFFF_FFFFL;

    public MqttSourceOptions {
        Objects.requireNonNull(url, "url");
        topics = List.copyOf(topics);
        if (topics.isEmpty()) {
            throw new IllegalArgumentException("the MQTT source needs at least one topic");
        }
        if (clientId == null || clientId.isBlank()) {
            throw new IllegalArgumentException("the MQTT source needs a client id");
        }
        username = username == null ? "" : username;
        password = password == null ? "" : password;
        if (sessionExpiry == null || sessionExpiry.getSeconds() < 1) {
            throw new IllegalArgumentException("the MQTT session expiry must be at least 1s, not " + sessionExpiry);
        }
    }

    /** The source name of {@code topic}: the dead-letter channel and the counters use it. */
    public static String sourceName(String topic) {
        return "mqtt:" + topic;
    }

    /**
     * The client id of the connection that subscribes to {@code topic}. Camel's Paho component opens one
     * connection per topic, and a broker allows one connection per client id, so with several topics each
     * gets {@code <clientId>-<topic>} (characters other than letters, digits, {@code -} and {@code _} as
     * {@code _}); with one topic it is {@code clientId} itself. The id depends on the topic only, not on its
     * position in the list, so reordering the topics keeps every session.
     */
    public String clientIdFor(String topic) {
        if (topics.size() == 1) {
            return clientId;
        }
        return clientId + "-" + topic.replaceAll("[^A-Za-z0-9_-]", "_");
    }

    /** The session expiry in seconds, at most the MQTT 5 limit. */
    long sessionExpirySeconds() {
        return Math.min(sessionExpiry.getSeconds(), MAX_SESSION_EXPIRY_SECONDS);
    }

    @Override
    public String toString() {
        return "MqttSourceOptions[url=" + url + ", topics=" + topics + ", clientId=" + clientId + ", username="
                + username + ", password=" + (password.isEmpty() ? "" : "****") + ", sessionExpiry=" + sessionExpiry
                + "]";
    }
}
