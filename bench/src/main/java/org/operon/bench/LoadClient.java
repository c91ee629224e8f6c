package org.operon.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The load generator's HTTP/1.1 client: one keep-alive connection, one request at a time, a request written
 * in one go and its answer read to the end (a {@code Content-Length} or chunked body, discarded). Used for
 * every end-to-end figure and for the peers alike, so that the generator's own cost is the same for all of
 * them and small: the JDK's {@code java.net.http.HttpClient} spent more CPU per request than the server
 * under test (measured 2026-11-28: 8 of its connections reached 1,138 single-event requests/s where this
 * client reaches about 4,000 against the same server), so with it the figures measured the generator.
 *
 * <p>Not a general client: no TLS, no redirects, no {@code 100-continue}, responses must carry a length
 * or be chunked (Operon's and Alertmanager's do). A connection that fails is reopened on the next request.
 */
final class LoadClient implements Closeable {
    private final String host;
    private final int port;
    private final byte[] head;
    private Socket socket;
    private OutputStream out;
    private InputStream in;
    private final StringBuilder line = new StringBuilder(128);
    private final byte[] discard = new byte[8192];

    /** A client posting to {@code url} (http://host:port/path). */
    LoadClient(String url) {
        URI uri = URI.create(url);
        this.host = uri.getHost();
        this.port = uri.getPort();
        this.head = ("POST " + uri.getRawPath() + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** Posts {@code body} with {@code contentType} and returns the status code once the whole answer was read. */
    int post(String contentType, byte[] body) throws IOException {
        return post(contentType, body, null);
    }

    /** Like {@link #post(String, byte[])} with an extra header line ({@code Name: value}, may be null). */
    int post(String contentType, byte[] body, String extraHeader) throws IOException {
        if (socket == null) {
            connect();
        }
        try {
            out.write(head);
            out.write(("Content-Type: " + contentType + "\r\nContent-Length: " + body.length + "\r\n"
                    + (extraHeader == null ? "" : extraHeader + "\r\n") + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            return readResponse();
        } catch (IOException e) {
            close();
            throw e;
        }
    }

    private void connect() throws IOException {
        Socket s = new Socket();
        s.setTcpNoDelay(true);
        s.connect(new InetSocketAddress(host, port), 5_000);
        s.setSoTimeout(30_000);
        socket = s;
        out = new BufferedOutputStream(s.getOutputStream(), 64 * 1024);
        in = new BufferedInputStream(s.getInputStream(), 64 * 1024);
    }

    private int readResponse() throws IOException {
        String status = readLine();
        if (!status.startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP answer: " + status);
        }
        int code = Integer.parseInt(status.substring(9, 12));
        long length = -1;
        boolean chunked = false;
        boolean closing = false;
        for (String h = readLine(); !h.isEmpty(); h = readLine()) {
            int colon = h.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = h.substring(0, colon).trim();
            String value = h.substring(colon + 1).trim();
            if (name.equalsIgnoreCase("Content-Length")) {
                length = Long.parseLong(value);
            } else if (name.equalsIgnoreCase("Transfer-Encoding") && value.equalsIgnoreCase("chunked")) {
                chunked = true;
            } else if (name.equalsIgnoreCase("Connection") && value.equalsIgnoreCase("close")) {
                closing = true;
            }
        }
        if (chunked) {
            long size;
            do {
                String sizeLine = readLine();
                int semicolon = sizeLine.indexOf(';');
                size = Long.parseLong((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
                skip(size);
                if (size > 0) {
                    readLine(); // the CRLF after the chunk
                }
            } while (size > 0);
            while (!readLine().isEmpty()) {
                // trailers
            }
        } else if (length > 0) {
            skip(length);
        }
        if (closing) {
            close();
        }
        return code;
    }

    private void skip(long n) throws IOException {
        while (n > 0) {
            int r = in.read(discard, 0, (int) Math.min(discard.length, n));
            if (r < 0) {
                throw new EOFException("connection closed in a body");
            }
            n -= r;
        }
    }

    private String readLine() throws IOException {
        line.setLength(0);
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) {
                throw new EOFException("connection closed in an answer");
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing a connection the generator gives up on
            }
            socket = null;
        }
    }

    /** The counts of a closed-loop run, shared by its connections. */
    static final class Tally {
        final AtomicLong accepted = new AtomicLong();
        final AtomicLong requests = new AtomicLong();
        final AtomicLong unavailable = new AtomicLong();
        final AtomicLong errors = new AtomicLong();

        /**
         * Posts {@code body} on {@code client} and counts the answer: {@code events} accepted when it is
         * {@code acceptedStatus}, a 503 apart, anything else (or no answer) as an error.
         *
         * @return whether it was accepted
         */
        boolean post(LoadClient client, String contentType, byte[] body, int acceptedStatus, int events) {
            try {
                int status = client.post(contentType, body);
                requests.incrementAndGet();
                if (status == acceptedStatus) {
                    accepted.addAndGet(events);
                    return true;
                } else if (status == 503) {
                    unavailable.incrementAndGet();
                } else {
                    errors.incrementAndGet();
                }
            } catch (IOException e) {
                errors.incrementAndGet();
            }
            return false;
        }
    }
}
