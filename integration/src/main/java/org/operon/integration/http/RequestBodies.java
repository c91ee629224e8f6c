package org.operon.integration.http;

import io.vertx.core.buffer.Buffer;
import org.apache.camel.Message;

/**
 * The body of an HTTP request as bytes. Camel's platform-http on Vert.x hands the body over as a Vert.x
 * {@link Buffer}, which {@code getBody(byte[].class)} turns into bytes through an input stream and a growing
 * array; this copies it once. Camel's stream caching (on by default) would first have replaced the Buffer
 * with a cached stream (another copy, and a buffered stream per request), so the high-volume intake routes
 * turn it off ({@code noStreamCaching()}): a Buffer can be read any number of times. Any other body (routes
 * that cache, tests that send to the route directly) goes through Camel's conversion as before.
 */
public final class RequestBodies {
    private RequestBodies() {
    }

    /** The body's bytes; null when there is no body. */
    public static byte[] bytes(Message in) {
        return in.getBody() instanceof Buffer buffer ? buffer.getBytes() : in.getBody(byte[].class);
    }
}
