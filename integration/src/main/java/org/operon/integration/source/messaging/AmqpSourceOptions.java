package org.operon.integration.source.messaging;

import java.util.List;
import java.util.Objects;

/**
 * Where the AMQP 1.0 source consumes: a broker and its queues.
 *
 * @param url      the broker's connection URI for Qpid JMS, e.g. {@code amqp://broker:5672},
 *                 {@code amqps://broker:5671} or {@code failover:(amqp://a:5672,amqp://b:5672)}; it must not
 *                 hold credentials (they are given below and never logged)
 * @param queues   the queues to consume, at least one; each is the source {@code amqp:<queue>}
 * @param username the user to connect as; empty for none
 * @param password the password; empty for none; never printed
 */
public record AmqpSourceOptions(String url, List<String> queues, String username, String password) {

    public AmqpSourceOptions {
        Objects.requireNonNull(url, "url");
        queues = List.copyOf(queues);
        if (queues.isEmpty()) {
            throw new IllegalArgumentException("the AMQP source needs at least one queue");
        }
        username = username == null ? "" : username;
        password = password == null ? "" : password;
    }

    /** The source name of {@code queue}: the dead-letter channel and the counters use it. */
    public static String sourceName(String queue) {
        return "amqp:" + queue;
    }

    @Override
    public String toString() {
        return "AmqpSourceOptions[url=" + url + ", queues=" + queues + ", username=" + username
                + ", password=" + (password.isEmpty() ? "" : "****") + "]";
    }
}
